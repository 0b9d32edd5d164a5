/// Memory per idle connection: the relay's proportional set size before and after `count` upgraded connections
/// that reached the target and then stay silent, divided by `count`.
struct IdleMemoryRun {
    struct Result {
        /// Connections upgraded by the relay.
        let opened: Int
        /// Of those, the ones that reached the target.
        let connections: Int
        let baselineBytes: Int
        let bytesPerConnection: Double
    }

    let relay: RelayUnderTest
    let target: BenchTarget
    let count: Int

    func measure() async throws -> Result {
        guard let tree = self.relay.tree else { throw BenchFailure("memory is measured on relay processes only") }
        guard try await self.waitForIdleConnections(0) == 0 else {
            throw BenchFailure("the target still holds connections of an earlier measurement")
        }
        let before = tree.proportionalSetSize()
        var opened: [RelayedStream] = []
        defer {
            opened.forEach { $0.close() }
        }
        for _ in 0..<self.count {
            opened.append(try RelayedStream.open(self.relay.path, mode: .idle))
        }
        // A relay that cannot carry them all (websockify forks a process per connection) is measured on those it
        // carried through to the target.
        let carried = try await self.waitForIdleConnections(self.count)
        let after = tree.proportionalSetSize()
        opened.forEach { $0.close() }
        opened = []
        _ = try await self.waitForIdleConnections(0)
        return Result(
            opened: self.count, connections: carried, baselineBytes: before,
            bytesPerConnection: carried > 0 ? Double(after - before) / Double(carried) : .nan)
    }

    /// Waits until the target holds `expected` idle connections, or their number stopped changing for 10 s;
    /// returns how many it holds.
    private func waitForIdleConnections(_ expected: Int) async throws -> Int {
        var (last, lastChange) = (self.target.idleConnections, ContinuousClock.now)
        while last != expected, ContinuousClock.now - lastChange < .seconds(10) {
            try await Task.sleep(for: .milliseconds(20))
            let now = self.target.idleConnections
            if now != last { (last, lastChange) = (now, ContinuousClock.now) }
        }
        return last
    }
}
