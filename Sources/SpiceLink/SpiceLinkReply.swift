/// `SpiceLinkReply`: the server's answer to a link message: an error, or its RSA public key and capabilities.
public struct SpiceLinkReply: Sendable, Equatable {
    /// `SPICE_TICKET_PUBKEY_BYTES`: a 1024-bit RSA key as SubjectPublicKeyInfo DER.
    public static let publicKeyBytes = 162
    /// Error, key, the capability counts and their offset.
    static let fixedSize = 4 + publicKeyBytes + 12

    /// nil: the link may go on.
    public var error: SpiceLinkError?
    /// DER SubjectPublicKeyInfo of the key the client encrypts its ticket with; zeros with an error.
    public var publicKey: [UInt8]
    public var commonCapabilities: [UInt32]
    public var channelCapabilities: [UInt32]

    public init(publicKey: [UInt8], commonCapabilities: [UInt32], channelCapabilities: [UInt32]) {
        self.error = nil
        self.publicKey = publicKey
        self.commonCapabilities = commonCapabilities
        self.channelCapabilities = channelCapabilities
    }

    /// A refusal, as spice-server sends one: the whole fixed part with the error and no capabilities.
    public init(refusing error: SpiceLinkError) {
        self.error = error
        publicKey = Array(repeating: 0, count: Self.publicKeyBytes)
        commonCapabilities = []
        channelCapabilities = []
    }

    /// Reads the reply that followed a header.
    public init(parsing body: ArraySlice<UInt8>) throws(SpiceLinkError) {
        guard body.count >= 4 else { throw .invalidData }
        let code = LinkWire.uint32(body, at: 0)
        if code != 0 {
            self.init(refusing: SpiceLinkError(rawValue: code) ?? .error)
            return
        }
        guard body.count >= Self.fixedSize else { throw .invalidData }
        let start = body.startIndex
        let commonCount = Int(LinkWire.uint32(body, at: 4 + Self.publicKeyBytes))
        let channelCount = Int(LinkWire.uint32(body, at: 8 + Self.publicKeyBytes))
        let offset = Int(LinkWire.uint32(body, at: 12 + Self.publicKeyBytes))
        let words = commonCount + channelCount
        guard commonCount <= SpiceLinkMessage.maximumCapabilityWords,
            channelCount <= SpiceLinkMessage.maximumCapabilityWords,
            words == 0 || (offset >= Self.fixedSize && offset + 4 * words <= body.count)
        else { throw .invalidData }
        let word = { (index: Int) in LinkWire.uint32(body, at: offset + 4 * index) }
        self.init(
            publicKey: Array(body[(start + 4)..<(start + 4 + Self.publicKeyBytes)]),
            commonCapabilities: (0..<commonCount).map(word), channelCapabilities: (commonCount..<words).map(word))
    }

    /// The header and the reply, capabilities right after the fixed part.
    public var bytes: [UInt8] {
        var body: [UInt8] = []
        LinkWire.append(error?.rawValue ?? 0, to: &body)
        body += publicKey
        LinkWire.append(UInt32(commonCapabilities.count), to: &body)
        LinkWire.append(UInt32(channelCapabilities.count), to: &body)
        LinkWire.append(UInt32(Self.fixedSize), to: &body)
        for word in commonCapabilities + channelCapabilities { LinkWire.append(word, to: &body) }
        return SpiceLinkHeader(bodySize: body.count).bytes + body
    }

    /// Whether the server offered `capability`.
    public func offers(_ capability: SpiceCommonCapability) -> Bool { capability.isSet(in: commonCapabilities) }

    /// The 4-byte link result that ends a link: 0 when the ticket was taken, else the error.
    public static func result(_ error: SpiceLinkError?) -> [UInt8] {
        var bytes: [UInt8] = []
        LinkWire.append(error?.rawValue ?? 0, to: &bytes)
        return bytes
    }

    /// The error a 4-byte link result names; nil for success.
    public static func error(inResult bytes: [UInt8]) -> SpiceLinkError? {
        guard bytes.count == 4 else { return .invalidData }
        let code = LinkWire.uint32(bytes[...], at: 0)
        return code == 0 ? nil : SpiceLinkError(rawValue: code) ?? .error
    }
}
