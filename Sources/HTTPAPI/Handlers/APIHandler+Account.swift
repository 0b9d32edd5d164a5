import Broker
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import SaffronAPI
import Store

/// Logging in and out, and who the caller is.
extension APIHandler {
    func login(_ input: Operations.Login.Input) async throws -> Operations.Login.Output {
        let caller = try RequestScope.caller
        guard case .json(let login) = input.body else { throw BrokerError.badRequest("The body must be JSON.") }
        do {
            let token = try await accounts.login(username: login.username, password: login.password, from: caller.clientAddress)
            caller.logger.info("login ok: \(token.user.name) from \(caller.clientAddress ?? "?")")
            return .ok(.init(body: .json(.init(token: token.token, expiresAt: token.expiresAt))))
        } catch let error as BrokerError where error.httpStatus == 401 {
            // A name that cannot be a user's (64 KiB of it, say) is not written to the log.
            let name = Names.isPossibleUserName(login.username)
                ? login.username.debugDescription : "a name that cannot be a user's (\(login.username.utf8.count) bytes)"
            caller.logger.notice("login failed for \(name) from \(caller.clientAddress ?? "?")")
            throw error
        }
    }

    func logout(_ input: Operations.Logout.Input) async throws -> Operations.Logout.Output {
        if let token = BearerToken.of(RequestScope.headers) { try await accounts.logout(token: token) }
        return .noContent(.init())
    }

    func me(_ input: Operations.Me.Input) async throws -> Operations.Me.Output {
        let user = try RequestScope.caller.requireUser()
        return .ok(.init(body: .json(.init(name: user.name, admin: user.isAdmin, auditor: user.isAuditor))))
    }
}
