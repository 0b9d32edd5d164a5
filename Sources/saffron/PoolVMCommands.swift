import ArgumentParser
import Broker
import Foundation
import SaffronApp
import SaffronClient
import Store

extension PoolCommand {
    struct VMs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "vms", abstract: "List a pool's VMs: who holds or owns each, and which are broken.")
        @OptionGroup var options: TargetOptions
        @Argument(help: "Pool name.") var pool: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            if let client = try options.remote() {
                let data = try await client.call(.get, BrokerClient.apiPath("admin", "pools", pool))
                if json { return try Output.apiJSON(data) }
                let remote = try BrokerClient.decode(Remote.Pool.self, from: data)
                let vms = remote.vms
                if vms.isEmpty { return print("Pool \(pool) has no VMs yet.") }
                return Self.printTable(
                    vms.map { vm in
                        [vm.name, Self.state(broken: vm.broken, resetting: vm.resetting, created: vm.created, held: vm.session != nil),
                         vm.owner ?? "-", vm.session?.user ?? "-"]
                    }, hosts: remote.hosts.count > 1 ? vms.map { $0.host ?? "-" } : nil)
            }
            let broker = try options.components().broker
            let vms = try await broker.vms(inPool: pool)
            guard let record = try await broker.store.pool(named: pool) else { return }
            let holders = Dictionary(
                try await broker.store.sessions().filter { $0.pool == pool }.map { ($0.vm, $0.user) },
                uniquingKeysWith: { first, _ in first })
            if json {
                struct Row: Encodable {
                    let name: String, created: Bool, assignedTo: String?, heldBy: String?, resetting: Bool, broken: String?
                    /// The libvirt connection URI of the host it lives on; null for a template pool's VM not created yet.
                    let host: String?
                }
                try Output.json(vms.map {
                    Row(name: $0.name, created: $0.isProvisioned, assignedTo: $0.assignedUser, heldBy: holders[$0.name],
                        resetting: $0.needsReset, broken: $0.brokenReason, host: Self.host(of: $0, in: record))
                })
            } else if vms.isEmpty {
                print("Pool \(pool) has no VMs yet.")
            } else {
                Self.printTable(
                    vms.map { vm in
                        [vm.name, Self.state(of: vm, held: holders[vm.name] != nil), vm.assignedUser ?? "-", holders[vm.name] ?? "-"]
                    }, hosts: record.connectURIs.count > 1 ? vms.map { Self.host(of: $0, in: record) ?? "-" } : nil)
            }
        }

        /// The VMs' rows, with a HOST column when the pool has several hosts (`hosts`, one per row).
        static func printTable(_ rows: [[String]], hosts: [String]?) {
            guard let hosts else { return Output.table(["VM", "STATE", "OWNER", "SESSION"], rows.map { $0.map(Output.oneLine) }) }
            Output.table(
                ["VM", "STATE", "OWNER", "SESSION", "HOST"], zip(rows, hosts).map { ($0 + [$1]).map(Output.oneLine) })
        }

        /// Where the VM lives; nil for a template pool's VM not created yet.
        static func host(of vm: VMRecord, in pool: PoolRecord) -> String? {
            vm.isProvisioned || pool.template == nil ? vm.connectURI ?? pool.connectURI : nil
        }

        static func state(of vm: VMRecord, held: Bool) -> String {
            state(broken: vm.brokenReason, resetting: vm.needsReset, created: vm.isProvisioned, held: held)
        }

        static func state(broken: String?, resetting: Bool, created: Bool, held: Bool) -> String {
            if let broken { return "broken: \(broken)" }
            if resetting { return "resetting" }
            if !created { return "not created" }
            return held ? "in use" : "free"
        }
    }

    struct Unassign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take a persistent desktop from its user; a template pool's VM is reset for its next user.")
        @OptionGroup var options: TargetOptions
        @Argument(help: "Pool name.") var pool: String
        @Argument(help: "VM name.") var vm: String

        func run() async throws {
            try await options.perform(
                local: { try await $0.broker.unassign(vm: vm, inPool: pool) },
                remote: { try await $0.call(.post, BrokerClient.apiPath("admin", "pools", pool, "vms", vm, "unassign")) })
            print("Unassigned \(vm) of pool \(pool).")
        }
    }

    struct Repair: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put a VM marked broken back into service (a volatile pool's VM is recreated from its base image).")
        @OptionGroup var options: TargetOptions
        @Argument(help: "Pool name.") var pool: String
        @Argument(help: "VM name.") var vm: String

        func run() async throws {
            try await options.perform(
                local: { try await $0.broker.repair(vm: vm, inPool: pool) },
                remote: { try await $0.call(.post, BrokerClient.apiPath("admin", "pools", pool, "vms", vm, "repair")) })
            print("Repaired \(vm) of pool \(pool); it is handed out again.")
        }
    }
}

extension PoolCommand {
    struct RemoveVM: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove-vm",
            abstract: "Take VMs out of a pool (a template pool's VMs are thrown away; existing ones stay in libvirt).")
        @OptionGroup var options: TargetOptions
        @Argument(help: "Pool name.") var pool: String
        @Argument(help: "VM names.") var vms: [String]

        func validate() throws {
            guard !vms.isEmpty else { throw ValidationError("Name at least one VM to remove.") }
        }

        func run() async throws {
            try await options.perform(
                local: { try await $0.broker.removeVMs(vms, fromPool: pool) },
                remote: { client in
                    for vm in vms { try await client.call(.delete, BrokerClient.apiPath("admin", "pools", pool, "vms", vm)) }
                })
            print("Removed \(vms.joined(separator: ", ")) from pool \(pool).")
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a pool without sessions (a template pool's VMs are thrown away; existing ones stay in libvirt).")
        @OptionGroup var options: TargetOptions
        @Argument(help: "Pool name.") var pool: String
        @Flag(help: "Also throw away persistent desktops users still own, with their data.") var discardOwned = false

        func run() async throws {
            try await options.perform(
                local: { try await $0.broker.deletePool(named: pool, discardingOwned: discardOwned) },
                remote: {
                    try await $0.call(.delete, BrokerClient.apiPath("admin", "pools", pool) + BrokerClient.query(discardOwned ? [("discardOwned", "true")] : []))
                })
            print("Deleted pool \(pool).")
        }
    }
}
