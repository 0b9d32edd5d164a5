import ConsoleFile
import Testing

/// A `.vv` for SPICE over TLS: the TLS port alone, the CA kept whole across its newlines, every channel secure.
@Suite struct TLSRenderingTests {
    static let ca = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\nAbC+/=\n-----END CERTIFICATE-----\n"

    static var file: ConsoleFile {
        var file = ConsoleFile(host: "198.51.100.1", port: 20000, password: "t1cket", title: "desk1 (office)")
        file.tls = ConsoleFile.TLS(port: 20000, ca: ca, hostSubject: "O=Saffron,CN=hv1.example")
        return file
    }

    @Test func theFileNamesTheTLSPortTheCAAndTheSubjectAndNoPlainPort() {
        let parsed = MiniKeyFile(Self.file.rendered())
        #expect(parsed.values("tls-port") == ["20000"])
        #expect(parsed.values("port").isEmpty)
        #expect(parsed.values("ca") == [Self.ca])
        #expect(parsed.values("host-subject") == ["O=Saffron,CN=hv1.example"])
        #expect(parsed.values("secure-channels") == ["all"])
        #expect(Self.file.rendered().contains("ca=-----BEGIN CERTIFICATE-----\\nMIIBszCCAVmgAwIBAgIU\\n"))
    }

    @Test func aSpiceKeepsTheTLSKeys() {
        let parsed = MiniKeyFile(Self.file.rendered(for: .aSpice))
        for key in ["tls-port", "ca", "host-subject", "secure-channels", "host", "password"] {
            #expect(parsed.values(key).count == 1, "\(key)")
        }
    }

    @Test func extraKeysCannotRepeatTheTLSKeys() {
        for key in ["tls-port", "ca", "host-subject", "secure-channels"] {
            #expect(ConsoleFile.Entry(key: key, value: "x") == nil, "\(key)")
        }
    }

    @Test func withoutAHostSubjectTheHostNameIsChecked() {
        var file = Self.file
        file.tls?.hostSubject = nil
        #expect(MiniKeyFile(file.rendered()).values("host-subject").isEmpty)
    }
}
