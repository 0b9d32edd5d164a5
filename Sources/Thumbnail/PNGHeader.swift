/// The parts of a PNG the decoder needs: its `IHDR` fields and its `IDAT` data joined.
struct PNGHeader {
    let width: Int
    let height: Int
    let bitDepth: UInt8
    let colourType: UInt8
    let interlaced: Bool
    let data: [UInt8]

    init(_ bytes: [UInt8]) throws {
        guard bytes.starts(with: PNGEncoder.signature) else { throw ThumbnailError.notPNG }
        var offset = 8
        var header: [UInt8]?
        var data: [UInt8] = []
        while true {
            guard offset + 12 <= bytes.count else { throw ThumbnailError.malformedPNG("it ends before its IEND chunk") }
            let length = Int(PNGDecoding.bigEndian(bytes, at: offset))
            guard length <= bytes.count - offset - 12 else { throw ThumbnailError.malformedPNG("a chunk runs past the end") }
            let body = Array(bytes[offset + 4..<offset + 8 + length])  // type and data, as the CRC covers them
            guard PNGDecoding.bigEndian(bytes, at: offset + 8 + length) == PNGEncoder.crc32(body) else {
                throw ThumbnailError.malformedPNG("the CRC of chunk \(String(decoding: body.prefix(4), as: UTF8.self)) is wrong")
            }
            offset += 12 + length
            let type = String(decoding: body.prefix(4), as: UTF8.self)
            if type == "IHDR" {
                header = Array(body.dropFirst(4))
            } else if type == "IDAT" {
                data += body.dropFirst(4)
            } else if type == "IEND" {
                break
            }
        }
        guard let header, header.count == 13 else { throw ThumbnailError.malformedPNG("it has no proper IHDR chunk") }
        width = Int(PNGDecoding.bigEndian(header, at: 0))
        height = Int(PNGDecoding.bigEndian(header, at: 4))
        guard width > 0, height > 0, width <= RGBImage.maxSide, height <= RGBImage.maxSide else {
            throw ThumbnailError.badSize(width: width, height: height)
        }
        bitDepth = header[8]
        colourType = header[9]
        interlaced = header[12] != 0
        self.data = data
    }

    /// Bytes per pixel, for the kinds the decoder reads.
    func channels() throws -> Int {
        guard bitDepth == 8, !interlaced else {
            throw ThumbnailError.unsupportedPNG("bit depth \(bitDepth)\(interlaced ? ", interlaced" : "")")
        }
        switch colourType {
        case 0: return 1
        case 2: return 3
        case 4: return 2
        case 6: return 4
        default: throw ThumbnailError.unsupportedPNG("colour type \(colourType)")
        }
    }
}
