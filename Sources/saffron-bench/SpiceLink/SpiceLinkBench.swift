import ArgumentParser
import Dispatch
import Foundation
import SpiceLink

/// `saffron-bench spice-link`: what it costs the gateway to take one SPICE channel's link itself (its own RSA key, the
/// client's ticket decrypted), for three ways of making keys, side by side.
struct SpiceLinkBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spice-link",
        abstract: "Link setup per SPICE channel through the gateway's acceptor: a key per link, keys made ahead, one shared key.")

    @Option(help: "Links per strategy.") var links = 2000
    @Option(help: "Threads linking at once (default: the cores there are).") var threads = ProcessInfo.processInfo.activeProcessorCount

    /// How the acceptor gets the key it hands a client.
    enum Strategy: String, CaseIterable, Sendable {
        /// A new RSA key made while the client waits, as spice-server does for every link.
        case perLink = "key made per link"
        /// A new key for every link, made ahead of time (by a pool) and used once.
        case madeAhead = "key made ahead, used once"
        /// One key for every link: the floor, what decryption alone costs.
        case shared = "one key for all links"
    }

    func validate() throws {
        guard (1...1_000_000).contains(links) else { throw ValidationError("--links must be 1 to 1000000.") }
        guard (1...1024).contains(threads) else { throw ValidationError("--threads must be 1 to 1024.") }
    }

    func run() async throws {
        let clock = ContinuousClock()
        FileHandle.standardError.write(Data("… making \(links) keys ahead\n".utf8))
        let keygenStart = clock.now
        let ahead = try Self.makeKeys(links, threads: threads)
        let keygen = clock.now - keygenStart
        var rows: [SpiceLinkBenchReport.Row] = []
        for strategy in Strategy.allCases {
            FileHandle.standardError.write(Data("… \(links) links, \(strategy.rawValue), \(threads) thread(s)\n".utf8))
            rows.append(try measure(strategy, keys: ahead))
        }
        SpiceLinkBenchReport(rows: rows, threads: threads, keysMade: links, keygen: keygen).print()
    }

    /// `count` keys made on `threads` threads.
    static func makeKeys(_ count: Int, threads: Int) throws -> [SpiceTicketKey] {
        let made = PerThread<SpiceTicketKey?>(count: count)
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for index in stride(from: thread, to: count, by: threads) { made.set(index, try? SpiceTicketKey()) }
        }
        let keys = made.values.compactMap { $0 }
        guard keys.count == count else { throw BenchFailure("making RSA keys failed") }
        return keys
    }

    /// Links `links` clients through acceptors on `threads` threads; each link's time is the acceptor's work (and the
    /// key's making, per link), not the client's encryption.
    private func measure(_ strategy: Strategy, keys: [SpiceTicketKey]) throws -> SpiceLinkBenchReport.Row {
        let durations = PerThread<Duration>(count: links)
        let failures = PerThread<Bool>(count: links)
        let message = SpiceLinkMessage(
            connectionID: 0, channelType: 1, channelID: 0,
            commonCapabilities: SpiceCommonCapability.words([.authSelection, .authSpice, .authSASL, .miniHeader]),
            channelCapabilities: [0b1111]).bytes
        let ticket = Array("console-credential-of-forty-bytes-123456".utf8)
        let linked = try SpiceLinkMessage(parsing: message.dropFirst(SpiceLinkHeader.size))
        let clock = ContinuousClock()
        let start = clock.now
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for index in stride(from: thread, to: links, by: threads) {
                let linkStart = clock.now
                guard let key = strategy == .perLink ? try? SpiceTicketKey() : keys[strategy == .shared ? 0 : index] else {
                    failures.set(index, true)
                    continue
                }
                var acceptor = SpiceLinkAcceptor(key: key)
                guard case .send(let reply)? = acceptor.receive(message).first,
                    let publicKey = try? SpiceLinkReply(parsing: reply.dropFirst(SpiceLinkHeader.size)).publicKey
                else {
                    failures.set(index, true)
                    continue
                }
                var elapsed = clock.now - linkStart
                guard let encrypted = try? SpiceTicketKey.encrypt(ticket, for: publicKey) else {
                    failures.set(index, true)
                    continue
                }
                let ticketStart = clock.now
                let answer = acceptor.receive(SpiceLinkMessage.ticketMechanism + encrypted)
                elapsed += clock.now - ticketStart
                durations.set(index, elapsed)
                failures.set(index, answer != [.authenticate(linked, ticket: ticket)])
            }
        }
        let wall = clock.now - start
        guard !failures.values.contains(true) else { throw BenchFailure("a link through the acceptor failed (\(strategy.rawValue))") }
        return .init(strategy: strategy, durations: durations.values, wall: wall)
    }
}

/// Values written by many threads, each to its own indexes.
final class PerThread<Value: Sendable>: @unchecked Sendable {
    // Each index is written by one thread only, through a buffer allocated once (no access to a shared Swift array,
    // which exclusivity forbids), and read after `concurrentPerform` returned.
    private let storage: UnsafeMutableBufferPointer<Value?>

    init(count: Int) {
        storage = .allocate(capacity: count)
        storage.initialize(repeating: nil)
    }

    deinit {
        storage.deinitialize()
        storage.deallocate()
    }

    func set(_ index: Int, _ value: Value) { storage[index] = value }

    var values: [Value] { storage.compactMap { $0 } }
}
