import ArgumentParser
import Store

/// The GPU options of `pool create`: the GPU each desktop of a template pool gets, and hiding the hypervisor.
struct GPUOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "GPU for each desktop: 'passthrough' (a whole GPU) or 'vgpu:TYPE' (a vGPU of a type from saffron gpu list, e.g. vgpu:nvidia-63).",
            valueName: "passthrough|vgpu:TYPE"))
    var gpu: TemplateGPU?
    @Flag(help: "Hide the hypervisor from the guest (<kvm><hidden state='on'/>), for GPU drivers that refuse to run in a VM.")
    var hideHypervisor = false
    @Option(
        name: .customLong("hyperv-vendor-id"),
        help: ArgumentHelp(
            "Hyper-V vendor id the guest sees instead of the hypervisor's (1-12 characters); needs --hide-hypervisor.",
            valueName: "ID"))
    var hypervVendorID: String?

    /// Whether any option was given.
    var isEmpty: Bool { gpu == nil && !hideHypervisor && hypervVendorID == nil }

    /// Checks the options among themselves; `template` says whether the pool has a template they could apply to.
    func validate(template: Bool) throws {
        if !isEmpty, !template {
            throw ValidationError("--gpu, --hide-hypervisor and --hyperv-vendor-id apply to template pools (--template).")
        }
        if let hypervVendorID {
            guard hideHypervisor else { throw ValidationError("--hyperv-vendor-id goes with --hide-hypervisor.") }
            guard (1...12).contains(hypervVendorID.count), !hypervVendorID.contains(",") else {
                throw ValidationError("--hyperv-vendor-id takes 1 to 12 characters without a comma.")
            }
        }
    }

    /// The GPU as the API's template takes it: `passthrough` or `vgpu:TYPE`.
    var argument: String? { gpu?.argument }

    /// The GPU part of a template in a few words, for people; nil when it has neither GPU nor hiding.
    var description: String? {
        var parts: [String] = []
        switch gpu {
        case .passthrough: parts.append("a whole GPU passed through")
        case .vgpu(let typeID): parts.append("a \(typeID) vGPU")
        case nil: break
        }
        if hideHypervisor {
            parts.append("hypervisor hidden" + (hypervVendorID.map { " (Hyper-V vendor id \($0))" } ?? ""))
        }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }
}

/// Read with `TemplateGPU(argument:)`: `passthrough` or `vgpu:TYPE`.
extension TemplateGPU: ExpressibleByArgument {}
