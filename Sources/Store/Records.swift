import Foundation

/// A person who can log in to the broker.
public struct UserRecord: Sendable, Equatable, Codable {
    public var name: String
    /// bcrypt hash of the password; never the password itself.
    public var passwordHash: String
    public var isAdmin: Bool
    public var createdAt: Date

    public init(name: String, passwordHash: String, isAdmin: Bool, createdAt: Date) {
        self.name = name
        self.passwordHash = passwordHash
        self.isAdmin = isAdmin
        self.createdAt = createdAt
    }
}

/// A pool of desktops that live on one libvirt connection.
public struct PoolRecord: Sendable, Equatable, Codable {
    public var name: String
    /// libvirt connection URI of the hypervisor holding the pool's VMs, e.g. `qemu:///system`.
    public var connectURI: String
    public var createdAt: Date

    public init(name: String, connectURI: String, createdAt: Date) {
        self.name = name
        self.connectURI = connectURI
        self.createdAt = createdAt
    }
}

/// A libvirt domain that belongs to a pool.
public struct VMRecord: Sendable, Equatable, Codable {
    /// The libvirt domain name.
    public var name: String
    public var pool: String
    public var addedAt: Date

    public init(name: String, pool: String, addedAt: Date) {
        self.name = name
        self.pool = pool
        self.addedAt = addedAt
    }
}

/// A pool with its size and how many of its VMs nobody holds.
public struct PoolSummary: Sendable, Equatable, Codable {
    public var pool: PoolRecord
    public var vmCount: Int
    public var freeVMCount: Int

    public init(pool: PoolRecord, vmCount: Int, freeVMCount: Int) {
        self.pool = pool
        self.vmCount = vmCount
        self.freeVMCount = freeVMCount
    }
}

/// Where a session stands between handout and use.
public enum SessionState: String, Sendable, Codable {
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
    /// The client address the broker saw at handout; forwarding is pinned to it.
    public var clientAddress: String
    public var state: SessionState
    /// The VM's SPICE listen address, once known.
    public var targetAddress: String?
    /// The VM's SPICE port, once known.
    public var targetPort: Int?
    public var createdAt: Date

    public init(
        id: String, user: String, pool: String, vm: String, publicPort: Int, clientAddress: String,
        state: SessionState, targetAddress: String? = nil, targetPort: Int? = nil, createdAt: Date
    ) {
        self.id = id
        self.user = user
        self.pool = pool
        self.vm = vm
        self.publicPort = publicPort
        self.clientAddress = clientAddress
        self.state = state
        self.targetAddress = targetAddress
        self.targetPort = targetPort
        self.createdAt = createdAt
    }
}
