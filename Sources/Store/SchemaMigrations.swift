/// The identifiers of the migrations both backends apply (from v15 on), so that a schema version means the same on
/// SQLite and PostgreSQL.
public enum SchemaMigrations {
    public static let loginFailures = "v15: login failures counted in the database, shared by every broker"
    public static let upkeepLeases = "v16: which broker keeps each pool, until when"
    public static let nodes = "v17: the brokers sharing the database, as each last reported itself"
    public static let sessionGrants = "v18: browser-console tokens and phone links, redeemable by any broker"
    public static let sessionAddresses = "v19: the gateway address each session is forwarded on"
    /// On PostgreSQL a trigger announces every session change (`NOTIFY saffron_sessions`); SQLite, used by one
    /// broker, has nothing to announce and records the step only.
    public static let sessionAnnouncements = "v20: session changes announced to every broker"
    public static let poolHosts = "v21: pools over several libvirt hosts, each VM on one of them"
    public static let nodeRoles = "v22: what each broker does: api, gateway, proxy, upkeep"
    /// A public port is unique per gateway address, so that every broker may lease its whole port range.
    public static let portsPerAddress = "v23: public ports leased per gateway address"
    public static let vmHolds = "v24: VMs held by a broker's upkeep, which no broker hands out meanwhile"
}
