import Foundation
import Synchronization

/// What the broker remembers between rounds of pool upkeep, in memory: which VMs are being prepared as spares,
/// which spares are ready, since when VMs have been idle, and when each session last got a ticket.
///
/// Nothing here needs to survive a restart: after one, every clock starts again from `startedAt`, so no session is
/// taken back for what happened while the broker was down.
public final class UpkeepState: Sendable {
    struct State {
        var preparing: Set<VMRef> = []
        var readySpares: [String: [String]] = [:]
        var surplusSince: [VMRef: Date] = [:]
        var idleSince: [VMRef: Date] = [:]
        var shutdownAskedAt: [VMRef: Date] = [:]
        var lastTicket: [String: Date] = [:]
        var lastReconcile: Date?
        /// Handouts between reading `preparing` and finishing their claim in the store, by number.
        var claimsInFlight: Set<Int> = []
        var nextClaim = 0
    }

    /// When this broker started; the floor of every idle clock.
    public let startedAt: Date
    let state = Mutex(State())
    /// A nudge that came while nobody waited, and the waiter of `waitForNudge`.
    private let wakeUp = Mutex<(pending: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

    public init(startedAt: Date = Date()) {
        self.startedAt = startedAt
    }

    /// Asks for an upkeep round soon (a spare was taken, a session ended).
    public func nudge() {
        let waiter = self.wakeUp.withLock { wakeUp in
            defer { wakeUp.waiter = nil }
            if wakeUp.waiter == nil { wakeUp.pending = true }
            return wakeUp.waiter
        }
        waiter?.resume()
    }

    /// Returns after `interval`, or earlier when nudged (or when a nudge came since the last wait), or cancelled.
    public func waitForNudge(orAtMost interval: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                guard (try? await Task.sleep(for: interval)) != nil else { return }  // cancelled: woken already
                self.nudge()
            }
            await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    let resumeNow = self.wakeUp.withLock { wakeUp in
                        if wakeUp.pending {
                            wakeUp.pending = false
                            return true
                        }
                        wakeUp.waiter = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            } onCancel: {
                self.nudge()
            }
            group.cancelAll()
        }
    }

    /// Whether a reconciliation is due at `now` (the first round, then every `interval`); if so, it counts as done.
    func reconcileDue(at now: Date, every interval: TimeInterval) -> Bool {
        self.state.withLock { state in
            if let last = state.lastReconcile, now.timeIntervalSince(last) < interval, now >= last { return false }
            state.lastReconcile = now
            return true
        }
    }

    func noteTicket(session: String, at date: Date) {
        self.state.withLock { $0.lastTicket[session] = date }
    }

    func lastTicket(session: String) -> Date? {
        self.state.withLock { $0.lastTicket[session] }
    }

    func forgetSession(_ session: String) {
        _ = self.state.withLock { $0.lastTicket.removeValue(forKey: session) }
    }

    /// VMs of the libvirt connections `connectURIs` (a pool's hosts) being prepared right now: a handout must not
    /// take them.
    func preparing(onConnections connectURIs: Set<String>) -> Set<String> {
        self.state.withLock { state in Set(state.preparing.filter { connectURIs.contains($0.connectURI) }.map(\.domain)) }
    }

    /// Spares of `pool` found running and free at the last round, to hand out first.
    func readySpares(ofPool pool: String) -> [String] {
        self.state.withLock { $0.readySpares[pool] ?? [] }
    }
}
