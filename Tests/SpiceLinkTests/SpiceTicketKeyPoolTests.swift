import Foundation
import SpiceLink
import Testing

/// Keys made ahead: each handed out once while there are any, the newest again for a moment when there are none.
@Suite struct SpiceTicketKeyPoolTests {
    /// Waits until `condition` holds, checking every 10 ms, for at most `seconds`.
    static func waitUntil(seconds: Double = 30, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() {
            guard Date() < deadline else {
                Issue.record("timed out")
                throw SpiceLinkError.error
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
    }

    @Test func readyKeysAreHandedOutOnceAndTheFillingStartsAgain() throws {
        let pool = SpiceTicketKeyPool(size: 4)
        try Self.waitUntil { pool.readyCount == 4 }
        let keys = try (0..<4).map { _ in try pool.take() }
        #expect(Set(keys.map(\.publicKeyDER)).count == 4, "no key twice while keys are ready")
        try Self.waitUntil { pool.readyCount == 4 }
    }

    @Test func anEmptyPoolHandsOutTheNewestKeyWithinItsWindowAndMakesOneAfter() throws {
        let reusing = SpiceTicketKeyPool(size: 0, reuseWindow: .seconds(60))
        let first = try reusing.take()
        #expect(try reusing.take().publicKeyDER == first.publicKeyDER, "within the window: the newest again")

        let strict = SpiceTicketKeyPool(size: 0, reuseWindow: .zero)
        let one = try strict.take()
        #expect(try strict.take().publicKeyDER != one.publicKeyDER, "no window: a new key each time")
    }
}
