internal import CLibvirt

/// An error reported by libvirt, or by this module when it refuses an input before calling libvirt.
///
/// `code` and `domain` are libvirt's `virErrorNumber` and `virErrorDomain` values, so callers can match
/// on them without importing the C module; `message` is libvirt's own human-readable text.
public struct LibvirtError: Error, CustomStringConvertible, Sendable {
    /// libvirt's error number (`virErrorNumber`), e.g. 42 for "domain not found".
    public let code: Int32
    /// libvirt's error domain (`virErrorDomain`): which subsystem raised the error; 0 when raised by this module.
    public let domain: Int32
    /// The message libvirt gave for the error, or this module's explanation for a refused input.
    public let message: String

    /// Creates an error from its parts; useful for test doubles that mimic libvirt failures.
    public init(code: Int32, domain: Int32, message: String) {
        self.code = code
        self.domain = domain
        self.message = message
    }

    /// True when libvirt said the domain does not exist (`VIR_ERR_NO_DOMAIN`).
    public var isNotFound: Bool { code == Int32(bitPattern: VIR_ERR_NO_DOMAIN.rawValue) }

    /// Whether the connection itself failed (daemon gone or restarted, socket closed), so the call may work on a
    /// new connection.
    public var isConnectionLost: Bool {
        let lost = [VIR_ERR_INVALID_CONN, VIR_ERR_SYSTEM_ERROR, VIR_ERR_RPC, VIR_ERR_NO_CONNECT]
            .map { Int32(bitPattern: $0.rawValue) }.contains(code)
        // With the event loop running, libvirt notices a closed daemon socket first and then answers every call
        // with an internal error of its RPC layer ("client socket is closed").
        let closedSocket = code == Int32(bitPattern: VIR_ERR_INTERNAL_ERROR.rawValue)
            && domain == Int32(bitPattern: VIR_FROM_RPC.rawValue)
        return lost || closedSocket
    }

    /// The message, prefixed with the numeric code so logs stay searchable.
    public var description: String { "libvirt error \(code) (domain \(domain)): \(message)" }
}

extension LibvirtError {
    /// An input this module refused before calling libvirt (`VIR_ERR_INVALID_ARG`).
    static func invalidArgument(_ message: String) -> LibvirtError {
        LibvirtError(code: Int32(bitPattern: VIR_ERR_INVALID_ARG.rawValue), domain: 0, message: message)
    }

    /// XML that could not be parsed or lacks an element we need (`VIR_ERR_XML_ERROR`).
    static func xml(_ message: String) -> LibvirtError {
        LibvirtError(code: Int32(bitPattern: VIR_ERR_XML_ERROR.rawValue), domain: 0, message: message)
    }

    /// A call made after `close()` (`VIR_ERR_INVALID_CONN`).
    static let closed = LibvirtError(
        code: Int32(bitPattern: VIR_ERR_INVALID_CONN.rawValue), domain: 0, message: "connection is closed")

    /// The error libvirt recorded for the calling thread, read right after a failed call.
    ///
    /// libvirt keeps the last error per thread, so this must run on the thread that made the failing call.
    static func last(connection: OpaquePointer? = nil, operation: String) -> LibvirtError {
        let pointer = virGetLastError() ?? connection.flatMap { virConnGetLastError($0) }
        guard let error = pointer?.pointee else {
            return LibvirtError(
                code: Int32(bitPattern: VIR_ERR_INTERNAL_ERROR.rawValue), domain: 0,
                message: "\(operation) failed without a libvirt error")
        }
        let message = error.message.map { String(cString: $0) } ?? "\(operation) failed"
        return LibvirtError(code: error.code, domain: error.domain, message: message)
    }
}
