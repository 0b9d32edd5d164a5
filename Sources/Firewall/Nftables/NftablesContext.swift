import CNftables
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// libnftables in this process: one `nft_ctx` on a thread of its own, optionally inside a network namespace.
///
/// Every command runs on that thread, one at a time, as one transaction (`nft -f` syntax): a change costs a netlink
/// round trip, not a process start. The thread enters the namespace (`setns`) before it creates the context, so
/// the context's netlink socket talks to that namespace's netfilter whichever thread asks.
final class NftablesContext: @unchecked Sendable {
    /// What a command printed: JSON when asked for.
    struct Output: Sendable {
        var text: String
    }

    private let condition = NSCondition()
    /// Work for the thread, oldest first; guarded by `condition`.
    private var jobs: [@Sendable (OpaquePointer) -> Void] = []

    /// Starts the thread and creates the context; throws when the namespace cannot be entered or libnftables
    /// cannot start. `networkNamespace` is a name under `/run/netns` (as `ip netns add` makes them).
    init(networkNamespace: String?) throws {
        let started = DispatchSemaphore(value: 0)
        let failure = LockedBox<FirewallError?>(nil)
        let thread = Thread { [condition] in
            if let networkNamespace, let problem = Self.enter(networkNamespace) {
                failure.value = problem
                started.signal()
                return
            }
            guard let context = nft_ctx_new(UInt32(NFT_CTX_DEFAULT)) else {
                failure.value = FirewallError("libnftables could not create a context")
                started.signal()
                return
            }
            nft_ctx_buffer_output(context)
            nft_ctx_buffer_error(context)
            started.signal()
            while true {
                condition.lock()
                while self.jobs.isEmpty { condition.wait() }
                let job = self.jobs.removeFirst()
                condition.unlock()
                job(context)
            }
        }
        thread.name = "saffron.nftables"
        thread.start()
        started.wait()
        if let problem = failure.value { throw problem }
    }

    /// Runs `commands` as one transaction; with `json`, listings come back as libnftables' JSON. Throws with
    /// nft's own error text when the transaction is refused (nothing of it is applied then).
    func run(_ commands: String, json: Bool = false) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            self.enqueue { context in
                let flags = nft_ctx_output_get_flags(context)
                let jsonFlag = UInt32(NFT_CTX_OUTPUT_JSON)
                let wanted = json ? flags | jsonFlag : flags & ~jsonFlag
                nft_ctx_output_set_flags(context, wanted)
                let status = nft_run_cmd_from_buffer(context, commands)
                let output = nft_ctx_get_output_buffer(context).map { String(cString: $0) } ?? ""
                let errors = nft_ctx_get_error_buffer(context).map { String(cString: $0) } ?? ""
                if status == 0 {
                    continuation.resume(returning: Output(text: output))
                } else {
                    continuation.resume(throwing: FirewallError("nft refused the change: \(errors.trimmed)"))
                }
            }
        }
    }

    private func enqueue(_ job: @escaping @Sendable (OpaquePointer) -> Void) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Moves the calling thread into the named network namespace; the problem, or nil.
    private static func enter(_ name: String) -> FirewallError? {
        let path = "/run/netns/\(name)"
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return FirewallError("cannot open network namespace \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        guard saffron_enter_network_namespace(descriptor) == 0 else {
            return FirewallError("cannot enter network namespace \(name): \(String(cString: strerror(errno)))")
        }
        return nil
    }
}

/// A value shared between the starting thread and `init`, read after the semaphore.
private final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
