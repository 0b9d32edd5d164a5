/// Width and height from a PNG's `IHDR`, which always comes first.
public func pngSize(_ png: [UInt8]) -> (Int, Int)? {
    guard png.count > 24, png.starts(with: [0x89, 0x50, 0x4E, 0x47]), Array(png[12..<16]) == Array("IHDR".utf8) else {
        return nil
    }
    let number = { (start: Int) in png[start..<start + 4].reduce(0) { $0 << 8 | Int($1) } }
    return (number(16), number(20))
}
