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

    public func verify(username: String, password: String) async throws -> Bool {
        let service = self.service
        // PAM modules block (pam_unix waits about two seconds after a wrong password): off the cooperative pool.
        return await Blocking.run {
            var error = [CChar](repeating: 0, count: 256)
            return saffron_pam_check(service, username, password, &error, error.count) == 0
        }
    }
}
