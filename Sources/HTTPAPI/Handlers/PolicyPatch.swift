import Broker
import Store

/// A change to a pool's policy as the API takes it: a field left out stays as it is, `null` turns a time limit off.
struct PolicyPatch: Decodable {
    static let keys: Set<String> = [
        "spares", "bootLimit", "spareLingerSeconds", "attachWindowSeconds", "disconnectGraceSeconds",
        "idleShutdownSeconds", "ticketValiditySeconds", "maxSessionsPerUser", "consoleRoute",
    ]

    private var edits: [(inout PoolPolicy) -> Void] = []

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        let unknown = container.allKeys.map(\.stringValue).filter { !Self.keys.contains($0) }
        guard unknown.isEmpty else {
            throw BrokerError.badRequest("Unknown policy field(s): \(unknown.sorted().joined(separator: ", ")).")
        }
        func number(_ name: String, _ set: @escaping (inout PoolPolicy, Int) -> Void) throws {
            if let value = try container.decodeIfPresent(Int.self, forKey: Key(name)) { edits.append { set(&$0, value) } }
        }
        /// Present: a number, or null for off.
        func limit(_ name: String, _ set: @escaping (inout PoolPolicy, Int?) -> Void) throws {
            let key = Key(name)
            guard container.contains(key) else { return }
            let value = try container.decodeNil(forKey: key) ? nil : try container.decode(Int.self, forKey: key)
            edits.append { set(&$0, value) }
        }
        try number("spares") { $0.spares = $1 }
        try number("bootLimit") { $0.bootLimit = $1 }
        try number("spareLingerSeconds") { $0.spareLingerSeconds = $1 }
        try limit("attachWindowSeconds") { $0.attachWindowSeconds = $1 }
        try limit("disconnectGraceSeconds") { $0.disconnectGraceSeconds = $1 }
        try limit("idleShutdownSeconds") { $0.idleShutdownSeconds = $1 }
        try limit("ticketValiditySeconds") { $0.ticketValiditySeconds = $1 }
        try number("maxSessionsPerUser") { $0.maxSessionsPerUser = $1 }
        if let route = try container.decodeIfPresent(ConsoleRoute.self, forKey: Key("consoleRoute")) {
            edits.append { $0.consoleRoute = route }
        }
    }

    /// Whether the patch changes nothing.
    var isEmpty: Bool { edits.isEmpty }

    func apply(to policy: inout PoolPolicy) {
        for edit in edits { edit(&policy) }
    }

    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
