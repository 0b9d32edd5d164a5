internal import CLibvirt
import Foundation

/// One host ("node") device as libvirt describes it: a PCI function, a mediated device, a USB port, ...
public struct NodeDevice: Sendable, Equatable {
    /// libvirt's name for the device, e.g. `pci_0000_3b_00_0` or `mdev_<uuid>_0000_3b_00_0`.
    public let name: String
    /// The device's XML (`virNodeDeviceGetXMLDesc`): a `<device>` element with its `<capability>` children.
    public let xml: String
    /// Whether the device exists on the host right now (`virNodeDeviceIsActive`); a mediated device that is only
    /// defined (for example through mdevctl) is inactive. Nil when the driver cannot tell, as libvirt's test
    /// driver cannot.
    public let isActive: Bool?

    /// Creates a value from its parts; useful for tests that parse device XML without libvirt.
    public init(name: String, xml: String, isActive: Bool? = nil) {
        self.name = name
        self.xml = xml
        self.isActive = isActive
    }
}

extension LibvirtConnection {
    /// Every node device of the host, active and defined, sorted by name (`virConnectListAllNodeDevices`).
    ///
    /// Lists with no filter flags and leaves the filtering to the caller, because some drivers (libvirt's test
    /// driver among them) refuse the capability filter flags such as `VIR_CONNECT_LIST_NODE_DEVICES_CAP_MDEV_TYPES`.
    public func nodeDevices() async throws -> [NodeDevice] {
        try await perform { connection in
            var list: UnsafeMutablePointer<OpaquePointer?>?
            let count = virConnectListAllNodeDevices(connection, &list, 0)
            guard count >= 0 else {
                throw LibvirtError.last(connection: connection, operation: "virConnectListAllNodeDevices")
            }
            guard let list else { return [] }
            defer {
                for index in 0..<Int(count) { if let device = list[index] { virNodeDeviceFree(device) } }
                free(list)
            }
            let devices = try (0..<Int(count)).compactMap { index in
                try list[index].map { try NodeDevice(device: $0, connection: connection) }
            }
            return devices.sorted { $0.name < $1.name }
        }
    }
}

extension NodeDevice {
    /// Reads name, XML and active state of a `virNodeDevicePtr`; call on the connection's queue.
    init(device: OpaquePointer, connection: OpaquePointer) throws {
        guard let name = virNodeDeviceGetName(device) else {
            throw LibvirtError.last(connection: connection, operation: "virNodeDeviceGetName")
        }
        guard let text = virNodeDeviceGetXMLDesc(device, 0) else {
            throw LibvirtError.last(connection: connection, operation: "virNodeDeviceGetXMLDesc")
        }
        defer { free(text) }
        let active = virNodeDeviceIsActive(device)
        // A driver without the call (VIR_ERR_NO_SUPPORT) leaves an error behind; it must not leak into later calls.
        if active < 0 { virResetLastError() }
        self.init(name: String(cString: name), xml: String(cString: text), isActive: active < 0 ? nil : active == 1)
    }
}
