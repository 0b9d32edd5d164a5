import Glibc

/// Small-message latency: one connection through a relay sends 64 bytes and waits for the target's echo, again and
/// again; the percentiles are of single round trips.
struct RoundTripRun {
    /// Round-trip percentiles in microseconds.
    struct Result {
        let p50: Double
        let p99: Double
    }

    let relay: RelayUnderTest
    let roundTrips: Int
    var warmUp = 1000
    var messageSize = 64

    func measure() async throws -> Result {
        let stream = try RelayedStream.open(self.relay.path, mode: .echo)
        defer { stream.close() }
        let (roundTrips, warmUp, size) = (self.roundTrips, self.warmUp, self.messageSize)
        let samples = await BenchThread.run { () -> [Double]? in
            var stream = stream
            let message = [UInt8](repeating: 0x42, count: size)
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
            defer { buffer.deallocate() }
            var samples: [Double] = []
            samples.reserveCapacity(roundTrips)
            for index in 0..<(warmUp + roundTrips) {
                let start = Self.nanoseconds()
                guard stream.send(message), stream.awaitPayload(size, buffer: buffer) else { return nil }
                if index >= warmUp { samples.append(Double(Self.nanoseconds() - start) / 1000) }
            }
            return samples.sorted()
        }
        guard let samples else { throw BenchFailure("\(self.relay.name) closed the echo connection") }
        return Result(p50: samples.percentile(0.50), p99: samples.percentile(0.99))
    }

    private static func nanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}

extension Array where Element == Double {
    /// The value below which the fraction `p` of this sorted array lies.
    func percentile(_ p: Double) -> Double {
        self.isEmpty ? .nan : self[Swift.min(self.count - 1, Int(Double(self.count) * p))]
    }
}
