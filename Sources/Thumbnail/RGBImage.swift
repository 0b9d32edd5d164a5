/// An 8-bit RGB image in memory: rows top to bottom, three bytes (red, green, blue) per pixel, no padding.
public struct RGBImage: Sendable, Equatable {
    /// Width in pixels, at least 1.
    public let width: Int
    /// Height in pixels, at least 1.
    public let height: Int
    /// `width * height * 3` bytes.
    public let pixels: [UInt8]

    /// Creates an image from its pixels; throws unless there are exactly `width * height * 3` bytes.
    public init(width: Int, height: Int, pixels: [UInt8]) throws {
        guard width > 0, height > 0, width <= Self.maxSide, height <= Self.maxSide else {
            throw ThumbnailError.badSize(width: width, height: height)
        }
        guard pixels.count == width * height * 3 else {
            throw ThumbnailError.pixelCount(expected: width * height * 3, got: pixels.count)
        }
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// Creates an image whose size and pixel count the caller has already made right.
    init(checkedWidth width: Int, height: Int, pixels: [UInt8]) {
        assert(width > 0 && height > 0 && pixels.count == width * height * 3)
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The widest or tallest image accepted: far above any screen, low enough that a forged header cannot ask for
    /// gigabytes.
    public static let maxSide = 16384

    /// The red, green and blue of the pixel at column `x`, row `y`.
    public subscript(x: Int, y: Int) -> [UInt8] {
        let start = (y * width + x) * 3
        return Array(pixels[start..<start + 3])
    }
}
