import ArgumentParser

/// The `saffron` command: the broker server and its admin tools.
@main
struct Saffron: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "saffron",
        abstract: "Saffron, a SPICE connection broker: pools of libvirt VMs handed out as desktops.",
        subcommands: [
            InitCommand.self, ServeCommand.self, UserCommand.self, PoolCommand.self, SessionCommand.self, GPUCommand.self,
            FirewallCommand.self, TLSCommand.self, AuditCommand.self, GroupCommand.self,
        ])
}
