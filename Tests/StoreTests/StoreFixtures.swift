import Foundation
import Store

/// A fresh SQLite store in a temporary file with one pool of three VMs and a few users.
func makeStore(vms: [String] = ["desk1", "desk2", "desk3"], users: [String] = ["alice", "bob"]) async throws -> (SQLiteStore, String) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("saffron-store-\(UUID().uuidString)")
    let path = folder.appendingPathComponent("saffron.sqlite").path
    let store = try SQLiteStore(path: path)
    for name in users {
        try await store.addUser(UserRecord(name: name, passwordHash: "x", isAdmin: false, createdAt: Date()))
    }
    try await store.addPool(PoolRecord(name: "office", connectURI: "test:///default", createdAt: Date()))
    try await store.addVMs(vms, toPool: "office", now: Date())
    return (store, path)
}

func claim(_ user: String, ports: ClosedRange<Int> = 20000...20009, client: String = "10.0.0.2") -> DesktopClaim {
    DesktopClaim(user: user, pool: "office", clientAddress: client, portRange: ports)
}
