import ArgumentParser
import HTTPAPI
import LibvirtHypervisor
import SaffronAPI
import SaffronClient

/// `saffron gpu ...`: the GPUs of a libvirt host.
struct GPUCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gpu", abstract: "Show the GPUs of a libvirt host.", subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List each GPU board with its vGPU profiles: users per board, in use and available.",
            discussion: """
                Reads libvirt's node devices and domains directly; needs no broker config. With --server, asks a \
                running broker about one of its pools' hosts instead. Every GPU also has a \
                pass-through row for the whole device, available while no domain has it and it hosts no vGPU. \
                Memory is shown when the profile name states it (NVIDIA's GRID P4-1Q is 1 GiB). Max per board is \
                what the host reports now: in use plus available.
                """)
        @Option(help: "libvirt connection URI of the host, e.g. qemu:///system.") var connect: String
        @Flag(help: "Print JSON.") var json = false
        @Option(
            help: ArgumentHelp("Ask a running broker's admin API at this URL (default: $SAFFRON_SERVER).", valueName: "URL"))
        var server: String?
        @Option(help: "PEM file of CA certificates to trust for an https:// --server (default: $SAFFRON_CA_FILE).")
        var caFile: String?

        func run() async throws {
            let boards: Components.Schemas.GPUBoards
            if let client = try TargetOptions.client(server: server, caFile: caFile) {
                boards = try await client.api.adminGPUs(query: .init(connect: connect)).ok.body.json
            } else {
                boards = .init(boards: try await LibvirtHypervisor().gpuBoards(on: connect).map(Components.Schemas.GPUBoard.init))
            }
            if json {
                try Output.json(boards)
            } else if boards.boards.isEmpty {
                print("No GPUs (PCI display controllers) on \(connect).")
            } else {
                Output.table(
                    ["BOARD", "PRODUCT", "TYPE", "PROFILE", "MEMORY", "MAX/BOARD", "IN USE", "AVAILABLE"],
                    boards.boards.flatMap(Self.rows))
            }
        }

        /// One row per vGPU profile, plus the whole-device pass-through row.
        static func rows(_ device: Components.Schemas.GPUBoard) -> [[String]] {
            let board = [device.address, device.product ?? device.vendor ?? "-"]
            let profiles = device.profiles.map { profile in
                board + [
                    profile._type, profile.name ?? "-", profile.framebufferMiB.map(memory) ?? "-", "\(profile.maxPerBoard)",
                    "\(profile.inUse)", "\(profile.available)",
                ]
            }
            let whole = board + [
                "passthrough", "whole GPU", "-", "1", device.passthroughDomains.isEmpty ? "0" : "1",
                device.freeForPassthrough ? "1" : "0",
            ]
            return profiles + [whole]
        }

        static func memory(_ mebibytes: Int) -> String {
            mebibytes % 1024 == 0 ? "\(mebibytes / 1024) GiB" : "\(mebibytes) MiB"
        }
    }
}
