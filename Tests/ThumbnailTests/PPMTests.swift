import Testing
import Thumbnail

/// Binary PPM decoding: header with comments, maxval, and the malformed files it must refuse.
@Suite struct PPMTests {
    static func ppm(_ header: String, _ pixels: [UInt8]) -> [UInt8] { Array(header.utf8) + pixels }

    @Test func decodesPixelsAfterAHeaderWithComments() throws {
        let pixels: [UInt8] = [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 40, 50, 60, 70, 80, 90]
        let image = try RGBImage(ppm: Self.ppm("P6\n# made by hand\n3 # three wide\n2\n# two high\n255\n", pixels))
        #expect(image.width == 3 && image.height == 2)
        #expect(image[0, 0] == [255, 0, 0])
        #expect(image[2, 0] == [0, 0, 255])
        #expect(image[1, 1] == [40, 50, 60])
        #expect(image.pixels == pixels)
    }

    @Test func screenshotsDecodeByTheirMIMEType() throws {
        let bytes = Self.ppm("P6 1 1 255\n", [1, 2, 3])
        for type in ["image/x-portable-pixmap", "Image/X-PPM; charset=binary"] {
            #expect(try RGBImage(bytes: bytes, mimeType: type).pixels == [1, 2, 3], "\(type)")
        }
        #expect(throws: ThumbnailError.unsupportedType("image/gif")) { try RGBImage(bytes: bytes, mimeType: "image/gif") }
        #expect(throws: ThumbnailError.self) { try RGBImage(bytes: bytes, mimeType: "image/png") }
    }

    @Test func aSmallerMaxvalIsStretchedAndTrailingBytesIgnored() throws {
        let image = try RGBImage(ppm: Self.ppm("P6 1 1 15\t", [15, 0, 8, 99, 99]))
        #expect(image.pixels == [255, 0, 136])
    }

    @Test(arguments: [
        ("P3\n1 1\n255\n", 3, "does not start with P6"),
        ("P6\n1 1\n65535\n", 6, "16-bit"),
        ("P6\n1 1\n0\n", 3, "maxval 0"),
        ("P6\n2 2\n255\n", 11, "needs 12 bytes of pixels, only 11"),
        ("P6\n1\n", 0, "expected the height, found the end"),
        ("P6\nx 1 255\n", 3, "expected the width, found byte 120"),
        ("P6\n1 1 255", 0, "no whitespace after the maxval"),
        ("P6\n1234567 1 255\n", 3, "too many digits"),
        ("P61 1 255\n", 3, "does not start with P6"),
        ("", 0, "does not start with P6"),
    ])
    func malformedFilesAreRefusedSayingWhy(header: String, pixelCount: Int, reason: String) {
        let error = #expect(throws: ThumbnailError.self) {
            try RGBImage(ppm: Self.ppm(header, [UInt8](repeating: 7, count: pixelCount)))
        }
        #expect(error?.description.contains(reason) == true, "\(header.debugDescription): \(String(describing: error))")
        #expect(error?.description.contains("not a binary PPM") == true, "\(String(describing: error))")
    }

    @Test func sizesBeyondAnyScreenAreRefusedBeforeAllocating() {
        #expect(throws: ThumbnailError.badSize(width: 99999, height: 1)) { try RGBImage(ppm: Self.ppm("P6 99999 1 255\n", [])) }
        #expect(throws: ThumbnailError.badSize(width: 0, height: 5)) { try RGBImage(ppm: Self.ppm("P6 0 5 255\n", [])) }
        #expect(throws: ThumbnailError.pixelCount(expected: 3, got: 2)) { try RGBImage(width: 1, height: 1, pixels: [1, 2]) }
    }
}
