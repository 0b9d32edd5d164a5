/// The GPU each desktop of a template pool gets: a whole device passed through, or one vGPU of a type.
///
/// The store's own value, so the store needs nothing of the broker; the broker places it as a `GPURequest`.
public enum TemplateGPU: Sendable, Hashable, Codable, CustomStringConvertible {
    /// A whole GPU passed through to the desktop.
    case passthrough
    /// One mediated device (vGPU) of the type with this id, e.g. `nvidia-63`.
    case vgpu(typeID: String)

    /// Reads the command-line form: `passthrough` or `vgpu:TYPE`; nil for anything else or an empty type.
    public init?(argument: String) {
        if argument == "passthrough" {
            self = .passthrough
        } else if argument.hasPrefix("vgpu:"), case let typeID = String(argument.dropFirst(5)),
            !typeID.isEmpty, !typeID.contains(where: \.isWhitespace)
        {
            self = .vgpu(typeID: typeID)
        } else {
            return nil
        }
    }

    /// The command-line form, `passthrough` or `vgpu:TYPE`; also how `pool list --json` shows it.
    public var argument: String {
        switch self {
        case .passthrough: "passthrough"
        case .vgpu(let typeID): "vgpu:\(typeID)"
        }
    }

    public var description: String { argument }
}

extension TemplateGPU {
    /// The GPU from the stores' `gpu_mode` and `gpu_mdev_type` columns; nil when unset or unreadable.
    public init?(column mode: String?, mediatedType: String?) {
        switch mode {
        case "passthrough": self = .passthrough
        case "vgpu":
            guard let mediatedType else { return nil }
            self = .vgpu(typeID: mediatedType)
        default: return nil
        }
    }

    /// The `gpu_mode` column: `passthrough` or `vgpu`.
    public var modeColumn: String {
        switch self {
        case .passthrough: "passthrough"
        case .vgpu: "vgpu"
        }
    }

    /// The `gpu_mdev_type` column: the vGPU's type id, nil for pass-through.
    public var mediatedTypeColumn: String? {
        guard case .vgpu(let typeID) = self else { return nil }
        return typeID
    }
}
