import Foundation
import Glibc

/// Channel links through the SPICE gateway: each a new connection linked as a display channel and closed once the
/// desktop behind it was reached.
struct LinkSetupRun {
    struct Timing {
        let count: Int
        /// Milliseconds.
        let p50: Double
        let p99: Double
    }

    struct Rate {
        let perSecond: Double
        /// The relay's CPU use in cores meanwhile.
        let relayCores: Double
    }

    let relay: RelayUnderTest

    /// `count` links one after another, each timed from connect to the target's first byte of the mode chosen.
    func timeEach(_ count: Int) async throws -> Timing {
        let path = self.relay.path
        let samples = await BenchThread.run { () -> Result<[Double], BenchFailure> in
            var samples: [Double] = []
            for _ in 0..<count {
                let start = ContinuousClock.now
                do {
                    var stream = try RelayedStream.open(path, mode: .echo)
                    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 16)
                    defer {
                        buffer.deallocate()
                        stream.close()
                    }
                    guard stream.send([1]), stream.awaitPayload(1, buffer: buffer) else {
                        return .failure(BenchFailure("a linked channel did not echo"))
                    }
                } catch let failure as BenchFailure {
                    return .failure(failure)
                } catch {
                    return .failure(BenchFailure("\(error)"))
                }
                samples.append((ContinuousClock.now - start).milliseconds)
            }
            return .success(samples.sorted())
        }
        let sorted = try samples.get()
        return Timing(count: count, p50: sorted.percentile(0.50), p99: sorted.percentile(0.99))
    }

    /// Links per second with `openers` threads linking and closing channels for `window`.
    func rate(openers: Int, window: Duration) async throws -> Rate {
        let path = self.relay.path
        let cpuBefore = self.relay.cpuSeconds()
        let start = ContinuousClock.now
        let counts = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<openers {
                group.addTask {
                    await BenchThread.run {
                        var linked = 0
                        while ContinuousClock.now - start < window {
                            guard let stream = try? RelayedStream.open(path, mode: .idle) else { break }
                            stream.close()
                            linked += 1
                        }
                        return linked
                    }
                }
            }
            return await group.reduce(0, +)
        }
        let seconds = (ContinuousClock.now - start).milliseconds / 1000
        return Rate(perSecond: Double(counts) / seconds, relayCores: (self.relay.cpuSeconds() - cpuBefore) / seconds)
    }
}

extension Duration {
    /// The duration in (fractional) milliseconds.
    fileprivate var milliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}
