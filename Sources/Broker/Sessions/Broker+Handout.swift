import ConsoleFile
import Foundation
import Logging
import Store

/// A session as handed to a user, and whether this request created it.
public struct Handout: Sendable, Equatable {
    public var session: SessionRecord
    public var isNew: Bool
}

extension Broker {
    /// Gives `user` a desktop in `pool`: their session there if they have one (unless they ask for `another`, which
    /// the pool's `maxSessionsPerUser` allows), else a free VM, started if needed, behind a freshly leased public
    /// port forwarded from `clientAddress` only. A VM that fails to start is passed over for the next free one (a
    /// few at most), so one broken VM does not block the pool.
    ///
    /// Every handout, and every refusal, goes to the audit log.
    public func desktop(
        inPool pool: String, for user: UserRecord, clientAddress: String, another: Bool = false
    ) async throws -> Handout {
        do {
            let handout = try await handOut(inPool: pool, for: user, clientAddress: clientAddress, another: another)
            let session = handout.session
            await audit.record(
                .handout, by: user.name, subject: session.id, from: clientAddress,
                "\(handout.isNew ? "new session" : "their session again"): \(session.vm) of pool \(pool), port \(session.publicPort), \(session.route.rawValue)")
            metrics.handout(pool: pool, outcome: "ok")
            return handout
        } catch {
            let reason = (error as? BrokerError).map { "\($0.code): \($0.message)" } ?? "\(error)"
            await audit.record(.handout, by: user.name, subject: pool, from: clientAddress, succeeded: false, reason)
            metrics.handout(pool: pool, outcome: ((error as? BrokerError)?.code ?? .internalError).rawValue)
            throw error
        }
    }

    private func handOut(
        inPool pool: String, for user: UserRecord, clientAddress: String, another: Bool
    ) async throws -> Handout {
        try await requireEntitled(user, to: pool)
        guard let record = try await store.pool(named: pool) else { throw BrokerError(StoreError.poolNotFound(pool)) }
        try accessPath(for: record.policy.consoleRoute).checkClient(clientAddress)
        var claim = DesktopClaim(user: user.name, pool: pool, clientAddress: clientAddress, portRange: settings.portRange)
        claim.publicAddress = settings.publicAddress
        claim.holder = settings.nodeName
        claim.another = another
        claim.preferredVMs = upkeep.readySpares(ofPool: pool)
        var lastVMFailure: BrokerError?
        for _ in 0..<Self.maxStartAttempts {
            let result: ClaimResult
            do {
                result = try await self.claim(claim, onConnections: Set(record.connectURIs))
            } catch let error as BrokerError where error.code == .noFreeVM && lastVMFailure != nil {
                throw lastVMFailure!
            }
            switch result {
            case .existing(let session):
                return Handout(session: try await follow(session, to: clientAddress), isNew: false)
            case .created(let session):
                do {
                    defer { upkeep.nudge() }
                    return Handout(session: try await bringUp(session), isNew: true)
                } catch {
                    logger.error("handout of \(session.vm) to \(user.name) failed: \(error)")
                    let host = try? await ref(ofVM: session.vm, in: record).connectURI
                    await giveBack(session, after: error)
                    guard let failure = error as? BrokerError else { throw error }
                    if failure.code == .hypervisorUnavailable, let host, record.connectURIs.count > 1 {
                        // A host of the pool is down: its VMs wait, the others' are tried.
                        claim.excludedVMs.formUnion(try await vmNames(onHost: host, of: record))
                    } else if !Self.vmFaults.contains(failure.code) {
                        throw error
                    }
                    lastVMFailure = failure
                    claim.excludedVMs.insert(session.vm)
                    claim.newSessionID = UUID().uuidString.lowercased()
                }
            }
        }
        throw lastVMFailure ?? BrokerError.hypervisor("No VM of pool \(pool) could be started.")
    }

    /// Claims a VM in the store, leaving alone the VMs pool upkeep holds. The user's own persistent desktop, held
    /// for a moment (a shutdown being requested), is waited for up to `busyPatience`.
    private func claim(_ claim: DesktopClaim, onConnections connectURIs: Set<String>) async throws -> ClaimResult {
        let deadline = ContinuousClock.now + Self.busyPatience
        while true {
            do {
                return try await upkeep.claiming(onConnections: connectURIs) { held in
                    var claim = claim
                    claim.busyVMs = held
                    return try await BrokerError.mapping { try await store.claimDesktop(claim) }
                }
            } catch let error as BrokerError where error.code == .desktopBusy && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    /// How long a handout waits for the user's own desktop while upkeep holds it.
    static let busyPatience: Duration = .seconds(5)

    /// How many VMs one handout tries before it gives up.
    static let maxStartAttempts = 3
    /// Failures that belong to one VM, so the next free VM may do better.
    static let vmFaults: Set<BrokerError.Code> = [.hypervisorError, .vmNeedsRestart, .vmNotReady, .vmNameTaken]

    /// Starts the session's VM (creating it first in a template pool), records its SPICE endpoint and opens the way
    /// to it on the session's access path.
    private func bringUp(_ session: SessionRecord) async throws -> SessionRecord {
        guard let pool = try await store.pool(named: session.pool) else { throw BrokerError(StoreError.poolNotFound(session.pool)) }
        let vm = try await provisionIfNeeded(session.vm, of: pool)
        try await awaitRequestedShutdown(of: vm)
        let endpoint = try await hypervisor.startIfNeeded(vm)
        let ready = try await store.markReady(
            sessionID: session.id, targetAddress: endpoint.address, targetPort: endpoint.port, targetTLSPort: endpoint.tlsPort)
        try await accessPath(for: ready.route).open(ready)
        logger.info("handed out \(session.vm) of pool \(session.pool) to \(session.user) from \(session.clientAddress), route \(ready.route), port \(session.publicPort)")
        return ready
    }

    /// Undoes a handout that failed: the session and its access go. A VM that could not be created leaves the pool
    /// (its name is free again); one that exists but failed is marked broken for admins; a volatile one is reset.
    private func giveBack(_ session: SessionRecord, after error: any Error) async {
        _ = try? await store.deleteSession(id: session.id)
        try? await accessPath(for: session.route).close(session)
        guard let pool = try? await store.pool(named: session.pool),
            let record = try? await store.vm(named: session.vm, inPool: pool.name)
        else { return }
        if pool.template != nil, !record.isProvisioned {
            try? await store.removeVM(session.vm, fromPool: pool.name)
        } else if let failure = error as? BrokerError, Self.vmFaults.contains(failure.code) {
            try? await store.markBroken(vm: session.vm, pool: pool.name, reason: failure.message)
            logger.warning("marked \(session.vm) of pool \(pool.name) broken: \(failure.message)")
        }
        await resetIfNeeded(session.vm, of: pool)
    }

    /// An existing session: wait while another request brings it up, and move its access if the client moved.
    private func follow(_ session: SessionRecord, to clientAddress: String) async throws -> SessionRecord {
        var current = session
        let deadline = Date().addingTimeInterval(60)
        while current.state == .starting, Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
            guard let next = try await store.session(id: session.id) else { throw BrokerError.sessionNotFound(session.id) }
            current = next
        }
        guard current.clientAddress != clientAddress, current.state == .ready else { return current }
        let moved = try await store.updateClientAddress(sessionID: current.id, clientAddress: clientAddress)
        try await accessPath(for: moved.route).move(moved, from: current.clientAddress)
        for observer in sessionObservers { await observer.sessionMoved(current.id) }
        logger.info("session \(current.id) of \(current.user) now pinned to \(clientAddress)")
        return moved
    }

    /// A `.vv` for the session, sending its client the way `route` says (nil: the session's own route, its pool's at
    /// handout): through a SPICE gateway with the session's console credential, which works until it expires or the
    /// session ends; otherwise with a fresh one-time SPICE ticket, valid for the configured ticket validity.
    public func consoleFile(
        forSession id: String, user: UserRecord, route: ConsoleRoute? = nil, now: Date = Date()
    ) async throws -> ConsoleFile {
        let session = try await session(id: id, visibleTo: user)
        let endpoint = try accessPath(for: route ?? session.route).consoleEndpoint(of: session)
        let password: String
        if endpoint.gatewayTLS != nil {
            guard session.state == .ready else { throw BrokerError.vmNotReady("Desktop \(session.vm) is still starting; try again.") }
            password = try await consoleCredentials.issue(forSession: session.id, user: user.name, now: now).token
            upkeep.noteTicket(session: session.id, at: now)
        } else {
            password = try await setFreshTicket(on: session, now: now).ticket
        }
        await auditConsoleAccess(.consoleFile, to: session, by: user, now: now)
        var file = ConsoleFile(
            host: endpoint.host, port: endpoint.port, password: password, title: "\(session.vm) (\(session.pool)) - Saffron")
        if let proxy = endpoint.proxy, let entry = ConsoleFile.Entry(key: "proxy", value: proxy) {
            file.extraKeys.append(entry)
        }
        if let tls = endpoint.gatewayTLS {
            file.tls = ConsoleFile.TLS(port: endpoint.port, ca: tls.caPEM, hostSubject: tls.hostSubject)
            file.deleteThisFile = false  // it is meant to be opened again, for as long as its credential lives
        } else if let tls = settings.spiceTLS, Self.usesSpiceTLS(session, settings: settings) {
            file.tls = ConsoleFile.TLS(port: endpoint.port, ca: tls.caPEM, hostSubject: tls.hostSubject)
        }
        return file
    }
}
