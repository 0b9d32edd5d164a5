import Broker
import Foundation
import Libvirt
import Store

extension LibvirtHypervisor {
    public func gpuBoards(on connectURI: String) async throws -> [GPUBoardView] {
        let host = VMRef(connectURI: connectURI, domain: "")
        return try await withConnection(to: host) { try await GPUInventory.read(from: $0) }.devices.map(GPUBoardView.init)
    }

    /// Refuses a template whose GPU the host can never give: a vGPU type no board offers, or pass-through on a host
    /// without GPUs. Capacity is not checked here; a full host is answered at handout.
    func checkGPU(_ gpu: TemplateGPU, connectURI: String) async throws {
        let probe = VMRef(connectURI: connectURI, domain: "")
        let inventory = try await withConnection(to: probe) { try await GPUInventory.read(from: $0) }
        let listing = "saffron gpu list --connect \(connectURI)"
        switch gpu {
        case .passthrough:
            guard inventory.devices.isEmpty else { return }
            throw BrokerError(.gpuNotOnHost, "\(connectURI) has no GPU to pass through: `\(listing)` shows no PCI display controller.")
        case .vgpu(let typeID):
            guard !inventory.devices.contains(where: { $0.mediatedType(typeID) != nil }) else { return }
            let offered = Set(inventory.devices.flatMap(\.mediatedTypes).map { type in
                type.name.map { "\(type.id) (\($0))" } ?? type.id
            }).sorted()
            let shown = offered.isEmpty
                ? "shows no vGPU types on any board" : "shows the types its boards offer: \(offered.joined(separator: ", "))"
            throw BrokerError(.gpuNotOnHost, "No GPU board of \(connectURI) offers vGPU type \(typeID); `\(listing)` \(shown).")
        }
    }

    /// Defines a desktop that gets the template's GPU: the GPU is placed on a board with room, a vGPU's mediated
    /// device created, and the `<hostdev>` added to `xml` before it is defined. A mediated device made for a domain
    /// that could not be defined is destroyed again.
    ///
    /// Placements on one host run one at a time, so two desktops created at once never get the same board: each
    /// reads the inventory after the previous one's device or definition exists. Throws `BrokerError` 503
    /// `gpu_capacity_exhausted` when no board has room.
    func defineWithGPU(_ gpu: TemplateGPU, xml: String, on connection: LibvirtConnection) async throws {
        await GPUHostGate.shared.enter(connection.uri)
        do {
            try await placeAndDefine(gpu, xml: xml, on: connection)
            await GPUHostGate.shared.leave(connection.uri)
        } catch {
            await GPUHostGate.shared.leave(connection.uri)
            throw error
        }
    }

    private func placeAndDefine(_ gpu: TemplateGPU, xml: String, on connection: LibvirtConnection) async throws {
        var planner = GPUPlanner(inventory: try await GPUInventory.read(from: connection))
        let placement = try planner.place(GPURequest(gpu))
        if let typeID = placement.mediatedTypeID, case .mediated(let uuid) = placement.hostdev {
            do {
                _ = try await connection.createMediatedDevice(parent: placement.nodeName, typeID: typeID, uuid: uuid)
            } catch let error as LibvirtError where !error.isConnectionLost {
                throw BrokerError.hypervisor(
                    "libvirt could not create a \(typeID) vGPU on \(placement.nodeName) (\(placement.device)): \(error.message)")
            }
        }
        do {
            _ = try await connection.define(xml: try DomainXML.addingGPU(placement.hostdev, toDomainXML: xml))
        } catch {
            if case .mediated(let uuid) = placement.hostdev {
                _ = try? await connection.destroyMediatedDevice(uuid: uuid)
            }
            throw error
        }
    }

    /// The UUIDs of the mediated devices a domain's definition uses; read before it is undefined, to destroy them.
    static func mediatedDeviceUUIDs(inDomainXML xml: String) throws -> [String] {
        try DomainXML.gpuHostdevs(inDomainXML: xml).compactMap { hostdev in
            guard case .mediated(let uuid) = hostdev else { return nil }
            return uuid
        }
    }
}

/// Lets one GPU placement at a time run per libvirt connection URI, in arrival order.
///
/// Placement reads what the host has free and then takes it; two at once would both see the same free board. An
/// actor shared by every `LibvirtHypervisor`, since the lock is about the host, not the broker object.
actor GPUHostGate {
    static let shared = GPUHostGate()
    private var held: Set<String> = []
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    /// Waits until no other placement on `host` runs, and holds it.
    func enter(_ host: String) async {
        if held.insert(host).inserted { return }
        await withCheckedContinuation { waiting[host, default: []].append($0) }
    }

    /// Hands `host` to the next waiting placement, or frees it.
    func leave(_ host: String) {
        if var queue = waiting[host], !queue.isEmpty {
            let next = queue.removeFirst()
            waiting[host] = queue.isEmpty ? nil : queue
            next.resume()
        } else {
            held.remove(host)
        }
    }
}
