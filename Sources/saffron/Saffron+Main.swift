import ArgumentParser
import Broker
import Foundation
import SaffronClient

extension Saffron {
    /// Runs the command. A broker's refusal, whether this host's broker or a remote one answered it, exits with the
    /// status of its code (`BrokerError.Code.exitStatus`), so scripts can tell "no such pool" from "try again".
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as BrokerError {
            fail("\(error.message) (\(error.code))", status: error.code.exitStatus)
        } catch {
            guard let remote = RemoteError.of(error) else { exit(withError: error) }
            fail(remote.description, status: BrokerError.Code(rawValue: remote.code)?.exitStatus ?? EXIT_FAILURE)
        }
    }

    private static func fail(_ message: String, status: Int32) -> Never {
        FileHandle.standardError.write(Data("Error: \(message)\n".utf8))
        Foundation.exit(status)
    }
}
