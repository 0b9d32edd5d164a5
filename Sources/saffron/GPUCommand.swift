import ArgumentParser
import Broker
import Foundation

/// `saffron gpu ...`: the GPUs of a libvirt host.
struct GPUCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gpu", abstract: "Show the GPUs of a libvirt host.", subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List each GPU board with its vGPU profiles: users per board, in use and available.",
            discussion: """
                Reads libvirt's node devices and domains directly; needs no broker config. Every GPU also has a \
                pass-through row for the whole device, available while no domain has it and it hosts no vGPU. \
                Memory is shown when the profile name states it (NVIDIA's GRID P4-1Q is 1 GiB). Max per board is \
                what the host reports now: in use plus available.
                """)
        @Option(help: "libvirt connection URI of the host, e.g. qemu:///system.") var connect: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let inventory = try await GPUInventory.read(connectURI: connect)
            if json {
                try Output.json(inventory.devices.map(Board.init))
            } else if inventory.devices.isEmpty {
                print("No GPUs (PCI display controllers) on \(connect).")
            } else {
                Output.table(
                    ["BOARD", "PRODUCT", "TYPE", "PROFILE", "MEMORY", "MAX/BOARD", "IN USE", "AVAILABLE"],
                    inventory.devices.flatMap(Self.rows))
            }
        }

        /// One row per vGPU profile, plus the whole-device pass-through row.
        static func rows(_ device: GPUDevice) -> [[String]] {
            let board = ["\(device.address)", device.product ?? device.vendor ?? "-"]
            let profiles = device.mediatedTypes.map { type in
                board + [
                    type.id, type.name ?? "-", type.framebufferMiB.map(memory) ?? "-", "\(type.maxInstances)",
                    "\(type.instancesInUse)", "\(type.availableInstances)",
                ]
            }
            let whole = board + [
                "passthrough", "whole GPU", "-", "1", device.passthroughDomains.isEmpty ? "0" : "1",
                device.isFreeForPassthrough ? "1" : "0",
            ]
            return profiles + [whole]
        }

        static func memory(_ mebibytes: Int) -> String {
            mebibytes % 1024 == 0 ? "\(mebibytes / 1024) GiB" : "\(mebibytes) MiB"
        }
    }
}

/// A GPU board as `saffron gpu list --json` prints it.
private struct Board: Encodable {
    struct Profile: Encodable {
        let type: String
        let name: String?
        let framebufferMiB: Int?
        let deviceAPI: String
        let maxPerBoard: Int
        let inUse: Int
        let available: Int
    }

    let address: String
    let nodeName: String
    let vendor: String?
    let product: String?
    let pciClass: String
    let profiles: [Profile]
    let vgpusInUse: Int
    let passthroughDomains: [String]
    let freeForPassthrough: Bool

    init(_ device: GPUDevice) {
        address = "\(device.address)"
        nodeName = device.nodeName
        vendor = device.vendor
        product = device.product
        pciClass = String(format: "0x%06x", device.pciClass)
        profiles = device.mediatedTypes.map {
            Profile(
                type: $0.id, name: $0.name, framebufferMiB: $0.framebufferMiB, deviceAPI: $0.deviceAPI,
                maxPerBoard: $0.maxInstances, inUse: $0.instancesInUse, available: $0.availableInstances)
        }
        vgpusInUse = device.mediatedInUse
        passthroughDomains = device.passthroughDomains
        freeForPassthrough = device.isFreeForPassthrough
    }
}
