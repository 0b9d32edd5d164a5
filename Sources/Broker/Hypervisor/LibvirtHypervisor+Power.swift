import Foundation
import Libvirt

extension LibvirtHypervisor {
    public func runningDomains(on connectURI: String) async throws -> Set<String> {
        try await withConnection(to: VMRef(connectURI: connectURI, domain: "")) { connection in
            Set(try await connection.domains().filter { $0.state == .running }.map(\.name))
        }
    }

    public func shutDown(_ vm: VMRef) async throws {
        try await withConnection(to: vm) { connection in
            guard try await connection.domain(named: vm.domain).state == .running else { return }
            try await connection.shutdown(named: vm.domain)
        }
    }

    public func powerOff(_ vm: VMRef) async throws {
        try await withConnection(to: vm) { connection in
            let state = try await connection.domain(named: vm.domain).state
            guard state == .running || state == .paused else { return }
            try await connection.destroy(named: vm.domain)
        }
    }
}
