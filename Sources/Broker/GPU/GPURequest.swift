/// What a GPU desktop asks for.
public enum GPURequest: Hashable, Sendable, CustomStringConvertible {
    /// A whole GPU passed through to the domain.
    case passthrough
    /// One vGPU of the mediated device type with this id, e.g. `nvidia-63`.
    case vgpu(typeID: String)

    public var description: String {
        switch self {
        case .passthrough: "a whole GPU"
        case .vgpu(let typeID): "a \(typeID) vGPU"
        }
    }
}
