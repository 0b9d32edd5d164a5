import Broker
import SaffronAPI
import Store

// The document's pool schemas and the store's records they carry: a policy change applied, a policy shown, a
// template and a desktop mode taken.

extension Components.Schemas.PolicyPatch {
    /// Whether the patch changes nothing.
    var isEmpty: Bool { self == .init() }

    /// Applies the fields sent; a time limit of 0 turns it off.
    func apply(to policy: inout PoolPolicy) {
        func limit(_ seconds: Int) -> Int? { seconds == 0 ? nil : seconds }
        if let spares { policy.spares = spares }
        if let bootLimit { policy.bootLimit = bootLimit }
        if let spareLingerSeconds { policy.spareLingerSeconds = spareLingerSeconds }
        if let attachWindowSeconds { policy.attachWindowSeconds = limit(attachWindowSeconds) }
        if let disconnectGraceSeconds { policy.disconnectGraceSeconds = limit(disconnectGraceSeconds) }
        if let idleShutdownSeconds { policy.idleShutdownSeconds = limit(idleShutdownSeconds) }
        if let ticketValiditySeconds { policy.ticketValiditySeconds = limit(ticketValiditySeconds) }
        if let maxSessionsPerUser { policy.maxSessionsPerUser = maxSessionsPerUser }
        if let consoleRoute { policy.consoleRoute = ConsoleRoute(rawValue: consoleRoute) }
    }
}

extension Components.Schemas.PoolPolicy {
    /// A pool's policy as the document gives it; a time limit that is off is left out.
    package init(_ policy: PoolPolicy) {
        self.init(
            spares: policy.spares, bootLimit: policy.bootLimit, spareLingerSeconds: policy.spareLingerSeconds,
            attachWindowSeconds: policy.attachWindowSeconds, disconnectGraceSeconds: policy.disconnectGraceSeconds,
            idleShutdownSeconds: policy.idleShutdownSeconds, ticketValiditySeconds: policy.ticketValiditySeconds,
            maxSessionsPerUser: policy.maxSessionsPerUser, consoleRoute: policy.consoleRoute.rawValue)
    }
}

extension Components.Schemas.NewPool.TemplatePayload {
    /// The template a pool's VMs are made from, with the document's defaults filled in.
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

extension DesktopMode {
    init(_ mode: Components.Schemas.DesktopMode) {
        self = DesktopMode(rawValue: mode.rawValue)!  // the document's modes are the store's
    }
}
