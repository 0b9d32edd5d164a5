import Store

/// An error the broker shows to people: a typed code for programs, a message that says what to do. The code alone
/// decides the HTTP status, WebSocket close code and CLI exit status (see `BrokerError.Code`).
public struct BrokerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What failed, e.g. `.noFreeVM`.
    public let code: Code
    /// What went wrong and, where it helps, what to do about it.
    public let message: String
    /// For `429`: how long to wait before asking again (`Retry-After`).
    public var retryAfterSeconds: Int?

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The HTTP status this error is answered with.
    public var httpStatus: Int { code.httpStatus }

    public var description: String { message }

    /// No valid bearer token came with a request that needs one.
    public static let unauthorized = BrokerError(
        .unauthorized, "Log in first: send 'Authorization: Bearer TOKEN' from POST /api/v1/login.")
    /// A request body over the upload limit.
    public static func payloadTooLarge(limit: Int) -> BrokerError {
        BrokerError(.payloadTooLarge, "The request body is over \(limit) bytes.")
    }
    /// Something unexpected failed; the details are logged, never answered.
    public static let internalError = BrokerError(
        .internalError, "Something went wrong inside the broker; the broker log says what.")
    public static func badRequest(_ message: String) -> BrokerError {
        BrokerError(.badRequest, message)
    }
    static let invalidCredentials = BrokerError(.invalidCredentials, "Unknown user or wrong password.")
    static func sessionNotFound(_ id: String) -> BrokerError {
        BrokerError(.sessionNotFound, "No session \(id) of yours exists.")
    }
    public static func hypervisor(_ message: String) -> BrokerError {
        BrokerError(.hypervisorError, message)
    }
    public static func forwarding(_ message: String) -> BrokerError {
        BrokerError(.forwardingFailed, message)
    }
    public static func vmNotReady(_ message: String) -> BrokerError {
        BrokerError(.vmNotReady, message)
    }
    /// A pool has no VM of that name (404 `vm_not_found`).
    static func vmNotInPool(_ vm: String, pool: String) -> BrokerError {
        BrokerError(.vmNotFound, "Pool \(pool) has no VM named \(vm).")
    }
    /// A VM that must run for what was asked (a screenshot) is off, paused or not created yet.
    public static func vmNotRunning(_ vm: String) -> BrokerError {
        BrokerError(.vmNotRunning, "VM \(vm) is not running, so it shows no screen.")
    }
    public static func gpuCapacityExhausted(_ message: String) -> BrokerError {
        BrokerError(.gpuCapacityExhausted, message)
    }
    public static func gpuTypeNotOffered(_ typeID: String) -> BrokerError {
        BrokerError(.gpuTypeNotOffered, "No GPU board of this host offers vGPU type \(typeID). Ask an admin to check the pool's GPU type.")
    }
}

extension BrokerError {
    /// The broker's view of a store refusal.
    public init(_ error: StoreError) {
        switch error {
        case .userExists(let name):
            self.init(.userExists, "A user named \(name) already exists.")
        case .userNotFound(let name):
            self.init(.userNotFound, "There is no user named \(name).")
        case .groupExists(let name):
            self.init(.groupExists, "A group named \(name) already exists.")
        case .groupNotFound(let name):
            self.init(.groupNotFound, "There is no group named \(name).")
        case .poolExists(let name):
            self.init(.poolExists, "A pool named \(name) already exists.")
        case .poolNotFound(let name):
            self.init(.poolNotFound, "There is no pool named \(name).")
        case .vmInPool(let vm, let pool):
            self.init(.vmInPool, "VM \(vm) is already in pool \(pool).")
        case .vmNotFound(let name):
            self.init(.vmNotFound, "There is no VM named \(name).")
        case .noFreeVM(let pool):
            self.init(.noFreeVM, "Every desktop of pool \(pool) is in use. Try again later or ask an admin to add VMs.")
        case .noFreePort:
            self.init(.noFreePort, "The gateway has no free public port. Ask an admin to widen gateway.portRange.")
        case .sessionNotFound(let id):
            self = .sessionNotFound(id)
        case .vmInUse(let name):
            self.init(.vmInUse, "VM \(name) has a live session; end it first.")
        case .poolInUse(let name, let sessions):
            self.init(.poolInUse, "Pool \(name) has \(sessions) live session(s); end them first (saffron session list).")
        case .vmBroken(let vm, let reason):
            self.init(.desktopBroken, "Your desktop \(vm) is out of order (\(reason)). Ask an admin to repair or unassign it.")
        case .sessionLimit(let pool, let limit):
            self.init(.sessionLimit, "You already have \(limit) desktop(s) of pool \(pool), the most it allows each user; end one first.")
        case .vmBusy(let vm):
            self.init(.desktopBusy, "Your desktop \(vm) is being shut down or prepared right now; try again in a few seconds.")
        case .userHasSessions(let name, let sessions):
            self.init(.userHasSessions, "User \(name) holds \(sessions) live session(s); end them first (saffron session list).")
        case .notEmpty:
            self.init(.databaseNotEmpty, "The target database already holds users, pools, groups or sessions; move into an empty one.")
        }
    }

    /// Runs `body`, turning store refusals into broker errors.
    static func mapping<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as StoreError {
            throw BrokerError(error)
        }
    }
}
