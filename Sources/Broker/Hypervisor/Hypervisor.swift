import Foundation
import Store

/// A VM as the broker names it: a domain on a libvirt connection.
public struct VMRef: Hashable, Sendable {
    /// libvirt connection URI, e.g. `qemu:///system`.
    public var connectURI: String
    /// libvirt domain name.
    public var domain: String

    public init(connectURI: String, domain: String) {
        self.connectURI = connectURI
        self.domain = domain
    }
}

/// Where a running VM's SPICE server listens.
public struct SpiceEndpoint: Hashable, Sendable {
    public var address: String
    public var port: Int
    /// The TLS port, when the SPICE server offers TLS (libvirt's `spice_tls`).
    public var tlsPort: Int?

    public init(address: String, port: Int, tlsPort: Int? = nil) {
        self.address = address
        self.port = port
        self.tlsPort = tlsPort
    }
}

/// The domains of one libvirt connection at one moment.
public struct DomainCensus: Sendable, Equatable {
    /// Names of every domain libvirt knows (persistent or running).
    public var defined: Set<String>
    /// Names of the running ones.
    public var running: Set<String>

    public init(defined: Set<String>, running: Set<String>) {
        self.defined = defined
        self.running = running
    }
}

/// What the broker needs from the virtualization layer.
public protocol Hypervisor: Sendable {
    /// Makes the VM fit for a pool: SPICE graphics with ticketing on, so it refuses everyone until given a ticket.
    /// Throws a `BrokerError` that says what to do when the VM cannot be made fit.
    func prepareForPool(_ vm: VMRef) async throws
    /// Starts the VM if it is not running and returns its live SPICE endpoint.
    func startIfNeeded(_ vm: VMRef) async throws -> SpiceEndpoint
    /// Sets a one-time SPICE ticket, keeping clients already connected.
    ///
    /// The validity counts from the moment the hypervisor applies the ticket (not from the request, which may wait
    /// behind other calls); returns when it ends.
    func setTicket(_ ticket: String, on vm: VMRef, validFor validity: TimeInterval) async throws -> Date
    /// Replaces the ticket with an expired random one and disconnects connected clients.
    func revokeTicket(on vm: VMRef) async throws

    /// The domains defined on the connection, and which of them run.
    func domainCensus(on connectURI: String) async throws -> DomainCensus
    /// The host's free memory in bytes, for placing new VMs on the host with the most room.
    func freeMemory(on connectURI: String) async throws -> UInt64
    /// Asks the guest to shut down (ACPI power button); it may take its time, or ignore it.
    func shutDown(_ vm: VMRef) async throws
    /// Stops the VM at once, like pulling the power cord; a VM already off is fine.
    func powerOff(_ vm: VMRef) async throws
    /// What the running VM's first screen shows now, encoded as the hypervisor likes (QEMU: PNG or PPM).
    /// Throws `BrokerError.vmNotRunning` (409) unless the VM runs.
    func screenshot(of vm: VMRef) async throws -> Screenshot

    /// The host's GPU boards with their vGPU profiles and what uses them.
    func gpuBoards(on connectURI: String) async throws -> [GPUBoardView]

    /// Watches the VMs of `connectURI`: calls `watching` once events flow (so that state asked for then misses
    /// nothing), then `handle` with each event in order. Returns when the task is cancelled; throws when the
    /// connection is lost, since events may have been missed.
    func watchEvents(
        on connectURI: String, watching: @Sendable () async -> Void, handle: @escaping @Sendable (HypervisorEvent) async -> Void
    ) async throws
    /// The SPICE clients (`address:port`, one per channel) attached to the running VM now, asked of the hypervisor
    /// rather than learnt from events: for viewers that attached before the broker watched.
    func attachedViewers(of vm: VMRef) async throws -> [String]

    /// Checks that `template` can make desktops on the connection: the domain XML has SPICE graphics, the storage
    /// pool runs and libvirt knows the base image. Throws a `BrokerError` that says what to fix.
    func checkTemplate(_ template: PoolTemplate, connectURI: String) async throws
    /// Creates a template pool's VM: a qcow2 overlay of the base image, and a domain defined from the template
    /// with SPICE ticketing locked. Left-overs of an earlier attempt at the same VM are replaced.
    func provision(_ vm: VMRef, from template: PoolTemplate) async throws
    /// Throws a template pool's VM away: powered off, undefined and its overlay deleted; parts already gone are
    /// fine. The next `provision` makes it anew from the base image.
    func discard(_ vm: VMRef, from template: PoolTemplate) async throws
}
