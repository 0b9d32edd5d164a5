import Foundation
import SaffronClient
import Testing

/// The tokens `saffron login` keeps: per broker, private to their owner, forgotten once expired or logged out.
@Suite struct SavedLoginsTests {
    /// A fresh folder for one test's logins file, removed after it.
    static func withFolder(_ body: (String) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("saffron-logins-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try body(folder.path)
    }

    @Test func aLoginIsKeptPerBrokerOwnerOnlyUntilItExpires() throws {
        try Self.withFolder { folder in
            let logins = SavedLogins(environment: ["XDG_CONFIG_HOME": folder, "HOME": "/nonexistent"])
            #expect(logins.path == folder + "/saffron/logins.json")
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            let dana = SavedLogins.Login(user: "dana", token: "t-1", expiresAt: now.addingTimeInterval(3600))
            try logins.save(dana, for: "https://broker.example:8443/")

            #expect(try logins.login(for: "https://broker.example:8443", now: now) == dana, "the trailing slash does not matter")
            #expect(try logins.login(for: "https://other.example:8443", now: now) == nil)
            #expect(try logins.login(for: "https://broker.example:8443", now: now.addingTimeInterval(3601)) == nil, "expired")
            let mode = try FileManager.default.attributesOfItem(atPath: logins.path)[.posixPermissions] as? Int
            #expect(mode == 0o600)

            try logins.save(nil, for: "https://broker.example:8443")
            #expect(try logins.login(for: "https://broker.example:8443", now: now) == nil, "logged out")
        }
    }

    @Test func aDamagedFileSaysWhatToDo() throws {
        try Self.withFolder { folder in
            let logins = SavedLogins(path: folder + "/logins.json")
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data("{not json".utf8).write(to: URL(fileURLWithPath: logins.path))
            let error = #expect(throws: RemoteError.self) { try logins.login(for: "https://broker.example") }
            #expect(error?.message.contains("delete it and log in again") == true)
        }
    }

    @Test func withoutXDGConfigHomeTheFileIsUnderHome() {
        #expect(SavedLogins(environment: ["HOME": "/home/dana"]).path == "/home/dana/.config/saffron/logins.json")
        #expect(SavedLogins(environment: ["HOME": "/home/dana", "XDG_CONFIG_HOME": ""]).path == "/home/dana/.config/saffron/logins.json")
    }
}
