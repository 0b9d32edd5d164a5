import SpiceLink
import Testing

/// Random and mutated links: the acceptor never traps, never authenticates what carries no ticket of its key, and
/// every refusal is a well-formed SPICE answer.
@Suite struct SpiceLinkFuzzTests {
    /// A small deterministic generator, so that a failure repeats.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func check(_ bytes: [UInt8], chunk: Int) {
        var acceptor = SpiceLinkAcceptor(key: SpiceLinkAcceptorTests.key)
        var actions: [SpiceLinkAcceptor.Action] = []
        var start = 0
        while start < bytes.count {
            actions += acceptor.receive(bytes[start..<min(start + chunk, bytes.count)])
            start += chunk
        }
        for action in actions {
            switch action {
            case .authenticate: Issue.record("authenticated random bytes: \(bytes)")
            case .refuse(let answer, _): #expect(answer.count == 4 || answer.count == SpiceLinkHeader.size + 178)
            case .send(let reply): #expect(reply.count >= SpiceLinkHeader.size + 178)
            }
        }
    }

    @Test func randomBytes() {
        var random = SplitMix(state: 1)
        for _ in 0..<3000 {
            let bytes = (0..<Int.random(in: 0...300, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            Self.check(bytes, chunk: Int.random(in: 1...64, using: &random))
        }
    }

    @Test func mutatedLinks() {
        var random = SplitMix(state: 2)
        let valid = SpiceLinkAcceptorTests.spiceGTKMain.bytes + [1, 0, 0, 0] + Array(repeating: 0x5A, count: 128)
        for _ in 0..<3000 {
            var bytes = valid
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                switch Int.random(in: 0...2, using: &random) {
                case 0: bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                case 1: bytes.removeLast(Int.random(in: 0...min(40, bytes.count - 1), using: &random))
                default: bytes.insert(UInt8.random(in: 0...255, using: &random), at: Int.random(in: 0...bytes.count, using: &random))
                }
            }
            Self.check(bytes, chunk: Int.random(in: 1...200, using: &random))
        }
    }

    @Test func randomMainChannelStreams() {
        var random = SplitMix(state: 3)
        for _ in 0..<2000 {
            var filter = SpiceMainChannelFilter(miniHeader: Bool.random(using: &random))
            let bytes = (0..<Int.random(in: 0...400, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            var out = 0
            for chunk in stride(from: 0, to: bytes.count, by: 37) {
                guard let passed = try? filter.filter(bytes[chunk..<min(chunk + 37, bytes.count)]) else { break }
                out += passed.count
            }
            #expect(out <= bytes.count, "a filter never makes more than it was given")
        }
    }
}
