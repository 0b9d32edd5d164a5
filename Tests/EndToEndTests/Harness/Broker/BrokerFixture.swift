import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The users every broker-driven test has: alice, and u0...u9 for the concurrency test.
enum TestUsers {
    static let alice = "alice"
    static let crowd = (0..<10).map { "u\($0)" }

    static func password(_ user: String) -> String { "pw-\(user)-e2e" }
}

/// The world of one broker-driven test, built fresh and torn down after it: namespaces, the three test domains
/// (shut off), a broker initialised with the users and the pool `office` holding the three domains, serving.
enum BrokerFixture {
    static let pool = "office"

    static func run(
        _ label: String, ticketValidity: Int = 60, firewall: String = "iptables", tls: Bool = false, spiceTLS: Bool = false,
        authMethods: [String] = ["local"], extraConfig: String = "", databaseURL: String? = nil,
        _ body: (BrokerUnderTest) throws -> Void
    ) throws {
        guard getuid() == 0 else { throw CommandError(description: "the end-to-end tests need root") }
        TestVMs.cleanup()
        try Topology.up()
        defer {
            TestVMs.cleanup()
            Topology.down()
        }
        try TestVMs.recreate()
        let broker = try BrokerUnderTest(
            label: label, ticketValidity: ticketValidity, firewall: firewall, tls: tls ? try TLSFolder.make(label) : nil,
            spiceTLS: spiceTLS ? try SpiceTLSBed.folder() : nil, authMethods: authMethods, extraConfig: extraConfig,
            databaseURL: databaseURL)
        defer { broker.stop() }
        try broker.cli(["init"])
        for user in [TestUsers.alice] + TestUsers.crowd {
            try broker.cli(["user", "add", user], input: TestUsers.password(user) + "\n")
        }
        try broker.cli(["pool", "create", pool, "--connect", TestVMs.connectURI])
        try broker.cli(["pool", "add-vm", pool] + TestVMs.names)
        try broker.start()
        try body(broker)
    }
}
