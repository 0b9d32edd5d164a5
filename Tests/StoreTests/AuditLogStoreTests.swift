import Foundation
import Store
import Testing

@Suite struct AuditLogStoreTests {
    @Test(arguments: Backend.underTest)
    func entriesComeBackNewestFirstInPages(_ backend: Backend) async throws {
        let (store, _) = try await makeStore(backend)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        for index in 1...5 {
            try await store.appendAuditEvent(
                AuditEvent(
                    at: start.addingTimeInterval(Double(index)), actor: "alice", action: .handout, subject: "s\(index)",
                    clientAddress: index == 3 ? nil : "10.0.0.\(index)", succeeded: index != 4, detail: "entry \(index)"))
        }
        let first = try await store.auditEvents(before: nil, limit: 2)
        #expect(first.map(\.subject) == ["s5", "s4"])
        #expect(first[1].succeeded == false)
        #expect(first[0].at == start.addingTimeInterval(5))
        let next = try await store.auditEvents(before: first.last!.id, limit: 2)
        #expect(next.map(\.subject) == ["s3", "s2"])
        #expect(next[0].clientAddress == nil && next[1].clientAddress == "10.0.0.2")
        let rest = try await store.auditEvents(before: next.last!.id, limit: 2)
        #expect(rest.map(\.subject) == ["s1"])
        #expect(rest[0].detail == "entry 1" && rest[0].actor == "alice" && rest[0].action == .handout)
    }

    @Test(arguments: Backend.underTest)
    func anActionThisVersionDoesNotKnowStillReads(_ backend: Backend) async throws {
        let (store, _) = try await makeStore(backend)
        try await store.appendAuditEvent(
            AuditEvent(at: Date(), actor: "cli", action: AuditAction(rawValue: "group_grant"), subject: "office"))
        #expect(try await store.auditEvents(before: nil, limit: 10).first?.action.rawValue == "group_grant")
    }
}
