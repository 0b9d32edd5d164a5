import Foundation
import Glibc
import Synchronization

/// The TCP endpoint every relay under test forwards to, standing in for a SPICE server. It listens on 127.0.0.1 and
/// lets the first byte of each connection choose what it does, so one port serves every measurement:
/// `S` streams bytes as fast as the connection takes them, `E` echoes, `I` reads and discards (an idle desktop). A
/// connection that starts with a SPICE link (from the SPICE gateway) is linked first, as a SPICE server would.
final class BenchTarget: Sendable {
    enum Mode: UInt8 {
        case source = 0x53  // "S"
        case echo = 0x45  // "E"
        case idle = 0x49  // "I"
    }

    /// The size of each write in source mode.
    static let chunkSize = 256 * 1024

    let port: Int
    private let listener: Int32
    private let idle = Atomic<Int>(0)

    /// Starts listening and accepting on a thread of its own.
    init() throws {
        (self.listener, self.port) = try LoopbackSocket.listen()
        let listener = self.listener
        BenchThread.start { [self] in self.acceptLoop(listener) }
    }

    /// Connections in idle mode right now: relays under test have connected through to the target.
    var idleConnections: Int { self.idle.load(ordering: .relaxed) }

    private func acceptLoop(_ listener: Int32) {
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR || errno == ECONNABORTED || errno == EMFILE { continue }
                return
            }
            LoopbackSocket.setNoDelay(fd)
            BenchThread.start(stackSize: 64 * 1024) { [self] in self.serve(fd) }
        }
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        var first: UInt8 = 0
        guard read(fd, &first, 1) == 1 else { return }
        if first == UInt8(ascii: "R") {  // `REDQ`: the SPICE gateway links this desktop before the mode byte
            let link = SpiceBenchLink.serveDesktopLink(fd, firstByte: first)
            guard link.linked else { return }
            if link.isMain {
                while read(fd, &first, 1) > 0 {}
                return
            }
            guard read(fd, &first, 1) == 1 else { return }
        }
        guard let mode = Mode(rawValue: first) else { return }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        switch mode {
        case .source:
            buffer.initializeMemory(as: UInt8.self, repeating: 0x5a)
            while LoopbackSocket.writeAll(fd, UnsafeRawBufferPointer(buffer)) {}
        case .echo:
            while true {
                let count = read(fd, buffer.baseAddress!, buffer.count)
                guard count > 0, LoopbackSocket.writeAll(fd, UnsafeRawBufferPointer(rebasing: buffer[0..<count])) else {
                    return
                }
            }
        case .idle:
            self.idle.add(1, ordering: .relaxed)
            while read(fd, buffer.baseAddress!, buffer.count) > 0 {}
            self.idle.subtract(1, ordering: .relaxed)
        }
    }
}

/// Detached OS threads with small stacks, for the target's connections and the load client's blocking sockets.
enum BenchThread {
    static func start(stackSize: Int = 256 * 1024, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.stackSize = stackSize
        thread.start()
    }

    /// Starts a thread counted in `running` until its body returns.
    static func start(countedIn running: SharedCount, _ body: @escaping @Sendable () -> Void) {
        running.add(1)
        Self.start {
            defer { running.add(-1) }
            body()
        }
    }

    /// Runs blocking work on a thread of its own and returns its result, keeping Swift's cooperative pool free.
    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Self.start(stackSize: 1 << 20) { continuation.resume(returning: body()) }
        }
    }
}
