import Glibc

/// A raw TCP client of a loopback server, for tests of how the server treats connections: it sends exactly the
/// bytes given (half a request head, a byte at a time) and notices when the server closes.
final class LoopbackClient {
    let descriptor: CInt

    struct Failure: Error, CustomStringConvertible {
        let call: String
        let code: Int32
        var description: String { "\(call): \(String(cString: strerror(code)))" }
    }

    /// Connects to `127.0.0.1:port` from `source` (another loopback address makes another client).
    init(port: Int, from source: String = "127.0.0.1") throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(call: "socket", code: errno) }
        self.descriptor = fd
        var local = sockaddr_in()
        local.sin_family = sa_family_t(AF_INET)
        local.sin_addr.s_addr = inet_addr(source)
        var remote = sockaddr_in()
        remote.sin_family = sa_family_t(AF_INET)
        remote.sin_addr.s_addr = inet_addr("127.0.0.1")
        remote.sin_port = UInt16(port).bigEndian
        let size = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &local) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, size) } }
        guard bound == 0 else { throw Failure(call: "bind \(source)", code: errno) }
        let connected = withUnsafePointer(to: &remote) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, size) }
        }
        guard connected == 0 else { throw Failure(call: "connect", code: errno) }
    }

    deinit { close(self.descriptor) }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        let sent = bytes.withUnsafeBytes { Glibc.send(self.descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == bytes.count else { throw Failure(call: "send", code: errno) }
    }

    /// Waits up to `timeout` for bytes or the end; returns what arrived (empty at the end), nil when nothing did.
    /// It polls without blocking and sleeps between polls, so the server's tasks keep the test's threads.
    func receive(within timeout: Duration) async -> [UInt8]? {
        let deadline = ContinuousClock.now + timeout
        while true {
            var poller = pollfd(fd: self.descriptor, events: Int16(POLLIN), revents: 0)
            if poll(&poller, 1, 0) == 1 {
                var buffer = [UInt8](repeating: 0, count: 4096)
                let count = recv(self.descriptor, &buffer, buffer.count, 0)
                return count > 0 ? Array(buffer[..<count]) : []
            }
            guard ContinuousClock.now < deadline else { return nil }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Whether the server closed the connection by `deadline` (bytes it sent first are read past).
    func isClosed(by deadline: ContinuousClock.Instant) async -> Bool {
        while true {
            guard let bytes = await self.receive(within: max(deadline - .now, .zero)) else { return false }
            if bytes.isEmpty { return true }
        }
    }

    /// The response to a request sent before: its head's status line, once the head has come; nil when none came
    /// by `deadline`.
    func statusLine(by deadline: ContinuousClock.Instant) async -> String? {
        var received: [UInt8] = []
        while !String(decoding: received, as: UTF8.self).contains("\r\n\r\n") {
            guard let bytes = await self.receive(within: max(deadline - .now, .zero)), !bytes.isEmpty else { return nil }
            received += bytes
        }
        return String(decoding: received, as: UTF8.self).split(separator: "\r\n").first.map(String.init)
    }
}
