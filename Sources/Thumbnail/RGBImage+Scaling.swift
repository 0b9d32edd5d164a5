extension RGBImage {
    /// The image shrunk to `width` pixels wide, keeping its aspect ratio (the height rounded, at least 1); each new
    /// pixel is the average of the source pixels its area covers (a box filter). An image no wider than `width` is
    /// returned as it is: thumbnails are never enlarged.
    public func scaled(toWidth target: Int) -> RGBImage {
        guard target > 0, target < width else { return self }
        let targetHeight = max(1, (height * target + width / 2) / width)
        var output = [UInt8](repeating: 0, count: target * targetHeight * 3)
        // Column spans are the same for every row: [columnStart[x], columnStart[x + 1]).
        let columnStart = (0...target).map { $0 * width / target }
        var sums = [Int](repeating: 0, count: width * 3)
        pixels.withUnsafeBufferPointer { source in
            for row in 0..<targetHeight {
                let top = row * height / targetHeight
                let bottom = (row + 1) * height / targetHeight
                for index in sums.indices { sums[index] = 0 }
                for y in top..<bottom {
                    let line = y * width * 3
                    for index in 0..<width * 3 { sums[index] += Int(source[line + index]) }
                }
                for column in 0..<target {
                    let left = columnStart[column], right = columnStart[column + 1]
                    let area = (right - left) * (bottom - top)
                    for channel in 0..<3 {
                        var total = 0
                        for x in left..<right { total += sums[x * 3 + channel] }
                        output[(row * target + column) * 3 + channel] = UInt8((total + area / 2) / area)
                    }
                }
            }
        }
        return RGBImage(checkedWidth: target, height: targetHeight, pixels: output)
    }
}
