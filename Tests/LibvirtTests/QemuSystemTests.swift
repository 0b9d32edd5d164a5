import Foundation
import Libvirt
import Testing

/// End-to-end SPICE ticketing against a real `qemu:///system` libvirtd; skipped when none answers.
@Suite("LibvirtConnection on qemu:///system", .serialized)
struct QemuSystemTests {
    private static let uri = "qemu:///system"

    /// True when a connection to `qemu:///system` can be opened.
    static func reachable() async -> Bool {
        guard let connection = try? await LibvirtConnection.open(uri) else { return false }
        connection.close()
        return true
    }

    /// A tiny disk-less domain with autoport SPICE on 127.0.0.1; KVM when `/dev/kvm` exists.
    static func domainXML(named name: String) -> String {
        let type = FileManager.default.fileExists(atPath: "/dev/kvm") ? "kvm" : "qemu"
        return """
            <domain type='\(type)'>
              <name>\(name)</name>
              <memory unit='MiB'>64</memory>
              <os><type arch='x86_64' machine='pc'>hvm</type></os>
              <devices>
                <graphics type='spice' autoport='yes' listen='127.0.0.1'/>
                <video><model type='qxl'/></video>
              </devices>
            </domain>
            """
    }

    @Test(.enabled("qemu:///system answers") { await reachable() })
    func theHostsFreeMemoryIsWhatTheKernelCountsFree() async throws {
        let connection = try await LibvirtConnection.open(Self.uri)
        defer { connection.close() }
        let free = try await connection.freeMemory()
        // libvirt reports MemFree (not MemAvailable) of /proc/meminfo, in bytes; it moves a little between the reads.
        let meminfo = try String(contentsOfFile: "/proc/meminfo", encoding: .utf8)
        let line = try #require(meminfo.split(separator: "\n").first { $0.hasPrefix("MemFree:") })
        let kernel = try #require(UInt64(line.split(separator: " ")[1])) * 1024
        #expect(free > 0 && Double(free) > Double(kernel) * 0.5 && Double(free) < Double(kernel) * 2, "\(free) against \(kernel)")
    }

    @Test(.enabled("qemu:///system answers") { await reachable() }, .timeLimit(.minutes(1)))
    func lockStartAndSetTicket() async throws {
        let connection = try await LibvirtConnection.open(Self.uri)
        defer { connection.close() }
        let name = Fixtures.uniqueName("saffron-libvirttest")
        try await Fixtures.withDomain(name, xml: Self.domainXML(named: name), on: connection) {
            try await lockStartAndTicket(name, on: connection)
        }
        #expect(try await connection.domains().allSatisfy { $0.name != name })
    }

    private func lockStartAndTicket(_ name: String, on connection: LibvirtConnection) async throws {
        try await connection.lockSpicePassword(ofDomain: name)
        try await connection.start(named: name)
        let locked = try #require(try await connection.spiceGraphics(ofDomain: name))
        #expect(locked.hasPassword && locked.passwordValidTo == "1970-01-01T00:00:00")
        #expect(locked.autoport && (locked.port ?? 0) >= 5900 && locked.listen == "127.0.0.1")

        let validUntil = Date(timeIntervalSinceNow: 120)
        try await connection.setSpiceTicket(ofDomain: name, ticket: "t1cket", validUntil: validUntil, connected: .keep)
        let live = try await connection.xml(ofDomain: name)
        #expect(live.contains("passwd='t1cket'"))
        let ticketed = try #require(try DomainXML.spiceGraphics(in: live))
        let expected = Fixtures.utcTimestamp(validUntil)
        #expect(ticketed.passwordValidTo == expected)
        #expect(ticketed.port == locked.port)

        // The persistent config keeps the lock: the ticket was live-only.
        let config = try #require(try await connection.spiceGraphics(ofDomain: name, inactive: true))
        #expect(config.passwordValidTo == "1970-01-01T00:00:00")
    }
}
