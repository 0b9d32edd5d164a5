import Synchronization

/// Server→client throughput: `streams` connections through a relay, each reading as fast as the target's source
/// writes, measured over a window after a warm-up.
struct ThroughputRun {
    /// What one cell of the throughput table measured.
    struct Result: RelayRate {
        let streams: Int
        let bytesPerSecond: Double
        /// The relay's CPU use over the window, in cores (1.0 = one core busy).
        let relayCores: Double

        var megabytesPerSecond: Double { self.bytesPerSecond / 1e6 }
        var rate: Double { self.megabytesPerSecond }
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
            BenchThread.start(countedIn: readers) { [received] in
                var stream = stream
                let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
                defer { buffer.deallocate() }
                while let count = stream.readPayload(into: buffer) {
                    received.add(count)
                }
            }
        }
        let sample = try await self.relay.sample(received, warmUp: self.warmUp, window: self.window)
        opened.forEach { $0.shutDown() }
        // A reader still between two reads would otherwise read from whatever socket reuses its descriptor.
        try await readers.waitUntilZero()
        return Result(streams: self.streams, bytesPerSecond: sample.perSecond, relayCores: sample.relayCores)
    }
}

/// What a count gained over a measurement window, and the CPU time the relay used meanwhile.
struct WindowSample {
    let gained: Int
    let seconds: Double
    let relayCPUSeconds: Double

    var perSecond: Double { Double(self.gained) / self.seconds }
    /// The relay's CPU use in cores (1.0 = one core busy).
    var relayCores: Double { self.relayCPUSeconds / self.seconds }
}

extension RelayUnderTest {
    /// Waits out `warmUp`, then measures what `count` gains and the CPU this relay uses over `window`.
    func sample(_ count: SharedCount, warmUp: Duration, window: Duration) async throws -> WindowSample {
        try await Task.sleep(for: warmUp)
        let clock = ContinuousClock()
        let (before, cpuBefore, start) = (count.total, self.cpuSeconds(), clock.now)
        try await Task.sleep(for: window)
        let (after, cpuAfter, end) = (count.total, self.cpuSeconds(), clock.now)
        return WindowSample(gained: after - before, seconds: (end - start).seconds, relayCPUSeconds: cpuAfter - cpuBefore)
    }
}

/// A count shared by the load client's threads (bytes received, tunnels opened, threads running).
final class SharedCount: Sendable {
    private let count = Atomic<Int>(0)

    func add(_ amount: Int) { self.count.add(amount, ordering: .relaxed) }
    var total: Int { self.count.load(ordering: .relaxed) }

    /// Returns once the count is down to zero (the threads it counts have all ended).
    func waitUntilZero() async throws {
        while self.total > 0 { try await Task.sleep(for: .milliseconds(5)) }
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    var seconds: Double {
        Double(self.components.seconds) + Double(self.components.attoseconds) / 1e18
    }
}
