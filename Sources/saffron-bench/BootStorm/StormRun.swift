import Broker
import ConsoleFile
import Foundation
import Libvirt
import Store

/// The storm itself: every user at once asks for a desktop, fetches its console file (a fresh ticket) and attaches
/// to the desktop's SPICE server with that ticket; with a desktop image, each then waits until their desktop's
/// session shows.
struct StormRun {
    let stage: StormBroker
    /// The connection that reads the desktops' screens, when they boot the desktop image.
    let desktops: LibvirtConnection?

    func run() async -> StormResult {
        let broker = stage.broker
        let start = ContinuousClock.now
        let outcomes = await withTaskGroup(of: UserOutcome.self) { group in
            for user in stage.users {
                group.addTask { [desktops] in await Self.oneUser(user, broker: broker, desktops: desktops, stormStart: start) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        return StormResult(outcomes: outcomes)
    }

    /// One user's way from asking to attached, timed from the start of the storm.
    private static func oneUser(
        _ user: UserRecord, broker: Broker, desktops: LibvirtConnection?, stormStart: ContinuousClock.Instant
    ) async -> UserOutcome {
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
            if let desktops {
                try await DesktopReadiness.waitUntilUsable(handout.session.vm, on: desktops)
                outcome.usable = ContinuousClock.now - stormStart
            }
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
    /// When the desktop's session showed, from the start of the storm (desktop image only).
    var usable: Duration?
    var failure: String?
}
