import Foundation

/// A TCP listener on the hypervisor that counts the connections it accepts: a port nothing may reach. The listener
/// is `tcp_sentinel.py`.
final class Sentinel {
    let address: String
    let port: Int
    private let process: BackgroundProcess

    init(address: String) throws {
        self.address = address
        process = try BackgroundProcess(["/usr/bin/python3", try TestScripts.path("tcp_sentinel.py"), address])
        port = try waitFor("the sentinel to listen", timeout: 10, interval: 0.1) { [process] in
            Int(process.output.split(separator: "\n").first ?? "")
        }
    }

    func acceptedCount() -> Int {
        process.output.split(separator: "\n").count { $0 == "accepted" }
    }

    func stop() {
        _ = process.stop(grace: 1)
    }
}
