import Foundation
import Libvirt

/// Domain XML samples shared by the tests.
enum Fixtures {
    /// A persistent config with SPICE on a fixed port and a `listen` attribute, plus a VNC display.
    static let fixedPort = """
        <domain type='test'>
          <name>sample</name>
          <memory unit='KiB'>65536</memory>
          <os><type arch='x86_64'>hvm</type></os>
          <devices>
            <graphics type='vnc' port='5900' passwd='vncsecret'/>
            <graphics type='spice' port='5901' autoport='no' listen='127.0.0.1' keymap='en-us'>
              <channel name='main' mode='secure'/>
            </graphics>
          </devices>
        </domain>
        """

    /// A live domain as libvirt prints it after assigning ports: `<listen>` child, no `listen` attribute.
    static let liveAutoport = """
        <domain type='kvm' id='3'>
          <name>live</name>
          <devices>
            <graphics type='spice' port='5907' tlsPort='5908' autoport='yes' passwd='abc' passwdValidTo='2030-01-02T03:04:05'>
              <listen type='address' address='0.0.0.0'/>
              <image compression='off'/>
            </graphics>
          </devices>
        </domain>
        """

    /// An inactive autoport config: libvirt writes `port='-1'` before a port is assigned.
    static let inactiveAutoport = """
        <domain type='kvm'>
          <name>cfg</name>
          <devices>
            <graphics type='spice' port='-1' autoport='yes'>
              <listen type='address' address='127.0.0.1'/>
            </graphics>
          </devices>
        </domain>
        """

    /// A domain without SPICE.
    static let vncOnly = """
        <domain type='kvm'><name>vnc</name><devices><graphics type='vnc' port='-1' autoport='yes'/></devices></domain>
        """

    /// A test-driver domain named `name` with SPICE on 127.0.0.1:5901.
    static func testDomain(named name: String) -> String {
        """
        <domain type='test'>
          <name>\(name)</name>
          <memory unit='KiB'>65536</memory>
          <os><type arch='x86_64'>hvm</type></os>
          <devices>
            <graphics type='spice' port='5901' autoport='no' listen='127.0.0.1'/>
          </devices>
        </domain>
        """
    }

    /// Defines the domain of `xml` named `name`, runs `body`, then destroys and undefines it, even when `body` throws.
    static func withDomain(
        _ name: String, xml: String, on connection: LibvirtConnection, _ body: () async throws -> Void
    ) async throws {
        _ = try await connection.define(xml: xml)
        do {
            try await body()
        } catch {
            try? await connection.destroy(named: name)
            try? await connection.undefine(named: name)
            throw error
        }
        try await connection.destroy(named: name)
        try await connection.undefine(named: name)
    }

    /// A unique domain name so parallel tests on the shared test driver never collide.
    static func uniqueName(_ prefix: String = "saffron-libvirttest") -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// `YYYY-MM-DDTHH:MM:SS` in UTC, formatted independently of the code under test; the fraction of a second is
    /// cut off, as libvirt's `passwdValidTo` does (DateFormatter alone may round it up).
    static func utcTimestamp(_ date: Date) -> String {
        let date = Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return formatter.string(from: date)
    }
}
