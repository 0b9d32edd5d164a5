import Foundation

/// The three hosts of the test, built from network namespaces: the hypervisor (the root namespace, where libvirtd
/// and QEMU run), the gateway (runs the broker; its netfilter gets the broker's rules) and the client (curl,
/// Xvfb and remote-viewer).
///
///     client 198.18.1.2 ── 198.18.1.1 gateway 198.18.2.2 ── 198.18.2.1 hypervisor (SPICE servers listen here)
enum Topology {
    static let gateway = "saf-e2e-gw"
    static let client = "saf-e2e-client"
    static let hypervisorAddress = "198.18.2.1"
    static let gatewayUplinkAddress = "198.18.2.2"
    static let gatewayPublicAddress = "198.18.1.1"
    static let clientAddress = "198.18.1.2"

    private static let hypervisorLink = "saf-e2e-h"
    private static let gatewayUplink = "saf-e2e-hg"
    private static let gatewayDownlink = "saf-e2e-gc"
    private static let clientLink = "saf-e2e-cg"

    /// `arguments` run inside the gateway namespace.
    static func inGateway(_ arguments: [String]) -> [String] { ["ip", "netns", "exec", gateway] + arguments }

    /// `arguments` run inside the client namespace.
    static func inClient(_ arguments: [String]) -> [String] { ["ip", "netns", "exec", client] + arguments }

    /// Builds the namespaces and links, after removing whatever an aborted run left.
    static func up() throws {
        down()
        let steps: [[String]] = [
            ["ip", "netns", "add", gateway],
            ["ip", "netns", "add", client],
            ["ip", "link", "add", hypervisorLink, "type", "veth", "peer", "name", gatewayUplink, "netns", gateway],
            ["ip", "addr", "add", "\(hypervisorAddress)/24", "dev", hypervisorLink],
            ["ip", "link", "set", hypervisorLink, "up"],
            ["ip", "-n", gateway, "link", "set", "lo", "up"],
            ["ip", "-n", gateway, "addr", "add", "\(gatewayUplinkAddress)/24", "dev", gatewayUplink],
            ["ip", "-n", gateway, "link", "set", gatewayUplink, "up"],
            ["ip", "-n", gateway, "link", "add", gatewayDownlink, "type", "veth",
             "peer", "name", clientLink, "netns", client],
            ["ip", "-n", gateway, "addr", "add", "\(gatewayPublicAddress)/24", "dev", gatewayDownlink],
            ["ip", "-n", gateway, "link", "set", gatewayDownlink, "up"],
            ["ip", "-n", client, "link", "set", "lo", "up"],
            ["ip", "-n", client, "addr", "add", "\(clientAddress)/24", "dev", clientLink],
            ["ip", "-n", client, "link", "set", clientLink, "up"],
            ["ip", "-n", client, "route", "add", "default", "via", gatewayPublicAddress],
            inGateway(["sysctl", "-qw", "net.ipv4.ip_forward=1"]),
        ]
        do {
            for step in steps { try Command.check(step) }
        } catch {
            down()
            throw error
        }
    }

    /// Gives the client namespace one more address, `198.18.1.<index>`, for a second client host; returns it.
    static func addClientAddress(index: Int) throws -> String {
        let address = "198.18.1.\(index)"
        try Command.check(["ip", "-n", client, "addr", "add", "\(address)/24", "dev", clientLink])
        return address
    }

    /// Removes the namespaces (and with them the gateway's netfilter state) and the hypervisor's link.
    /// Best effort: what is already gone is fine.
    static func down() {
        for namespace in [client, gateway] {
            _ = try? Command.run(["ip", "netns", "delete", namespace])
        }
        _ = try? Command.run(["ip", "link", "delete", hypervisorLink])
    }

    /// The gateway's nat table as `iptables-save` prints it.
    static func natTable() throws -> String {
        try Command.check(inGateway(["iptables-save", "-t", "nat"])).output
    }

    /// The `SAFFRON-DNAT` rule tagged with the comment `saffron:SESSION`, if the gateway has one.
    static func dnatRule(session: String) throws -> NATRule? {
        try natTable().split(separator: "\n")
            .map { NATRule(line: String($0)) }
            .first { $0.chain == "SAFFRON-DNAT" && $0.value(after: "--comment") == "saffron:\(session)" }
    }

    /// Forwards `publicPort` on the gateway to `spicePort` on the hypervisor by hand, the way the broker should:
    /// DNAT for the client's address plus masquerade, so the hypervisor needs no route back to the client.
    static func forwardByHand(publicPort: Int, to spicePort: Int) throws {
        try Command.check(inGateway([
            "iptables", "-t", "nat", "-A", "PREROUTING", "-s", "\(clientAddress)/32",
            "-d", "\(gatewayPublicAddress)/32", "-p", "tcp", "--dport", String(publicPort),
            "-j", "DNAT", "--to-destination", "\(hypervisorAddress):\(spicePort)",
        ]))
        try Command.check(inGateway([
            "iptables", "-t", "nat", "-A", "POSTROUTING", "-d", "\(hypervisorAddress)/32", "-j", "MASQUERADE",
        ]))
    }
}

/// One `-A CHAIN ...` line of `iptables-save`, split into words (quotes removed).
struct NATRule: CustomStringConvertible {
    let line: String
    let words: [String]

    init(line: String) {
        self.line = line
        words = line.split(separator: " ").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
    }

    var chain: String? { words.count > 1 && words[0] == "-A" ? words[1] : nil }

    /// The word after `flag` (e.g. `--dport` gives the port).
    func value(after flag: String) -> String? {
        guard let index = words.firstIndex(of: flag), index + 1 < words.count else { return nil }
        return words[index + 1]
    }

    var description: String { line }
}
