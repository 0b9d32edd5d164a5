import Foundation
import Logging

/// Logging for the CLI: warnings and errors only, on stderr, unless `SAFFRON_LOG_LEVEL` says otherwise.
enum CommandLog {
    static let logger: Logger = {
        var logger = Logger(label: "saffron")
        logger.logLevel = ProcessInfo.processInfo.environment["SAFFRON_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        return logger
    }()
}
