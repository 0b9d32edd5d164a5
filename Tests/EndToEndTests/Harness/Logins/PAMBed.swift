import Foundation

/// The test bed's PAM: a service file of its own (`deploy/pam.d/saffron`'s stack) and a host account made for the
/// test, both removed afterwards.
enum PAMBed {
    static let service = "saffron-e2e"
    static let account = "saf-e2e-pam"
    static let password = "pw-\(account)"
    static var serviceFile: URL { URL(fileURLWithPath: "/etc/pam.d/\(service)") }

    /// Makes the account and the service file for `body`, and removes them after.
    static func with(_ body: () throws -> Void) throws {
        let stack = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("deploy/pam.d/saffron")
        try FileManager.default.copyItem(at: stack, to: serviceFile)
        _ = try? Command.run(["userdel", account])
        defer {
            _ = try? Command.run(["userdel", account])
            try? FileManager.default.removeItem(at: serviceFile)
        }
        try Command.check(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", account])
        try Command.check(["chpasswd"], input: Data("\(account):\(password)\n".utf8))
        try body()
    }

    static func login(_ user: String, _ password: String) throws -> HTTPResponse {
        try API.request("POST", "/api/v1/login", body: try API.json(["username": user, "password": password]))
    }
}
