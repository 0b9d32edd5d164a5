internal import CPAM
import Broker
import Foundation

/// Checks passwords of the host's accounts through PAM (`libpam`): `pam_authenticate`, then `pam_acct_mgmt` so
/// locked and expired accounts stay out, with the service's stack from `/etc/pam.d/SERVICE`.
public struct PAMAuthenticator: Authenticator {
    public let name = "pam"
    /// The PAM service whose stack is used (`/etc/pam.d/saffron` by default; see `deploy/pam.d/saffron`).
    public let service: String

    public init(service: String) {
        self.service = service
    }

    /// A yes names the account as the host does: PAM's user once the stack has run, as the user database
    /// (`getpwnam`, through NSS: files, SSSD, winbind) spells it, so `DaNa` logs in as `dana` where the host matches
    /// names without case.
    public func check(username: String, password: String) async throws -> Acceptance? {
        let service = self.service
        // PAM modules block (pam_unix waits about two seconds after a wrong password): off the cooperative pool.
        return await Blocking.run {
            var error = [CChar](repeating: 0, count: 256)
            var account = [CChar](repeating: 0, count: 256)
            guard saffron_pam_check_account(service, username, password, &account, account.count, &error, error.count) == 0 else {
                return nil
            }
            let pamUser = String(cString: account)
            return Acceptance(canonicalName: Self.hostName(of: pamUser.isEmpty ? username : pamUser))
        }
    }

    /// `name` as the host's user database spells it, or `name` itself where the database does not know it.
    private static func hostName(of name: String) -> String {
        var entry = passwd()
        var found: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwnam_r(name, &entry, &buffer, buffer.count, &found) == 0, found != nil, let spelled = entry.pw_name else {
            return name
        }
        return String(cString: spelled)
    }
}
