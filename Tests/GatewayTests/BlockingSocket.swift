import Glibc

/// A plain loopback TCP socket for tests of code that takes descriptors: blocking calls with a receive timeout, so a
/// test that waits for bytes that never come fails instead of hanging.
final class BlockingSocket: Sendable {
    let descriptor: CInt

    init(descriptor: CInt) {
        self.descriptor = descriptor
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(self.descriptor) }

    /// A socket listening on 127.0.0.1 on a free port.
    static func listening() throws -> (socket: BlockingSocket, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw SocketFailure(call: "bind", code: errno) }
        return (BlockingSocket(descriptor: fd), Int(UInt16(bigEndian: address.sin_port)))
    }

    /// A socket connected to 127.0.0.1:`port`, from `source` (another loopback address poses as another client).
    static func connected(to port: Int, from source: String = "127.0.0.1") throws -> BlockingSocket {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var local = sockaddr_in()
        local.sin_family = sa_family_t(AF_INET)
        local.sin_addr.s_addr = inet_addr(source)
        let bound = withUnsafePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            close(fd)
            throw SocketFailure(call: "bind", code: errno)
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw SocketFailure(call: "connect", code: errno) }
        return BlockingSocket(descriptor: fd)
    }

    /// The next accepted connection's raw descriptor (the caller owns it).
    func acceptDescriptor() throws -> CInt {
        let fd = Glibc.accept(self.descriptor, nil, nil)
        guard fd >= 0 else { throw SocketFailure(call: "accept", code: errno) }
        return fd
    }

    func accept() throws -> BlockingSocket {
        BlockingSocket(descriptor: try self.acceptDescriptor())
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(self.descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw SocketFailure(call: "send", code: errno) }
            offset += sent
        }
    }

    /// Exactly `count` bytes; fewer only when the peer finished first.
    func receive(exactly count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let got = bytes[offset...].withUnsafeMutableBytes { recv(self.descriptor, $0.baseAddress, $0.count, 0) }
            if got == 0 { break }
            guard got > 0 else { throw SocketFailure(call: "recv", code: errno) }
            offset += got
        }
        return Array(bytes[..<offset])
    }

    /// Everything until the peer finishes sending.
    func receiveUntilEnd() throws -> [UInt8] {
        var all: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let got = buffer.withUnsafeMutableBytes { recv(self.descriptor, $0.baseAddress, $0.count, 0) }
            if got == 0 { return all }
            guard got > 0 else { throw SocketFailure(call: "recv", code: errno) }
            all += buffer[..<got]
        }
    }

    func finishSending() {
        shutdown(self.descriptor, Int32(SHUT_WR))
    }

    /// Bytes sent without blocking until the socket's buffers are full.
    func sendUntilFull(chunk: Int = 65536) -> Int {
        let flags = fcntl(self.descriptor, F_GETFL)
        _ = fcntl(self.descriptor, F_SETFL, flags | O_NONBLOCK)
        defer { _ = fcntl(self.descriptor, F_SETFL, flags) }
        let bytes = [UInt8](repeating: 7, count: chunk)
        var total = 0
        while true {
            let sent = bytes.withUnsafeBytes { Glibc.send(self.descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return total }
            total += sent
        }
    }
}

struct SocketFailure: Error {
    var call: String
    var code: Int32
}
