extension RGBImage {
    /// Decodes the PNGs screenshots come as: 8-bit, not interlaced, grey, RGB, grey with alpha or RGBA (alpha is
    /// dropped: a screen is opaque). Every chunk's CRC is checked.
    ///
    /// Throws `ThumbnailError.unsupportedPNG` for other valid kinds (palette, 16-bit, interlaced), which callers may
    /// pass on as they are, and `ThumbnailError.malformedPNG` for broken files.
    public init(png bytes: [UInt8]) throws {
        try self.init(decoding: PNGHeader(bytes))
    }

    /// Decodes the image data of a PNG whose chunks were read.
    init(decoding header: PNGHeader) throws {
        let channels = try header.channels()
        let stride = header.width * channels
        let raw = try PNGDecoding.inflate(header.data, expectedCount: header.height * (stride + 1))
        let rows = try PNGDecoding.unfilter(raw, rowBytes: stride, rows: header.height, bytesPerPixel: channels)
        var pixels = [UInt8](repeating: 0, count: header.width * header.height * 3)
        rows.withUnsafeBufferPointer { source in
            for pixel in 0..<header.width * header.height {
                let from = pixel * channels, to = pixel * 3
                if channels >= 3 {
                    pixels[to] = source[from]
                    pixels[to + 1] = source[from + 1]
                    pixels[to + 2] = source[from + 2]
                } else {
                    pixels[to] = source[from]
                    pixels[to + 1] = source[from]
                    pixels[to + 2] = source[from]
                }
            }
        }
        self.init(checkedWidth: header.width, height: header.height, pixels: pixels)
    }
}
