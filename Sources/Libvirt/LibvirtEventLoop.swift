internal import CLibvirt
import Dispatch

/// libvirt's default event loop, registered once per process before the first connection opens and run on a
/// thread of its own: domain events (and keepalives) are delivered from it.
enum LibvirtEventLoop {
    /// Whether the loop was registered; a global `let` runs its initialiser exactly once, thread-safely.
    private static let registered: Bool = {
        guard virEventRegisterDefaultImpl() == 0 else { return false }
        // One dispatch thread, parked in libvirt's poll for the process's lifetime. An iteration that fails (an
        // interrupted poll) must not end the loop: events and keepalives of every connection depend on it.
        DispatchQueue(label: "saffron.libvirt.events").async {
            while true { _ = virEventRunDefaultImpl() }
        }
        return true
    }()

    /// Registers and starts the loop if needed; throws if libvirt refused it.
    static func ensureRunning() throws {
        guard registered else { throw LibvirtError.last(operation: "virEventRegisterDefaultImpl") }
    }
}
