import Foundation
import Testing

/// The chunks of a PNG, each with whether its CRC matches one computed here bit by bit (not with zlib's table).
struct PNGChunks {
    struct Chunk {
        let type: String
        let data: [UInt8]
        let crcMatches: Bool
    }

    static func read(_ png: [UInt8]) throws -> [Chunk] {
        try #require(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "PNG signature")
        var chunks: [Chunk] = []
        var offset = 8
        while offset < png.count {
            try #require(offset + 12 <= png.count, "a chunk cut short at \(offset)")
            let length = Int(bigEndian(png, at: offset))
            try #require(offset + 12 + length <= png.count, "chunk data cut short at \(offset)")
            let typeAndData = Array(png[offset + 4..<offset + 8 + length])
            let stored = bigEndian(png, at: offset + 8 + length)
            chunks.append(Chunk(
                type: String(decoding: typeAndData.prefix(4), as: UTF8.self), data: Array(typeAndData.dropFirst(4)),
                crcMatches: stored == crc32(typeAndData)))
            offset += 12 + length
        }
        return chunks
    }

    static func bigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// CRC-32 as the PNG specification's sample code defines it, one bit at a time.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
        }
        return crc ^ 0xFFFF_FFFF
    }
}

/// PNGs decoded and made by python3 with its own zlib, with every PNG filter type: an implementation the Swift code
/// shares nothing with.
enum PythonPNG {
    struct Decoded: Decodable {
        let width: Int
        let height: Int
        let pixels: [UInt8]
    }

    static let script = #"""
        import json, struct, sys, zlib
        data = sys.stdin.buffer.read()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", "signature"
        pos, idat = 8, b""
        while pos < len(data):
            length, kind = struct.unpack(">I4s", data[pos:pos + 8])
            body = data[pos + 8:pos + 8 + length]
            assert zlib.crc32(kind + body) == struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])[0], kind
            if kind == b"IHDR":
                width, height, depth, colour = struct.unpack(">IIBB", body[:10])
                assert (depth, colour) == (8, 2), (depth, colour)
            if kind == b"IDAT":
                idat += body
            pos += 12 + length
        raw, stride, rows, prev = zlib.decompress(idat), width * 3, [], bytearray(width * 3)
        for y in range(height):
            kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
            for i in range(stride):
                a, b = line[i - 3] if i >= 3 else 0, prev[i]
                c = prev[i - 3] if i >= 3 else 0
                p = a + b - c
                pred = [0, a, b, (a + b) // 2,
                        a if abs(p - a) <= abs(p - b) and abs(p - a) <= abs(p - c) else b if abs(p - b) <= abs(p - c) else c][kind]
                line[i] = (line[i] + pred) & 255
            rows.append(line)
            prev = line
        print(json.dumps({"width": width, "height": height, "pixels": list(b"".join(rows))}))
        """#

    static func decode(_ png: [UInt8]) throws -> Decoded {
        try JSONDecoder().decode(Decoded.self, from: try run(script, input: png))
    }

    /// A PNG made by Python of `samples` (`channels(colourType)` bytes a pixel), row `y` with filter type `y % 5`.
    static func encode(width: Int, height: Int, colourType: Int, samples: [UInt8]) throws -> [UInt8] {
        Array(try run(encoder, arguments: ["\(width)", "\(height)", "\(colourType)"], input: samples))
    }

    static let encoder = #"""
        import struct, sys, zlib
        width, height, colour = map(int, sys.argv[1:4])
        channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour]
        data, stride = sys.stdin.buffer.read(), width * channels
        def paeth(a, b, c):
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            return a if pa <= pb and pa <= pc else b if pb <= pc else c
        raw, prev = bytearray(), bytearray(stride)
        for y in range(height):
            line, kind = data[y * stride:(y + 1) * stride], y % 5
            raw.append(kind)
            for i in range(stride):
                a, b = line[i - channels] if i >= channels else 0, prev[i]
                c = prev[i - channels] if i >= channels else 0
                raw.append((line[i] - [0, a, b, (a + b) // 2, paeth(a, b, c)][kind]) & 255)
            prev = line
        def chunk(kind, body):
            return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0))
        if colour == 3:
            png += chunk(b"PLTE", bytes(range(256)) * 3)
        png += chunk(b"IDAT", zlib.compress(bytes(raw))) + chunk(b"IEND", b"")
        sys.stdout.buffer.write(png)
        """#

    /// Runs a python3 script with `input` on its standard input; its standard output.
    static func run(_ script: String, arguments: [String] = [], input: [UInt8]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let stdin = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = stdin
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        stdin.fileHandleForWriting.write(Data(input))
        try stdin.fileHandleForWriting.close()
        let answer = output.fileHandleForReading.readDataToEndOfFile()
        let problem = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "python3 failed: \(problem)")
        return answer
    }
}
