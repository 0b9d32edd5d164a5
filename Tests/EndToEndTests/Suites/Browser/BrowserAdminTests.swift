import Foundation
import Testing

extension EndToEnd {
    /// The admin page in a real browser, beside a user's browser console: an admin sees who holds which desktop from
    /// where and ends a session, and the user's console says so; a user who is no admin gets a message, not data.
    @Suite struct BrowserAdmin {
        static let admin = "boss"

        @Test("an admin sees alice's browser session on the admin page and ends it; her console shows it ended")
        func adminEndsSession() throws {
            try BrokerFixture.run("browser-admin") { broker in
                try broker.cli(["user", "add", Self.admin, "--admin"], input: TestUsers.password(Self.admin) + "\n")

                // The API first: alice is no admin, and the admin views refuse her.
                let aliceToken = try API.login(TestUsers.alice)
                let aliceMe = try API.request("GET", "/api/v1/me", token: aliceToken)
                #expect(aliceMe.status == 200 && aliceMe.json()?["admin"] as? Bool == false, "\(aliceMe)")
                let refused = try API.request("GET", "/api/v1/admin/pools", token: aliceToken)
                #expect(refused.status == 403 && refused.errorCode == "forbidden", "\(refused)")

                let browser = try BrowserAdminScript(admin: Self.admin, adminPassword: TestUsers.password(Self.admin))
                defer { browser.stop() }
                let shots = browser.screenshots

                let unsigned = try browser.decode([String].self, key: "unsigned-admin", timeout: 60)
                #expect(unsigned.first == "signed-out", "admin.html signed out: \(unsigned)")
                let linkShown = try browser.decode(Bool.self, key: "alice-admin-link", timeout: 30)
                #expect(!linkShown, "the portal shows alice, who is no admin, the Admin link")
                let denied = try browser.decode([String].self, key: "alice-admin-page", timeout: 30)
                #expect(denied.first == "forbidden", "admin.html as alice: \(denied)")
                #expect((denied.last ?? "").localizedCaseInsensitiveContains("admins only"), "\(denied)")

                let session = try browser.value(of: "session", timeout: 60)
                let canvas = try browser.decode(CanvasMeasure.self, key: "pixels", timeout: 150)
                #expect(canvas.showsGuestConsole, "alice's console: \(canvas)")
                let desktop = try API.request("GET", "/api/v1/sessions/\(session)", token: aliceToken)
                    .decode(DesktopSession.self)

                let row = try browser.decode([String: String].self, key: "admin-row", timeout: 90)
                print("E2E admin page row of session \(session): \(row)")
                #expect(row["User"] == TestUsers.alice, "\(row)")
                #expect(row["Pool"] == BrokerFixture.pool, "\(row)")
                #expect(row["VM"] == desktop.vm, "\(row) vs \(desktop)")
                #expect(row["Client address"] == Topology.clientAddress, "\(row)")
                #expect(row["Port"] == String(desktop.port), "\(row) vs \(desktop)")
                #expect(row["Viewer"]?.hasPrefix("attached") == true, "alice's console is drawn, so attached: \(row)")
                let vm = try browser.decode([String: String].self, key: "admin-vm")
                #expect(vm["Held by"] == TestUsers.alice && vm["Port"] == String(desktop.port), "pools: \(vm)")
                #expect(vm["Status"] == "held · ready" && vm["Owner"] == "—", "pools: \(vm)")
                try expectThumbnail(try browser.decode(ThumbnailSeen.self, key: "admin-thumbnail", timeout: 90), of: desktop)
                try browser.value(of: "ready-to-end", timeout: 30)
                try expectHeld(desktop, session: session)
                try browser.allowEnd()

                let notice = try browser.decode(String.self, key: "admin-gone", timeout: 40)
                print("E2E admin page after End session: \(notice)")
                let audit = try browser.decode([String: [String: String]].self, key: "admin-audit", timeout: 40)
                print("E2E admin page's audit rows of the session: \(audit)")
                #expect(audit["session_end"]?["Who"] == Self.admin, "\(audit)")
                #expect(audit["session_end"]?["What"] == "session ended", "\(audit)")
                #expect(audit["session_end"]?["From"]?.isEmpty == false && audit["session_end"]?["From"] != "—", "\(audit)")
                #expect(audit["session_end"]?["Detail"]?.hasSuffix("ended by admin \(Self.admin)") == true, "\(audit)")
                #expect(audit["handout"]?["Who"] == TestUsers.alice, "\(audit)")
                #expect(audit["handout"]?["From"] == Topology.clientAddress, "\(audit)")
                let access = try browser.decode(AccessSeen.self, key: "admin-access", timeout: 60)
                print("E2E admin page's groups and access: \(access)")
                #expect(access.members == [TestUsers.alice], "\(access)")
                #expect(access.notice.contains("granted to group staff"), "\(access)")
                let adminToken = try API.login(Self.admin)
                let groups = try API.request("GET", "/api/v1/admin/groups", token: adminToken).json()?["groups"] as? [[String: Any]]
                #expect(groups?.first { $0["name"] as? String == "staff" }?["members"] as? [String] == [TestUsers.alice], "\(String(describing: groups))")
                let pools = try API.request("GET", "/api/v1/admin/pools", token: adminToken).json()?["pools"] as? [[String: Any]]
                #expect((pools?.first?["access"] as? [String])?.contains("group:staff") == true, "\(String(describing: pools))")
                let users = try browser.decode(UsersSeen.self, key: "admin-users", timeout: 40)
                print("E2E admin page's users: \(users)")
                #expect(users.alice["Role"] == "user" && users.alice["Groups"] == "staff", "\(users)")
                #expect(users.alice["Signs in with"] == "local password", "\(users)")
                #expect(users.auditor["Role"] == "auditor" && users.notice.contains("Added auditor ivy"), "\(users)")
                let ivy = try API.request("POST", "/api/v1/login", body: try API.json(["username": "ivy", "password": "ivy-audits-1"]))
                let ivyMe = try API.request("GET", "/api/v1/me", token: ivy.json()?["token"] as? String)
                #expect(ivyMe.json()?["auditor"] as? Bool == true, "\(ivyMe)")
                let ended = try browser.decode(String.self, key: "ended", timeout: 40)
                print("E2E alice's console after End session: \(ended)")
                #expect(ended.localizedCaseInsensitiveContains("ended"))
                let left = try API.request("GET", "/api/v1/sessions", token: aliceToken)
                #expect(left.status == 200 && !left.text.contains("\"\(session)\""), "still listed: \(left)")

                let auditor = try browser.decode(AuditorSeen.self, key: "auditor-view", timeout: 60)
                print("E2E admin page as the auditor: \(auditor)")
                #expect(auditor.state == "ready" && auditor.note, "\(auditor)")
                #expect(auditor.forms.isEmpty && auditor.controls.isEmpty, "an auditor gets nothing to press: \(auditor)")
                #expect(auditor.users >= 4 && auditor.pools == 1, "an auditor sees the users and pools: \(auditor)")
                #expect(browser.finish(timeout: 30) == 0, "\(browser.output.suffix(3000))")
                for shot in shots.all {
                    #expect(FileManager.default.fileExists(atPath: shot.path), "no screenshot \(shot.path)")
                    print("E2E screenshot: \(shot.path)")
                }
            }
        }

        /// The users table: alice's row and the auditor's the form added (cells by column), and the notice.
        struct UsersSeen: Decodable {
            let alice: [String: String]
            let auditor: [String: String]
            let notice: String
        }

        /// The admin page as the auditor saw it.
        struct AuditorSeen: Decodable {
            let state: String
            let note: Bool
            /// Forms shown, and buttons or choices shown in the pools, sessions, users and groups.
            let forms: [String]
            let controls: [String]
            let users: Int
            let pools: Int
        }

        /// What the admin page showed after its groups and access forms were used.
        struct AccessSeen: Decodable {
            let members: [String]
            let pool: String
            let notice: String
        }

        /// `GET /api/v1/admin/pools` as the admin: the session's VM is held by alice from the client's address.
        private func expectHeld(_ desktop: DesktopSession, session: String) throws {
            let token = try API.login(Self.admin)
            let response = try API.request("GET", "/api/v1/admin/pools", token: token)
            let pools = response.json()?["pools"] as? [[String: Any]] ?? []
            let vms = pools.first { $0["name"] as? String == desktop.pool }?["vms"] as? [[String: Any]] ?? []
            let holder = vms.first { $0["name"] as? String == desktop.vm }?["session"] as? [String: Any]
            #expect(response.status == 200 && holder != nil, "\(response)")
            #expect(holder?["user"] as? String == TestUsers.alice, "\(String(describing: holder))")
            #expect(holder?["clientAddress"] as? String == Topology.clientAddress, "\(String(describing: holder))")
            #expect(holder?["port"] as? Int == desktop.port, "\(String(describing: holder))")
            #expect("\(holder?["id"] ?? "")" == session, "\(String(describing: holder))")
            #expect(holder?["attached"] as? Bool == true, "alice's browser console: \(String(describing: holder))")
        }
    }
}
