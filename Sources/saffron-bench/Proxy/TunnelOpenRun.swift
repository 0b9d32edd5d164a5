import Glibc

/// Tunnels opened per second: for a window after a warm-up, `openers` threads each open a tunnel through the relay,
/// send a small message to the target's echo, await it back and close, one tunnel after another.
struct TunnelOpenRun {
    /// What one cell of the tunnels-per-second table measured.
    struct Result: RelayRate {
        let openers: Int
        /// Tunnels opened, echoed through and closed per second over the window.
        let tunnelsPerSecond: Double
        let relayCores: Double
        /// Tunnels that were refused, reset or lost their echo, over the whole run.
        let failed: Int

        var rate: Double { self.tunnelsPerSecond }
    }

    let relay: RelayUnderTest
    let openers: Int
    let window: Duration
    var warmUp: Duration = .milliseconds(500)
    var messageSize = 64

    func measure() async throws -> Result {
        let (completed, failed, running, stopping) = (SharedCount(), SharedCount(), SharedCount(), SharedCount())
        let (path, size) = (self.relay.path, self.messageSize)
        for _ in 0..<self.openers {
            BenchThread.start(countedIn: running) {
                let message = [UInt8](repeating: 0x42, count: size)
                let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
                defer { buffer.deallocate() }
                while stopping.total == 0 {
                    if Self.openEchoAndClose(path, message: message, buffer: buffer) {
                        completed.add(1)
                    } else {
                        failed.add(1)
                        usleep(1000)  // a relay refusing at once would otherwise be asked in a tight loop
                    }
                }
            }
        }
        let sample: WindowSample
        do {
            sample = try await self.relay.sample(completed, warmUp: self.warmUp, window: self.window)
        } catch {
            stopping.add(1)
            try? await running.waitUntilZero()
            throw error
        }
        stopping.add(1)
        try await running.waitUntilZero()
        return Result(
            openers: self.openers, tunnelsPerSecond: sample.perSecond, relayCores: sample.relayCores, failed: failed.total)
    }

    /// One tunnel's life: open (CONNECT and 200 through a proxy), the target's echo chosen, one message there and
    /// back, close.
    private static func openEchoAndClose(
        _ path: RelayPath, message: [UInt8], buffer: UnsafeMutableRawBufferPointer
    ) -> Bool {
        guard var stream = try? RelayedStream.open(path, mode: .echo) else { return false }
        defer { stream.close() }
        return stream.send(message) && stream.awaitPayload(message.count, buffer: buffer)
    }
}
