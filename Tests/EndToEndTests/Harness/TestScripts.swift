import Foundation

/// The Python programs the tests run, kept as files in `Tests/EndToEndTests/Scripts`. SwiftPM copies that folder
/// into the test target's resource bundle (`resources: [.copy("Scripts")]` in `Package.swift`), and the tests run
/// the copies there, found through `Bundle.module`.
enum TestScripts {
    /// The path of the script `name` (a file name such as `browser_portal.py`) in the bundle's copy of the folder.
    static func path(_ name: String) throws -> String {
        guard let folder = Bundle.module.url(forResource: "Scripts", withExtension: nil) else {
            throw CommandError(description: "the test bundle \(Bundle.module.bundlePath) holds no Scripts folder")
        }
        let script = folder.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: script.path) else {
            throw CommandError(description: "no script \(name) in \(folder.path)")
        }
        return script.path
    }
}
