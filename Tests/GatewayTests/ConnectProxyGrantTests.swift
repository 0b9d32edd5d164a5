import Gateway
import Testing

/// How the CONNECT proxy remembers the authorizer's grants, through real sockets on 127.0.0.1: a session's next
/// tunnels open without asking, and nothing remembered outlives the session or its client's address.
@Suite struct ConnectProxyGrantTests {
    @Test func aSessionsNextTunnelsOpenWithoutAskingAgain() async throws {
        let (desktop, authorizer) = try await ConnectProxyLiveTests.grantedDesktop()
        try await withLiveProxy(authorizer) { proxy, port in
            var channels: [TestProxyClient] = []
            for _ in 0..<4 {
                let channel = try await TestProxyClient.connect(port: port)
                #expect(try await channel.connect(to: "127.0.0.1:\(desktop.port)") == "HTTP/1.1 200 Connection established")
                channels.append(channel)
            }
            #expect(authorizer.requests == ["127.0.0.1 -> 127.0.0.1:\(desktop.port)"])
            #expect(await proxy.liveTunnelCount() == 4)
            for channel in channels { await channel.close() }
        }
    }

    @Test func afterTheSessionEndsItsEndpointIsAskedAboutAgainAndRefused() async throws {
        let (desktop, authorizer) = try await ConnectProxyLiveTests.grantedDesktop()
        try await withLiveProxy(authorizer) { proxy, port in
            let first = try await TestProxyClient.connect(port: port)
            #expect(try await first.connect(to: "127.0.0.1:\(desktop.port)") == "HTTP/1.1 200 Connection established")
            #expect(try await waitUntil { desktop.connectionCount == 1 })  // the desktop's accept may come later
            authorizer.revoke(sessionID: "s1")  // the store forgets the session, then the broker tells the proxy
            #expect(await proxy.closeTunnels(ofSession: "s1") == 1)
            #expect(try await first.readToEnd() == "")
            let after = try await TestProxyClient.connect(port: port)
            #expect(try await after.connect(to: "127.0.0.1:\(desktop.port)") == "HTTP/1.1 403 Forbidden")
            #expect(authorizer.requests.count == 2)
            #expect(desktop.connectionCount == 1)
        }
    }

    @Test func whenTheClientMovesItsOldAddressIsAskedAboutAgainWhileItsTunnelsStay() async throws {
        let (desktop, authorizer) = try await ConnectProxyLiveTests.grantedDesktop()
        try await withLiveProxy(authorizer) { proxy, port in
            let open = try await TestProxyClient.connect(port: port)
            #expect(try await open.connect(to: "127.0.0.1:\(desktop.port)") == "HTTP/1.1 200 Connection established")
            authorizer.revoke(sessionID: "s1")
            authorizer.grant(client: "192.0.2.80", target: ConnectTarget(host: "127.0.0.1", port: desktop.port), sessionID: "s1")
            proxy.forgetGrants(ofSession: "s1")
            let next = try await TestProxyClient.connect(port: port)
            #expect(try await next.connect(to: "127.0.0.1:\(desktop.port)") == "HTTP/1.1 403 Forbidden")
            try await open.send("still relayed")
            #expect(try await open.read(count: 13) == "still relayed")
            await open.close()
        }
    }

    @Test func aGrantGivenAsTheSessionEndsIsAskedAgainAndNoTunnelOpens() async throws {
        let (desktop, authorizer) = try await ConnectProxyLiveTests.grantedDesktop()
        try await withLiveProxy(authorizer) { proxy, port in
            authorizer.holdAnswers()
            let client = try await TestProxyClient.connect(port: port)
            try await client.send("CONNECT 127.0.0.1:\(desktop.port) HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await waitUntil { authorizer.heldCount == 1 })  // its answer, "s1", is decided
            authorizer.revoke(sessionID: "s1")
            #expect(await proxy.closeTunnels(ofSession: "s1") == 0)
            authorizer.releaseAnswers()
            #expect(try await client.readHead() == "HTTP/1.1 403 Forbidden")
            #expect(authorizer.requests.count == 2)
            #expect(desktop.connectionCount == 0)
            #expect(await proxy.liveTunnelCount() == 0)
        }
    }

    @Test func aGrantIsAskedAboutAgainOnceItsLifetimePassed() async throws {
        let (desktop, authorizer) = try await ConnectProxyLiveTests.grantedDesktop()
        try await withLiveProxy(authorizer, configure: { $0.grantLifetime = .milliseconds(200) }) { _, port in
            let first = try await TestProxyClient.connect(port: port)
            #expect(try await first.connect(to: "127.0.0.1:\(desktop.port)") == "HTTP/1.1 200 Connection established")
            authorizer.revoke(sessionID: "s1")
            #expect(try await waitUntil {
                let later = try await TestProxyClient.connect(port: port)
                return try await later.connect(to: "127.0.0.1:\(desktop.port)") == "HTTP/1.1 403 Forbidden"
            })
            await first.close()
        }
    }

    @Test func anIPv4ClientOfADualStackProxyIsKnownByItsIPv4Address() async throws {
        let (desktop, authorizer) = try await ConnectProxyLiveTests.grantedDesktop()  // granted to 127.0.0.1
        try await withLiveProxy(authorizer, configure: { $0.host = "::" }) { _, port in
            let client = try await TestProxyClient.connect(port: port)
            #expect(try await client.connect(to: "127.0.0.1:\(desktop.port)") == "HTTP/1.1 200 Connection established")
            #expect(authorizer.requests == ["127.0.0.1 -> 127.0.0.1:\(desktop.port)"])
        }
    }

    @Test func anOversizedRequestHeadIsRefusedWith431() async throws {
        let (desktop, authorizer) = try await ConnectProxyLiveTests.grantedDesktop()
        try await withLiveProxy(authorizer) { _, port in
            let client = try await TestProxyClient.connect(port: port)
            try await client.send(
                "CONNECT 127.0.0.1:\(desktop.port) HTTP/1.1\r\nX-Padding: \(String(repeating: "p", count: 9000))\r\n\r\n")
            #expect(try await client.readHead() == "HTTP/1.1 431 Request Header Fields Too Large")
            #expect(authorizer.requests.isEmpty)
            #expect(desktop.connectionCount == 0)
        }
    }

    @Test func aRequestNotCompleteInTimeIsClosed() async throws {
        let (desktop, authorizer) = try await ConnectProxyLiveTests.grantedDesktop()
        try await withLiveProxy(authorizer, configure: { $0.handshakeTimeout = .milliseconds(300) }) { _, port in
            let client = try await TestProxyClient.connect(port: port)
            try await client.send("CONNECT 127.0.0.1:\(desktop.port) HTTP/1.1\r\n")
            #expect(try await client.readToEnd() == "")
            #expect(authorizer.requests.isEmpty)
        }
    }
}
