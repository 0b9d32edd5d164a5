import Broker
import Foundation
import Libvirt
import Store

extension LibvirtHypervisor {
    public func checkTemplate(_ template: PoolTemplate, connectURI: String) async throws {
        if template.hypervVendorID != nil, !template.hideHypervisor {
            throw BrokerError.badRequest("A Hyper-V vendor id hides the hypervisor; ask for --hide-hypervisor too.")
        }
        do {
            _ = try Self.desktopXML(from: template, name: "saffron-template-check", diskPath: "/dev/null")
        } catch let error as LibvirtError {
            throw BrokerError.badRequest("The template's domain XML is not usable: \(error.message).")
        }
        let probe = VMRef(connectURI: connectURI, domain: "")
        try await withConnection(to: probe) { connection in
            guard try await connection.storagePoolIsActive(template.storagePool) else {
                throw BrokerError(.storagePoolInactive, "Storage pool \(template.storagePool) is not running; start it (virsh pool-start \(template.storagePool)).")
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
        if let gpu = template.gpu { try await checkGPU(gpu, connectURI: connectURI) }
    }

    public func provision(_ vm: VMRef, from template: PoolTemplate) async throws {
        try await discardLeftovers(vm, from: template)
        try await withConnection(to: vm) { connection in
            let path = try await connection.createOverlay(
                named: Self.overlayName(vm), inStoragePool: template.storagePool, backingPath: template.baseImage)
            do {
                let xml = try Self.desktopXML(from: template, name: vm.domain, diskPath: path)
                if let gpu = template.gpu {
                    try await defineWithGPU(gpu, xml: xml, on: connection)
                } else {
                    _ = try await connection.define(xml: xml)
                }
            } catch {
                _ = try? await connection.deleteVolume(named: Self.overlayName(vm), inStoragePool: template.storagePool)
                throw error
            }
        }
    }

    public func discard(_ vm: VMRef, from template: PoolTemplate) async throws {
        try await withConnection(to: vm) { connection in
            var mediated: [String] = []
            if let info = try? await connection.domain(named: vm.domain) {
                if case .vgpu = template.gpu {
                    mediated = try Self.mediatedDeviceUUIDs(
                        inDomainXML: try await connection.xml(ofDomain: vm.domain, inactive: true))
                }
                if info.state == .running || info.state == .paused { try await connection.destroy(named: vm.domain) }
                try await connection.undefine(named: vm.domain)
            }
            for uuid in mediated { try await connection.destroyMediatedDevice(uuid: uuid) }
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
            throw BrokerError(.vmNameTaken, "libvirt already has a domain named \(vm.domain) that this pool did not create; rename or remove it.")
        }
        try await discard(vm, from: template)
    }

    /// A desktop's domain XML from the template, with the hypervisor hidden when the template asks for it.
    static func desktopXML(from template: PoolTemplate, name: String, diskPath: String) throws -> String {
        let xml = try DomainXML.desktop(
            fromTemplate: template.domainXML, name: name, diskPath: diskPath, password: TicketGenerator.newTicket())
        guard template.hideHypervisor else { return xml }
        return try DomainXML.hidingHypervisor(inDomainXML: xml, vendorID: template.hypervVendorID)
    }

    /// The overlay volume of a template pool's VM.
    static func overlayName(_ vm: VMRef) -> String { "\(vm.domain).qcow2" }
}
