import Broker
import Foundation
import Libvirt

extension LibvirtHypervisor {
    public func screenshot(of vm: VMRef) async throws -> Screenshot {
        try await withConnection(to: vm) { connection in
            guard try await connection.domain(named: vm.domain).state == .running else {
                throw BrokerError.vmNotRunning(vm.domain)
            }
            do {
                let shot = try await connection.screenshot(ofDomain: vm.domain)
                return Screenshot(mimeType: shot.mimeType, bytes: shot.bytes)
            } catch let error as LibvirtError where !error.isConnectionLost {
                // It may have stopped between the two calls: say so rather than pass on libvirt's refusal.
                if (try? await connection.domain(named: vm.domain).state) != .running { throw BrokerError.vmNotRunning(vm.domain) }
                throw error
            }
        }
    }
}
