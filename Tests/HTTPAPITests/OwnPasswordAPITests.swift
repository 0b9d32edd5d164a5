import Broker
import BrokerTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// A user changes their own password: the current one proves it is them, and every sign-in of theirs ends.
@Suite struct OwnPasswordAPITests {
    @Test func theRightCurrentPasswordChangesItAndSignsOutEverywhere() async throws {
        try await withLiveAPI { client, fixture in
            try await fixture.user("dora")
            let token = try await client.login("dora")
            let other = try await client.login("dora")

            let wrong = try await client.call(.put, "/api/v1/me/password", token: token, body: #"{"current":"nope","new":"fresh-pw-1"}"#)
            #expect(wrong.status == .forbidden && errorCode(wrong.json) == "wrong_password", "\(wrong.json)")
            let empty = try await client.call(.put, "/api/v1/me/password", token: token, body: #"{"current":"pw-dora","new":""}"#)
            #expect(empty.status == .badRequest, "\(empty.json)")
            #expect(try await client.call(.get, "/api/v1/me", token: token).status == .ok, "nothing changed yet")

            let changed = try await client.call(.put, "/api/v1/me/password", token: token, body: #"{"current":"pw-dora","new":"fresh-pw-1"}"#)
            #expect(changed.status == .noContent, "\(changed.json)")
            #expect(try await client.call(.get, "/api/v1/me", token: token).status == .unauthorized)
            #expect(try await client.call(.get, "/api/v1/me", token: other).status == .unauthorized, "every sign-in ends")
            #expect(try await fixture.accounts.login(username: "dora", password: "fresh-pw-1").user.name == "dora")
            await #expect(throws: (any Error).self) { try await fixture.accounts.login(username: "dora", password: "pw-dora") }
            let entries = try await fixture.store.auditEvents(before: nil, limit: 20).filter { $0.subject == "dora" && $0.action == .userUpdate }
            #expect(entries.count == 2 && Set(entries.map(\.succeeded)) == [false, true], "the wrong try and the change are audited: \(entries)")
        }
    }

    @Test func aDirectoryUserIsToldToChangeItThere() async throws {
        try await withLiveAPI { client, fixture in
            try await fixture.store.addUser(.init(name: "pam-paul", passwordHash: "!pam", isAdmin: false, createdAt: Date()))
            let user = try #require(try await fixture.store.user(named: "pam-paul"))
            let error = await #expect(throws: BrokerError.self) {
                try await fixture.accounts.changeOwnPassword(of: user, current: "x", new: "y")
            }
            #expect(error?.code == .notLocal && error?.httpStatus == 409, "\(String(describing: error))")
        }
    }
}
