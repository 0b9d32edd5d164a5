/// The gateway's link to a desktop's SPICE server on a client's behalf, free of I/O: it replays the client's link
/// message without SASL, answers the server's key with the desktop's real ticket, and reads the server's verdict.
/// Paired with `SpiceLinkAcceptor`, the client never sees the desktop's ticket, and the desktop never sees the client's
/// credential.
public struct SpiceLinkConnector: Sendable {
    /// What to do after some bytes came from the server.
    public enum Action: Equatable, Sendable {
        /// The server offered its key: present the desktop's ticket (`present(ticket:)`), made now.
        case needTicket
        /// The server took the ticket: tell the client its link is OK, then relay both ways, starting with `following`
        /// (what the server sent right after its verdict).
        case linked(SpiceLinkReply, following: [UInt8])
        /// The server refused, or answered what is not SPICE: tell the client this error and close both.
        case failed(SpiceLinkError)
    }

    private enum Stage: Sendable {
        case header, reply(size: Int), ticket(SpiceLinkReply), result(SpiceLinkReply), done
        /// Failed: whatever else comes is dropped.
        case closed
    }

    /// The client's link message as the server gets it: SASL withdrawn, since the gateway presents a ticket.
    public let message: SpiceLinkMessage
    private var stage = Stage.header
    private var buffer = LinkBuffer()

    public init(linking message: SpiceLinkMessage) {
        self.message = message.withdrawing(.authSASL)
    }

    /// The bytes to send the server first.
    public var linkBytes: [UInt8] { message.bytes }

    /// Takes bytes from the server and says what to do; nothing until a whole step came.
    public mutating func receive(_ bytes: some Sequence<UInt8>) -> [Action] {
        buffer.bytes.append(contentsOf: bytes)
        guard let action = step() else { return [] }
        return [action]
    }

    /// The bytes that answer the server's key with `ticket` (the desktop's password): the mechanism where the link
    /// selects one (the client offered auth selection, and so did the server), then the ticket encrypted with its key.
    public mutating func present(ticket: [UInt8]) throws -> [UInt8] {
        guard case .ticket(let reply) = stage else { throw SpiceLinkError.error }
        stage = .result(reply)
        let encrypted = try SpiceTicketKey.encrypt(ticket, for: reply.publicKey)
        let selects = message.offers(.authSelection) && reply.offers(.authSelection)
        return (selects ? SpiceLinkMessage.ticketMechanism : []) + encrypted
    }

    private mutating func step() -> Action? {
        switch stage {
        case .header:
            guard let bytes = buffer.take(SpiceLinkHeader.size) else { return nil }
            do {
                stage = .reply(size: try SpiceLinkHeader(parsing: bytes[...]).bodySize)
                return step()
            } catch {
                return fail(error)
            }
        case .reply(let size):
            guard let bytes = buffer.take(size) else { return nil }
            do {
                let reply = try SpiceLinkReply(parsing: bytes[...])
                if let error = reply.error { return fail(error) }
                // The client was promised the short header if it offered it: the server must frame messages so too.
                guard reply.offers(.authSpice) || !reply.offers(.authSelection),
                    !message.offers(.miniHeader) || reply.offers(.miniHeader)
                else { return fail(.error) }
                stage = .ticket(reply)
                return .needTicket
            } catch {
                return fail(error)
            }
        case .ticket, .done:
            return buffer.bytes.isEmpty ? nil : fail(.invalidData)
        case .closed:
            buffer.bytes = []
            return nil
        case .result(let reply):
            guard let bytes = buffer.take(4) else { return nil }
            if let error = SpiceLinkReply.error(inResult: bytes) { return fail(error) }
            stage = .done
            defer { buffer.bytes = [] }
            return .linked(reply, following: buffer.bytes)
        }
    }

    private mutating func fail(_ error: SpiceLinkError) -> Action {
        stage = .closed
        buffer.bytes = []
        return .failed(error)
    }
}
