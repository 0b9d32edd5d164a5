/// One kind of mediated device (vGPU profile) a GPU board offers, with how many of it the board holds.
public struct MediatedDeviceType: Hashable, Sendable {
    /// The vendor's type id, e.g. `nvidia-63`; what a vGPU request names.
    public let id: String
    /// The vendor's profile name, e.g. `GRID P4-1Q`, when the driver reports one.
    public let name: String?
    /// The device API a guest sees, e.g. `vfio-pci`.
    public let deviceAPI: String
    /// How many more instances the board can create right now (libvirt's `availableInstances`).
    public let availableInstances: Int
    /// Active mediated devices of this type on the board.
    public let instancesInUse: Int

    /// Creates a value from its parts.
    public init(id: String, name: String?, deviceAPI: String, availableInstances: Int, instancesInUse: Int) {
        self.id = id
        self.name = name
        self.deviceAPI = deviceAPI
        self.availableInstances = availableInstances
        self.instancesInUse = instancesInUse
    }

    /// Instances the board holds in its current state: those in use plus those still available.
    ///
    /// This is what the host reports, not a datasheet figure: NVIDIA boards that host one profile at a time report
    /// no availability for other profiles while one is in use, so their maximum reads 0 until the board is empty.
    public var maxInstances: Int { availableInstances + instancesInUse }

    /// Frame buffer per instance in MiB, when the profile name states it; nil otherwise.
    public var framebufferMiB: Int? { name.flatMap(Self.framebufferMiB(profileName:)) }

    /// Frame buffer in MiB read from an NVIDIA vGPU profile name: the number before the series letter, in GiB.
    ///
    /// `GRID P4-1Q` is 1 GiB, `NVIDIA A16-16B` 16 GiB, `GRID M60-0B` 512 MiB (NVIDIA's "0" profiles), and a
    /// MIG-backed `NVIDIA A100-2-10C` 10 GiB. Other vendors' names (Intel GVT-g `GVTg_V5_4`) say nothing about
    /// memory, so they give nil rather than a guess.
    public static func framebufferMiB(profileName: String) -> Int? {
        let pattern = /^(?:GRID|NVIDIA) [A-Za-z0-9]+-(?:\d+-)?(\d+)[ABCQ]$/
        guard let match = profileName.wholeMatch(of: pattern), let gibibytes = Int(match.1) else { return nil }
        return gibibytes == 0 ? 512 : gibibytes * 1024
    }
}
