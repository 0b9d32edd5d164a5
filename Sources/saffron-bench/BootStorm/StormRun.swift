import Broker
import ConsoleFile
import Foundation
import Store

/// The storm itself: every user at once asks for a desktop, fetches its console file (a fresh ticket) and attaches
/// to the desktop's SPICE server with that ticket.
struct StormRun {
    let stage: StormBroker

    func run() async -> StormResult {
        let broker = stage.broker
        let start = ContinuousClock.now
        let outcomes = await withTaskGroup(of: UserOutcome.self) { group in
            for user in stage.users {
                group.addTask { await Self.oneUser(user, broker: broker, stormStart: start) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        return StormResult(outcomes: outcomes)
    }

    /// One user's way from asking to attached, timed from the start of the storm.
    private static func oneUser(_ user: UserRecord, broker: Broker, stormStart: ContinuousClock.Instant) async -> UserOutcome {
        var outcome = UserOutcome()
        do {
            let asked = ContinuousClock.now
            let handout = try await broker.desktop(inPool: StormEnvironment.brokerPool, for: user, clientAddress: "127.0.0.1")
            let handedOut = ContinuousClock.now
            outcome.handout = handedOut - asked
            outcome.handedOut = handedOut - stormStart
            let console = try await broker.consoleFile(forSession: handout.session.id, user: user)
            guard let address = handout.session.targetAddress, let port = handout.session.targetPort else {
                throw BenchFailure("session of \(handout.session.vm) has no SPICE endpoint")
            }
            try await SpiceAttach.attach(address: address, port: port, ticket: console.password)
            outcome.attached = ContinuousClock.now - stormStart
        } catch {
            outcome.failure = "\(user.name): \(error)"
        }
        return outcome
    }
}

/// One user's figures; nil where the user did not get that far.
struct UserOutcome: Sendable {
    /// How long `desktop(inPool:for:clientAddress:)` took.
    var handout: Duration?
    /// When the handout returned, from the start of the storm.
    var handedOut: Duration?
    /// When the SPICE server accepted the ticket, from the start of the storm.
    var attached: Duration?
    var failure: String?
}
