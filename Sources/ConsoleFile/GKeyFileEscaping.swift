extension ConsoleFile {
    /// Escapes a value the way GLib's `g_key_file_set_string` does.
    ///
    /// Backslash becomes `\\`, newline `\n`, carriage return `\r`, tab `\t`, and every space in the
    /// leading run of spaces and tabs `\s` (GLib would otherwise strip it when reading). NUL
    /// characters are dropped: GLib takes C strings, so it would cut the value there.
    public static func escapeValue(_ value: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(value.unicodeScalars.count)
        var leading = true
        for scalar in value.unicodeScalars {
            if leading, scalar == " " {
                out += "\\s"
                continue
            }
            if scalar != "\t" { leading = false }
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\0": break
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
