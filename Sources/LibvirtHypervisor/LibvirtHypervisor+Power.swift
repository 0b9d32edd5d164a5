import Broker
import Foundation
import Libvirt

extension LibvirtHypervisor {
    public func domainCensus(on connectURI: String) async throws -> DomainCensus {
        try await withConnection(to: VMRef(connectURI: connectURI, domain: "")) { connection in
            let domains = try await connection.domains()
            return DomainCensus(
                defined: Set(domains.map(\.name)), running: Set(domains.filter { $0.state == .running }.map(\.name)))
        }
    }

    public func freeMemory(on connectURI: String) async throws -> UInt64 {
        try await withConnection(to: VMRef(connectURI: connectURI, domain: "")) { connection in
            try await connection.freeMemory()
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
