import Libvirt

/// A GPU of the host: a PCI display controller, with the vGPU profiles it offers and what uses it now.
public struct GPUDevice: Hashable, Sendable {
    /// libvirt's node device name, e.g. `pci_0000_3b_00_0`; the parent name of its mediated devices.
    public let nodeName: String
    /// The PCI address, e.g. `0000:3b:00.0`.
    public let address: PCIAddress
    /// The 24-bit PCI class code; GPUs have base class 0x03 (0x030000 VGA, 0x030200 3D controller).
    public let pciClass: Int
    /// PCI vendor id, e.g. 0x10de for NVIDIA.
    public let vendorID: Int?
    /// PCI product id.
    public let productID: Int?
    /// The vendor's name as libvirt reads it from the PCI id database, e.g. `NVIDIA Corporation`.
    public let vendor: String?
    /// The product's name, e.g. `GP104GL [Tesla P4]`.
    public let product: String?
    /// The vGPU profiles the board offers; empty for a GPU that can only be passed through whole.
    public let mediatedTypes: [MediatedDeviceType]
    /// Active mediated devices on the board, of any type.
    public let mediatedInUse: Int
    /// Domains whose definition passes this whole device through.
    public let passthroughDomains: [String]

    /// Creates a value from its parts.
    public init(
        nodeName: String, address: PCIAddress, pciClass: Int, vendorID: Int? = nil, productID: Int? = nil,
        vendor: String? = nil, product: String? = nil, mediatedTypes: [MediatedDeviceType] = [],
        mediatedInUse: Int = 0, passthroughDomains: [String] = []
    ) {
        self.nodeName = nodeName
        self.address = address
        self.pciClass = pciClass
        self.vendorID = vendorID
        self.productID = productID
        self.vendor = vendor
        self.product = product
        self.mediatedTypes = mediatedTypes
        self.mediatedInUse = mediatedInUse
        self.passthroughDomains = passthroughDomains
    }

    /// Whether the whole device may be given to one more domain: no domain has it and it hosts no vGPU.
    public var isFreeForPassthrough: Bool { passthroughDomains.isEmpty && mediatedInUse == 0 }

    /// The offered profile with this type id, if any.
    public func mediatedType(_ id: String) -> MediatedDeviceType? { mediatedTypes.first { $0.id == id } }

    /// Whether a PCI class code is a display controller (base class 0x03).
    static func isDisplayController(pciClass: Int) -> Bool { pciClass >> 16 == 0x03 }
}
