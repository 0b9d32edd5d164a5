/// Why an image could not be read or made into a thumbnail; `description` says it for people.
public enum ThumbnailError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes are not a binary PPM (`P6`): the reason names what is wrong.
    case malformedPPM(String)
    /// The image type is neither PPM nor PNG.
    case unsupportedType(String)
    /// Bytes said to be a PNG lack the PNG signature.
    case notPNG
    /// A broken PNG: the reason names what is wrong.
    case malformedPNG(String)
    /// A valid PNG of a kind the decoder does not read (palette, 16-bit, interlaced).
    case unsupportedPNG(String)
    /// A width or height of zero, negative, or over `RGBImage.maxSide`.
    case badSize(width: Int, height: Int)
    /// Pixel data of the wrong length for the image's size.
    case pixelCount(expected: Int, got: Int)
    /// zlib refused to compress the pixels (its return code).
    case compression(Int32)

    public var description: String {
        switch self {
        case .malformedPPM(let reason): "not a binary PPM (P6) image: \(reason)"
        case .unsupportedType(let type): "images of type \(type) cannot be made into thumbnails (PPM and PNG can)"
        case .notPNG: "the image is said to be a PNG but does not start with the PNG signature"
        case .malformedPNG(let reason): "a broken PNG: \(reason)"
        case .unsupportedPNG(let kind): "PNGs of \(kind) are not decoded here"
        case .badSize(let width, let height):
            "an image of \(width)×\(height) pixels is not supported (each side 1 to \(RGBImage.maxSide))"
        case .pixelCount(let expected, let got): "the image needs \(expected) bytes of pixels but has \(got)"
        case .compression(let code): "zlib could not compress the image (error \(code))"
        }
    }
}
