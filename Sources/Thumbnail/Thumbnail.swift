/// Small PNGs of screenshots, for a browser to show many at once.
public enum Thumbnail {
    /// The MIME type of a binary PPM, as QEMU's screenshots are.
    public static let ppmType = "image/x-portable-pixmap"
    /// The MIME type of a PNG, what `png(of:mimeType:maxWidth:)` answers.
    public static let pngType = "image/png"

    /// A PNG at most `maxWidth` pixels wide of the image `bytes` of type `mimeType`.
    ///
    /// A PPM is decoded, shrunk (keeping its aspect ratio) and encoded as PNG. A PNG is passed through unchanged,
    /// whatever its size: decoding it only to shrink it is not worth its cost here. Throws `ThumbnailError` for
    /// other types and malformed images.
    public static func png(of bytes: [UInt8], mimeType: String, maxWidth: Int) throws -> [UInt8] {
        let type = mimeType.split(separator: ";").first.map { $0.trimmingSpaces.lowercased() } ?? ""
        switch type {
        case pngType:
            guard bytes.starts(with: PNGEncoder.signature) else { throw ThumbnailError.notPNG }
            return bytes
        case ppmType, "image/x-portable-anymap", "image/x-ppm":
            return try PNGEncoder.encode(RGBImage(ppm: bytes).scaled(toWidth: maxWidth))
        default:
            throw ThumbnailError.unsupportedType(mimeType.isEmpty ? "(none)" : mimeType)
        }
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
