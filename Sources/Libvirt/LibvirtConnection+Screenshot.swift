internal import CLibvirt
import Foundation

extension LibvirtConnection {
    /// The most bytes a screenshot may have; a larger one is refused rather than held in memory.
    public static let screenshotByteLimit = 64 << 20

    /// What the running domain's screen `screen` shows now (`virDomainScreenshot` over a libvirt stream).
    ///
    /// The stream is read to its end on the connection's queue and finished; on any failure it is aborted. The QEMU
    /// driver refuses a domain that is not running (`VIR_ERR_OPERATION_INVALID`); the test driver answers anyway, so
    /// callers that care check the state first.
    public func screenshot(ofDomain name: String, screen: UInt32 = 0) async throws -> DomainScreenshot {
        try await perform { connection in
            try Self.withDomain(name, on: connection) { domain in
                guard let stream = virStreamNew(connection, 0) else {
                    throw LibvirtError.last(connection: connection, operation: "virStreamNew")
                }
                defer { virStreamFree(stream) }
                guard let type = virDomainScreenshot(domain, stream, screen, 0) else {
                    let error = LibvirtError.last(connection: connection, operation: "virDomainScreenshot(\(name))")
                    virStreamAbort(stream)
                    throw error
                }
                let mimeType = String(cString: type)
                free(type)
                do {
                    let bytes = try Self.receiveAll(from: stream, on: connection)
                    guard virStreamFinish(stream) == 0 else {
                        throw LibvirtError.last(connection: connection, operation: "virStreamFinish")
                    }
                    return DomainScreenshot(mimeType: mimeType, bytes: bytes)
                } catch {
                    virStreamAbort(stream)
                    throw error
                }
            }
        }
    }

    /// Reads a blocking stream until libvirt says it ended (`virStreamRecv` answers 0).
    private static func receiveAll(from stream: OpaquePointer, on connection: OpaquePointer) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [CChar](repeating: 0, count: 256 << 10)
        while true {
            let count = chunk.withUnsafeMutableBufferPointer { buffer in
                virStreamRecv(stream, buffer.baseAddress, buffer.count)
            }
            if count == 0 { return bytes }
            guard count > 0 else { throw LibvirtError.last(connection: connection, operation: "virStreamRecv") }
            guard bytes.count + Int(count) <= screenshotByteLimit else {
                throw LibvirtError.invalidArgument("the screenshot is over \(screenshotByteLimit) bytes")
            }
            chunk.withUnsafeBufferPointer { buffer in
                buffer.baseAddress!.withMemoryRebound(to: UInt8.self, capacity: Int(count)) { start in
                    bytes.append(contentsOf: UnsafeBufferPointer(start: start, count: Int(count)))
                }
            }
        }
    }
}
