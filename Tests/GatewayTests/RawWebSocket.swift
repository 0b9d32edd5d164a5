import Foundation
import Glibc

/// A browser written out by hand over a blocking socket, for what a well-behaved client never does: frames split
/// byte by byte, unmasked or oversized frames, reserved bits, bytes sent with the upgrade request.
///
/// Every call blocks, so tests call it through `offThePool`, never on the cooperative threads that the gateway's
/// token redemption needs.
final class RawWebSocket: Sendable {
    let socket: BlockingSocket

    /// A frame as the server sent it.
    struct Frame: Equatable {
        var opcode: UInt8
        var payload: [UInt8]

        /// The Close frame's code, if it is one with a code.
        var closeCode: UInt16? {
            guard self.opcode == 0x8, self.payload.count >= 2 else { return nil }
            return UInt16(self.payload[0]) << 8 | UInt16(self.payload[1])
        }
    }

    private init(socket: BlockingSocket) {
        self.socket = socket
    }

    /// Connects to the gateway, sends the upgrade request for `token` followed by `early`, and reads the 101.
    static func upgrade(port: Int, token: String, early: [UInt8] = []) throws -> RawWebSocket {
        let socket = try BlockingSocket.connected(to: port)
        let request =
            "GET /ws/\(token) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            + "Sec-WebSocket-Protocol: binary\r\nOrigin: http://127.0.0.1\r\n\r\n"
        try socket.send(Array(request.utf8) + early)
        var head: [UInt8] = []
        while !head.ends(with: Array("\r\n\r\n".utf8)) {
            let byte = try socket.receive(exactly: 1)
            guard !byte.isEmpty else { throw SocketFailure(call: "upgrade: connection closed", code: 0) }
            head += byte
        }
        let text = String(decoding: head, as: UTF8.self)
        guard text.hasPrefix("HTTP/1.1 101 "), text.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n")
        else { throw SocketFailure(call: "upgrade: \(text)", code: 0) }
        return RawWebSocket(socket: socket)
    }

    /// A client frame, masked unless told otherwise.
    static func frame(
        opcode: UInt8, _ payload: [UInt8], fin: Bool = true, masked: Bool = true, reserved: UInt8 = 0
    ) -> [UInt8] {
        var bytes: [UInt8] = [(fin ? 0x80 : 0) | reserved << 4 | opcode]
        let maskBit: UInt8 = masked ? 0x80 : 0
        if payload.count < 126 {
            bytes.append(maskBit | UInt8(payload.count))
        } else if payload.count <= 0xFFFF {
            bytes += [maskBit | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        } else {
            bytes.append(maskBit | 127)
            bytes += (0..<8).reversed().map { UInt8(truncatingIfNeeded: UInt64(payload.count) >> (8 * UInt64($0))) }
        }
        guard masked else { return bytes + payload }
        let mask: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]
        return bytes + mask + payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
    }

    func send(_ bytes: [UInt8]) throws {
        try self.socket.send(bytes)
    }

    /// The next frame from the server.
    func receiveFrame() throws -> Frame {
        let head = try self.socket.receive(exactly: 2)
        guard head.count == 2 else { throw SocketFailure(call: "frame: connection closed", code: 0) }
        var length = UInt64(head[1] & 0x7F)
        if length >= 126 {
            let extended = try self.socket.receive(exactly: length == 126 ? 2 : 8)
            length = extended.reduce(0) { $0 << 8 | UInt64($1) }
        }
        return Frame(opcode: head[0] & 0x0F, payload: try self.socket.receive(exactly: Int(length)))
    }

    /// Whether the server closed the connection (nothing more arrives).
    func receivesEnd() throws -> Bool {
        try self.socket.receive(exactly: 1).isEmpty
    }
}

/// Runs blocking work on a thread of its own and awaits it.
func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: [UInt8]) -> Bool {
        self.count >= suffix.count && Array(self[(self.count - suffix.count)...]) == suffix
    }
}
