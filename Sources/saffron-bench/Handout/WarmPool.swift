import Foundation
import Libvirt

/// VMs that are already running, so handout measures the broker and the firewall rather than boots.
struct WarmPool: Sendable {
    /// The connection the pool's domains live on (the test driver keeps domains per connection).
    let connection: LibvirtConnection
    let domains: [String]
    let defined: Bool

    var connect: String { connection.uri }

    static func make(connect: String, count: Int) async throws -> WarmPool {
        let connection = try await LibvirtConnection.open(connect)
        if connect.hasPrefix("test:") {
            var names: [String] = []
            for index in 0..<count {
                let name = "bench-\(index)"
                _ = try await connection.define(xml: """
                    <domain type='test'><name>\(name)</name><memory>65536</memory>
                    <os><type>hvm</type></os>
                    <devices><graphics type='spice' port='\(5900 + index)' autoport='no' listen='192.0.2.10'/></devices></domain>
                    """)
                try await connection.lockSpicePassword(ofDomain: name)
                try await connection.start(named: name)
                names.append(name)
            }
            return WarmPool(connection: connection, domains: names, defined: true)
        }
        let running = try await connection.domains().filter { $0.state == .running }.map(\.name)
        return WarmPool(connection: connection, domains: Array(running.prefix(count)), defined: false)
    }

    func tearDown() async throws {
        defer { connection.close() }
        guard defined else { return }
        for name in domains {
            try? await connection.destroy(named: name)
            try? await connection.undefine(named: name)
        }
    }
}
