import ConsoleFile
import Foundation
import Testing

/// Compares the renderer with the real GLib (through python3-gi) when it is installed.
@Suite("GLib agreement", .enabled(if: GLib.isAvailable))
struct GLibComparisonTests {
    static let samples = [
        "plain", " lead", "  two", "\tlead", " \t x", "a\nb", "a\rb", "a\\b", "trail  ",
        "x\npassword=evil", "[g]\nk=v", "ünï ✓", "\\s", "  ", #"q"u'o;t=e<x>&$(id)|`y`#"#,
    ]

    @Test(arguments: samples)
    func escapingMatchesGLib(_ value: String) throws {
        let glib = try GLib.escaped(value)
        #expect(ConsoleFile.escapeValue(value) == glib)
    }

    @Test func glibParsesRenderedFile() throws {
        let file = ConsoleFile(host: "h", port: 5900, password: "p", title: "x\npassword=evil\n[g]")
        let values = try GLib.parse(file.rendered())
        #expect(values["password"] == "p")
        #expect(values["title"] == "x\npassword=evil\n[g]")
        #expect(values.count == file.entries.count)
    }
}

/// Runs small python3-gi scripts; JSON keeps the values exact across the process boundary.
enum GLib {
    static let python = "/usr/bin/python3"

    static let isAvailable: Bool = (try? run("from gi.repository import GLib\nprint('ok')", input: "")) == "ok\n"

    static func escaped(_ value: String) throws -> String {
        let script = """
            import json, sys
            from gi.repository import GLib
            k = GLib.KeyFile()
            k.set_string("g", "k", json.load(sys.stdin))
            line = k.to_data()[0].split("\\n")[1]
            print(json.dumps(line[2:]))
            """
        let out = try run(script, input: json(value))
        return try JSONDecoder().decode(String.self, from: Data(out.utf8))
    }

    static func parse(_ text: String) throws -> [String: String] {
        let script = """
            import json, sys
            from gi.repository import GLib
            data = json.load(sys.stdin)
            k = GLib.KeyFile()
            k.load_from_data(data, len(data.encode()), GLib.KeyFileFlags.NONE)
            print(json.dumps({key: k.get_string("virt-viewer", key) for key in k.get_keys("virt-viewer")[0]}))
            """
        let out = try run(script, input: json(text))
        return try JSONDecoder().decode([String: String].self, from: Data(out.utf8))
    }

    private static func json(_ value: String) -> String {
        String(decoding: try! JSONEncoder().encode(value), as: UTF8.self)
    }

    private static func run(_ script: String, input: String) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: python) else { return "" }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script]
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
