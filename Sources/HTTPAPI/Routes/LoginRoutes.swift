import Broker
import Hummingbird
import Logging
import Store

/// `POST /login` and `POST /logout`.
struct LoginRoutes {
    let accounts: Accounts

    func register(public group: RouterGroup<SaffronRequestContext>, authenticated: RouterGroup<SaffronRequestContext>) {
        group.post("login") { request, context in
            let login = try await StrictJSON.decode(LoginRequest.self, allowedKeys: LoginRequest.keys, from: request, context: context)
            do {
                let token = try await accounts.login(
                    username: login.username, password: login.password, from: context.clientAddress)
                context.logger.info("login ok: \(token.user.name) from \(context.clientAddress ?? "?")")
                return JSONResponse.make(status: .ok, LoginResponse(token: token.token, expiresAt: token.expiresAt))
            } catch let error as BrokerError where error.httpStatus == 401 {
                // A name that cannot be a user's (64 KiB of it, say) is not written to the log.
                let name = Names.isPossibleUserName(login.username)
                    ? login.username.debugDescription : "a name that cannot be a user's (\(login.username.utf8.count) bytes)"
                context.logger.notice("login failed for \(name) from \(context.clientAddress ?? "?")")
                throw error
            }
        }
        authenticated.post("logout") { request, _ in
            if let token = BearerAuthMiddleware.bearerToken(in: request) { try await accounts.logout(token: token) }
            return Response(status: .noContent)
        }
    }
}
