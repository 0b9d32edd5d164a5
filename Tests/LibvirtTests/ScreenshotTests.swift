import Foundation
import Libvirt
import Testing

/// `virDomainScreenshot` through a libvirt stream, on the test driver (which answers with a PNG of its own).
@Suite("Domain screenshots on test:///default")
struct ScreenshotTests {
    private static let uri = "test:///default"
    private static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    @Test func aRunningDomainsScreenIsStreamedWhole() async throws {
        let connection = try await LibvirtConnection.open(Self.uri)
        defer { connection.close() }
        let shot = try await connection.screenshot(ofDomain: "test")
        #expect(shot.mimeType == "image/png")
        #expect(Array(shot.bytes.prefix(8)) == Self.pngSignature)
        let end: [UInt8] = Array("IEND".utf8) + [0xAE, 0x42, 0x60, 0x82]  // the IEND chunk's type and CRC close a PNG
        #expect(Array(shot.bytes.suffix(8)) == end, "the stream was read to its end: \(shot.bytes.count) bytes")
        let again = try await connection.screenshot(ofDomain: "test")
        #expect(again == shot, "a finished stream leaves the connection fit for the next")
    }

    @Test func anUnknownDomainIsNotFound() async throws {
        let connection = try await LibvirtConnection.open(Self.uri)
        defer { connection.close() }
        let error = try await #require(throws: LibvirtError.self) {
            try await connection.screenshot(ofDomain: "saffron-no-such-domain")
        }
        #expect(error.isNotFound)
    }
}
