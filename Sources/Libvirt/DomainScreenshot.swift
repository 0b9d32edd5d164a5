/// What a domain's screen showed at one moment, as the hypervisor encoded it.
///
/// QEMU sends a binary PPM (`image/x-portable-pixmap`) or, in newer versions, a PNG; libvirt's test driver sends a
/// PNG. The bytes are whatever libvirt streamed, unchanged.
public struct DomainScreenshot: Sendable, Equatable {
    /// The MIME type libvirt named, e.g. `image/x-portable-pixmap` or `image/png`.
    public let mimeType: String
    /// The encoded image.
    public let bytes: [UInt8]

    /// Creates a value; useful for test doubles of a hypervisor.
    public init(mimeType: String, bytes: [UInt8]) {
        self.mimeType = mimeType
        self.bytes = bytes
    }
}
