import Foundation
import SaffronApp
import Store
import Testing

/// The config's secrets and the database's password hashes are readable by their owner alone.
@Suite struct SecretsAtRestTests {
    private func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("saffron-secrets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    private func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) & 0o777
    }

    @Test func initWritesTheConfigForItsOwnerOnlyInAPrivateFolder() throws {
        let folder = try scratch().appendingPathComponent("etc-saffron")
        let path = folder.appendingPathComponent("saffron.json").path
        try ConfigFileSecrecy.writeNew(SaffronConfig(), to: path)
        #expect(try mode(path) == 0o600)
        #expect(try mode(folder.path) == 0o700)
        #expect(throws: Never.self) { try ConfigFileSecrecy.check(path: path) }
    }

    @Test func serveRefusesAConfigEveryoneCanReadThatHoldsASecret() throws {
        let folder = try scratch()
        let path = folder.appendingPathComponent("saffron.json").path
        for (text, secret) in [
            (#"{"ldap": {"bindPassword": "s3cret"}}"#, "ldap.bindPassword"), (#"{"metrics": {"token": "t0ken"}}"#, "metrics.token"),
        ] {
            try text.write(toFile: path, atomically: false, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
            let error = #expect(throws: ConfigError.self) { try ConfigFileSecrecy.check(path: path) }
            #expect(error?.message.contains(secret) == true && error?.message.contains("chmod 600") == true, "\(String(describing: error))")
            #expect(error.map { !$0.message.contains("s3cret") && !$0.message.contains("t0ken") } == true, "the secret itself is not said")
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
            #expect(throws: Never.self) { try ConfigFileSecrecy.check(path: path) }
        }
        try #"{"metrics": {"token": ""}}"#.write(toFile: path, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(throws: Never.self, "no secret, nothing to hide") { try ConfigFileSecrecy.check(path: path) }
    }

    @Test func theDatabaseAndItsWALAreTheOwnersAlone() async throws {
        let folder = try scratch().appendingPathComponent("state")
        let path = folder.appendingPathComponent("saffron.sqlite").path
        let store = try SQLiteStore(path: path)
        _ = try await store.users()
        #expect(try mode(folder.path) == 0o700)
        for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
            #expect(try mode(file) == 0o600, "\(file)")
        }
        #expect(FileManager.default.fileExists(atPath: path + "-wal"), "WAL mode makes a -wal file to check")
    }

    @Test func anOlderDatabaseOthersCouldReadIsNarrowedWhenOpened() throws {
        let path = try scratch().appendingPathComponent("saffron.sqlite").path
        _ = try SQLiteStore(path: path)
        for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        }
        _ = try SQLiteStore(path: path)
        for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
            #expect(try mode(file) == 0o600, "\(file)")
        }
    }

    @Test func publicURLAndAllowedURIsAreCheckedNamingTheirKeys() throws {
        for bad in [#""http": {"publicURL": "vdi.example"}"#, #""http": {"publicURL": "ftp://vdi.example"}"#,
            #""http": {"publicURL": "https://vdi.example/?a=b"}"#] {
            let error = #expect(throws: ConfigError.self) { try ConfigFile.load(bad) }
            #expect(error?.message.contains("http.publicURL") == true, "\(String(describing: error))")
        }
        let error = #expect(throws: ConfigError.self) { try ConfigFile.load(#""libvirt": {"allowedURIs": ["not a uri"]}"#) }
        #expect(error?.message.contains("libvirt.allowedURIs") == true, "\(String(describing: error))")
        let config = try ConfigFile.load(#""http": {"publicURL": "https://vdi.example/"}, "libvirt": {"allowedURIs": ["qemu+tls://hv1.example/system"]}"#)
        #expect(try config.publicBaseURL().configured == "https://vdi.example")
        #expect(try config.connectURIPolicy().allows("qemu+tls://hv1.example/system"))
        #expect(try !config.connectURIPolicy().allows("qemu:///system"))
        #expect(try SaffronConfig().connectURIPolicy().allowed == ["qemu:///system"])
    }
}
