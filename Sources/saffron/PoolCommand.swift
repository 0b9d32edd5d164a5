import ArgumentParser
import Broker
import Foundation
import SaffronApp
import SaffronClient
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
            var poolTemplate = domainXML.map {
                PoolTemplate(domainXML: $0, baseImage: baseImage!, storagePool: storagePool, maxVMs: maxVMs)
            }
            if poolTemplate != nil { gpu.apply(to: &poolTemplate!) }
            let pool: PoolRecord
            if let client = try options.remote() {
                pool = try await createRemotely(with: client, template: poolTemplate)
            } else {
                pool = try await createLocally(with: try options.components().broker, template: poolTemplate)
            }
            if !policy.isEmpty { print("Policy: \(PolicyOptions.describe(pool.policy)).") }
            guard let poolTemplate else {
                print("Created pool \(name) of \(pool.desktopMode.rawValue) desktops on \(hostsText). Add VMs: saffron pool add-vm \(name) VM...")
                return
            }
            let extras = GPUOptions.describe(poolTemplate).map { ", each with \($0)" } ?? ""
            print("Created pool \(name) of up to \(maxVMs) \(pool.desktopMode.rawValue) desktops from \(poolTemplate.baseImage)\(extras) on \(hostsText).")
        }

        private var hostsText: String { connect.joined(separator: ", ") }

        private func createLocally(with broker: Broker, template: PoolTemplate?) async throws -> PoolRecord {
            guard let template else {
                return try await broker.createPool(
                    name: name, connectURI: connect[0], otherConnectURIs: Array(connect.dropFirst()),
                    desktopMode: desktops ?? .pooled, policy: chosenPolicy, access: access)
            }
            return try await broker.createTemplatePool(
                name: name, connectURI: connect[0], otherConnectURIs: Array(connect.dropFirst()),
                desktopMode: desktops ?? .volatile, template: template, policy: chosenPolicy, access: access)
        }

        /// Creates the pool through `POST /admin/pools`; answers it as the broker made it.
        private func createRemotely(with client: BrokerClient, template: PoolTemplate?) async throws -> PoolRecord {
            var body: [String: Any] = ["name": name, "hosts": connect, "private": self.private, "policy": policy.patch]
            if let desktops { body["desktops"] = desktops.rawValue }
            if let template {
                var fields: [String: Any] = [
                    "domainXML": template.domainXML, "baseImage": template.baseImage, "storagePool": template.storagePool,
                    "maxVMs": template.maxVMs, "hideHypervisor": template.hideHypervisor,
                ]
                fields["gpu"] = template.gpu?.argument
                fields["hypervVendorID"] = template.hypervVendorID
                body["template"] = fields
            }
            let data = try await client.call(.post, BrokerClient.apiPath("admin", "pools"), json: try JSONSerialization.data(withJSONObject: body))
            let made = try BrokerClient.decode(Remote.Pool.self, from: data)
            return PoolRecord(
                name: made.name, connectURI: made.connect, otherConnectURIs: Array(made.hosts.dropFirst()),
                desktopMode: DesktopMode(rawValue: made.desktops) ?? .pooled, template: template, policy: made.policy,
                createdAt: Date())
        }

        private var access: [PoolGrant] { self.private ? [] : [.everyone] }

        private var chosenPolicy: PoolPolicy {
            var chosen = PoolPolicy()
            policy.apply(to: &chosen)
            return chosen
        }

    }

    struct AddVM: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-vm",
            abstract: "Add existing libvirt domains (with SPICE graphics) to a pool, locking their SPICE password.")
        @OptionGroup var options: TargetOptions
        @Argument(help: "Pool name.") var pool: String
        @Argument(help: "libvirt domain names.") var vms: [String]

        func validate() throws {
            guard !vms.isEmpty else { throw ValidationError("Name at least one VM to add.") }
        }

        func run() async throws {
            try await options.perform(
                local: { try await $0.broker.addVMs(vms, toPool: pool) },
                remote: { try await $0.call(.post, BrokerClient.apiPath("admin", "pools", pool, "vms"), body: ["vms": vms]) })
            print("Added \(vms.joined(separator: ", ")) to pool \(pool).")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List pools with their VMs and free VMs.")
        @OptionGroup var options: TargetOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            if let client = try options.remote() {
                let data = try await client.call(.get, BrokerClient.apiPath("admin", "pools"))
                if json { return try Output.apiJSON(data) }
                let pools = try BrokerClient.decode(Remote.Pools.self, from: data).pools
                return Self.printTable(pools.map {
                    Self.Line(name: $0.name, hosts: $0.hosts, desktops: $0.desktops, vms: $0.vms.count, maxVMs: $0.maxVMs,
                              freeVMs: $0.freeVMs, spares: $0.policy.spares, access: $0.access)
                })
            }
            let broker = try options.components().broker
            let pools = try await broker.pools()
            let grants = try await broker.poolGrants()
            func access(_ pool: String) -> [String] { (grants[pool] ?? []).map(\.description) }
            if json {
                struct Row: Encodable {
                    let name: String, connect: String, desktops: String, template: Bool, maxVMs: Int?, vms: Int, freeVMs: Int
                    /// Every host of the pool, `connect` first.
                    let hosts: [String]
                    /// `everyone`, `user:NAME`, `group:NAME`; empty: admins only.
                    let access: [String]
                    let policy: PoolPolicy
                    /// `passthrough` or `vgpu:TYPE`; null without a GPU.
                    let gpu: String?
                    let hideHypervisor: Bool, hypervVendorID: String?
                }
                return try Output.json(pools.map {
                    Row(name: $0.pool.name, connect: $0.pool.connectURI, desktops: $0.pool.desktopMode.rawValue,
                        template: $0.pool.template != nil, maxVMs: $0.pool.template?.maxVMs, vms: $0.vmCount, freeVMs: $0.freeVMCount,
                        hosts: $0.pool.connectURIs,
                        access: access($0.pool.name),
                        policy: $0.pool.policy, gpu: $0.pool.template?.gpu?.argument,
                        hideHypervisor: $0.pool.template?.hideHypervisor ?? false, hypervVendorID: $0.pool.template?.hypervVendorID)
                })
            }
            Self.printTable(pools.map {
                Self.Line(name: $0.pool.name, hosts: $0.pool.connectURIs, desktops: $0.pool.desktopMode.rawValue, vms: $0.vmCount,
                          maxVMs: $0.pool.template?.maxVMs, freeVMs: $0.freeVMCount, spares: $0.pool.policy.spares,
                          access: access($0.pool.name))
            })
        }

        /// One pool's row of the table.
        struct Line {
            let name: String, hosts: [String], desktops: String, vms: Int, maxVMs: Int?, freeVMs: Int, spares: Int
            let access: [String]
        }

        static func printTable(_ lines: [Line]) {
            if lines.isEmpty { return print("No pools yet. Create one: saffron pool create NAME --connect qemu:///system") }
            Output.table(
                ["POOL", "HOSTS", "DESKTOPS", "VMS", "FREE", "SPARES", "ACCESS"],
                lines.map {
                    [Output.oneLine($0.name), Output.oneLine($0.hosts.joined(separator: ", ")), $0.desktops, "\($0.vms)" + ($0.maxVMs.map { " (\($0) max)" } ?? ""),
                     "\($0.freeVMs)", "\($0.spares)", $0.access.joined(separator: ", ").nonEmpty ?? "admins only"]
                })
        }
    }
}

extension DesktopMode: ExpressibleByArgument {}
