internal import CLibvirt
import Dispatch

/// One connection to a libvirt driver (for example `qemu:///system`).
///
/// Every blocking libvirt call runs on a private serial `DispatchQueue`, never on the caller's thread (which may be
/// a NIO event loop), and is exposed as `async`. Calls on one connection run one at a time, in submission order.
///
/// The class itself is plainly `Sendable`: its stored properties are immutable and the only mutable state, the
/// C pointer, lives in `Handle` (see there).
public final class LibvirtConnection: Sendable {
    /// The URI this connection was opened with.
    public let uri: String
    private let queue: DispatchQueue
    private let handle: Handle

    /// Holder of the C connection pointer.
    ///
    /// `@unchecked Sendable` is safe because `pointer` is read and written only by blocks running on the
    /// connection's serial `queue`; the handle is merely carried across threads, never dereferenced elsewhere.
    private final class Handle: @unchecked Sendable {
        var pointer: OpaquePointer?
        init(_ pointer: OpaquePointer) { self.pointer = pointer }
    }

    private init(uri: String, queue: DispatchQueue, pointer: OpaquePointer) {
        self.uri = uri
        self.queue = queue
        self.handle = Handle(pointer)
    }

    /// Opens a read-write connection to `uri` (`virConnectOpen`).
    public static func open(_ uri: String) async throws -> LibvirtConnection {
        let queue = DispatchQueue(label: "saffron.libvirt.\(uri)")
        let pointer = try await withCheckedThrowingContinuation {
            (continuation: CheckedContinuation<SendablePointer, any Error>) in
            queue.async {
                continuation.resume(with: Result {
                    try LibvirtRuntime.ensureInitialized()
                    try LibvirtEventLoop.ensureRunning()
                    virResetLastError()
                    guard let pointer = virConnectOpen(uri) else {
                        throw LibvirtError.last(operation: "virConnectOpen(\(uri))")
                    }
                    return SendablePointer(pointer)
                })
            }
        }
        return LibvirtConnection(uri: uri, queue: queue, pointer: pointer.pointer)
    }

    /// Whether the connection still works (`virConnectIsAlive`): false once the daemon behind it went away.
    public func isAlive() async -> Bool {
        (try? await self.perform { pointer in virConnectIsAlive(pointer) == 1 }) ?? false
    }

    /// Closes the connection; later calls throw. Safe to call more than once; does not block.
    public func close() {
        let handle = self.handle
        queue.async { Self.close(handle) }
    }

    deinit {
        let handle = self.handle
        queue.async { Self.close(handle) }
    }

    private static func close(_ handle: Handle) {
        guard let pointer = handle.pointer else { return }
        handle.pointer = nil
        virConnectClose(pointer)
    }

    /// Runs `body` on the connection's queue with the connection pointer when it is still open, without waiting.
    func performDetached(_ body: @escaping @Sendable (OpaquePointer) -> Void) {
        let handle = self.handle
        queue.async {
            guard let pointer = handle.pointer else { return }
            body(pointer)
        }
    }

    /// Runs `body` on the connection's queue with the connection pointer, after clearing libvirt's thread error.
    ///
    /// `body` must read errors with `LibvirtError.last` before returning, on the same thread.
    func perform<T: Sendable>(_ body: @escaping @Sendable (OpaquePointer) throws -> T) async throws -> T {
        let handle = self.handle
        return try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result {
                    guard let pointer = handle.pointer else { throw LibvirtError.closed }
                    virResetLastError()
                    return try body(pointer)
                })
            }
        }
    }
}

/// A C pointer passed from the queue back to the opener once; it is not used concurrently.
private struct SendablePointer: @unchecked Sendable {
    let pointer: OpaquePointer
    init(_ pointer: OpaquePointer) { self.pointer = pointer }
}
