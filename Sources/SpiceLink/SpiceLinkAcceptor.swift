/// The server's end of a client's SPICE link, free of I/O: it reads the client's link message, answers with its own
/// key, and reads the ticket the client encrypted with it. The gateway runs one per channel connection, so that the
/// ticket a client presents is the gateway's credential, not a desktop's password.
///
/// It offers ticket authentication only, never SASL (spice-gtk would choose SASL when offered), and the short message
/// header exactly when the client offers it, as spice-server does, so that the desktop linked later frames messages
/// as the client expects.
public struct SpiceLinkAcceptor: Sendable {
    /// What to do with the connection after some bytes came in.
    public enum Action: Equatable, Sendable {
        /// Send these bytes to the client (the reply with the key) and read on.
        case send([UInt8])
        /// The client linked this channel and presented this ticket: check it and link the desktop.
        case authenticate(SpiceLinkMessage, ticket: [UInt8])
        /// Send these bytes (the refusal) and close: the link went wrong before any desktop was involved.
        case refuse([UInt8], SpiceLinkError)
    }

    private enum Stage: Sendable {
        case header
        case message(size: Int)
        case mechanism(SpiceLinkMessage)
        case ticket(SpiceLinkMessage)
        case done
        /// Refused: whatever else comes is dropped.
        case closed
    }

    private let key: SpiceTicketKey
    private let channelCapabilities: @Sendable (SpiceLinkMessage) -> [UInt32]
    private var stage = Stage.header
    private var buffer = LinkBuffer()

    /// - Parameters:
    ///   - key: the key the reply hands out; the ticket must be encrypted with it.
    ///   - channelCapabilities: the channel capabilities to offer a client linking a channel: the desktop's, where the
    ///     caller knows them.
    public init(key: SpiceTicketKey, channelCapabilities: @escaping @Sendable (SpiceLinkMessage) -> [UInt32] = { _ in [] }) {
        self.key = key
        self.channelCapabilities = channelCapabilities
    }

    /// Takes bytes from the client and says what to do; bytes after the ticket are an error (the client waits for the
    /// link result before it sends anything else).
    public mutating func receive(_ bytes: some Sequence<UInt8>) -> [Action] {
        buffer.bytes.append(contentsOf: bytes)
        var actions: [Action] = []
        while let action = step() {
            actions.append(action)
            if case .refuse = action { break }
            if case .authenticate = action { break }
        }
        return actions
    }

    /// The next action the buffered bytes allow, or nil until more come.
    private mutating func step() -> Action? {
        switch stage {
        case .header:
            guard let bytes = buffer.take(SpiceLinkHeader.size) else { return nil }
            do {
                let header = try SpiceLinkHeader(parsing: bytes[...])
                guard header.bodySize >= SpiceLinkMessage.fixedSize else { return refuseLink(.invalidData) }
                stage = .message(size: header.bodySize)
                return step()
            } catch {
                return refuseLink(error)
            }
        case .message(let size):
            guard let bytes = buffer.take(size) else { return nil }
            do {
                let message = try SpiceLinkMessage(parsing: bytes[...])
                let selects = message.offers(.authSelection)
                stage = selects ? .mechanism(message) : .ticket(message)
                let common: [SpiceCommonCapability] = [.authSelection, .authSpice] + (message.offers(.miniHeader) ? [.miniHeader] : [])
                let reply = SpiceLinkReply(
                    publicKey: key.publicKeyDER, commonCapabilities: SpiceCommonCapability.words(common),
                    channelCapabilities: channelCapabilities(message))
                return .send(reply.bytes)
            } catch {
                return refuseLink(error)
            }
        case .mechanism(let message):
            guard let bytes = buffer.take(4) else { return nil }
            guard LinkWire.uint32(bytes[...], at: 0) == UInt32(SpiceCommonCapability.authSpice.rawValue) else {
                return refuseTicket(.invalidData)
            }
            stage = .ticket(message)
            return step()
        case .ticket(let message):
            guard let bytes = buffer.take(SpiceTicketKey.encryptedTicketBytes) else { return nil }
            guard buffer.bytes.isEmpty else { return refuseTicket(.invalidData) }
            do {
                let ticket = try key.ticket(decrypting: bytes)
                stage = .done
                return .authenticate(message, ticket: ticket)
            } catch {
                return refuseTicket(error)
            }
        case .done:
            return buffer.bytes.isEmpty ? nil : refuseTicket(.invalidData)
        case .closed:
            buffer.bytes = []
            return nil
        }
    }

    /// A refusal before the reply: a reply carrying the error.
    private mutating func refuseLink(_ error: SpiceLinkError) -> Action {
        stage = .closed
        buffer.bytes = []
        return .refuse(SpiceLinkReply(refusing: error).bytes, error)
    }

    /// A refusal after the reply: the link result.
    private mutating func refuseTicket(_ error: SpiceLinkError) -> Action {
        stage = .closed
        buffer.bytes = []
        return .refuse(SpiceLinkReply.result(error), error)
    }
}
