/// What a VM's screen showed at one moment, encoded as the hypervisor chose (see `Hypervisor.screenshot(of:)`).
public struct Screenshot: Sendable, Equatable {
    /// The image's MIME type, e.g. `image/x-portable-pixmap` (QEMU) or `image/png`.
    public var mimeType: String
    /// The encoded image.
    public var bytes: [UInt8]

    /// Creates a value; hypervisors and their test doubles make them.
    public init(mimeType: String, bytes: [UInt8]) {
        self.mimeType = mimeType
        self.bytes = bytes
    }
}
