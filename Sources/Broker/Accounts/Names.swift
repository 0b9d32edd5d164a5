/// Rules for names people choose (users, pools): short, printable, and safe in a URL path segment.
public enum Names {
    /// Whether `name` could be a user's name at all; for deciding what may be logged of a name someone typed.
    public static func isPossibleUserName(_ name: String) -> Bool {
        (try? validate(name, kind: "user name")) != nil
    }

    /// Throws a `bad_request` error saying what is wrong with `name`.
    public static func validate(_ name: String, kind: String) throws {
        guard !name.isEmpty, name.count <= 64 else {
            throw BrokerError.badRequest("A \(kind) must have 1 to 64 characters.")
        }
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            scalar.properties.generalCategory != .control && scalar != "/" && scalar != "\\" && !scalar.properties.isWhitespace
        }
        guard allowed else {
            throw BrokerError.badRequest("A \(kind) must not contain spaces, slashes or control characters: \(name.debugDescription)")
        }
    }
}
