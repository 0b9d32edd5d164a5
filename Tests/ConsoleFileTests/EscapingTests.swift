import ConsoleFile
import Testing

@Suite("GKeyFile escaping")
struct EscapingTests {
    @Test(arguments: [
        ("a\\b", "a\\\\b"),
        ("a\nb", "a\\nb"),
        ("a\rb", "a\\rb"),
        ("a\tb", "a\\tb"),
        (" lead", "\\slead"),
        (" \t x", "\\s\\t\\sx"),
        ("  two", "\\s\\stwo"),
        ("mid dle ", "mid dle "),
        ("a=b[c];d,#e", "a=b[c];d,#e"),
        ("nul\0byte", "nulbyte"),
        ("ünïcødé ✓", "ünïcødé ✓"),
    ])
    func escapesEachSpecialCharacter(_ input: String, _ expected: String) {
        #expect(ConsoleFile.escapeValue(input) == expected)
    }

    @Test func injectedNewlineAddsNoKey() {
        let file = ConsoleFile(host: "h", port: 5900, password: "real", title: "x\npassword=evil")
        let text = file.rendered()
        let passwordLines = text.split(separator: "\n").filter { $0.hasPrefix("password=") }
        #expect(passwordLines == ["password=real"])
        #expect(text.contains("title=x\\npassword=evil\n"))
    }

    @Test func injectedGroupAddsNoGroup() {
        let file = ConsoleFile(host: "h", port: 5900, password: "p", title: "vm\r\n[other]\nhost=evil")
        let parsed = MiniKeyFile(file.rendered())
        #expect(parsed.groups == ["virt-viewer"])
        #expect(parsed.values("host") == ["h"])
    }

    @Test(arguments: ["x\npassword=evil", " \t\\n[a]\r\n= ", "plain", "\\s literal", "trailing\\"])
    func parsesBack(_ title: String) {
        let file = ConsoleFile(host: "h", port: 5900, password: "p w\\d", title: title)
        let parsed = MiniKeyFile(file.rendered())
        #expect(parsed.values("title") == [title])
        #expect(parsed.values("password") == ["p w\\d"])
        #expect(parsed.entries.count == file.entries.count)
    }
}
