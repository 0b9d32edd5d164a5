import Foundation
import Testing
import Thumbnail

/// The PNG encoder's files: chunk layout and CRCs checked here, pixels decoded by Python's own zlib.
@Suite struct PNGTests {
    static let image = try! RGBImage(width: 3, height: 2, pixels: [
        255, 0, 0, 0, 255, 0, 0, 0, 255,
        1, 2, 3, 200, 100, 50, 0, 0, 0,
    ])

    @Test func chunksAreInOrderWithTheRightHeaderAndCRCs() throws {
        let png = try PNGEncoder.encode(Self.image)
        let chunks = try PNGChunks.read(png)
        #expect(chunks.map(\.type) == ["IHDR", "IDAT", "IEND"])
        #expect(chunks.allSatisfy { $0.crcMatches }, "\(chunks.map { ($0.type, $0.crcMatches) })")
        #expect(chunks[0].data == [0, 0, 0, 3, 0, 0, 0, 2, 8, 2, 0, 0, 0])
        #expect(chunks[2].data.isEmpty)
    }

    @Test func anIndependentDecoderReadsBackTheSamePixels() throws {
        let image = try RGBImage(width: 61, height: 7, pixels: (0..<61 * 7 * 3).map { UInt8(truncatingIfNeeded: $0 * 37 + $0 / 5) })
        for sample in [Self.image, image] {
            let decoded = try PythonPNG.decode(try PNGEncoder.encode(sample))
            #expect(decoded.width == sample.width && decoded.height == sample.height)
            #expect(decoded.pixels == sample.pixels)
        }
    }

    @Test func aPPMScreenshotBecomesASmallPNG() throws {
        let ppm = Array("P6\n640 480\n255\n".utf8) + (0..<640 * 480).flatMap { index -> [UInt8] in
            index % 640 < 320 ? [0, 0, 255] : [255, 255, 0]
        }
        let png = try Thumbnail.png(of: ppm, mimeType: "image/x-portable-pixmap", maxWidth: 320)
        let decoded = try PythonPNG.decode(png)
        #expect(decoded.width == 320 && decoded.height == 240)
        #expect(Array(decoded.pixels.prefix(3)) == [0, 0, 255] && Array(decoded.pixels.suffix(3)) == [255, 255, 0])
        #expect(png.count < 5000, "flat halves compress well: \(png.count) bytes")
    }

    @Test func aPNGPassesThroughAndOtherTypesAreRefused() throws {
        let png = try PNGEncoder.encode(Self.image)
        #expect(try Thumbnail.png(of: png, mimeType: "image/png", maxWidth: 320) == png)
        #expect(throws: ThumbnailError.notPNG) { try Thumbnail.png(of: [1, 2, 3], mimeType: "image/png", maxWidth: 320) }
        let error = #expect(throws: ThumbnailError.self) { try Thumbnail.png(of: png, mimeType: "image/gif", maxWidth: 320) }
        #expect(error?.description.contains("image/gif") == true)
        #expect(throws: ThumbnailError.self) { try Thumbnail.png(of: [1, 2, 3], mimeType: "image/x-portable-pixmap", maxWidth: 320) }
    }
}
