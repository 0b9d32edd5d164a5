internal import CLibvirt
import Dispatch

/// libvirt's default event loop, registered once per process before the first connection opens and run on a
/// thread of its own: domain events (and keepalives) are delivered from it.
enum LibvirtEventLoop {
    /// Whether the loop was registered; a global `let` runs its initialiser exactly once, thread-safely.
    private static let registered: Bool = {
        guard virEventRegisterDefaultImpl() == 0 else { return false }
        // One dispatch thread, parked in libvirt's poll for the process's lifetime.
        DispatchQueue(label: "saffron.libvirt.events").async {
            while true {
                if virEventRunDefaultImpl() != 0 { break }
            }
        }
        return true
    }()

    /// Registers and starts the loop if needed; throws if libvirt refused it.
    static func ensureRunning() throws {
        guard registered else { throw LibvirtError.last(operation: "virEventRegisterDefaultImpl") }
    }
}
