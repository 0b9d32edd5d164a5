import Testing
import Thumbnail

/// Box-filter downscaling keeps the aspect ratio and averages the area each new pixel covers.
@Suite struct ScalingTests {
    @Test func eachNewPixelIsTheAverageOfItsBox() throws {
        // 4×2: left 2×2 block black and white in a checkerboard (average 128 after rounding), right block red.
        let image = try RGBImage(width: 4, height: 2, pixels: [
            0, 0, 0, 255, 255, 255, 255, 0, 0, 255, 0, 0,
            255, 255, 255, 0, 0, 0, 255, 0, 0, 250, 0, 2,
        ])
        let small = image.scaled(toWidth: 2)
        #expect(small.width == 2 && small.height == 1)
        #expect(small[0, 0] == [128, 128, 128])
        #expect(small[1, 0] == [254, 0, 1])  // (255+255+255+250)/4 = 253.75, (0+0+0+2)/4 = 0.5 rounds up
    }

    @Test func theAspectRatioIsKept() throws {
        let screen = try RGBImage(width: 1920, height: 1080, pixels: [UInt8](repeating: 90, count: 1920 * 1080 * 3))
        let small = screen.scaled(toWidth: 320)
        #expect(small.width == 320 && small.height == 180)
        #expect(small.pixels.allSatisfy { $0 == 90 })
        let odd = try RGBImage(width: 1024, height: 768, pixels: [UInt8](repeating: 1, count: 1024 * 768 * 3)).scaled(toWidth: 300)
        #expect(odd.width == 300 && odd.height == 225)
        let strip = try RGBImage(width: 2000, height: 1, pixels: [UInt8](repeating: 1, count: 6000)).scaled(toWidth: 320)
        #expect(strip.height == 1)
    }

    @Test func smallImagesAreNotEnlarged() throws {
        let image = try RGBImage(width: 200, height: 100, pixels: [UInt8](repeating: 3, count: 200 * 100 * 3))
        #expect(image.scaled(toWidth: 320) == image)
        #expect(image.scaled(toWidth: 200) == image)
    }
}
