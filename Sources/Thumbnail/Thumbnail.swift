/// Small PNGs of screenshots, for a browser to show many at once.
public enum Thumbnail {
    /// The MIME type of a binary PPM, the form of QEMU's screen dumps where libvirt does not ask for PNG.
    public static let ppmType = "image/x-portable-pixmap"
    /// The MIME type of a PNG, what `png(of:mimeType:maxWidth:)` answers.
    public static let pngType = "image/png"

    /// A PNG at most `maxWidth` pixels wide of the image `bytes` of type `mimeType`.
    ///
    /// A PPM, or a PNG wider than `maxWidth`, is decoded, shrunk (keeping its aspect ratio) and encoded as PNG. A PNG
    /// no wider, or of a kind the decoder does not read (palette, 16-bit, interlaced), is passed through unchanged.
    /// Throws `ThumbnailError` for other types and malformed images.
    public static func png(of bytes: [UInt8], mimeType: String, maxWidth: Int) throws -> [UInt8] {
        if try kind(of: mimeType) == pngType {
            let header = try PNGHeader(bytes)
            guard header.width > maxWidth, (try? header.channels()) != nil else { return bytes }
            return try PNGEncoder.encode(RGBImage(decoding: header).scaled(toWidth: maxWidth))
        }
        return try PNGEncoder.encode(RGBImage(ppm: bytes).scaled(toWidth: maxWidth))
    }

    /// `pngType` or `ppmType` for a MIME type naming either (parameters, case and PPM's other names allowed);
    /// throws `unsupportedType` for any other.
    static func kind(of mimeType: String) throws -> String {
        let type = mimeType.split(separator: ";").first.map { $0.trimmingSpaces.lowercased() } ?? ""
        switch type {
        case pngType: return pngType
        case ppmType, "image/x-portable-anymap", "image/x-ppm": return ppmType
        default: throw ThumbnailError.unsupportedType(mimeType.isEmpty ? "(none)" : mimeType)
        }
    }
}

extension RGBImage {
    /// Decodes a PNG or binary PPM named by its MIME type, as libvirt's screenshots come.
    public init(bytes: [UInt8], mimeType: String) throws {
        self = try Thumbnail.kind(of: mimeType) == Thumbnail.pngType ? RGBImage(png: bytes) : RGBImage(ppm: bytes)
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var text = self
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return text
    }
}
