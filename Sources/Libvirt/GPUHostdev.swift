/// A PCI function's address on the host: domain, bus, slot and function, as in `0000:3b:00.0`.
public struct PCIAddress: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// PCI domain (segment), usually 0.
    public var domain: Int
    /// Bus number, 0...255.
    public var bus: Int
    /// Slot (device) number, 0...31.
    public var slot: Int
    /// Function number, 0...7.
    public var function: Int

    /// Creates an address from its parts.
    public init(domain: Int = 0, bus: Int, slot: Int, function: Int) {
        self.domain = domain
        self.bus = bus
        self.slot = slot
        self.function = function
    }

    /// The address the way `lspci -D` and sysfs write it, e.g. `0000:3b:00.0`.
    public var description: String {
        hex(domain, width: 4) + ":" + hex(bus, width: 2) + ":" + hex(slot, width: 2) + "." + String(function, radix: 16)
    }

    /// Orders by domain, bus, slot, function: the order `lspci` lists devices in.
    public static func < (lhs: PCIAddress, rhs: PCIAddress) -> Bool {
        (lhs.domain, lhs.bus, lhs.slot, lhs.function) < (rhs.domain, rhs.bus, rhs.slot, rhs.function)
    }

    /// Whether every part is in the range the PCI bus allows, so libvirt will accept it in a `<hostdev>`.
    var isValid: Bool {
        (0...0xFFFF).contains(domain) && (0...0xFF).contains(bus) && (0...0x1F).contains(slot)
            && (0...7).contains(function)
    }

    private func hex(_ value: Int, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// A GPU given to a domain: a whole PCI device passed through, or one mediated device (vGPU) of a board.
public enum GPUHostdev: Hashable, Sendable {
    /// The whole PCI device at this address, detached from the host driver by libvirt (`managed='yes'`).
    case pciPassthrough(PCIAddress)
    /// The mediated device with this UUID (lowercase, canonical form); it must exist before the domain starts.
    case mediated(uuid: String)
}
