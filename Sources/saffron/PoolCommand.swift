import ArgumentParser
import Broker
import Foundation
import SaffronApp
import Store

/// `saffron pool ...`: pools of libvirt VMs.
struct PoolCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pool", abstract: "Manage desktop pools.", subcommands: [Create.self, AddVM.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an empty pool on a libvirt connection.")
        @OptionGroup var options: ConfigOptions
        @Argument(help: "Pool name.") var name: String
        @Option(help: "libvirt connection URI of the pool's hypervisor, e.g. qemu:///system.") var connect: String

        func run() async throws {
            try await options.components().broker.createPool(name: name, connectURI: connect)
            print("Created pool \(name) on \(connect).")
        }
    }

    struct AddVM: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-vm",
            abstract: "Add existing libvirt domains (with SPICE graphics) to a pool, locking their SPICE password.")
        @OptionGroup var options: ConfigOptions
        @Argument(help: "Pool name.") var pool: String
        @Argument(help: "libvirt domain names.") var vms: [String]

        func validate() throws {
            guard !vms.isEmpty else { throw ValidationError("Name at least one VM to add.") }
        }

        func run() async throws {
            let broker = try options.components().broker
            try await broker.addVMs(vms, toPool: pool)
            print("Added \(vms.joined(separator: ", ")) to pool \(pool).")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List pools with their VMs and free VMs.")
        @OptionGroup var options: ConfigOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let pools = try await options.components().broker.pools()
            if json {
                struct Row: Encodable { let name: String; let connect: String; let vms: Int; let freeVMs: Int }
                try Output.json(pools.map { Row(name: $0.pool.name, connect: $0.pool.connectURI, vms: $0.vmCount, freeVMs: $0.freeVMCount) })
            } else if pools.isEmpty {
                print("No pools yet. Create one: saffron pool create NAME --connect qemu:///system")
            } else {
                Output.table(["POOL", "CONNECT", "VMS", "FREE"], pools.map { [$0.pool.name, $0.pool.connectURI, "\($0.vmCount)", "\($0.freeVMCount)"] })
            }
        }
    }
}
