import BrokerTestSupport
import ConsoleFile
import Store
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct DesktopAPITests {
    @Test func aTemplatePoolCountsTheDesktopsItMayStillCreate() async throws {
        try await withLiveAPI { client, fixture in
            let template = PoolTemplate(domainXML: "<domain/>", baseImage: "/images/base.qcow2", storagePool: "default", maxVMs: 5)
            try await fixture.broker.createTemplatePool(
                name: "lab", connectURI: "test:///default", desktopMode: .volatile, template: template)
            let token = try await client.login("alice")
            let before = try #require(try await client.call(.get, "/api/v1/pools", token: token).json["pools"] as? [[String: Any]])
            let lab = try #require(before.first { $0["name"] as? String == "lab" })
            #expect(lab["vms"] as? Int == 0 && lab["freeVMs"] as? Int == 5 && lab["capacity"] as? Int == 5, "\(lab)")

            #expect(try await client.call(.post, "/api/v1/pools/lab/desktop", token: token).status == .created)
            let after = try #require(try await client.call(.get, "/api/v1/pools", token: token).json["pools"] as? [[String: Any]])
            let held = try #require(after.first { $0["name"] as? String == "lab" })
            #expect(held["vms"] as? Int == 1 && held["freeVMs"] as? Int == 4 && held["capacity"] as? Int == 5, "\(held)")
        }
    }

    @Test func aUserLogsInListsPoolsGetsADesktopAndItsConsoleFile() async throws {
        try await withLiveAPI { client, fixture in
            let token = try await client.login("alice")
            let pools = try await client.call(.get, "/api/v1/pools", token: token)
            let list = try #require(pools.json["pools"] as? [[String: Any]])
            #expect(list.first?["name"] as? String == "office")
            #expect(list.first?["freeVMs"] as? Int == 3)
            #expect(list.first?["capacity"] as? Int == 3)
            #expect(list.first?["desktops"] as? String == "pooled")

            let created = try await client.call(.post, "/api/v1/pools/office/desktop", token: token)
            #expect(created.status == .created)
            #expect(created.json["host"] as? String == "198.51.100.1")
            #expect(created.json["port"] as? Int == 20000)
            #expect(created.json["clientAddress"] as? String == "127.0.0.1")
            let again = try await client.call(.post, "/api/v1/pools/office/desktop", token: token)
            #expect(again.status == .ok)
            #expect(again.json["id"] as? String == created.json["id"] as? String)

            let id = try #require(created.json["id"] as? String)
            let vv = try await client.call(.get, "/api/v1/sessions/\(id)/console.vv", token: token)
            #expect(vv.status == .ok)
            #expect(vv.response.headers[.contentType] == ConsoleFile.mediaType)
            #expect(vv.response.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            let text = String(buffer: vv.response.body)
            let vm = try #require(created.json["vm"] as? String)
            let ticket = try #require(await fixture.hypervisor.vms[vm]?.ticket)
            #expect(text.contains("password=\(ticket)\n"))
            #expect(text.contains("port=20000\n"))

            let phone = try await client.call(.get, "/api/v1/sessions/\(id)/console.vv?client=aspice", token: token)
            #expect(phone.status == .ok)
            #expect(!String(buffer: phone.response.body).contains("title="))
            #expect(String(buffer: phone.response.body).contains("port=20000\n"))
            let unknown = try await client.call(.get, "/api/v1/sessions/\(id)/console.vv?client=telnet", token: token)
            #expect(unknown.status == .badRequest)

            let ended = try await client.call(.delete, "/api/v1/sessions/\(id)", token: token)
            #expect(ended.status == .noContent)
            #expect(await fixture.forwarder.rules.isEmpty)
            let gone = try await client.call(.get, "/api/v1/sessions/\(id)/console.vv", token: token)
            #expect(gone.status == .notFound)
        }
    }

    @Test func errorsHaveCodesAndStatuses() async throws {
        try await withLiveAPI { client, _ in
            let alice = try await client.login("alice")
            let bob = try await client.login("bob")
            let unknownPool = try await client.call(.post, "/api/v1/pools/nope/desktop", token: alice)
            #expect(unknownPool.status == .notFound)
            #expect(errorCode(unknownPool.json) == "pool_not_found")

            let session = try await client.call(.post, "/api/v1/pools/office/desktop", token: alice)
            let id = try #require(session.json["id"] as? String)
            for (method, uri) in [(HTTPRequest.Method.get, "/api/v1/sessions/\(id)/console.vv"), (.delete, "/api/v1/sessions/\(id)")] {
                let foreign = try await client.call(method, uri, token: bob)
                #expect(foreign.status == .notFound)
                #expect(errorCode(foreign.json) == "session_not_found")
            }
            let noToken = try await client.call(.get, "/api/v1/pools", token: nil)
            #expect(noToken.status == .unauthorized)
            #expect(errorCode(noToken.json) == "unauthorized")
            let badToken = try await client.call(.get, "/api/v1/pools", token: "forged")
            #expect(badToken.status == .unauthorized)
        }
    }

    @Test func aFullPoolAnswers503() async throws {
        try await withLiveAPI { client, fixture in
            for name in ["c1", "c2", "c3", "c4"] { try await fixture.user(name) }
            var statuses: [Int] = []
            for name in ["c1", "c2", "c3", "c4"] {
                let token = try await client.login(name)
                let answer = try await client.call(.post, "/api/v1/pools/office/desktop", token: token)
                statuses.append(answer.status.code)
                if answer.status.code == 503 { #expect(errorCode(answer.json) == "no_free_vm") }
            }
            #expect(statuses == [201, 201, 201, 503])
        }
    }

    @Test func anotherDesktopUpToThePoolsLimit() async throws {
        try await withLiveAPI { client, fixture in
            let token = try await client.login("alice")
            let firstOne = try await client.call(.post, "/api/v1/pools/office/desktop?another=true", token: token)
            #expect(firstOne.status == .created, "another with none held is a first one")
            let limited = try await client.call(.post, "/api/v1/pools/office/desktop?another=true", token: token)
            #expect(limited.status == .conflict)
            #expect(errorCode(limited.json) == "session_limit")

            try await fixture.broker.updatePolicy(ofPool: "office") { $0.maxSessionsPerUser = 2 }
            let pools = try await client.call(.get, "/api/v1/pools", token: token)
            #expect((pools.json["pools"] as? [[String: Any]])?.first?["desktopsPerUser"] as? Int == 2)
            let second = try await client.call(.post, "/api/v1/pools/office/desktop?another=true", token: token)
            #expect(second.status == .created)
            #expect(second.json["vm"] as? String != firstOne.json["vm"] as? String)
            let first = try await client.call(.post, "/api/v1/pools/office/desktop", token: token)
            #expect(first.status == .ok)
            #expect(first.json["id"] as? String == firstOne.json["id"] as? String)

            let bad = try await client.call(.post, "/api/v1/pools/office/desktop?another=maybe", token: token)
            #expect(bad.status == .badRequest)
            #expect(errorCode(bad.json) == "bad_request")
        }
    }
}

@Suite struct WebConsoleAPITests {
    @Test func theOwnerGetsAGatewayURLAndAPassword() async throws {
        try await withLiveAPI { client, fixture in
            let alice = try await client.login("alice")
            let created = try await client.call(.post, "/api/v1/pools/office/desktop", token: alice)
            let id = try #require(created.json["id"] as? String)
            let console = try await client.call(.post, "/api/v1/sessions/\(id)/web-console", token: alice)
            #expect(console.status == .ok)
            let url = try #require(console.json["url"] as? String)
            #expect(url.hasPrefix("ws://127.0.0.1:8081/ws/"))
            let vm = try #require(created.json["vm"] as? String)
            #expect(console.json["password"] as? String == (await fixture.hypervisor.vms[vm]?.ticket))
            let token = String(url.split(separator: "/").last!)
            #expect(try await fixture.broker.webConsoleTokens.redeem(token)?.id == id)

            let bob = try await client.login("bob")
            let foreign = try await client.call(.post, "/api/v1/sessions/\(id)/web-console", token: bob)
            #expect(foreign.status == .notFound)
        }
    }
}

@Suite struct PhoneLinkAPITests {
    @Test func aPhoneLinkServesTheASpiceFileOnce() async throws {
        try await withLiveAPI { client, fixture in
            let alice = try await client.login("alice")
            let created = try await client.call(.post, "/api/v1/pools/office/desktop", token: alice)
            let id = try #require(created.json["id"] as? String)
            let link = try await client.call(.post, "/api/v1/sessions/\(id)/phone-link", token: alice)
            #expect(link.status == .ok)
            let url = try #require(link.json["url"] as? String)
            #expect(url.hasPrefix("http://") && url.contains("/p/"))
            let path = "/p/" + String(url.split(separator: "/").last!)

            let first = try await client.call(.get, path, token: nil)
            #expect(first.status == .ok)
            let body = String(buffer: first.response.body)
            let vm = try #require(created.json["vm"] as? String)
            let ticket = try #require(await fixture.hypervisor.vms[vm]?.ticket)
            #expect(body.contains("password=\(ticket)\n"))
            #expect(!body.contains("title="))
            let again = try await client.call(.get, path, token: nil)
            #expect(again.status == .notFound)
            #expect(errorCode(again.json) == "link_not_found")

            let bob = try await client.login("bob")
            #expect(try await client.call(.post, "/api/v1/sessions/\(id)/phone-link", token: bob).status == .notFound)
        }
    }

    @Test func aLinkToAnEndedSessionServesNothing() async throws {
        try await withLiveAPI { client, _ in
            let alice = try await client.login("alice")
            let created = try await client.call(.post, "/api/v1/pools/office/desktop", token: alice)
            let id = try #require(created.json["id"] as? String)
            let link = try await client.call(.post, "/api/v1/sessions/\(id)/phone-link", token: alice)
            let path = "/p/" + String((link.json["url"] as? String ?? "").split(separator: "/").last ?? "")
            _ = try await client.call(.delete, "/api/v1/sessions/\(id)", token: alice)
            #expect(try await client.call(.get, path, token: nil).status == .notFound)
        }
    }

    @Test func poolNamesInPathsArePercentDecoded() async throws {
        try await withLiveAPI { client, fixture in
            try await fixture.broker.createPool(name: "büro", connectURI: "test:///default")
            let alice = try await client.login("alice")
            let answer = try await client.call(.post, "/api/v1/pools/b%C3%BCro/desktop", token: alice)
            #expect(answer.status == .serviceUnavailable && errorCode(answer.json) == "no_free_vm", "\(answer.json)")
        }
    }
}
