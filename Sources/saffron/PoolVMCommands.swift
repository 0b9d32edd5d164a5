import ArgumentParser
import SaffronAPI

extension PoolCommand {
    struct VMs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "vms", abstract: "List a pool's VMs: who holds or owns each, and which are broken.")
        @OptionGroup var options: ShowOptions
        @Argument(help: "Pool name.") var pool: String

        func run() async throws {
            try await options.show({ try await $0.adminPool(path: .init(pool: pool)).ok.body.json }) { answer in
                if answer.vms.isEmpty { return print("Pool \(pool) has no VMs yet.") }
                // A HOST column when the pool has several hosts.
                let several = answer.hosts.count > 1
                Output.table(
                    ["VM", "STATE", "OWNER", "SESSION"] + (several ? ["HOST"] : []),
                    answer.vms.map { vm in
                        let state = Self.state(broken: vm.broken, resetting: vm.resetting, created: vm.created, held: vm.session != nil)
                        let row = [vm.name, state, vm.owner ?? "-", vm.session?.value1.user ?? "-"] + (several ? [vm.host ?? "-"] : [])
                        return row.map(Output.oneLine)
                    })
            }
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
        @OptionGroup var target: PoolVM

        func run() async throws {
            _ = try await options.withAPI { try await $0.unassignVM(path: .init(pool: target.pool, vm: target.vm)).noContent }
            print("Unassigned \(target).")
        }
    }

    struct Repair: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put a VM marked broken back into service (a volatile pool's VM is recreated from its base image).")
        @OptionGroup var options: TargetOptions
        @OptionGroup var target: PoolVM

        func run() async throws {
            _ = try await options.withAPI { try await $0.repairVM(path: .init(pool: target.pool, vm: target.vm)).noContent }
            print("Repaired \(target); it is handed out again.")
        }
    }
}

extension PoolCommand {
    struct RemoveVM: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove-vm",
            abstract: "Take VMs out of a pool (a template pool's VMs are thrown away; existing ones stay in libvirt).")
        @OptionGroup var options: TargetOptions
        @OptionGroup var target: PoolVMs

        func run() async throws {
            try await options.withAPI { api in
                for vm in target.vms { _ = try await api.removeVM(path: .init(pool: target.pool, vm: vm)).noContent }
            }
            print("Removed \(target.vms.joined(separator: ", ")) from pool \(target.pool).")
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

/// One VM of a pool, as `pool unassign` and `pool repair` name it.
struct PoolVM: ParsableArguments, CustomStringConvertible {
    @Argument(help: "Pool name.") var pool: String
    @Argument(help: "VM name.") var vm: String

    var description: String { "\(vm) of pool \(pool)" }
}

/// Some VMs of a pool (libvirt domain names), as `pool add-vm` and `pool remove-vm` name them.
struct PoolVMs: ParsableArguments {
    @Argument(help: "Pool name.") var pool: String
    @Argument(help: "libvirt domain names.") var vms: [String] = []

    func validate() throws {
        guard !vms.isEmpty else { throw ValidationError("Name at least one VM.") }
    }
}
