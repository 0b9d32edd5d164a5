import NIOCore
import NIOEmbedded
import Testing

@testable import Gateway

@Suite("Relay backpressure")
struct RelayBackpressureTests {
    @Test func noClientReadWhileTheTargetIsNotWritable() throws {
        let harness = try RelayHarness()
        harness.establish()
        let before = harness.clientReads.reads
        harness.target.isWritable = false
        harness.client.read()
        #expect(harness.clientReads.reads == before)
        harness.target.isWritable = true
        harness.target.pipeline.fireChannelWritabilityChanged()
        #expect(harness.clientReads.reads == before + 1)
    }

    @Test func noTargetReadWhileTheClientIsNotWritable() throws {
        let harness = try RelayHarness()
        harness.establish()
        let before = harness.targetReads.reads
        harness.client.isWritable = false
        harness.target.read()
        #expect(harness.targetReads.reads == before)
        harness.client.isWritable = true
        harness.client.pipeline.fireChannelWritabilityChanged()
        #expect(harness.targetReads.reads == before + 1)
    }

    @Test func readsFromTheClientWaitForTheTargetConnection() throws {
        let harness = try RelayHarness()
        let before = harness.clientReads.reads
        harness.client.read()
        #expect(harness.clientReads.reads == before)
        harness.establish()
        #expect(harness.clientReads.reads == before + 1)
    }

    @Test func writableChannelsReadFreely() throws {
        let harness = try RelayHarness()
        harness.establish()
        let clientBefore = harness.clientReads.reads
        let targetBefore = harness.targetReads.reads
        harness.client.read()
        harness.target.read()
        #expect(harness.clientReads.reads == clientBefore + 1)
        #expect(harness.targetReads.reads == targetBefore + 1)
    }
}
