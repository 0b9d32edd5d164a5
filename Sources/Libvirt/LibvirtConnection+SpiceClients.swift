internal import CLibvirt
import Foundation

extension LibvirtConnection {
    /// The clients ("address:port", as graphics events name them) of the SPICE channels open on a running QEMU
    /// domain right now, asked of QEMU itself (`query-spice` through `virDomainQemuMonitorCommand`).
    ///
    /// Events tell only of changes; this tells who is attached when a watcher starts late (the broker restarted, the
    /// connection to libvirtd was lost). libvirt marks a domain so queried as tainted by a custom monitor command in its
    /// log; nothing else changes. Other drivers than QEMU refuse the call.
    public func spiceClients(ofDomain name: String) async throws -> [String] {
        let reply: String = try await perform { connection in
            try Self.withDomain(name, on: connection) { domain in
                var result: UnsafeMutablePointer<CChar>?
                guard virDomainQemuMonitorCommand(domain, #"{"execute":"query-spice"}"#, &result, 0) == 0, let result else {
                    throw LibvirtError.last(connection: connection, operation: "virDomainQemuMonitorCommand(query-spice)")
                }
                defer { free(result) }
                return String(cString: result)
            }
        }
        return try SpiceClientList.clients(inQuerySpiceReply: reply)
    }
}

/// Reading QEMU's `query-spice` reply.
enum SpiceClientList {
    /// "host:port" of every channel in the reply, in order, duplicates kept (one per channel).
    static func clients(inQuerySpiceReply reply: String) throws -> [String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(reply.utf8)) as? [String: Any],
            let answer = object["return"] as? [String: Any]
        else {
            throw LibvirtError.invalidArgument("QEMU's query-spice reply is not what it should be: \(reply.prefix(200))")
        }
        let channels = answer["channels"] as? [[String: Any]] ?? []
        return channels.compactMap { channel in
            guard let host = channel["host"] as? String else { return nil }
            let port = (channel["port"] as? String) ?? (channel["port"] as? Int).map(String.init) ?? ""
            return port.isEmpty ? host : "\(host):\(port)"
        }
    }
}
