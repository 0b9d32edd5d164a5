import Logging

/// Deletes the connection-tracking entries of a session's forwarded flows (`conntrack -D`), so that packets of a
/// connection established before the session's forwarding went away no longer reach the VM. The iptables backend
/// uses it; the nftables backend cuts such flows with its own rules instead (see `NftablesRuleset`).
///
/// Removing a DNAT rule or map element leaves established flows alive; together with the SPICE ticket change that
/// disconnects clients, this cuts a live viewer within about a second. A host without conntrack-tools only loses
/// that speed-up, so failures are logged, not thrown.
struct ConntrackCleanup: Sendable {
    let runner: CommandRunner
    let logger: Logger

    func forgetConnections(of rule: ForwardRule) async {
        let arguments = [
            "-D", "-p", "tcp", "--orig-src", rule.clientAddress, "--orig-dst", rule.publicAddress,
            "--orig-port-dst", String(rule.publicPort),
        ]
        do {
            let result = try await runner.run("conntrack", arguments)
            // conntrack exits 1 when no entry matched: nothing was connected.
            if result.status > 1 {
                logger.warning("conntrack -D failed (exit \(result.status)): \(result.stderr.trimmed)", metadata: ["session": "\(rule.sessionID)"])
            }
        } catch {
            logger.warning("could not run conntrack; live connections of the session stay until they idle out: \(error)")
        }
    }
}
