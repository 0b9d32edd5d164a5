import ArgumentParser
import SaffronAPI

extension PoolCommand {
    struct AddHost: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-host",
            abstract: "Spread a pool over another libvirt host (a template pool's template is checked there first).")
        @OptionGroup var options: TargetOptions
        @Argument(help: "Pool name.") var pool: String
        @Argument(help: "libvirt connection URI of the host, e.g. qemu+tcp://hv2.example/system.") var connect: String

        func run() async throws {
            _ = try await options.withAPI {
                try await $0.addPoolHost(path: .init(pool: pool), body: .json(.init(connect: connect))).ok
            }
            print("Pool \(pool) now also uses \(connect).")
        }
    }

    struct RemoveHost: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove-host",
            abstract: "Take a libvirt host from a pool; refused while VMs of the pool live there, unless it is --gone.")
        @OptionGroup var options: TargetOptions
        @Argument(help: "Pool name.") var pool: String
        @Argument(help: "libvirt connection URI of the host, as `saffron pool list` shows it.") var connect: String
        @Flag(help: "The host is gone for good: end the sessions of its VMs and take those VMs out of the pool.")
        var gone = false

        func run() async throws {
            _ = try await options.withAPI {
                try await $0.removePoolHost(path: .init(pool: pool), query: .init(connect: connect, gone: gone)).ok
            }
            print("Pool \(pool) no longer uses \(connect)\(gone ? "; the sessions and VMs that lived there are gone with it" : "").")
        }
    }
}
