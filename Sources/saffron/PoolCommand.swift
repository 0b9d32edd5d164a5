import ArgumentParser
import Broker
import Foundation
import SaffronApp
import Store

/// `saffron pool ...`: pools of libvirt VMs.
struct PoolCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pool", abstract: "Manage desktop pools.", subcommands: [
            Create.self, AddVM.self, List.self, VMs.self, Set.self, Grant.self, Revoke.self, Unassign.self, Repair.self,
            RemoveVM.self, Delete.self,
        ])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a pool: of existing VMs (add them with add-vm), or from a template the broker makes VMs of.",
            discussion: """
                A template pool needs --template, --base-image and --storage-pool: each desktop is a qcow2 overlay of \
                the base image in that libvirt storage pool, defined from the template's domain XML (its name, uuid, \
                MAC addresses and first disk are replaced; it must have SPICE graphics).

                With --gpu each desktop of a template pool also gets a GPU when it is created: a whole one passed \
                through, or a vGPU (mediated device) of a type `saffron gpu list` shows, created on a board that has \
                room. When every board is full, users asking for a desktop get 503 gpu_capacity_exhausted until one \
                is freed. --hide-hypervisor (and --hyperv-vendor-id) hide the VM from guest drivers that refuse to \
                run under KVM.
                """)
        @OptionGroup var options: ConfigOptions
        @Argument(help: "Pool name.") var name: String
        @Option(help: "libvirt connection URI of the pool's hypervisor, e.g. qemu:///system.") var connect: String
        @Option(help: "What a desktop becomes when its session ends: pooled (existing VMs only), volatile (reset; templates only) or persistent (stays its user's). Default: pooled, or volatile with a template.")
        var desktops: DesktopMode?
        @Option(help: "File with the domain XML the pool's VMs are defined from.") var template: String?
        @Option(help: "Path of the qcow2 base image (a volume libvirt knows) the VMs' overlays are backed by.")
        var baseImage: String?
        @Option(help: "libvirt storage pool the overlays are created in.") var storagePool = "default"
        @Option(name: .customLong("max-vms"), help: "How many VMs a template pool may create.") var maxVMs = 10
        @Flag(help: "Grant the pool to no one yet (default: everyone); see `saffron pool grant`.") var `private` = false
        @OptionGroup var policy: PolicyOptions
        @OptionGroup(title: "GPU (template pools)") var gpu: GPUOptions

        func validate() throws {
            if template == nil, baseImage != nil { throw ValidationError("--base-image goes with --template.") }
            if template != nil, baseImage == nil { throw ValidationError("A template pool needs --base-image too.") }
            try gpu.validate(template: template != nil)
        }

        func run() async throws {
            let broker = try options.components().broker
            guard let template else {
                let pool = try await broker.createPool(
                    name: name, connectURI: connect, desktopMode: desktops ?? .pooled, policy: chosenPolicy, access: access)
                printPolicy(pool.policy)
                print("Created pool \(name) of \(pool.desktopMode.rawValue) desktops on \(connect). Add VMs: saffron pool add-vm \(name) VM...")
                return
            }
            let domainXML: String
            do {
                domainXML = try String(contentsOfFile: template, encoding: .utf8)
            } catch {
                throw ValidationError("Cannot read the template \(template): \(error.localizedDescription)")
            }
            var poolTemplate = PoolTemplate(domainXML: domainXML, baseImage: baseImage!, storagePool: storagePool, maxVMs: maxVMs)
            gpu.apply(to: &poolTemplate)
            let pool = try await broker.createTemplatePool(
                name: name, connectURI: connect, desktopMode: desktops ?? .volatile, template: poolTemplate,
                policy: chosenPolicy, access: access)
            printPolicy(pool.policy)
            let extras = GPUOptions.describe(poolTemplate).map { ", each with \($0)" } ?? ""
            print("Created pool \(name) of up to \(maxVMs) \(pool.desktopMode.rawValue) desktops from \(baseImage!)\(extras) on \(connect).")
        }

        private var access: [PoolGrant] { self.private ? [] : [.everyone] }

        private var chosenPolicy: PoolPolicy {
            var chosen = PoolPolicy()
            policy.apply(to: &chosen)
            return chosen
        }

        private func printPolicy(_ chosen: PoolPolicy) {
            if !policy.isEmpty { print("Policy: \(PolicyOptions.describe(chosen)).") }
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
            let broker = try options.components().broker
            let pools = try await broker.pools()
            let grants = try await broker.poolGrants()
            func access(_ pool: String) -> [String] { (grants[pool] ?? []).map(\.description) }
            if json {
                struct Row: Encodable {
                    let name: String, connect: String, desktops: String, template: Bool, maxVMs: Int?, vms: Int, freeVMs: Int
                    /// `everyone`, `user:NAME`, `group:NAME`; empty: admins only.
                    let access: [String]
                    let policy: PoolPolicy
                    /// `passthrough` or `vgpu:TYPE`; null without a GPU.
                    let gpu: String?
                    let hideHypervisor: Bool, hypervVendorID: String?
                }
                try Output.json(pools.map {
                    Row(name: $0.pool.name, connect: $0.pool.connectURI, desktops: $0.pool.desktopMode.rawValue,
                        template: $0.pool.template != nil, maxVMs: $0.pool.template?.maxVMs, vms: $0.vmCount, freeVMs: $0.freeVMCount,
                        access: access($0.pool.name),
                        policy: $0.pool.policy, gpu: $0.pool.template?.gpu?.argument,
                        hideHypervisor: $0.pool.template?.hideHypervisor ?? false, hypervVendorID: $0.pool.template?.hypervVendorID)
                })
            } else if pools.isEmpty {
                print("No pools yet. Create one: saffron pool create NAME --connect qemu:///system")
            } else {
                Output.table(
                    ["POOL", "CONNECT", "DESKTOPS", "VMS", "FREE", "SPARES", "ACCESS"],
                    pools.map {
                        let size = $0.pool.template.map { "\($0.maxVMs) max" }
                        return [$0.pool.name, $0.pool.connectURI, $0.pool.desktopMode.rawValue,
                                "\($0.vmCount)" + (size.map { " (\($0))" } ?? ""), "\($0.freeVMCount)", "\($0.pool.policy.spares)",
                                access($0.pool.name).joined(separator: ", ").nonEmpty ?? "admins only"]
                    })
            }
        }
    }
}

extension DesktopMode: ExpressibleByArgument {}
