import ArgumentParser
import Foundation
import SaffronAPI
import Store

/// `saffron pool ...`: pools of libvirt VMs.
struct PoolCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pool", abstract: "Manage desktop pools.", subcommands: [
            Create.self, AddVM.self, List.self, VMs.self, Set.self, Grant.self, Revoke.self, Unassign.self, Repair.self,
            RemoveVM.self, AddHost.self, RemoveHost.self, Delete.self,
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

                Repeat --connect to spread the pool over several libvirt hosts: a template pool creates each VM on \
                the host with the most free memory that answers; add-vm finds each existing VM on whichever host \
                defines it. Add and remove hosts later with add-host and remove-host.
                """)
        @OptionGroup var options: TargetOptions
        @Argument(help: "Pool name.") var name: String
        @Option(help: "libvirt connection URI of a hypervisor host of the pool, e.g. qemu:///system; repeat for several hosts.")
        var connect: [String] = []
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
            if connect.isEmpty { throw ValidationError("Name the pool's host: --connect URI (repeat it for several hosts).") }
            if template == nil, baseImage != nil { throw ValidationError("--base-image goes with --template.") }
            if template != nil, baseImage == nil { throw ValidationError("A template pool needs --base-image too.") }
            try gpu.validate(template: template != nil)
        }

        func run() async throws {
            let domainXML = try template.map { path in
                do {
                    return try String(contentsOfFile: path, encoding: .utf8)
                } catch {
                    throw ValidationError("Cannot read the template \(path): \(error.localizedDescription)")
                }
            }
            let poolTemplate = domainXML.map {
                Components.Schemas.NewPool.TemplatePayload(
                    domainXML: $0, baseImage: baseImage!, storagePool: storagePool, maxVMs: maxVMs, gpu: gpu.argument,
                    hideHypervisor: gpu.hideHypervisor, hypervVendorID: gpu.hypervVendorID)
            }
            let new = Components.Schemas.NewPool(
                name: name, hosts: connect, desktops: desktops.flatMap { .init(rawValue: $0.rawValue) }, _private: self.private,
                policy: policy.isEmpty ? nil : policy.patch, template: poolTemplate)
            let pool = try await options.withAPI { try await $0.createPool(body: .json(new)).created.body.json }
            if !policy.isEmpty { print("Policy: \(PolicyOptions.describe(pool.policy)).") }
            guard let poolTemplate else {
                print("Created pool \(name) of \(pool.desktops) desktops on \(hostsText). Add VMs: saffron pool add-vm \(name) VM...")
                return
            }
            let extras = gpu.description.map { ", each with \($0)" } ?? ""
            print("Created pool \(name) of up to \(pool.maxVMs ?? maxVMs) \(pool.desktops) desktops from \(poolTemplate.baseImage)\(extras) on \(hostsText).")
        }

        private var hostsText: String { connect.joined(separator: ", ") }
    }

    struct AddVM: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-vm",
            abstract: "Add existing libvirt domains (with SPICE graphics) to a pool, locking their SPICE password.")
        @OptionGroup var options: TargetOptions
        @OptionGroup var target: PoolVMs

        func run() async throws {
            _ = try await options.withAPI {
                try await $0.addVMs(path: .init(pool: target.pool), body: .json(.init(vms: target.vms))).created
            }
            print("Added \(target.vms.joined(separator: ", ")) to pool \(target.pool).")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List pools with their VMs and free VMs.")
        @OptionGroup var options: ShowOptions

        func run() async throws {
            try await options.show({ try await $0.adminPools().ok.body.json }) { answer in
                if answer.pools.isEmpty { return print("No pools yet. Create one: saffron pool create NAME --connect qemu:///system") }
                Output.table(
                    ["POOL", "HOSTS", "DESKTOPS", "VMS", "FREE", "SPARES", "ACCESS"],
                    answer.pools.map {
                        [
                            Output.oneLine($0.name), Output.oneLine($0.hosts.joined(separator: ", ")), $0.desktops,
                            "\($0.vms.count)" + ($0.maxVMs.map { " (\($0) max)" } ?? ""), "\($0.freeVMs)", "\($0.policy.spares)",
                            $0.access.joined(separator: ", ").nonEmpty ?? "admins only",
                        ]
                    })
            }
        }
    }
}

extension DesktopMode: ExpressibleByArgument {}
