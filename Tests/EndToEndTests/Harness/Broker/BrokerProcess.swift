import Foundation
import Glibc

/// A broker under test: config and database in a scratch folder, every `saffron` command run inside the gateway
/// namespace (so `serve` installs its iptables rules in the gateway's netfilter), its log kept as an artifact.
final class BrokerUnderTest {
    static let httpPort = 8080
    static let webSocketPort = 8081
    /// The CONNECT proxy's port on the gateway's public address.
    static let proxyPort = 3128
    /// The origin of the broker's own pages, the only one allowed to open browser consoles.
    static let portalOrigin = "http://\(Topology.gatewayPublicAddress):\(httpPort)"
    static let portRange = 20000...20009

    let config: URL
    let log: URL
    /// The `saffron tls init` files when the broker serves HTTPS and wss.
    let tls: TLSFolder?
    /// Where its API answers, from the client namespace.
    let apiBase: String
    /// The port of its WebSocket gateway.
    let webSocketPort: Int
    private var server: BackgroundProcess?

    private init(config: URL, log: URL, tls: TLSFolder?, apiBase: String, webSocketPort: Int) {
        self.config = config
        self.log = log
        self.tls = tls
        self.apiBase = apiBase
        self.webSocketPort = webSocketPort
    }

    /// Writes the config file; `ticketValidity` is `tickets.validitySeconds`, `firewall` is `firewall.backend`, `tls`
    /// the certificates for HTTPS and wss, `spiceTLS` the certificates of the hypervisor's SPICE TLS, `authMethods`
    /// `auth.methods`, `databaseURL` a PostgreSQL database instead of its own SQLite file.
    convenience init(
        label: String, ticketValidity: Int = 60, firewall: String = "iptables", tls: TLSFolder? = nil,
        spiceTLS: TLSFolder? = nil, authMethods: [String] = ["local"], extraConfig: String = "", databaseURL: String? = nil
    ) throws {
        let webSocketScheme = tls == nil ? "ws" : "wss"
        let origin = tls == nil ? Self.portalOrigin : "https://\(Topology.gatewayPublicAddress):\(Self.httpPort)"
        let tlsSection = tls.map { #""tls": {"certificate": "\#($0.serverCertificate)", "key": "\#($0.serverKey)"},"# } ?? ""
        let spiceSection = spiceTLS.map {
            #""spice": {"tlsCA": "\#($0.caCertificate)", "hostSubject": "\#(SpiceTLSBed.hostSubject)"},"#
        } ?? ""
        let directory = try Scratch.directory("broker-\(label)")
        let config = directory.appendingPathComponent("saffron.json")
        let log = E2E.artifact("broker-\(label).log")
        try? FileManager.default.removeItem(at: log)
        let database = databaseURL.map { #""url": "\#($0)""# }
            ?? #""path": "\#(directory.appendingPathComponent("saffron.sqlite").path)""#
        let text = """
            {
              "http": {"listen": "\(Topology.gatewayPublicAddress):\(Self.httpPort)"},
              "gateway": {"publicAddress": "\(Topology.gatewayPublicAddress)", \
            "portRange": "\(Self.portRange.lowerBound)-\(Self.portRange.upperBound)"},
              "websocket": {"listen": "\(Topology.gatewayPublicAddress):\(Self.webSocketPort)", \
            "publicURL": "\(webSocketScheme)://\(Topology.gatewayPublicAddress):\(Self.webSocketPort)", "allowedOrigins": ["\(origin)"]},
              \(tlsSection)\(spiceSection)\(extraConfig)
              "proxy": {"listen": "\(Topology.gatewayPublicAddress):\(Self.proxyPort)"},
              "web": {"root": "\(FileManager.default.currentDirectoryPath)/web", "spiceHTML5": "/usr/share/spice-html5"},
              "firewall": {"backend": "\(firewall)", "chain": "SAFFRON", "table": "saffron", "masquerade": true},
              "database": {\(database)},
              "tickets": {"validitySeconds": \(ticketValidity)},
              "auth": {"tokenLifetimeSeconds": 3600, "bcryptCost": 6, \
            "methods": [\(authMethods.map { "\"\($0)\"" }.joined(separator: ", "))], "pamService": "\(PAMBed.service)"}
            }

            """
        try text.write(to: config, atomically: true, encoding: .utf8)
        self.init(config: config, log: log, tls: tls, apiBase: API.base, webSocketPort: Self.webSocketPort)
    }

    /// Another broker on this one's PostgreSQL database, as a second machine would run it: node `label`, gateway
    /// address `publicAddress`, its API, gateway and proxy on this broker's listen address `portOffset` ports up, and
    /// no firewall of its own (in one namespace the first broker's rules are the only ones).
    func anotherNode(_ label: String, publicAddress: String, portOffset: Int = 100) throws -> BrokerUnderTest {
        guard var settings = try JSONSerialization.jsonObject(with: Data(contentsOf: config)) as? [String: Any] else {
            throw CommandError(description: "\(config.path) holds no JSON object")
        }
        let moved = { (port: Int) in "\(Topology.gatewayPublicAddress):\(port + portOffset)" }
        settings["http"] = ["listen": moved(Self.httpPort)]
        var webSocket = settings["websocket"] as? [String: Any] ?? [:]
        webSocket["listen"] = moved(Self.webSocketPort)
        settings["websocket"] = webSocket
        settings["proxy"] = ["listen": moved(Self.proxyPort)]
        var gateway = settings["gateway"] as? [String: Any] ?? [:]
        gateway["publicAddress"] = publicAddress
        settings["gateway"] = gateway
        settings["firewall"] = ["backend": "none"]
        settings["node"] = ["name": label]
        let directory = try Scratch.directory("broker-\(label)")
        let config = directory.appendingPathComponent("saffron.json")
        try JSONSerialization.data(withJSONObject: settings, options: [.prettyPrinted, .sortedKeys]).write(to: config)
        let log = E2E.artifact("broker-\(label).log")
        try? FileManager.default.removeItem(at: log)
        return BrokerUnderTest(
            config: config, log: log, tls: nil, apiBase: "http://\(moved(Self.httpPort))", webSocketPort: Self.webSocketPort + portOffset)
    }

    /// Points the config at the PostgreSQL database at `url` instead of its SQLite file (the broker reads it when
    /// it next starts).
    func useDatabase(url: String) throws {
        let text = try String(contentsOf: config, encoding: .utf8)
        guard let line = text.split(separator: "\n").first(where: { $0.contains("\"database\": {\"path\"") }) else {
            throw CommandError(description: "no database section in \(config.path)")
        }
        try text.replacingOccurrences(of: line, with: #"  "database": {"url": "\#(url)"},"#)
            .write(to: config, atomically: true, encoding: .utf8)
    }

    /// Runs `saffron ARGUMENTS --config CONFIG` in the gateway namespace; throws unless it exits 0.
    @discardableResult
    func cli(_ arguments: [String], input: String? = nil) throws -> CommandResult {
        try Command.check(
            Topology.inGateway([E2E.binary] + arguments + ["--config", config.path]),
            input: input.map { Data($0.utf8) }, timeout: 120)
    }

    /// Starts `saffron serve` and waits until its HTTP port answers from the client namespace.
    func start() throws {
        let process = try BackgroundProcess(
            Topology.inGateway([E2E.binary, "serve", "--config", config.path]), stdout: log, stderr: log)
        server = process
        print("E2E broker log: \(log.path)")
        try waitUntil("the broker's HTTP port \(apiBase) to answer", timeout: 60, interval: 0.3) {
            if let status = process.wait(timeout: 0) {
                throw CommandError(description: "saffron serve exited with \(status):\n\(logTail())")
            }
            if let tls {
                return try Command.run(Topology.inClient(tls.curl(["-o", "/dev/null", "\(tls.apiBase)/api/v1/pools"]))).status == 0
            }
            return try Command.run(Topology.inClient(
                ["curl", "-sS", "-o", "/dev/null", "--connect-timeout", "3", "--max-time", "3", "\(apiBase)/api/v1/pools"])).status == 0
        }
    }

    /// Stops `saffron serve` with SIGTERM (SIGKILL after 15 s); its exit status, nil when it was not running.
    @discardableResult
    func stop() -> Int32? {
        defer { server = nil }
        return server?.stop(grace: 15)
    }

    /// Kills `saffron serve` with SIGKILL, as a power cut or an OOM kill would, and waits for it to be gone.
    func kill() {
        guard let server else { return }
        _ = Glibc.kill(server.pid, SIGKILL)
        _ = server.wait(timeout: 10)
        self.server = nil
    }

    /// The ids of the sessions `saffron session list --json` prints.
    func sessionIDs() throws -> [String] {
        let output = try cli(["session", "list", "--json"]).stdout
        let listed = try JSONSerialization.jsonObject(with: output) as? [String: Any]
        guard let sessions = listed?["sessions"] as? [[String: Any]] else {
            throw CommandError(description: "session list --json printed no {\"sessions\": [...]}")
        }
        return sessions.compactMap { session in
            (session["id"] as? String) ?? (session["id"] as? Int).map(String.init)
        }
    }

    /// The pools `saffron pool list --json` prints.
    func pools() throws -> [[String: Any]] {
        let output = try cli(["pool", "list", "--json"]).stdout
        guard let pools = (try JSONSerialization.jsonObject(with: output) as? [String: Any])?["pools"] as? [[String: Any]] else {
            throw CommandError(description: "pool list --json printed no {\"pools\": [...]}")
        }
        return pools
    }

    /// The VMs of `pool` as `saffron pool vms POOL --json` prints them.
    func poolVMs(_ pool: String) throws -> [[String: Any]] {
        let output = try cli(["pool", "vms", pool, "--json"]).stdout
        guard let vms = (try JSONSerialization.jsonObject(with: output) as? [String: Any])?["vms"] as? [[String: Any]] else {
            throw CommandError(description: "pool vms --json printed no pool with its vms")
        }
        return vms
    }

    /// The end of the broker's log, for failure messages.
    func logTail(_ characters: Int = 3000) -> String {
        String(((try? String(contentsOf: log, encoding: .utf8)) ?? "").suffix(characters))
    }
}
