import Foundation

/// A person who can log in to the broker.
public struct UserRecord: Sendable, Equatable, Codable {
    public var name: String
    /// bcrypt hash of the password; never the password itself.
    public var passwordHash: String
    public var isAdmin: Bool
    /// May read everything admins read (pools, sessions, users, audit log) and change nothing.
    public var isAuditor: Bool
    public var createdAt: Date

    public init(name: String, passwordHash: String, isAdmin: Bool, isAuditor: Bool = false, createdAt: Date) {
        self.name = name
        self.passwordHash = passwordHash
        self.isAdmin = isAdmin
        self.isAuditor = isAuditor
        self.createdAt = createdAt
    }
}

/// What becomes of a pool's desktop when its session ends.
public enum DesktopMode: String, Sendable, Codable, CaseIterable {
    /// The VM goes back to the pool as it is, for the next user (the mode of pools of existing VMs).
    case pooled
    /// The VM is powered off and its disk overlay thrown away, so the next user gets a clean desktop (template
    /// pools only).
    case volatile
    /// The VM stays its first user's and comes back to them at every login, until an admin unassigns it.
    case persistent
}

/// How a template pool makes its own VMs: copy-on-write overlays of one base image, defined from one domain XML.
public struct PoolTemplate: Sendable, Equatable, Codable {
    /// The domain XML every desktop is defined from (its name, uuid, MACs and first disk are replaced).
    public var domainXML: String
    /// Path of the qcow2 base image the overlays are backed by; a volume libvirt knows.
    public var baseImage: String
    /// The libvirt storage pool the overlays are created in.
    public var storagePool: String
    /// How many VMs the pool may create.
    public var maxVMs: Int
    /// The GPU each desktop gets, placed on a board with room when the desktop is created; nil for none.
    public var gpu: TemplateGPU?
    /// Whether desktops hide the hypervisor from the guest (`<kvm><hidden state='on'/>`), for GPU drivers that
    /// refuse to run under KVM.
    public var hideHypervisor: Bool
    /// The Hyper-V vendor id desktops show instead of the hypervisor's (1...12 characters); only with
    /// `hideHypervisor`.
    public var hypervVendorID: String?

    public init(
        domainXML: String, baseImage: String, storagePool: String, maxVMs: Int, gpu: TemplateGPU? = nil,
        hideHypervisor: Bool = false, hypervVendorID: String? = nil
    ) {
        self.domainXML = domainXML
        self.baseImage = baseImage
        self.storagePool = storagePool
        self.maxVMs = maxVMs
        self.gpu = gpu
        self.hideHypervisor = hideHypervisor
        self.hypervVendorID = hypervVendorID
    }

    /// Decodes a template, reading one written before templates had GPUs as one without.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            domainXML: try container.decode(String.self, forKey: .domainXML),
            baseImage: try container.decode(String.self, forKey: .baseImage),
            storagePool: try container.decode(String.self, forKey: .storagePool),
            maxVMs: try container.decode(Int.self, forKey: .maxVMs),
            gpu: try container.decodeIfPresent(TemplateGPU.self, forKey: .gpu),
            hideHypervisor: try container.decodeIfPresent(Bool.self, forKey: .hideHypervisor) ?? false,
            hypervVendorID: try container.decodeIfPresent(String.self, forKey: .hypervVendorID))
    }
}

/// How a pool runs itself: spare VMs kept booted, and when sessions nobody uses are taken back.
public struct PoolPolicy: Sendable, Equatable, Codable {
    /// Free VMs kept running so a handout never waits for a boot.
    public var spares: Int
    /// At most this many spares boot at once (boot storms).
    public var bootLimit: Int
    /// Spares beyond `spares` are powered off after running unused this long (seconds).
    public var spareLingerSeconds: Int
    /// A session no viewer attached to within this long after its handout or its last ticket is ended (seconds;
    /// nil: never).
    public var attachWindowSeconds: Int?
    /// A session whose viewer left this long ago and did not come back is ended (seconds; nil: never).
    public var disconnectGraceSeconds: Int?
    /// A persistent desktop without a session is shut down after this long (seconds; nil: never).
    public var idleShutdownSeconds: Int?
    /// SPICE ticket validity for this pool's desktops (seconds); nil: the broker's `tickets.validitySeconds`.
    public var ticketValiditySeconds: Int?
    /// How many desktops of this pool one user may hold at once (asking for another one each time); 1 in a
    /// persistent pool, where a user's desktop is their one VM.
    public var maxSessionsPerUser: Int
    /// How this pool's console files reach the desktop unless a request names a route.
    public var consoleRoute: ConsoleRoute

    public init(
        spares: Int = 0, bootLimit: Int = 2, spareLingerSeconds: Int = 600, attachWindowSeconds: Int? = 300,
        disconnectGraceSeconds: Int? = 900, idleShutdownSeconds: Int? = 3600, ticketValiditySeconds: Int? = nil,
        maxSessionsPerUser: Int = 1, consoleRoute: ConsoleRoute = .direct
    ) {
        self.spares = spares
        self.bootLimit = bootLimit
        self.spareLingerSeconds = spareLingerSeconds
        self.attachWindowSeconds = attachWindowSeconds
        self.disconnectGraceSeconds = disconnectGraceSeconds
        self.idleShutdownSeconds = idleShutdownSeconds
        self.ticketValiditySeconds = ticketValiditySeconds
        self.maxSessionsPerUser = maxSessionsPerUser
        self.consoleRoute = consoleRoute
    }
}

/// How a console file sends its client to the desktop: the name of one of the broker's access paths. `direct`, the
/// default, goes to the gateway's public port leased to the session, forwarded (DNAT) to the VM; each other access
/// path names its own route.
public struct ConsoleRoute: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    /// To the gateway's public port leased to the session, forwarded to the VM, pinned to the client address.
    public static let direct = ConsoleRoute(rawValue: "direct")

    public var description: String { rawValue }
    public static func < (lhs: ConsoleRoute, rhs: ConsoleRoute) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// A pool of desktops that live on one libvirt connection.
public struct PoolRecord: Sendable, Equatable, Codable {
    public var name: String
    /// libvirt connection URI of the pool's first hypervisor host, e.g. `qemu:///system`: where its VMs live unless
    /// they say otherwise.
    public var connectURI: String
    /// The connection URIs of the pool's other hosts, in the order the admin gave them.
    public var otherConnectURIs: [String]
    public var desktopMode: DesktopMode
    /// Set for pools whose VMs the broker creates itself; nil for pools of existing VMs.
    public var template: PoolTemplate?
    public var policy: PoolPolicy
    public var createdAt: Date

    /// Every host of the pool, its first one first.
    public var connectURIs: [String] { [connectURI] + otherConnectURIs }

    public init(
        name: String, connectURI: String, otherConnectURIs: [String] = [], desktopMode: DesktopMode = .pooled,
        template: PoolTemplate? = nil, policy: PoolPolicy = PoolPolicy(), createdAt: Date
    ) {
        self.name = name
        self.connectURI = connectURI
        self.otherConnectURIs = otherConnectURIs
        self.desktopMode = desktopMode
        self.template = template
        self.policy = policy
        self.createdAt = createdAt
    }
}

/// A libvirt domain that belongs to a pool.
public struct VMRecord: Sendable, Equatable, Codable {
    /// The libvirt domain name.
    public var name: String
    public var pool: String
    /// The user a persistent desktop belongs to, if any.
    public var assignedUser: String?
    /// Whether the domain (and, for template pools, its overlay) exists; false for a template pool's VM that was
    /// named but not created yet, or was reset.
    public var isProvisioned: Bool
    /// Set when the VM must be reset (overlay thrown away) before anyone gets it again.
    public var needsReset: Bool
    /// Why the broker stopped handing the VM out; nil for a healthy VM.
    public var brokenReason: String?
    public var addedAt: Date
    /// The libvirt connection URI of the host the VM lives on; nil: its pool's first host.
    public var connectURI: String?

    public init(
        name: String, pool: String, assignedUser: String? = nil, isProvisioned: Bool = true, needsReset: Bool = false,
        brokenReason: String? = nil, addedAt: Date, connectURI: String? = nil
    ) {
        self.connectURI = connectURI
        self.name = name
        self.pool = pool
        self.assignedUser = assignedUser
        self.isProvisioned = isProvisioned
        self.needsReset = needsReset
        self.brokenReason = brokenReason
        self.addedAt = addedAt
    }
}

/// A pool with its size and how many desktops it can still hand out.
public struct PoolSummary: Sendable, Equatable, Codable {
    public var pool: PoolRecord
    public var vmCount: Int
    /// Desktops a new user could get now: VMs nobody holds, is assigned or is resetting, healthy, plus the VMs a
    /// template pool may still create.
    public var freeVMCount: Int

    public init(pool: PoolRecord, vmCount: Int, freeVMCount: Int) {
        self.pool = pool
        self.vmCount = vmCount
        self.freeVMCount = freeVMCount
    }
}

/// Where a session stands between handout and use.
public enum SessionState: String, Sendable, Codable, CaseIterable {
    /// The VM and port are held; the VM is being started and its SPICE endpoint is not known yet.
    case starting
    /// The SPICE endpoint is known and forwarded from the public port.
    case ready
}

/// A user's hold on one VM of a pool, reached through one leased public port.
public struct SessionRecord: Sendable, Equatable, Codable {
    public var id: String
    public var user: String
    public var pool: String
    public var vm: String
    /// The public port on the gateway, leased to this session alone while it lives.
    public var publicPort: Int
    /// The gateway address of the broker that handed it out, which forwards its port (nil for a session from before
    /// brokers had their own: the next broker to start adopts it).
    public var publicAddress: String?
    /// The client address the broker saw at handout; forwarding is pinned to it.
    public var clientAddress: String
    public var state: SessionState
    /// The VM's SPICE listen address, once known.
    public var targetAddress: String?
    /// The VM's SPICE port, once known.
    public var targetPort: Int?
    /// The VM's SPICE TLS port, when its SPICE server offers TLS.
    public var targetTLSPort: Int?
    /// How the session's clients reach the VM, from its pool's console route at handout: `direct` sessions get a
    /// forwarding rule on their public port, `proxy` sessions none (they are reached through the CONNECT proxy only).
    public var route: ConsoleRoute
    public var createdAt: Date

    public init(
        id: String, user: String, pool: String, vm: String, publicPort: Int, clientAddress: String,
        state: SessionState, targetAddress: String? = nil, targetPort: Int? = nil, targetTLSPort: Int? = nil,
        route: ConsoleRoute = .direct, createdAt: Date, publicAddress: String? = nil
    ) {
        self.publicAddress = publicAddress
        self.id = id
        self.user = user
        self.pool = pool
        self.vm = vm
        self.publicPort = publicPort
        self.clientAddress = clientAddress
        self.state = state
        self.targetAddress = targetAddress
        self.targetPort = targetPort
        self.targetTLSPort = targetTLSPort
        self.route = route
        self.createdAt = createdAt
    }
}
