import Foundation
import Testing
import Thumbnail

/// PNG decoding (QEMU's screenshots come as PNG): every filter type and colour type of 8-bit PNGs, made by Python;
/// broken files refused; wide screens shrunk, narrow ones and undecoded kinds passed through.
@Suite struct PNGDecodingTests {
    /// `width`×`height` samples of `channels` bytes, varied enough that every filter predicts something different.
    static func samples(width: Int, height: Int, channels: Int) -> [UInt8] {
        (0..<width * height * channels).map { UInt8(truncatingIfNeeded: $0 * 7 + ($0 / (width * channels)) * 31 + $0 % 3 * 50) }
    }

    @Test(arguments: [(0, 1), (2, 3), (4, 2), (6, 4)])
    func everyFilterAndColourTypeDecodes(colourType: Int, channels: Int) throws {
        let (width, height) = (13, 10)  // ten rows: filter types 0 to 4, twice
        let samples = Self.samples(width: width, height: height, channels: channels)
        let png = try PythonPNG.encode(width: width, height: height, colourType: colourType, samples: samples)
        let image = try RGBImage(png: png)
        #expect(image.width == width && image.height == height)
        let expected = (0..<width * height).flatMap { pixel -> [UInt8] in
            let sample = Array(samples[pixel * channels..<(pixel + 1) * channels])
            return channels >= 3 ? Array(sample.prefix(3)) : [sample[0], sample[0], sample[0]]
        }
        #expect(image.pixels == expected, "colour type \(colourType)")
    }

    @Test func whatTheEncoderWritesReadsBack() throws {
        let image = try RGBImage(width: 40, height: 9, pixels: Self.samples(width: 40, height: 9, channels: 3))
        #expect(try RGBImage(png: try PNGEncoder.encode(image)) == image)
    }

    @Test func brokenFilesAreRefusedSayingWhy() throws {
        let png = try PNGEncoder.encode(try RGBImage(width: 4, height: 4, pixels: Self.samples(width: 4, height: 4, channels: 3)))
        var flipped = png
        flipped[45] ^= 0x01  // inside IDAT's data
        let checks: [([UInt8], String)] = [
            (flipped, "CRC of chunk IDAT"),
            (Array(png.dropLast(12)), "ends before its IEND"),
            (Array(png.prefix(30)), "runs past the end"),
        ]
        for (bytes, reason) in checks {
            let error = #expect(throws: ThumbnailError.self) { try RGBImage(png: bytes) }
            #expect(error?.description.contains(reason) == true, "\(String(describing: error))")
            #expect(throws: ThumbnailError.self) { try Thumbnail.png(of: bytes, mimeType: "image/png", maxWidth: 2) }
        }
        #expect(throws: ThumbnailError.notPNG) { try RGBImage(png: Array("P6 1 1 255 abc".utf8)) }
    }

    @Test func wideScreensShrinkNarrowOnesAndPalettesPassThrough() throws {
        let wide = try PythonPNG.encode(width: 640, height: 400, colourType: 2, samples: (0..<640 * 400).flatMap { pixel in
            pixel % 640 < 320 ? [0, 0, 200] as [UInt8] : [255, 255, 255]
        })
        let small = try PythonPNG.decode(try Thumbnail.png(of: wide, mimeType: "image/png", maxWidth: 320))
        #expect(small.width == 320 && small.height == 200)
        #expect(Array(small.pixels.prefix(3)) == [0, 0, 200] && Array(small.pixels.suffix(3)) == [255, 255, 255])

        let narrow = try PythonPNG.encode(width: 300, height: 2, colourType: 2, samples: Self.samples(width: 300, height: 2, channels: 3))
        #expect(try Thumbnail.png(of: narrow, mimeType: "image/png", maxWidth: 320) == narrow)
        let palette = try PythonPNG.encode(width: 400, height: 2, colourType: 3, samples: Self.samples(width: 400, height: 2, channels: 1))
        #expect(throws: ThumbnailError.unsupportedPNG("colour type 3")) { try RGBImage(png: palette) }
        #expect(try Thumbnail.png(of: palette, mimeType: "image/png", maxWidth: 320) == palette)
    }
}
