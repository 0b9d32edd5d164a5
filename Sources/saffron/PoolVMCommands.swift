import ArgumentParser
import Broker
import Foundation
import SaffronApp
import Store

extension PoolCommand {
    struct VMs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "vms", abstract: "List a pool's VMs: who holds or owns each, and which are broken.")
        @OptionGroup var options: ConfigOptions
        @Argument(help: "Pool name.") var pool: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let broker = try options.components().broker
            let vms = try await broker.vms(inPool: pool)
            let holders = Dictionary(
                try await broker.store.sessions().filter { $0.pool == pool }.map { ($0.vm, $0.user) },
                uniquingKeysWith: { first, _ in first })
            if json {
                struct Row: Encodable {
                    let name: String, created: Bool, assignedTo: String?, heldBy: String?, resetting: Bool, broken: String?
                }
                try Output.json(vms.map {
                    Row(name: $0.name, created: $0.isProvisioned, assignedTo: $0.assignedUser, heldBy: holders[$0.name],
                        resetting: $0.needsReset, broken: $0.brokenReason)
                })
            } else if vms.isEmpty {
                print("Pool \(pool) has no VMs yet.")
            } else {
                Output.table(["VM", "STATE", "OWNER", "SESSION"], vms.map { vm in
                    [vm.name, Self.state(of: vm, held: holders[vm.name] != nil), vm.assignedUser ?? "-", holders[vm.name] ?? "-"]
                })
            }
        }

        static func state(of vm: VMRecord, held: Bool) -> String {
            if let reason = vm.brokenReason { return "broken: \(reason)" }
            if vm.needsReset { return "resetting" }
            if !vm.isProvisioned { return "not created" }
            return held ? "in use" : "free"
        }
    }

    struct Unassign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take a persistent desktop from its user; a template pool's VM is reset for its next user.")
        @OptionGroup var options: ConfigOptions
        @Argument(help: "Pool name.") var pool: String
        @Argument(help: "VM name.") var vm: String

        func run() async throws {
            try await options.components().broker.unassign(vm: vm, inPool: pool)
            print("Unassigned \(vm) of pool \(pool).")
        }
    }

    struct Repair: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put a VM marked broken back into service (a volatile pool's VM is recreated from its base image).")
        @OptionGroup var options: ConfigOptions
        @Argument(help: "Pool name.") var pool: String
        @Argument(help: "VM name.") var vm: String

        func run() async throws {
            try await options.components().broker.repair(vm: vm, inPool: pool)
            print("Repaired \(vm) of pool \(pool); it is handed out again.")
        }
    }
}

extension PoolCommand {
    struct RemoveVM: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove-vm",
            abstract: "Take VMs out of a pool (a template pool's VMs are thrown away; existing ones stay in libvirt).")
        @OptionGroup var options: ConfigOptions
        @Argument(help: "Pool name.") var pool: String
        @Argument(help: "VM names.") var vms: [String]

        func validate() throws {
            guard !vms.isEmpty else { throw ValidationError("Name at least one VM to remove.") }
        }

        func run() async throws {
            try await options.components().broker.removeVMs(vms, fromPool: pool)
            print("Removed \(vms.joined(separator: ", ")) from pool \(pool).")
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a pool without sessions (a template pool's VMs are thrown away; existing ones stay in libvirt).")
        @OptionGroup var options: ConfigOptions
        @Argument(help: "Pool name.") var pool: String
        @Flag(help: "Also throw away persistent desktops users still own, with their data.") var discardOwned = false

        func run() async throws {
            try await options.components().broker.deletePool(named: pool, discardingOwned: discardOwned)
            print("Deleted pool \(pool).")
        }
    }
}
