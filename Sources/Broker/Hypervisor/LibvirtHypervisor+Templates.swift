import Foundation
import Libvirt
import Store

extension LibvirtHypervisor {
    public func checkTemplate(_ template: PoolTemplate, connectURI: String) async throws {
        do {
            _ = try DomainXML.desktop(
                fromTemplate: template.domainXML, name: "saffron-template-check", diskPath: "/dev/null",
                password: TicketGenerator.newTicket())
        } catch let error as LibvirtError {
            throw BrokerError.badRequest("The template's domain XML is not usable: \(error.message).")
        }
        let probe = VMRef(connectURI: connectURI, domain: "")
        try await withConnection(to: probe) { connection in
            guard try await connection.storagePoolIsActive(template.storagePool) else {
                throw BrokerError(
                    code: "storage_pool_inactive",
                    message: "Storage pool \(template.storagePool) is not running; start it (virsh pool-start \(template.storagePool)).",
                    httpStatus: 409)
            }
        } explainingFailure: { error in
            "Storage pool \(template.storagePool) is not usable (\(error.message)); name one from `virsh pool-list`."
        }
        try await withConnection(to: probe) { connection in
            _ = try await connection.volumeCapacity(atPath: template.baseImage)
        } explainingFailure: { error in
            """
            libvirt knows no volume at \(template.baseImage) (\(error.message)). Put the base image in a storage pool's \
            directory and refresh it (virsh pool-refresh POOL).
            """
        }
    }

    public func provision(_ vm: VMRef, from template: PoolTemplate) async throws {
        try await discardLeftovers(vm, from: template)
        try await withConnection(to: vm) { connection in
            let path = try await connection.createOverlay(
                named: Self.overlayName(vm), inStoragePool: template.storagePool, backingPath: template.baseImage)
            do {
                let xml = try DomainXML.desktop(
                    fromTemplate: template.domainXML, name: vm.domain, diskPath: path, password: TicketGenerator.newTicket())
                _ = try await connection.define(xml: xml)
            } catch {
                _ = try? await connection.deleteVolume(named: Self.overlayName(vm), inStoragePool: template.storagePool)
                throw error
            }
        }
    }

    public func discard(_ vm: VMRef, from template: PoolTemplate) async throws {
        try await withConnection(to: vm) { connection in
            if let info = try? await connection.domain(named: vm.domain) {
                if info.state == .running || info.state == .paused { try await connection.destroy(named: vm.domain) }
                try await connection.undefine(named: vm.domain)
            }
            try await connection.deleteVolume(named: Self.overlayName(vm), inStoragePool: template.storagePool)
        }
    }

    /// Before creating a VM: a domain of that name made by an earlier attempt (its disk is our overlay) is thrown
    /// away; any other domain of that name is not ours to touch.
    private func discardLeftovers(_ vm: VMRef, from template: PoolTemplate) async throws {
        let diskPath: String?? = try await withConnection(to: vm) { connection in
            guard (try? await connection.domain(named: vm.domain)) != nil else { return .none }
            return .some(try DomainXML.firstDiskPath(in: try await connection.xml(ofDomain: vm.domain, inactive: true)))
        }
        if case .some(let path) = diskPath, path.map({ URL(fileURLWithPath: $0).lastPathComponent }) != Self.overlayName(vm) {
            throw BrokerError(
                code: "vm_name_taken",
                message: "libvirt already has a domain named \(vm.domain) that this pool did not create; rename or remove it.",
                httpStatus: 409)
        }
        try await discard(vm, from: template)
    }

    /// The overlay volume of a template pool's VM.
    static func overlayName(_ vm: VMRef) -> String { "\(vm.domain).qcow2" }
}
