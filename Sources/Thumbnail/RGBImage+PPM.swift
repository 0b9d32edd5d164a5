extension RGBImage {
    /// Decodes a binary PPM (`P6`): the magic, width, height and maxval separated by whitespace, `#` comments up to
    /// the end of their line allowed between them, one whitespace byte, then the pixels.
    ///
    /// A maxval below 255 is stretched to 0...255; 16-bit PPMs (maxval over 255) are refused. Bytes after the first
    /// image are ignored. Throws `ThumbnailError.malformedPPM` saying what is wrong.
    public init(ppm bytes: [UInt8]) throws {
        var reader = PPMHeaderReader(bytes: bytes)
        guard bytes.count >= 3, bytes[0] == UInt8(ascii: "P"), bytes[1] == UInt8(ascii: "6"),
            PPMHeaderReader.isSpace(bytes[2]) || bytes[2] == UInt8(ascii: "#")
        else {
            throw ThumbnailError.malformedPPM("it does not start with P6")
        }
        reader.offset = 2
        let width = try reader.number("width")
        let height = try reader.number("height")
        let maxval = try reader.number("maxval")
        guard (1...255).contains(maxval) else {
            throw ThumbnailError.malformedPPM("maxval \(maxval) is not 1 to 255 (16-bit PPMs are not supported)")
        }
        guard width > 0, height > 0, width <= Self.maxSide, height <= Self.maxSide else {
            throw ThumbnailError.badSize(width: width, height: height)
        }
        guard reader.offset < bytes.count, PPMHeaderReader.isSpace(bytes[reader.offset]) else {
            throw ThumbnailError.malformedPPM("no whitespace after the maxval")
        }
        let start = reader.offset + 1
        let count = width * height * 3
        guard bytes.count - start >= count else {
            throw ThumbnailError.malformedPPM("\(width)×\(height) needs \(count) bytes of pixels, only \(bytes.count - start) follow")
        }
        var pixels = Array(bytes[start..<start + count])
        if maxval < 255 {
            for index in pixels.indices { pixels[index] = UInt8((Int(pixels[index]) * 255 + maxval / 2) / maxval) }
        }
        try self.init(width: width, height: height, pixels: pixels)
    }
}

/// Reads the whitespace-separated decimal numbers of a PPM header, skipping comments.
struct PPMHeaderReader {
    let bytes: [UInt8]
    var offset = 0

    static func isSpace(_ byte: UInt8) -> Bool { [0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D].contains(byte) }

    /// The next number, after whitespace and comments; `what` names it in errors.
    mutating func number(_ what: String) throws -> Int {
        skipSpaceAndComments()
        var value = 0
        var digits = 0
        while offset < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[offset]) {
            value = value * 10 + Int(bytes[offset] - UInt8(ascii: "0"))
            digits += 1
            offset += 1
            guard digits <= 6 else { throw ThumbnailError.malformedPPM("the \(what) has too many digits") }
        }
        guard digits > 0 else {
            let found = offset < bytes.count ? "byte \(bytes[offset])" : "the end of the data"
            throw ThumbnailError.malformedPPM("expected the \(what), found \(found) at offset \(offset)")
        }
        return value
    }

    private mutating func skipSpaceAndComments() {
        while offset < bytes.count {
            if Self.isSpace(bytes[offset]) {
                offset += 1
            } else if bytes[offset] == UInt8(ascii: "#") {
                while offset < bytes.count, bytes[offset] != 0x0A, bytes[offset] != 0x0D { offset += 1 }
            } else {
                return
            }
        }
    }
}
