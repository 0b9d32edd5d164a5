/// A firewall operation failed: a rule did not validate, or a program exited with an error.
///
/// The message is for administrators: it names the bad field or the failed command and carries
/// the program's stderr. It never holds a SPICE ticket, since rules carry none.
public struct FirewallError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong, including the program's stderr when a program failed.
    public let message: String

    /// Creates an error with a message for people.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
