/// Every failure the broker names, each with its HTTP status, WebSocket close code and CLI exit status, mapped
/// here and nowhere else.
extension BrokerError {
    /// The stable, machine-readable name of a failure: `rawValue` is what the API's `{"error":{"code"}}` carries.
    public enum Code: String, Sendable, CaseIterable, Codable, CustomStringConvertible {
        /// 400: The request is malformed or a value is out of range.
        case badRequest = "bad_request"
        /// 400: The access path cannot reach a client at this address (DNAT pins IPv4 only).
        case clientAddressUnsupported = "client_address_unsupported"
        /// 400: A libvirt connection the configuration does not allow.
        case connectNotAllowed = "connect_not_allowed"
        /// 400: No access path serves the console route named.
        case routeUnknown = "route_unknown"
        /// 401: Unknown user or wrong password.
        case invalidCredentials = "invalid_credentials"
        /// 401: No valid bearer token.
        case unauthorized = "unauthorized"
        /// 403: The caller may not do this (admins only, or not their own).
        case forbidden = "forbidden"
        /// 403: The pool is not granted to the caller.
        case notEntitled = "not_entitled"
        /// 403: The current password given to change it is wrong.
        case wrongPassword = "wrong_password"
        /// 404: No such grant of a pool.
        case grantNotFound = "grant_not_found"
        /// 404: No such group.
        case groupNotFound = "group_not_found"
        /// 404: No pool lives on that host.
        case hostNotFound = "host_not_found"
        /// 404: No such phone link, or it was used or expired.
        case linkNotFound = "link_not_found"
        /// 404: No such resource.
        case notFound = "not_found"
        /// 404: No such pool.
        case poolNotFound = "pool_not_found"
        /// 404: No such session of the caller's.
        case sessionNotFound = "session_not_found"
        /// 404: No such user.
        case userNotFound = "user_not_found"
        /// 404: No such VM, in the pool or in libvirt.
        case vmNotFound = "vm_not_found"
        /// 405: The resource does not take this HTTP method.
        case methodNotAllowed = "method_not_allowed"
        /// 409: The target database of a move already holds data.
        case databaseNotEmpty = "database_not_empty"
        /// 409: The template asks for a GPU the host can never give.
        case gpuNotOnHost = "gpu_not_on_host"
        /// 409: A group of that name exists.
        case groupExists = "group_exists"
        /// 409: The host still holds VMs or sessions of the pool.
        case hostInUse = "host_in_use"
        /// 409: The change would leave no admin.
        case lastAdmin = "last_admin"
        /// 409: The account is kept by the directory or PAM, not the broker.
        case notLocal = "not_local"
        /// 409: A pool of that name exists.
        case poolExists = "pool_exists"
        /// 409: The pool still has desktops assigned to users.
        case poolHasOwnedDesktops = "pool_has_owned_desktops"
        /// 409: The pool has live sessions.
        case poolInUse = "pool_in_use"
        /// 409: This broker runs no CONNECT proxy.
        case proxyDisabled = "proxy_disabled"
        /// 409: The session cannot be reached through the route asked for.
        case routeUnavailable = "route_unavailable"
        /// 409: The user holds as many desktops of the pool as it allows.
        case sessionLimit = "session_limit"
        /// 409: The template's libvirt storage pool does not run.
        case storagePoolInactive = "storage_pool_inactive"
        /// 409: A user of that name exists.
        case userExists = "user_exists"
        /// 409: The user holds live sessions.
        case userHasSessions = "user_has_sessions"
        /// 409: The VM is in a pool already.
        case vmInPool = "vm_in_pool"
        /// 409: The VM has a live session.
        case vmInUse = "vm_in_use"
        /// 409: libvirt has a domain of the name a template pool wanted.
        case vmNameTaken = "vm_name_taken"
        /// 409: The VM runs with SPICE ticketing off.
        case vmNeedsRestart = "vm_needs_restart"
        /// 409: The desktop is still starting.
        case vmNotReady = "vm_not_ready"
        /// 409: The VM is not running, so it shows no screen.
        case vmNotRunning = "vm_not_running"
        /// 409: The VM has no SPICE graphics.
        case vmWithoutSpice = "vm_without_spice"
        /// 413: The request body is over the upload limit.
        case payloadTooLarge = "payload_too_large"
        /// 429: Too many failed logins; wait before the next.
        case tooManyAttempts = "too_many_attempts"
        /// 500: The firewall refused a forwarding rule.
        case forwardingFailed = "forwarding_failed"
        /// 500: Something failed inside the broker; its log says what.
        case internalError = "internal_error"
        /// 502: libvirt failed at what was asked.
        case hypervisorError = "hypervisor_error"
        /// 503: The user's persistent desktop is out of order.
        case desktopBroken = "desktop_broken"
        /// 503: The user's persistent desktop is being shut down or prepared.
        case desktopBusy = "desktop_busy"
        /// 503: No GPU board has room.
        case gpuCapacityExhausted = "gpu_capacity_exhausted"
        /// 503: No GPU board offers the vGPU type.
        case gpuTypeNotOffered = "gpu_type_not_offered"
        /// 503: libvirt does not answer.
        case hypervisorUnavailable = "hypervisor_unavailable"
        /// 503: The gateway has no free public port.
        case noFreePort = "no_free_port"
        /// 503: Every desktop of the pool is in use.
        case noFreeVM = "no_free_vm"

        public var description: String { rawValue }
    }
}

extension BrokerError.Code {
    /// The HTTP status the API answers with.
    public var httpStatus: Int {
        switch self {
        case .badRequest, .clientAddressUnsupported, .connectNotAllowed, .routeUnknown: 400
        case .invalidCredentials, .unauthorized: 401
        case .forbidden, .notEntitled, .wrongPassword: 403
        case .grantNotFound, .groupNotFound, .hostNotFound, .linkNotFound, .notFound, .poolNotFound, .sessionNotFound,
            .userNotFound, .vmNotFound: 404
        case .methodNotAllowed: 405
        case .databaseNotEmpty, .gpuNotOnHost, .groupExists, .hostInUse, .lastAdmin, .notLocal, .poolExists,
            .poolHasOwnedDesktops, .poolInUse, .proxyDisabled, .routeUnavailable, .sessionLimit, .storagePoolInactive,
            .userExists, .userHasSessions, .vmInPool, .vmInUse, .vmNameTaken, .vmNeedsRestart, .vmNotReady,
            .vmNotRunning, .vmWithoutSpice: 409
        case .payloadTooLarge: 413
        case .tooManyAttempts: 429
        case .forwardingFailed, .internalError: 500
        case .hypervisorError: 502
        case .desktopBroken, .desktopBusy, .gpuCapacityExhausted, .gpuTypeNotOffered, .hypervisorUnavailable,
            .noFreePort, .noFreeVM: 503
        }
    }

    /// The WebSocket close code a browser console sees: the private-use 4000s mirror HTTP statuses (4401 like 401).
    public var webSocketCloseCode: UInt16 { UInt16(4000 + httpStatus) }

    /// The exit status of a CLI command that failed this way, after BSD's `sysexits.h`: 65 the input was wrong,
    /// 66 what it names does not exist, 77 not allowed, 75 try again later, 69 a service is down, 70 a fault inside
    /// the broker, 1 anything else (a conflict with the current state).
    public var exitStatus: Int32 {
        switch httpStatus {
        case 400, 413: 65
        case 404: 66
        case 401, 403: 77
        case 429, 503: 75
        case 502: 69
        case 500: 70
        default: 1
        }
    }
}
