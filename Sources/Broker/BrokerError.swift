import Store

/// An error the broker shows to people: a stable code for scripts, a message that says what to do, and the HTTP
/// status it maps to.
public struct BrokerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Stable, machine-readable error code, e.g. `no_free_vm`.
    public let code: String
    /// What went wrong and, where it helps, what to do about it.
    public let message: String
    /// The HTTP status this error is answered with.
    public let httpStatus: Int
    /// For `429`: how long to wait before asking again (`Retry-After`).
    public var retryAfterSeconds: Int?

    public init(code: String, message: String, httpStatus: Int) {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
    }

    public var description: String { message }

    public static func badRequest(_ message: String) -> BrokerError {
        BrokerError(code: "bad_request", message: message, httpStatus: 400)
    }
    static let invalidCredentials = BrokerError(
        code: "invalid_credentials", message: "Unknown user or wrong password.", httpStatus: 401)
    static func sessionNotFound(_ id: String) -> BrokerError {
        BrokerError(code: "session_not_found", message: "No session \(id) of yours exists.", httpStatus: 404)
    }
    public static func hypervisor(_ message: String) -> BrokerError {
        BrokerError(code: "hypervisor_error", message: message, httpStatus: 502)
    }
    static func forwarding(_ message: String) -> BrokerError {
        BrokerError(code: "forwarding_failed", message: message, httpStatus: 500)
    }
    static func vmNotReady(_ message: String) -> BrokerError {
        BrokerError(code: "vm_not_ready", message: message, httpStatus: 409)
    }
    /// A pool has no VM of that name (404 `vm_not_found`).
    static func vmNotInPool(_ vm: String, pool: String) -> BrokerError {
        BrokerError(code: "vm_not_found", message: "Pool \(pool) has no VM named \(vm).", httpStatus: 404)
    }
    /// A VM that must run for what was asked (a screenshot) is off, paused or not created yet.
    public static func vmNotRunning(_ vm: String) -> BrokerError {
        BrokerError(code: "vm_not_running", message: "VM \(vm) is not running, so it shows no screen.", httpStatus: 409)
    }
    public static func gpuCapacityExhausted(_ message: String) -> BrokerError {
        BrokerError(code: "gpu_capacity_exhausted", message: message, httpStatus: 503)
    }
    public static func gpuTypeNotOffered(_ typeID: String) -> BrokerError {
        BrokerError(
            code: "gpu_type_not_offered",
            message: "No GPU board of this host offers vGPU type \(typeID). Ask an admin to check the pool's GPU type.",
            httpStatus: 503)
    }
}

extension BrokerError {
    /// The broker's view of a store refusal.
    public init(_ error: StoreError) {
        switch error {
        case .userExists(let name):
            self.init(code: "user_exists", message: "A user named \(name) already exists.", httpStatus: 409)
        case .userNotFound(let name):
            self.init(code: "user_not_found", message: "There is no user named \(name).", httpStatus: 404)
        case .groupExists(let name):
            self.init(code: "group_exists", message: "A group named \(name) already exists.", httpStatus: 409)
        case .groupNotFound(let name):
            self.init(code: "group_not_found", message: "There is no group named \(name).", httpStatus: 404)
        case .poolExists(let name):
            self.init(code: "pool_exists", message: "A pool named \(name) already exists.", httpStatus: 409)
        case .poolNotFound(let name):
            self.init(code: "pool_not_found", message: "There is no pool named \(name).", httpStatus: 404)
        case .vmInPool(let vm, let pool):
            self.init(code: "vm_in_pool", message: "VM \(vm) is already in pool \(pool).", httpStatus: 409)
        case .vmNotFound(let name):
            self.init(code: "vm_not_found", message: "There is no VM named \(name).", httpStatus: 404)
        case .noFreeVM(let pool):
            self.init(
                code: "no_free_vm",
                message: "Every desktop of pool \(pool) is in use. Try again later or ask an admin to add VMs.",
                httpStatus: 503)
        case .noFreePort:
            self.init(
                code: "no_free_port",
                message: "The gateway has no free public port. Ask an admin to widen gateway.portRange.",
                httpStatus: 503)
        case .sessionNotFound(let id):
            self = .sessionNotFound(id)
        case .vmInUse(let name):
            self.init(code: "vm_in_use", message: "VM \(name) has a live session; end it first.", httpStatus: 409)
        case .poolInUse(let name, let sessions):
            self.init(
                code: "pool_in_use",
                message: "Pool \(name) has \(sessions) live session(s); end them first (saffron session list).",
                httpStatus: 409)
        case .vmBroken(let vm, let reason):
            self.init(
                code: "desktop_broken",
                message: "Your desktop \(vm) is out of order (\(reason)). Ask an admin to repair or unassign it.",
                httpStatus: 503)
        case .sessionLimit(let pool, let limit):
            self.init(
                code: "session_limit",
                message: "You already have \(limit) desktop(s) of pool \(pool), the most it allows each user; end one first.",
                httpStatus: 409)
        case .vmBusy(let vm):
            self.init(
                code: "desktop_busy",
                message: "Your desktop \(vm) is being shut down or prepared right now; try again in a few seconds.",
                httpStatus: 503)
        case .userHasSessions(let name, let sessions):
            self.init(
                code: "user_has_sessions",
                message: "User \(name) holds \(sessions) live session(s); end them first (saffron session list).",
                httpStatus: 409)
        case .notEmpty:
            self.init(
                code: "database_not_empty",
                message: "The target database already holds users, pools, groups or sessions; move into an empty one.",
                httpStatus: 409)
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
