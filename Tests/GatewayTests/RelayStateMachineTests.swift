import NIOCore
import NIOWebSocket
import Testing

@testable import Gateway

@Suite("Relay state machine")
struct RelayStateMachineTests {
    private func masked(_ opcode: WebSocketOpcode, _ bytes: [UInt8]) -> WebSocketFrame {
        var data = ByteBuffer(bytes: bytes)
        let key = WebSocketMaskingKey.random()
        data.webSocketMask(key)
        return WebSocketFrame(fin: true, opcode: opcode, maskKey: key, data: data)
    }

    @Test func dataIsHeldWhileDialingAndReleasedOnConnect() {
        var machine = RelayStateMachine()
        guard case .none = machine.frameReceived(self.masked(.binary, [1])) else { Issue.record(); return }
        guard case .startRelaying(let pending) = machine.targetConnected() else { Issue.record(); return }
        #expect(pending.map { Array($0.readableBytesView) } == [[1]])
        guard case .forwardToTarget(let payload) = machine.frameReceived(self.masked(.binary, [2, 3])) else {
            Issue.record(); return
        }
        #expect(Array(payload.readableBytesView) == [2, 3])
    }

    @Test func aCloseCodeNotAllowedOnTheWireFailsTheConnection() {
        var machine = RelayStateMachine()
        _ = machine.targetConnected()
        guard case .sendClose(let refusal, true, true) = machine.frameReceived(self.masked(.connectionClose, [0x03, 0xED]))
        else { Issue.record(); return }
        #expect(refusal.closeCode == 1002)  // 1005 may not be sent on the wire
    }

    @Test func theBrowsersCloseIsAnsweredAfterItsDataReachesTheTarget() {
        var machine = RelayStateMachine()
        _ = machine.targetConnected()
        guard case .forwardToTarget = machine.frameReceived(self.masked(.binary, [1])) else { Issue.record(); return }
        guard case .answerClose(let answer, let pending) = machine.frameReceived(self.masked(.connectionClose, [0x03, 0xE8]))
        else { Issue.record(); return }
        #expect(answer.closeCode == 1000 && pending.isEmpty)
        // The browser's connection closing after our answer leaves the target to finish sending that data.
        guard case .none = machine.clientClosed() else { Issue.record(); return }
    }

    @Test func aCloseWhileDiallingWaitsForTheTargetSoTheDataBeforeItIsNotLost() {
        var machine = RelayStateMachine()
        guard case .none = machine.frameReceived(self.masked(.binary, [1, 2])) else { Issue.record(); return }
        guard case .none = machine.frameReceived(self.masked(.connectionClose, [0x03, 0xE8])) else { Issue.record(); return }
        #expect(machine.isDialing, "the target is still dialled for the data")
        guard case .answerClose(let answer, let pending) = machine.targetConnected() else { Issue.record(); return }
        #expect(answer.closeCode == 1000 && pending.map { Array($0.readableBytesView) } == [[1, 2]])
        guard case .none = machine.terminate(.sessionEnded()) else { Issue.record(); return }
    }

    @Test func aCloseWhileDiallingThatFailsIsAnsweredWithoutWaiting() {
        var machine = RelayStateMachine()
        _ = machine.frameReceived(self.masked(.binary, [1]))
        _ = machine.frameReceived(self.masked(.connectionClose, []))
        guard case .sendClose(let refusal, true, true) = machine.dialFailed(.unreachable()) else { Issue.record(); return }
        #expect(refusal.closeCode == 4502)
    }

    @Test func aBrokenFrameAfterOurCloseClosesWithoutASecondClose() {
        var machine = RelayStateMachine()
        _ = machine.targetConnected()
        _ = machine.terminate(.sessionEnded())
        guard case .closeClient(closeTarget: true) = machine.frameReceived(self.masked(.continuation, [1])) else {
            Issue.record(); return
        }
    }

    @Test func terminationWaitsForTheAnswerAndIgnoresLaterEvents() {
        var machine = RelayStateMachine()
        _ = machine.targetConnected()
        guard case .sendClose(let refusal, true, false) = machine.terminate(.sessionEnded()) else {
            Issue.record(); return
        }
        #expect(refusal.closeCode == 4410)
        guard case .none = machine.terminate(.idleTimeout) else { Issue.record(); return }
        guard case .none = machine.targetRead(ByteBuffer(bytes: [1])) else { Issue.record(); return }
        #expect(machine.shouldReadFromClient(targetWritable: false))
        guard case .closeClient = machine.frameReceived(self.masked(.connectionClose, [])) else {
            Issue.record(); return
        }
    }

    @Test func readingFollowsTargetWritabilityOnlyWhileRelaying() {
        var machine = RelayStateMachine()
        #expect(!machine.shouldReadFromClient(targetWritable: true))
        _ = machine.targetConnected()
        #expect(machine.shouldReadFromClient(targetWritable: true))
        #expect(!machine.shouldReadFromClient(targetWritable: false))
    }

    @Test func aTargetArrivingAfterTheBrowserLeftIsClosed() {
        var machine = RelayStateMachine()
        _ = machine.clientClosed()
        guard case .closeTarget = machine.targetConnected() else { Issue.record(); return }
    }
}
