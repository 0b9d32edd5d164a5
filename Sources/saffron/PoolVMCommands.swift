import ArgumentParser
import SaffronAPI

extension PoolCommand {
    struct VMs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "vms", abstract: "List a pool's VMs: who holds or owns each, and which are broken.")
        @OptionGroup var options: TargetOptions
        @Argument(help: "Pool name.") var pool: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let answer = try await options.withAPI { try await $0.adminPool(path: .init(pool: pool)).ok.body.json }
            if json { return try Output.json(answer) }
            if answer.vms.isEmpty { return print("Pool \(pool) has no VMs yet.") }
            let rows = answer.vms.map { vm in
                [vm.name, Self.state(broken: vm.broken, resetting: vm.resetting, created: vm.created, held: vm.session != nil),
                 vm.owner ?? "-", vm.session?.value1.user ?? "-"]
            }
            // A HOST column when the pool has several hosts.
            guard answer.hosts.count > 1 else {
                return Output.table(["VM", "STATE", "OWNER", "SESSION"], rows.map { $0.map(Output.oneLine) })
            }
            Output.table(
                ["VM", "STATE", "OWNER", "SESSION", "HOST"],
                zip(rows, answer.vms).map { ($0 + [$1.host ?? "-"]).map(Output.oneLine) })
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
            _ = try await options.withAPI { try await $0.unassignVM(path: .init(pool: pool, vm: vm)).noContent }
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
            _ = try await options.withAPI { try await $0.repairVM(path: .init(pool: pool, vm: vm)).noContent }
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
            try await options.withAPI { api in
                for vm in vms { _ = try await api.removeVM(path: .init(pool: pool, vm: vm)).noContent }
            }
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
            _ = try await options.withAPI {
                try await $0.deletePool(path: .init(pool: pool), query: .init(discardOwned: discardOwned)).noContent
            }
            print("Deleted pool \(pool).")
        }
    }
}
