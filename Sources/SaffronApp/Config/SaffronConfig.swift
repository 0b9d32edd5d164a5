import Broker
import DirectoryAuth
import Foundation

/// Saffron's configuration: one JSON file (every key optional, defaults below) plus `SAFFRON_*` environment
/// overrides. README lists every key.
public struct SaffronConfig: Codable, Sendable, Equatable {
    /// The HTTP API.
    public struct HTTP: Codable, Sendable, Equatable {
        /// `HOST:PORT` the API listens on.
        public var listen = "127.0.0.1:8080"
        /// Reverse proxies in front of the API (addresses or CIDR ranges) whose `X-Forwarded-For` names the client.
        public var trustedProxies: [String] = []
        /// A request (head and body) must arrive within this many seconds of the connection opening, or of its
        /// first byte on a kept-alive connection; a slow or silent client is closed.
        public var requestHeadTimeoutSeconds = 10
        /// A kept-alive connection with no request for this many seconds is closed.
        public var idleTimeoutSeconds = 60
        /// Connections one client (an IPv4 address, an IPv6 /64) may hold open at once; trusted proxies count only
        /// towards `maxConnections`.
        public var connectionsPerClient = 64
        /// Connections the API holds at once (more wait in the backlog); 0: an eighth of the open-files limit.
        public var maxConnections = 0
        /// The broker's URL as people's browsers and phones reach it (`https://vdi.example`), for links it hands out;
        /// empty: the URL each request came to (its Host, and https with TLS or a trusted proxy's X-Forwarded-Proto).
        public var publicURL = ""
    }
    /// The gateway clients connect to.
    public struct Gateway: Codable, Sendable, Equatable {
        /// The address `.vv` files carry and DNAT rules match: the gateway's address as clients reach it.
        public var publicAddress = "127.0.0.1"
        /// Public ports leased to sessions, `FIRST-LAST`.
        public var portRange = "20000-20999"
    }
    /// The WebSocket gateway browsers reach desktops through.
    public struct WebSocket: Codable, Sendable, Equatable {
        /// `HOST:PORT` the gateway listens on.
        public var listen = "127.0.0.1:8081"
        /// The gateway's base URL as browsers reach it; consoles connect to `<publicURL>/ws/<token>`.
        public var publicURL = "ws://127.0.0.1:8081"
        /// Origins (`scheme://host[:port]`) whose pages may open consoles; a browser from any other origin is refused.
        /// Clients that send no Origin (not browsers) are let through: the single-use token is what grants access.
        public var allowedOrigins = ["http://127.0.0.1:8080"]
        /// Connections one client (an IPv4 address, an IPv6 /64) may hold open at once; `http.trustedProxies` count
        /// only towards the gateway's total.
        public var connectionsPerClient = 256
    }
    /// The HTTP CONNECT proxy SPICE clients may reach desktops through: one public port instead of one per session.
    public struct Proxy: Codable, Sendable, Equatable {
        /// `HOST:PORT` the proxy listens on (3128 is the usual port); empty runs no proxy.
        public var listen = ""
        /// The proxy as clients reach it, written as `proxy=` into console files asked for through it;
        /// empty means `http://<gateway.publicAddress>:<port of listen>`.
        public var publicURL = ""
        /// Connections one client address may hold open at once (a SPICE session opens 4 to 8).
        public var connectionsPerClient = 64
        /// A tunnel with no data either way for this long is closed (a still screen sends nothing).
        public var idleTimeoutSeconds = 3600
        /// How long the proxy trusts a session's yes for a client and an endpoint before asking the store again; 0
        /// asks for every tunnel. Ending the session, or its client moving, forgets the yes at once.
        public var grantLifetimeSeconds = 60
    }
    /// The SPICE gateway: one public TLS port through which SPICE clients reach their desktops with a console
    /// credential that works all session long, instead of the desktop's short-lived ticket (route `gateway`).
    public struct SpiceGateway: Codable, Sendable, Equatable {
        /// `HOST:PORT` the gateway listens on (TLS only); empty runs none.
        public var listen = ""
        /// The host console files name; empty: `gateway.publicAddress`.
        public var publicHost = ""
        /// The port console files name; 0: the port of `listen`.
        public var publicPort = 0
        /// PEM certificate (chain) and key the gateway presents; empty: `tls.certificate` and `tls.key`.
        public var certificate = ""
        public var key = ""
        /// PEM CA certificate clients trust for it (written into console files); empty: `spice.tlsCA`.
        public var ca = ""
        /// The certificate's subject clients check (`saffron tls init` prints it); empty: the host name is checked.
        public var hostSubject = ""
        /// How long a console file's credential works, if its session lives that long.
        public var credentialLifetimeSeconds = 8 * 3600
        /// What a second viewer opening the same session's desktop does: `replace` the first (as SPICE does) or is
        /// `refuse`d while the first is connected.
        public var secondViewer = "replace"
        /// Connections one client address may hold open at once (a viewer opens 4 to 8).
        public var connectionsPerClient = 64
        /// Console files also name the CONNECT proxy (`proxy.listen` must be set), for clients that can leave their
        /// network only through it; the proxy then opens the gateway's public endpoint for them.
        public var viaProxy = false
    }
    /// HTTPS for the API and portal, and wss for the WebSocket gateway (`saffron tls init` makes the files).
    public struct TLS: Codable, Sendable, Equatable {
        /// PEM server certificate (chain); empty serves plain HTTP and ws. Relative paths start at the config's folder.
        public var certificate = ""
        /// PEM private key of the certificate.
        public var key = ""
    }
    /// SPICE over TLS between clients and the hypervisors' SPICE servers (libvirt's `spice_tls`).
    public struct Spice: Codable, Sendable, Equatable {
        /// PEM CA certificate that signed the SPICE servers' certificates; empty sends clients to plain ports. `.vv`
        /// files then carry it and the TLS port, and ask for every channel secure.
        public var tlsCA = ""
        /// The SPICE servers' certificate subject (`saffron tls init` prints it); empty checks the host name instead.
        public var hostSubject = ""
    }
    /// The portal's files.
    public struct Web: Codable, Sendable, Equatable {
        /// The portal's folder (`web/` of the source tree); a relative path starts at the config file's folder.
        public var root = "/usr/share/saffron/web"
        /// The distro's spice-html5 folder, served at `/spice-html5/`.
        public var spiceHTML5 = "/usr/share/spice-html5"
    }
    /// How public ports reach VMs.
    public struct Firewall: Codable, Sendable, Equatable {
        /// `iptables` (a DNAT rule per session in the broker's chains), `nftables` (an element per session in the
        /// broker's own table, through libnftables in-process) or `none` (the admin forwards by hand).
        public var backend = "iptables"
        /// Prefix of the broker's own iptables chains (`<chain>-DNAT`, `<chain>-MASQ`).
        public var chain = "SAFFRON"
        /// The broker's own nftables table (`ip <table>`).
        public var table = "saffron"
        /// Also masquerade forwarded traffic, so hypervisor hosts answer through the gateway without routes.
        public var masquerade = false
    }
    /// Where the broker keeps its state.
    public struct Database: Codable, Sendable, Equatable {
        /// SQLite file, used when `url` is empty; a relative path is taken from the config file's folder.
        public var path = "/var/lib/saffron/saffron.sqlite"
        /// A PostgreSQL database shared by several brokers, e.g. `postgres://saffron@db.example/saffron`
        /// (`?sslmode=disable|prefer|require|verify-full`, `&sslrootcert=FILE`; `?host=/run/postgresql` for a Unix
        /// socket); empty: the SQLite file at `path`.
        public var url = ""
        /// The database password (better: `SAFFRON_DATABASE_PASSWORD` or `passwordFile`); empty: none, or the URL's.
        public var password = ""
        /// A file holding the database password (its first line); a relative path is taken from the config file's
        /// folder.
        public var passwordFile = ""
    }
    /// SPICE tickets.
    public struct Tickets: Codable, Sendable, Equatable {
        /// How long the ticket in a `.vv` works; long enough for the client to open all its channels.
        public var validitySeconds = 60
    }
    /// Logins.
    public struct Auth: Codable, Sendable, Equatable {
        /// How long a login token works.
        public var tokenLifetimeSeconds = 8 * 3600
        /// bcrypt work factor for new passwords (4...31).
        public var bcryptCost = 12
        /// How passwords are checked, tried in this order: `local` (bcrypt hashes in the database), `pam` (the host's
        /// accounts through PAM), `ldap` (a directory; see `ldap`).
        public var methods = ["local"]
        /// The PAM service (`/etc/pam.d/NAME`) the `pam` method uses.
        public var pamService = "saffron"
    }

    /// Prometheus metrics at `GET /metrics` on the API's port.
    public struct Metrics: Codable, Sendable, Equatable {
        /// The bearer token Prometheus must send (`authorization` in its scrape config); empty: `/metrics` answers
        /// anyone who reaches the API port (it shows counts and pool names, never users or addresses).
        public var token = ""
    }

    /// The audit log.
    public struct Audit: Codable, Sendable, Equatable {
        /// Entries older than this many days are deleted (checked every 10 minutes); 0 keeps them all.
        public var retentionDays = 365
    }

    /// The hypervisors the broker may reach.
    public struct LibvirtAccess: Codable, Sendable, Equatable {
        /// The libvirt connection URIs pools may use, as written (`qemu+tls://hv1.example/system`); the broker opens
        /// no other.
        public var allowedURIs = ["qemu:///system"]
    }

    /// The directory of the `ldap` login method (OpenLDAP, Active Directory).
    public struct LDAP: Codable, Sendable, Equatable {
        /// `ldap://HOST[:PORT]` or `ldaps://HOST[:PORT]`.
        public var uri = ""
        /// Upgrade `ldap://` with StartTLS.
        public var startTLS = false
        /// PEM CA to trust for TLS; empty: the system's.
        public var caFile = ""
        /// The service account that searches for users; empty: anonymous.
        public var bindDN = ""
        public var bindPassword = ""
        /// Bind as the user with this DN or AD UPN (`{user}`: the login name, escaped), e.g.
        /// `uid={user},ou=people,dc=example,dc=org` or `{user}@corp.example`; empty: search first, then bind.
        public var userDN = ""
        /// Where users are searched, and the filter finding one (`{user}`: the login name, escaped).
        public var userBase = ""
        public var userFilter = "(uid={user})"
        /// The user entry's attribute holding the account's own name (`sAMAccountName` for Active Directory), which
        /// becomes the user's name in Saffron whatever case was typed; empty: the name as typed.
        public var userNameAttribute = "uid"
        /// Where groups are searched (empty: none), the filter (`{dn}`, `{user}`), and the attribute naming a group.
        public var groupBase = ""
        public var groupFilter = "(member={dn})"
        public var groupAttribute = "cn"
    }

    public var http = HTTP()
    public var gateway = Gateway()
    public var websocket = WebSocket()
    public var proxy = Proxy()
    public var spiceGateway = SpiceGateway()
    public var tls = TLS()
    public var spice = Spice()
    public var web = Web()
    public var firewall = Firewall()
    public var database = Database()
    public var tickets = Tickets()
    public var auth = Auth()
    public var metrics = Metrics()
    public var audit = Audit()
    public var ldap = LDAP()
    public var libvirt = LibvirtAccess()
    public var node = Node()

    public init() {}
}

extension SaffronConfig {
    /// This broker among the brokers sharing one database.
    public struct Node: Codable, Sendable, Equatable {
        /// Its name, unique among them (letters, digits, `.`, `-`, `_`; at most 64); empty: the host's name.
        public var name = ""
        /// What it does: `api` (the HTTP API and web pages; it hands out desktops, forwarded on its own address),
        /// `gateway` (the WebSocket gateway, and the SPICE gateway when `spiceGateway.listen` is set), `proxy` (the CONNECT proxy, when `proxy.listen` is set), `upkeep`
        /// (takes its turn keeping pools).
        public var roles = NodeRole.allCases.map(\.rawValue)
    }

    /// The node's name: `node.name`, else the host's name.
    public var nodeName: String {
        node.name.isEmpty ? ProcessInfo.processInfo.hostName : node.name
    }

    /// The node's roles, checked: known, named once, at least one.
    public func nodeRoles() throws -> Set<NodeRole> {
        let roles = try node.roles.map { name in
            guard let role = NodeRole(rawValue: name) else {
                throw ConfigError(
                    message: "node.roles takes \(NodeRole.allCases.map(\.rawValue).joined(separator: ", ")), not \(name.debugDescription).")
            }
            return role
        }
        guard !roles.isEmpty, Set(roles).count == roles.count else {
            throw ConfigError(message: "node.roles names at least one role, each once: \(node.roles).")
        }
        return Set(roles)
    }
}

extension SaffronConfig.LDAP {
    /// The authenticator's settings; empty keys mean "none".
    var settings: LDAPSettings {
        var settings = LDAPSettings(uri: uri, userBase: userBase)
        settings.startTLS = startTLS
        settings.caFile = caFile.isEmpty ? nil : caFile
        settings.bindDN = bindDN.isEmpty ? nil : bindDN
        settings.bindPassword = bindPassword.isEmpty ? nil : bindPassword
        settings.userDN = userDN.isEmpty ? nil : userDN
        settings.userFilter = userFilter
        settings.userNameAttribute = userNameAttribute.isEmpty ? nil : userNameAttribute
        settings.groupBase = groupBase.isEmpty ? nil : groupBase
        settings.groupFilter = groupFilter
        settings.groupAttribute = groupAttribute
        return settings
    }
}

extension SaffronConfig {
    /// How long audit entries are kept; nil keeps them all.
    var auditRetention: TimeInterval? {
        audit.retentionDays > 0 ? TimeInterval(audit.retentionDays) * 86_400 : nil
    }
}
