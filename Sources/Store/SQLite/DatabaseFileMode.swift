import Foundation

/// The database file's permissions: created `0600` in a folder made `0700`, and an older file others could read
/// made `0600` again (with its `-wal` and `-shm`), since it holds users' password hashes.
enum DatabaseFileMode {
    static let owner: Int16 = 0o600

    /// Makes `path`'s folder and an empty file for SQLite to fill, both private, or tightens an existing file.
    static func prepare(_ path: String) throws {
        let files = FileManager.default
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if !files.fileExists(atPath: folder) {
            try files.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        guard files.fileExists(atPath: path) else {
            // SQLite takes an empty file for a new database; -wal and -shm get the main file's mode.
            guard files.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: owner]) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
            }
            return
        }
        for file in [path, path + "-wal", path + "-shm"] {
            guard let mode = (try? files.attributesOfItem(atPath: file))?[.posixPermissions] as? NSNumber,
                mode.int16Value & 0o077 != 0
            else { continue }
            try files.setAttributes([.posixPermissions: owner], ofItemAtPath: file)
        }
    }
}
