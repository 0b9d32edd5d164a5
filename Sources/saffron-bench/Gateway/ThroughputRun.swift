import Synchronization

/// Server→client throughput: `streams` connections through a relay, each reading as fast as the target's source
/// writes, measured over a window after a warm-up.
struct ThroughputRun {
    /// What one cell of the throughput table measured.
    struct Result {
        let streams: Int
        let bytesPerSecond: Double
        /// The relay's CPU use over the window, in cores (1.0 = one core busy).
        let relayCores: Double

        var megabytesPerSecond: Double { self.bytesPerSecond / 1e6 }
    }

    let relay: RelayUnderTest
    let streams: Int
    let window: Duration
    var warmUp: Duration = .milliseconds(500)

    func measure() async throws -> Result {
        var opened: [RelayedStream] = []
        defer { opened.forEach { $0.close() } }
        for _ in 0..<self.streams {
            opened.append(try RelayedStream.open(self.relay.path, mode: .source))
        }
        let received = SharedCount()
        let readers = SharedCount()  // readers still running: sockets are closed only after the last one stopped
        for stream in opened {
            readers.add(1)
            BenchThread.start { [received, readers] in
                var stream = stream
                let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
                defer {
                    buffer.deallocate()
                    readers.add(-1)
                }
                while let count = stream.readPayload(into: buffer) {
                    received.add(count)
                }
            }
        }
        try await Task.sleep(for: self.warmUp)
        let clock = ContinuousClock()
        let (bytesBefore, cpuBefore, start) = (received.total, self.relay.cpuSeconds(), clock.now)
        try await Task.sleep(for: self.window)
        let (bytesAfter, cpuAfter, end) = (received.total, self.relay.cpuSeconds(), clock.now)
        opened.forEach { $0.shutDown() }
        // A reader still between two reads would otherwise read from whatever socket reuses its descriptor.
        while readers.total > 0 { try await Task.sleep(for: .milliseconds(5)) }
        let seconds = (end - start).seconds
        return Result(
            streams: self.streams, bytesPerSecond: Double(bytesAfter - bytesBefore) / seconds,
            relayCores: (cpuAfter - cpuBefore) / seconds)
    }
}

/// A count shared by the reading threads (bytes received, readers running).
final class SharedCount: Sendable {
    private let count = Atomic<Int>(0)

    func add(_ amount: Int) { self.count.add(amount, ordering: .relaxed) }
    var total: Int { self.count.load(ordering: .relaxed) }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    var seconds: Double {
        Double(self.components.seconds) + Double(self.components.attoseconds) / 1e18
    }
}
