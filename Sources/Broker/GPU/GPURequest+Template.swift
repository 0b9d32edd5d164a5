import Store

extension GPURequest {
    /// What a template pool's desktop asks of the host's GPUs.
    public init(_ gpu: TemplateGPU) {
        switch gpu {
        case .passthrough: self = .passthrough
        case .vgpu(let typeID): self = .vgpu(typeID: typeID)
        }
    }
}
