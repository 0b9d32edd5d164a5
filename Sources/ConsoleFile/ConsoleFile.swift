/// A virt-viewer connection file (`.vv`) for one SPICE session.
///
/// The value is what the broker hands to a user's `remote-viewer`; ``rendered()`` turns it into the
/// GKeyFile text that virt-viewer reads, escaping every value so that no field can add a key or a group.
public struct ConsoleFile: Sendable, Equatable {
    /// The MIME type virt-viewer registers for `.vv` files; send it as the HTTP `Content-Type`.
    public static let mediaType = "application/x-virt-viewer"

    /// The file extension virt-viewer expects, without the dot.
    public static let fileExtension = "vv"

    /// The SPICE server (or DNAT public address) the client connects to.
    public var host: String
    /// The plain-text SPICE port.
    public var port: Int
    /// The one-time SPICE ticket (password).
    public var password: String
    /// The window title shown by the viewer, usually the VM or pool name.
    public var title: String
    /// Asks the viewer to delete the file once read, so the ticket does not linger on disk.
    public var deleteThisFile = true
    /// The key combination the viewer sends as Ctrl+Alt+Del to the guest.
    public var secureAttention = "ctrl+alt+end"
    /// The key combination that releases a grabbed pointer.
    public var releaseCursor = "shift+f12"
    /// The key combination that toggles full screen.
    public var toggleFullscreen = "shift+f11"
    /// SPICE over TLS; when set, the file names only the TLS port and asks for every channel secure.
    public var tls: TLS?
    /// Further keys (e.g. `proxy`, `enable-usbredir`), rendered after the standard ones in this order.
    public var extraKeys: [Entry] = []

    /// SPICE over TLS: where, and whom to trust.
    public struct TLS: Sendable, Equatable {
        /// The TLS port (`tls-port`).
        public var port: Int
        /// The CA certificate, PEM (`ca`; its newlines are escaped in the file).
        public var ca: String
        /// The subject the server's certificate must carry (`host-subject`), when the host name cannot be checked.
        public var hostSubject: String?

        public init(port: Int, ca: String, hostSubject: String?) {
            self.port = port
            self.ca = ca
            self.hostSubject = hostSubject
        }
    }

    /// Creates a connection file with the default key bindings and `delete-this-file` on.
    public init(host: String, port: Int, password: String, title: String) {
        self.host = host
        self.port = port
        self.password = password
        self.title = title
    }
}
