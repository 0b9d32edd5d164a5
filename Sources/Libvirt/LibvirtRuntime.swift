internal import CLibvirt

/// Process-wide libvirt setup, run once before the first connection is opened.
enum LibvirtRuntime {
    /// Result of `virInitialize`; a global `let` is initialised lazily and exactly once, thread-safely.
    private static let initialized: Bool = {
        let ok = virInitialize() == 0
        // libvirt's default handler prints every error to stderr; we report errors as thrown values instead.
        virSetErrorFunc(nil) { _, _ in }
        return ok
    }()

    /// Initialises libvirt if needed; throws if libvirt could not be initialised.
    static func ensureInitialized() throws {
        guard initialized else { throw LibvirtError.last(operation: "virInitialize") }
    }
}
