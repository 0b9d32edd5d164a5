import Foundation
import SaffronApp
import Testing

/// The `firewall` section as an admin writes it: each backend by name, and clear errors for what cannot work.
@Suite struct FirewallConfigTests {
    /// Writes `firewall` (JSON object members) into a config file of its own and loads it.
    static func load(firewall: String, environment: [String: String] = [:]) throws -> SaffronConfig {
        try ConfigFile.load(#""firewall": {"# + firewall + "}", environment: environment)
    }

    @Test func eachBackendLoadsAndNftablesHasItsOwnTable() throws {
        #expect(try Self.load(firewall: #""backend": "iptables""#).firewall.chain == "SAFFRON")
        let nft = try Self.load(firewall: #""backend": "nftables", "table": "vdi", "masquerade": true"#)
        #expect(nft.firewall.backend == "nftables" && nft.firewall.table == "vdi" && nft.firewall.masquerade)
        #expect(try Self.load(firewall: #""backend": "nftables""#).firewall.table == "saffron")
        #expect(try Self.load(firewall: "", environment: ["SAFFRON_FIREWALL_BACKEND": "nftables"]).firewall.backend == "nftables")
    }

    @Test func whatCannotWorkIsRefusedNamingTheKey() throws {
        for (firewall, words) in [
            (#""backend": "pf""#, "firewall.backend must be"),
            (#""backend": "nftables", "table": "my-table""#, "invalid nftables table name"),
            (#""backend": "iptables", "chain": "1SAFFRON""#, "invalid chain name"),
            (#""tabel": "saffron""#, "unknown key \"firewall.tabel\""),
        ] {
            let error = #expect(throws: ConfigError.self, "\(firewall)") { try Self.load(firewall: firewall) }
            #expect(error?.message.contains(words) == true, "\(firewall): \(error?.message ?? "")")
        }
    }
}

/// A config file of its own, written from JSON object members besides the gateway's address, and loaded.
enum ConfigFile {
    static func load(_ sections: String, environment: [String: String] = [:]) throws -> SaffronConfig {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("saffron-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("saffron.json")
        try """
            {"gateway": {"publicAddress": "192.0.2.1"}, \(sections)}
            """.write(to: file, atomically: true, encoding: .utf8)
        return try SaffronConfig.load(path: file.path, environment: environment)
    }
}
