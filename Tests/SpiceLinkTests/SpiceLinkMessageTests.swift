import SpiceLink
import Testing

/// The link messages as bytes, both ways.
@Suite struct SpiceLinkMessageTests {
    @Test func aMessageReadsBackAsWritten() throws {
        let message = SpiceLinkAcceptorTests.spiceGTKMain
        let bytes = message.bytes
        #expect(Array(bytes.prefix(4)) == Array("REDQ".utf8))
        #expect(try SpiceLinkHeader(parsing: bytes.prefix(16)).bodySize == bytes.count - 16)
        #expect(try SpiceLinkMessage(parsing: bytes.dropFirst(16)) == message)
    }

    @Test func withdrawingSASLLeavesTheRest() {
        let message = SpiceLinkAcceptorTests.spiceGTKMain.withdrawing(.authSASL)
        #expect(!message.offers(.authSASL) && message.offers(.authSelection) && message.offers(.miniHeader))
        #expect(message.channelCapabilities == SpiceLinkAcceptorTests.spiceGTKMain.channelCapabilities)
    }

    @Test func aRefusalIsTheWholeFixedReply() throws {
        let bytes = SpiceLinkReply(refusing: .permissionDenied).bytes
        #expect(bytes.count == 16 + 178)
        #expect(try SpiceLinkReply(parsing: bytes.dropFirst(16)).error == .permissionDenied)
    }

    @Test func aKeysPublicHalfIsWhatTheReplyCarries() throws {
        let key = try SpiceTicketKey()
        #expect(key.publicKeyDER.count == SpiceLinkReply.publicKeyBytes)
        let ticket = Array("0123456789".utf8)
        #expect(try key.ticket(decrypting: SpiceTicketKey.encrypt(ticket, for: key.publicKeyDER)) == ticket)
    }
}
