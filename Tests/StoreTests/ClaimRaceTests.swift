import Foundation
import Store
import Testing

/// Claims hammered from several stores on one database at once, as several brokers would: no VM and no port is ever
/// given twice, and every loser gets a clean refusal.
@Suite struct ClaimRaceTests {
    /// What one claim came to.
    enum Outcome: Sendable {
        case won(SessionRecord)
        case refused(StoreError)
        case failed(String)
    }

    static func race(_ claims: [DesktopClaim], across stores: [any Store]) async -> [Outcome] {
        await withTaskGroup(of: Outcome.self) { group in
            for (index, request) in claims.enumerated() {
                let store = stores[index % stores.count]
                group.addTask {
                    do { return .won(try await store.claimDesktop(request).session) } catch let error as StoreError {
                        return .refused(error)
                    } catch { return .failed("\(error)") }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test(arguments: Backend.underTest)
    func threeBrokersNeverGiveOneVMOrPortTwice(_ backend: Backend) async throws {
        let users = (0..<60).map { "user\($0)" }
        let vms = (1...20).map { "desk\($0)" }
        let (first, reopen) = try await makeStore(backend, vms: vms, users: users)
        let stores = [first, try reopen(), try reopen()]
        let outcomes = await Self.race(users.map { claim($0, ports: 20000...20099) }, across: stores)

        let sessions = outcomes.compactMap { if case .won(let session) = $0 { session } else { nil } }
        let refusals = outcomes.compactMap { if case .refused(let error) = $0 { error } else { nil } }
        let failures = outcomes.compactMap { if case .failed(let text) = $0 { text } else { nil } }
        #expect(failures.isEmpty, "\(failures)")
        #expect(sessions.count == 20)
        #expect(Set(sessions.map(\.vm)).count == 20 && Set(sessions.map(\.publicPort)).count == 20)
        #expect(refusals == Array(repeating: .noFreeVM(pool: "office"), count: 40))
        #expect(try await first.sessions().count == 20)
    }

    @Test(arguments: Backend.underTest)
    func poolsSharingOnePortRangeNeverShareAPort(_ backend: Backend) async throws {
        let users = (0..<40).map { "user\($0)" }
        let (first, reopen) = try await makeStore(backend, vms: (1...20).map { "desk\($0)" }, users: users)
        try await first.addPool(PoolRecord(name: "lab", connectURI: "test:///default", createdAt: Date()))
        try await first.addVMs((1...20).map { "lab\($0)" }, toPool: "lab", now: Date())
        let stores = [first, try reopen(), try reopen()]
        let claims = users.enumerated().map { index, user in
            var request = claim(user, ports: 21000...21029)
            request.pool = index.isMultiple(of: 2) ? "office" : "lab"
            return request
        }
        let outcomes = await Self.race(claims, across: stores)

        let sessions = outcomes.compactMap { if case .won(let session) = $0 { session } else { nil } }
        let refusals = outcomes.compactMap { if case .refused(let error) = $0 { error } else { nil } }
        #expect(sessions.count == 30, "thirty ports for forty claims")
        #expect(Set(sessions.map(\.publicPort)).count == 30)
        #expect(Set(sessions.map { "\($0.pool)/\($0.vm)" }).count == 30)
        #expect(refusals == Array(repeating: .noFreePort, count: 10))
    }

    @Test(arguments: Backend.underTest)
    func eachGatewayAddressLeasesItsWholeRangeAndNeverAPortTwice(_ backend: Backend) async throws {
        let users = (0..<30).map { "user\($0)" }
        let (first, reopen) = try await makeStore(backend, vms: (1...30).map { "desk\($0)" }, users: users)
        // A session from before gateway addresses holds port 21000 against every address.
        var legacy = claim(users[0], ports: 21000...21000)
        legacy.publicAddress = nil
        _ = try await first.claimDesktop(legacy)
        let stores = [first, try reopen(), try reopen()]
        let claims = users.dropFirst().enumerated().map { index, user in
            var request = claim(user, ports: 21000...21009)
            request.publicAddress = index.isMultiple(of: 2) ? "198.51.100.1" : "198.51.100.2"
            return request
        }
        let outcomes = await Self.race(claims, across: stores)

        let sessions = outcomes.compactMap { if case .won(let session) = $0 { session } else { nil } }
        let refusals = outcomes.compactMap { if case .refused(let error) = $0 { error } else { nil } }
        #expect(sessions.count == 18, "nine free ports on each of two addresses")
        for address in ["198.51.100.1", "198.51.100.2"] {
            let ports = sessions.filter { $0.publicAddress == address }.map(\.publicPort)
            #expect(Set(ports) == Set(21001...21009), "\(address): \(ports.sorted())")
        }
        #expect(refusals == Array(repeating: .noFreePort, count: 11))
    }

    @Test(arguments: Backend.underTest)
    func aTemplatePoolCreatesNoMoreThanItsMaximumUnderARace(_ backend: Backend) async throws {
        let users = (0..<24).map { "user\($0)" }
        let (first, reopen) = try await makeStore(backend, vms: [], users: users)
        let template = PoolTemplate(domainXML: "<domain/>", baseImage: "/b.qcow2", storagePool: "default", maxVMs: 8)
        try await first.addPool(PoolRecord(name: "lab", connectURI: "test:///default", desktopMode: .volatile, template: template, createdAt: Date()))
        let stores = [first, try reopen(), try reopen()]
        let claims = users.map { user in
            var request = claim(user)
            request.pool = "lab"
            request.portRange = 22000...22099
            return request
        }
        let outcomes = await Self.race(claims, across: stores)

        let sessions = outcomes.compactMap { if case .won(let session) = $0 { session } else { nil } }
        #expect(sessions.count == 8)
        #expect(Set(sessions.map(\.vm)) == Set((1...8).map { TemplateNaming.vmName(pool: "lab", number: $0) }))
        #expect(try await first.vms(inPool: "lab").count == 8)
    }
}
