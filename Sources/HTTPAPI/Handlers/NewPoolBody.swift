import Broker
import Store

/// `POST /admin/pools` body: a pool of existing VMs, or with `template` one the broker makes VMs for; on the host
/// `connect`, or the hosts `hosts` (the first first).
struct NewPoolBody: Decodable {
    static let keys: Set<String> = ["name", "connect", "hosts", "desktops", "private", "policy", "template"]
    let name: String
    let connect: String?
    let hosts: [String]?
    let desktops: DesktopMode?
    let `private`: Bool?
    let policy: PolicyPatch?
    let template: Template?

    struct Template: Decodable {
        let domainXML: String
        let baseImage: String
        let storagePool: String?
        let maxVMs: Int?
        /// `passthrough` or `vgpu:TYPE`.
        let gpu: String?
        let hideHypervisor: Bool?
        let hypervVendorID: String?

        func poolTemplate() throws -> PoolTemplate {
            var template = PoolTemplate(
                domainXML: domainXML, baseImage: baseImage, storagePool: storagePool ?? "default", maxVMs: maxVMs ?? 10)
            if let gpu {
                guard let parsed = TemplateGPU(argument: gpu) else {
                    throw BrokerError.badRequest("template.gpu must be passthrough or vgpu:TYPE, not \(gpu.debugDescription).")
                }
                template.gpu = parsed
            }
            template.hideHypervisor = hideHypervisor ?? false
            template.hypervVendorID = hypervVendorID
            return template
        }
    }
}
