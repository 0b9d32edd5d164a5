import ArgumentParser

/// The `saffron` command: the broker server and its admin tools.
@main
struct Saffron: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "saffron",
        abstract: "Saffron, a SPICE connection broker: pools of libvirt VMs handed out as desktops.",
        discussion: """
            Admin commands act on this host's config and database, or with --server URL (or $SAFFRON_SERVER) on a \
            running broker through its admin API after `saffron login --server URL`.
            """,
        subcommands: [
            InitCommand.self, ServeCommand.self, UserCommand.self, PoolCommand.self, SessionCommand.self, GPUCommand.self,
            FirewallCommand.self, TLSCommand.self, AuditCommand.self, GroupCommand.self, HostCommand.self, LoginCommand.self,
            LogoutCommand.self, DatabaseCommand.self, NodeCommand.self,
        ])
}
