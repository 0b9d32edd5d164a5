import CoreMetrics
import Glibc
import Logging
import NIOCore
import Synchronization

/// Where the CONNECT proxy decides its clients' requests and follows their tunnels to the end.
///
/// The splice relays' workers accept each client (`admit`), read its request and ask `decide` on the same thread. A
/// request the `TunnelBook` remembers a grant for is granted there and then; any other is asked of the authorizer
/// (`askQuestions`) and granted or refused from there. Ending a session revokes its grants and closes its tunnels
/// under the book's lock, so no tunnel of an ended session opens afterwards.
final class TunnelDesk: SpliceRequestDesk {
    /// A request the book could not grant, waiting for the authorizer.
    private struct Question: Sendable {
        let relay: UInt64
        let client: String
        let target: ConnectTarget
        let address: SocketAddress
        /// The book's revocation count when it was asked.
        let askedAt: UInt64
    }

    private let authorizer: any TunnelAuthorizer
    private let clientNamingTargets: Set<ConnectTarget>
    private let questions: AsyncStream<Question>
    private let asking: AsyncStream<Question>.Continuation
    private let metrics: RelayMetrics
    private let logger: Logger
    private let state: Mutex<State>

    private struct State {
        var book: TunnelBook
        /// The engine, while it runs; pending decisions reach it only then.
        var relays: SpliceRelays?
        /// Run as each relay ends: callers waiting for tunnels they closed.
        var waiters: [UInt64: [@Sendable () -> Void]] = [:]
    }

    init(
        authorizer: any TunnelAuthorizer, connectionsPerClient: Int, maxConnections: Int = .max, grantLifetime: Duration,
        clientNamingTargets: Set<ConnectTarget> = [], metrics: RelayMetrics, logger: Logger
    ) {
        self.authorizer = authorizer
        self.clientNamingTargets = clientNamingTargets
        (self.questions, self.asking) = AsyncStream.makeStream(of: Question.self)
        self.metrics = metrics
        self.logger = logger
        self.state = Mutex(
            State(
                book: TunnelBook(
                    grantLifetime: grantLifetime, connectionsPerClient: connectionsPerClient, maxConnections: maxConnections)))
    }

    /// Starts taking connections onto `relays`; nil once they stop, so nothing reaches them afterwards.
    func attach(_ relays: SpliceRelays?) {
        self.state.withLock { $0.relays = relays }
    }

    /// Records a client the relays accepted; a refusal (429, 503) when it holds its share of connections, the proxy
    /// holds as many as it may, or it is stopping.
    func admit(_ relay: UInt64, client: String) -> [UInt8]? {
        switch self.state.withLock({ $0.book.accepted(relay, client: client) }) {
        case .taken:
            return nil
        case .overShare:
            self.logRefusal(.tooManyConnections, client: client, why: "too many connections")
            return TunnelRefusal.tooManyConnections.response
        case .full(let first):
            if first { self.logger.warning("CONNECT proxy full: refusing new connections until one ends", metadata: ["client": "\(client)"]) }
            return TunnelRefusal.full.response
        case .shut:
            return TunnelRefusal.shuttingDown.response
        }
    }

    func decide(_ relay: UInt64, head: UnsafeRawBufferPointer) -> SpliceRelays.Verdict {
        let target: ConnectTarget
        switch ConnectRequestHead.target(of: head) {
        case .success(let named): target = named
        case .failure(let refused): return self.refuse(relay, refused.refusal, why: refused.why)
        }
        guard let address = target.socketAddress else {  // made once here, for the grant and the question alike
            let refused = ConnectRequestHead.Refusal.notAnEndpoint(target.description)
            return self.refuse(relay, refused.refusal, why: refused.why)
        }
        let now = ContinuousClock.now
        let (admitted, client, askedAt) = self.state.withLock { state in
            (state.book.admit(relay, to: target, now: now), state.book.connections[relay]?.client, state.book.revocations)
        }
        if admitted != nil, let client { return .grant(address, preface: preface(naming: client, to: target)) }
        guard let client else { return .refuse(TunnelRefusal.shuttingDown.response) }
        let question = Question(relay: relay, client: client, target: target, address: address, askedAt: askedAt)
        guard case .enqueued = self.asking.yield(question) else { return .refuse(TunnelRefusal.shuttingDown.response) }
        return .pending
    }

    /// Asks the authorizer the questions `decide` leaves pending, each in a task of its own, until `stopAsking()`;
    /// returns once every answer is in.
    func askQuestions() async {
        await withDiscardingTaskGroup { group in
            for await question in self.questions {
                group.addTask { await self.ask(question) }
            }
        }
    }

    /// Ends `askQuestions()` once the questions asked so far are answered; later requests are refused (503).
    func stopAsking() {
        self.asking.finish()
    }

    /// Asks the authorizer about a request the book could not grant, and grants or refuses it.
    private func ask(_ question: Question) async {
        let (relay, client, target, address) = (question.relay, question.client, question.target, question.address)
        var askedAt = question.askedAt
        for _ in 0..<5 {
            let sessionID: String
            do {
                sessionID = try await self.authorizer.authorize(clientAddress: client, target: target)
            } catch let refusal as TunnelRefusal {
                return self.refuseLater(relay, refusal, client: client, why: "no live session of this client has endpoint \(target)")
            } catch {
                return self.refuseLater(relay, .internalError, client: client, why: "authorizer failed: \(error)")
            }
            let now = ContinuousClock.now
            let (answer, revocations) = self.state.withLock { state in
                let answer = state.book.granted(relay, to: target, sessionID: sessionID, askedAt: askedAt, now: now)
                if answer == .open { state.relays?.grant(relay, to: address, preface: preface(naming: client, to: target)) }
                return (answer, state.book.revocations)
            }
            guard answer == .askAgain else { return }
            askedAt = revocations
        }
        self.refuseLater(relay, .shuttingDown, client: client, why: "sessions kept ending while it was authorized")
    }

    /// The line naming `client` that `target` is sent first, when it is one that wants it; else nothing.
    private func preface(naming client: String, to target: ConnectTarget) -> [UInt8] {
        clientNamingTargets.contains(target) ? ClientPreface.line(client: client, port: target.port) : []
    }

    private func refuse(_ relay: UInt64, _ refusal: TunnelRefusal, why: String) -> SpliceRelays.Verdict {
        let client = self.state.withLock { $0.book.connections[relay]?.client } ?? "unknown"
        self.logRefusal(refusal, client: client, why: why)
        return .refuse(refusal.response)
    }

    private func refuseLater(_ relay: UInt64, _ refusal: TunnelRefusal, client: String, why: String) {
        self.logRefusal(refusal, client: client, why: why)
        self.state.withLock { $0.relays?.refuse(relay, with: refusal.response) }
    }

    private func logRefusal(_ refusal: TunnelRefusal, client: String, why: String) {
        self.logger.notice("tunnel refused", metadata: ["client": "\(client)", "status": "\(refusal.status)", "why": "\(why)"])
    }

    func relay(_ relay: UInt64, did event: SpliceRelays.Event) {
        guard event.isFinal else {
            self.metrics.opened.increment()
            guard self.logger.logLevel <= .info else { return }
            let connection = self.state.withLock { $0.book.connections[relay] }
            self.logger.info(
                "tunnel opened",
                metadata: [
                    "client": "\(connection?.client ?? "unknown")", "target": "\(connection?.target?.description ?? "")",
                    "session": "\(connection?.sessionID ?? "")",
                ])
            return
        }
        let (connection, waiters) = self.state.withLock { state in
            (state.book.ended(relay), state.waiters.removeValue(forKey: relay) ?? [])
        }
        switch event {
        case .failed(let code) where connection?.target != nil && code != ECANCELED:
            self.logRefusal(
                .unreachable, client: connection?.client ?? "unknown",
                why: "connecting to \(connection?.target?.description ?? "") failed: \(Self.describe(code))")
        case .closed(let code, let up, let down, _):
            self.metrics.toDesktop.increment(by: Int(clamping: up))
            self.metrics.toClient.increment(by: Int(clamping: down))
            self.logger.debug(
                "tunnel closed",
                metadata: ["client": "\(connection?.client ?? "unknown")", "errno": "\(code)", "up": "\(up)", "down": "\(down)"])
        default:
            break
        }
        for waiter in waiters { waiter() }
    }

    private static func describe(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(validatingCString: text) ?? "error \(code)"
    }

    /// Revokes the session's grants and closes its tunnels; returns, once they are closed, how many there were.
    func closeTunnels(ofSession sessionID: String) async -> Int {
        await self.close { $0.revoke(sessionID: sessionID) }
    }

    /// Forgets the session's grants (its client moved), leaving its tunnels open.
    func forgetGrants(ofSession sessionID: String) {
        self.state.withLock { _ = $0.book.revoke(sessionID: sessionID) }
    }

    /// Takes no more connections and closes every one; returns, once they are closed, how many there were.
    func closeAll() async -> Int {
        await self.close { $0.shut() }
    }

    /// Tunnels granted and not yet closed.
    var tunnelCount: Int {
        self.state.withLock { $0.book.tunnelCount }
    }

    /// Picks relays under the lock, closes them and waits for each to end.
    private func close(_ pick: (inout TunnelBook) -> [UInt64]) async -> Int {
        await withCheckedContinuation { (continuation: CheckedContinuation<Int, Never>) in
            let countdown = Countdown()
            self.state.withLock { state in
                let ids = pick(&state.book)
                countdown.start(ids.count) { continuation.resume(returning: ids.count) }
                for id in ids {
                    state.waiters[id, default: []].append(countdown.tick)
                    state.relays?.close(id)
                }
            }
        }
    }
}

/// Calls its action once it was ticked as often as started with (at once for zero).
private final class Countdown: Sendable {
    private let state = Mutex<(remaining: Int, action: (@Sendable () -> Void)?)>((0, nil))

    func start(_ count: Int, then action: @escaping @Sendable () -> Void) {
        if count == 0 { return action() }
        self.state.withLock { $0 = (count, action) }
    }

    @Sendable func tick() {
        let action: (@Sendable () -> Void)? = self.state.withLock { state in
            state.remaining -= 1
            guard state.remaining == 0 else { return nil }
            defer { state.action = nil }
            return state.action
        }
        action?()
    }
}
