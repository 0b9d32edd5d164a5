internal import CZlib

/// Writes PNG files (8-bit truecolour, not interlaced) as browsers read them: signature, `IHDR`, one `IDAT` holding
/// the zlib-compressed scanlines, `IEND`.
public enum PNGEncoder {
    /// The eight bytes every PNG starts with.
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The PNG of `image`. Each scanline uses the `Sub` filter (each byte minus the one a pixel to its left), which
    /// shrinks screen contents (flat areas, gradients) well before deflate.
    public static func encode(_ image: RGBImage) throws -> [UInt8] {
        var header: [UInt8] = []
        header.appendBigEndian(UInt32(image.width))
        header.appendBigEndian(UInt32(image.height))
        header += [8, 2, 0, 0, 0]  // bit depth 8, colour type 2 (RGB), deflate, adaptive filtering, no interlace
        var png = signature
        appendChunk("IHDR", header, to: &png)
        appendChunk("IDAT", try compress(filteredScanlines(of: image)), to: &png)
        appendChunk("IEND", [], to: &png)
        return png
    }

    /// Every row as filter type 1 (`Sub`) followed by its filtered bytes.
    static func filteredScanlines(of image: RGBImage) -> [UInt8] {
        let stride = image.width * 3
        var out = [UInt8](repeating: 0, count: image.height * (stride + 1))
        image.pixels.withUnsafeBufferPointer { pixels in
            for row in 0..<image.height {
                let source = row * stride, target = row * (stride + 1)
                out[target] = 1
                for index in 0..<stride {
                    let left = index >= 3 ? pixels[source + index - 3] : 0
                    out[target + 1 + index] = pixels[source + index] &- left
                }
            }
        }
        return out
    }

    /// A zlib stream (RFC 1950) of `data`, as `IDAT` carries it.
    static func compress(_ data: [UInt8]) throws -> [UInt8] {
        var length = compressBound(uLong(data.count))
        var out = [UInt8](repeating: 0, count: Int(length))
        let status = out.withUnsafeMutableBufferPointer { target in
            data.withUnsafeBufferPointer { source in
                compress2(target.baseAddress, &length, source.baseAddress, uLong(source.count), 6)
            }
        }
        guard status == Z_OK else { throw ThumbnailError.compression(status) }
        return Array(out.prefix(Int(length)))
    }

    /// Appends length, type, data and the CRC-32 of type and data.
    static func appendChunk(_ type: String, _ data: [UInt8], to png: inout [UInt8]) {
        let typeBytes = Array(type.utf8)
        png.appendBigEndian(UInt32(data.count))
        png += typeBytes
        png += data
        png.appendBigEndian(crc32(typeBytes + data))
    }

    /// The CRC-32 (ISO 3309, as PNG and zlib use it) of `bytes`.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer in
            UInt32(CZlib.crc32(0, buffer.baseAddress, uInt(buffer.count)))
        }
    }
}

extension [UInt8] {
    mutating func appendBigEndian(_ value: UInt32) {
        append(contentsOf: [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)])
    }
}
