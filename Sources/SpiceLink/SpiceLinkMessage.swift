/// `SpiceLinkMess`: what a client asks for when it links a channel: which session (`connectionID`, 0 for a new one),
/// which channel, and its capabilities.
public struct SpiceLinkMessage: Sendable, Equatable {
    /// The fixed part: connection id, channel type and id, the two capability counts and their offset.
    static let fixedSize = 18
    /// More capability words than any client sends (spice-gtk sends one or two of each).
    public static let maximumCapabilityWords = 1024

    /// The session the channel joins: 0 for a main channel starting one, else the id the main channel was given.
    public var connectionID: UInt32
    public var channelType: UInt8
    public var channelID: UInt8
    /// Capability bits common to every channel (`SPICE_COMMON_CAP_*`), 32 to a word.
    public var commonCapabilities: [UInt32]
    /// Capability bits of this channel's type.
    public var channelCapabilities: [UInt32]

    public init(
        connectionID: UInt32, channelType: UInt8, channelID: UInt8, commonCapabilities: [UInt32],
        channelCapabilities: [UInt32]
    ) {
        self.connectionID = connectionID
        self.channelType = channelType
        self.channelID = channelID
        self.commonCapabilities = commonCapabilities
        self.channelCapabilities = channelCapabilities
    }

    /// Reads the message that followed a header, strictly: capability counts over the maximum, or capabilities that
    /// lie outside the message or overlap its fixed part, are refused as spice-server refuses them.
    public init(parsing body: ArraySlice<UInt8>) throws(SpiceLinkError) {
        guard body.count >= Self.fixedSize else { throw .invalidData }
        connectionID = LinkWire.uint32(body, at: 0)
        channelType = body[body.startIndex + 4]
        channelID = body[body.startIndex + 5]
        let commonCount = Int(LinkWire.uint32(body, at: 6))
        let channelCount = Int(LinkWire.uint32(body, at: 10))
        let offset = Int(LinkWire.uint32(body, at: 14))
        guard commonCount <= Self.maximumCapabilityWords, channelCount <= Self.maximumCapabilityWords else {
            throw .invalidData
        }
        let words = commonCount + channelCount
        if words > 0 {
            guard offset >= Self.fixedSize, offset + 4 * words <= body.count else { throw .invalidData }
        }
        let word = { (index: Int) in LinkWire.uint32(body, at: offset + 4 * index) }
        commonCapabilities = (0..<commonCount).map(word)
        channelCapabilities = (commonCount..<words).map(word)
    }

    /// The header and the message, capabilities right after the fixed part.
    public var bytes: [UInt8] {
        var body: [UInt8] = []
        LinkWire.append(connectionID, to: &body)
        body += [channelType, channelID]
        LinkWire.append(UInt32(commonCapabilities.count), to: &body)
        LinkWire.append(UInt32(channelCapabilities.count), to: &body)
        LinkWire.append(UInt32(Self.fixedSize), to: &body)
        for word in commonCapabilities + channelCapabilities { LinkWire.append(word, to: &body) }
        return SpiceLinkHeader(bodySize: body.count).bytes + body
    }

    /// What a client sends after a reply that offers auth selection, to choose a ticket (`SPICE_COMMON_CAP_AUTH_SPICE`).
    public static let ticketMechanism: [UInt8] = [1, 0, 0, 0]

    /// Whether the client offered `capability` (`SpiceCommonCapability`).
    public func offers(_ capability: SpiceCommonCapability) -> Bool { capability.isSet(in: commonCapabilities) }

    /// The message with `capability` withdrawn, e.g. SASL before linking to a desktop the gateway authenticates to.
    public func withdrawing(_ capability: SpiceCommonCapability) -> SpiceLinkMessage {
        var message = self
        message.commonCapabilities = capability.cleared(in: commonCapabilities)
        return message
    }
}

/// `SPICE_COMMON_CAP_*`: what both ends of any channel may support.
public enum SpiceCommonCapability: Int, Sendable {
    /// The client names the authentication it uses before authenticating.
    case authSelection = 0
    /// A ticket encrypted with the server's RSA key.
    case authSpice = 1
    case authSASL = 2
    /// Messages with the short header.
    case miniHeader = 3

    func isSet(in words: [UInt32]) -> Bool {
        let word = rawValue / 32
        return word < words.count && words[word] & (1 << UInt32(rawValue % 32)) != 0
    }

    func cleared(in words: [UInt32]) -> [UInt32] {
        guard rawValue / 32 < words.count else { return words }
        var words = words
        words[rawValue / 32] &= ~(1 << UInt32(rawValue % 32))
        return words
    }

    /// Capability words with exactly these bits set.
    public static func words(_ capabilities: [SpiceCommonCapability]) -> [UInt32] {
        var words: [UInt32] = []
        for capability in capabilities {
            let word = capability.rawValue / 32
            while words.count <= word { words.append(0) }
            words[word] |= 1 << UInt32(capability.rawValue % 32)
        }
        return words
    }
}
