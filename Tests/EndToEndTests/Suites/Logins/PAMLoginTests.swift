import Foundation
import Testing

extension EndToEnd {
    /// Logins with the host's accounts through real PAM (pam_unix), after the local users.
    @Suite struct PAMLogin {
        @Test("a host account logs in through PAM; a wrong password and a locked account do not; local users still do")
        func hostAccount() throws {
            try PAMBed.with {
                try BrokerFixture.run("pam", authMethods: ["local", "pam"]) { broker in
                    let login = try PAMBed.login(PAMBed.account, PAMBed.password)
                    #expect(login.status == 200, "\(login)")
                    let token = try #require(login.json()?["token"] as? String)
                    let me = try API.request("GET", "/api/v1/me", token: token).json()
                    #expect(me?["name"] as? String == PAMBed.account && me?["admin"] as? Bool == false, "\(String(describing: me))")
                    let desktop = try API.requestDesktop(BrokerFixture.pool, token: token)
                    #expect(desktop.0.status == 201, "a PAM user gets desktops like anyone: \(desktop.0)")

                    let wrong = try PAMBed.login(PAMBed.account, "not-the-password")
                    #expect(wrong.status == 401 && wrong.errorCode == "invalid_credentials", "\(wrong)")
                    #expect(try PAMBed.login(TestUsers.alice, TestUsers.password(TestUsers.alice)).status == 200)

                    try Command.check(["usermod", "--lock", PAMBed.account])
                    let locked = try PAMBed.login(PAMBed.account, PAMBed.password)
                    #expect(locked.status == 401, "a locked account logged in: \(locked)")

                    let audit = try broker.cli(["audit", "--json"]).output
                    #expect(audit.contains("first login through pam") && audit.contains("through pam"), "\(audit.prefix(2000))")
                    #expect(!audit.contains(PAMBed.password), "the audit log holds a password")
                }
            }
        }
    }
}
