internal import CLibvirt
import Foundation

extension LibvirtConnection {
    /// Creates a transient mediated device (a vGPU) of type `typeID` on the parent device, with the given UUID
    /// (`virNodeDeviceCreateXML`), and returns libvirt's name for it.
    ///
    /// The device lasts until destroyed or until the host reboots. libvirt creates it through mdevctl, so the host
    /// needs mdevctl and a vendor driver offering the type; libvirt's test driver creates none (it only knows
    /// NPIV vHBAs) and answers with an error.
    /// - Parameters:
    ///   - parent: the parent's node device name, e.g. `pci_0000_3b_00_0`.
    ///   - uuid: lowercase canonical UUID; the domain's `<hostdev type='mdev'>` names the device by it.
    public func createMediatedDevice(parent: String, typeID: String, uuid: String) async throws -> String {
        let xml = try Self.mediatedDeviceXML(parent: parent, typeID: typeID, uuid: uuid)
        return try await perform { connection in
            guard let device = virNodeDeviceCreateXML(connection, xml, 0) else {
                throw LibvirtError.last(connection: connection, operation: "virNodeDeviceCreateXML")
            }
            defer { virNodeDeviceFree(device) }
            guard let name = virNodeDeviceGetName(device) else {
                throw LibvirtError.last(connection: connection, operation: "virNodeDeviceGetName")
            }
            return String(cString: name)
        }
    }

    /// Destroys the active mediated device with this UUID (`virNodeDeviceDestroy`); false when the host has none.
    ///
    /// The device is found among the host's node devices by name, since libvirt names it `mdev_<uuid>` or, since
    /// 7.8, `mdev_<uuid>_<parent address>` (dashes written as underscores). A domain still running on it keeps it
    /// busy, so stop the domain first.
    @discardableResult
    public func destroyMediatedDevice(uuid: String) async throws -> Bool {
        let names = try await nodeDevices().map(\.name)
        guard let name = Self.mediatedDeviceName(uuid: uuid, among: names) else { return false }
        return try await perform { connection in
            guard let device = virNodeDeviceLookupByName(connection, name) else {
                let error = LibvirtError.last(connection: connection, operation: "virNodeDeviceLookupByName")
                if error.code == Int32(bitPattern: VIR_ERR_NO_NODE_DEVICE.rawValue) { return false }
                throw error
            }
            defer { virNodeDeviceFree(device) }
            guard virNodeDeviceDestroy(device) == 0 else {
                throw LibvirtError.last(connection: connection, operation: "virNodeDeviceDestroy")
            }
            return true
        }
    }

    /// The node device XML that asks for one mediated device: `<device><parent/><capability type='mdev'>` with
    /// its type and UUID. Throws for a UUID that is not lowercase canonical, or an empty parent or type.
    static func mediatedDeviceXML(parent: String, typeID: String, uuid: String) throws -> String {
        guard UUID(uuidString: uuid) != nil, uuid == uuid.lowercased() else {
            throw LibvirtError.invalidArgument("'\(uuid)' is not a lowercase mediated device UUID")
        }
        guard !parent.isEmpty, !typeID.isEmpty else {
            throw LibvirtError.invalidArgument("a mediated device needs a parent device and a type")
        }
        return """
            <device><parent>\(escaped(parent))</parent><capability type='mdev'>\
            <type id='\(escaped(typeID))'/><uuid>\(uuid)</uuid></capability></device>
            """
    }

    /// The name of the mediated device with `uuid` among node device names, in either of libvirt's name forms.
    static func mediatedDeviceName(uuid: String, among names: [String]) -> String? {
        let stem = "mdev_" + uuid.lowercased().replacingOccurrences(of: "-", with: "_")
        return names.first { $0 == stem || $0.hasPrefix(stem + "_") }
    }

    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "'", with: "&apos;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}
