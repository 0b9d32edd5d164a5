internal import CZlib

/// zlib inflation and PNG's scanline filters, undone.
enum PNGDecoding {
    static func bigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// The zlib stream inflated; it must give exactly `expectedCount` bytes.
    static func inflate(_ data: [UInt8], expectedCount: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: expectedCount + 1)  // one spare byte shows data that is too long
        var length = uLongf(out.count)
        let status = out.withUnsafeMutableBufferPointer { target in
            data.withUnsafeBufferPointer { source in
                uncompress(target.baseAddress, &length, source.baseAddress, uLong(source.count))
            }
        }
        guard status == Z_OK || status == Z_BUF_ERROR, Int(length) == expectedCount else {
            throw ThumbnailError.malformedPNG("its image data does not inflate to \(expectedCount) bytes (zlib \(status))")
        }
        out.removeLast()
        return out
    }

    /// The rows without their filter bytes, each filter (None, Sub, Up, Average, Paeth) undone.
    static func unfilter(_ raw: [UInt8], rowBytes: Int, rows: Int, bytesPerPixel step: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: rowBytes * rows)
        try out.withUnsafeMutableBufferPointer { out in
            try raw.withUnsafeBufferPointer { raw in
                for row in 0..<rows {
                    let filter = raw[row * (rowBytes + 1)]
                    let source = row * (rowBytes + 1) + 1, line = row * rowBytes, above = line - rowBytes
                    for index in 0..<rowBytes {
                        let a = index >= step ? Int(out[line + index - step]) : 0
                        let b = row > 0 ? Int(out[above + index]) : 0
                        let c = row > 0 && index >= step ? Int(out[above + index - step]) : 0
                        let predictor: Int
                        switch filter {
                        case 0: predictor = 0
                        case 1: predictor = a
                        case 2: predictor = b
                        case 3: predictor = (a + b) / 2
                        case 4: predictor = paeth(a, b, c)
                        default: throw ThumbnailError.malformedPNG("row \(row) has unknown filter type \(filter)")
                        }
                        out[line + index] = raw[source + index] &+ UInt8(truncatingIfNeeded: predictor)
                    }
                }
            }
        }
        return out
    }

    static func paeth(_ a: Int, _ b: Int, _ c: Int) -> Int {
        let p = a + b - c
        let pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c
    }
}
