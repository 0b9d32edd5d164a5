extension ConsoleFile {
    /// The name of the only group in the file.
    public static let groupName = "virt-viewer"

    /// The `(key, value)` pairs of the file, in the order they are rendered, before escaping.
    public var entries: [(key: String, value: String)] {
        var lines: [(key: String, value: String)] = [("type", "spice"), ("host", host)]
        if let tls {
            // No plain port: with every channel secure a client never falls back to plain text.
            lines += [("tls-port", String(tls.port)), ("ca", tls.ca)]
            if let subject = tls.hostSubject { lines.append(("host-subject", subject)) }
            lines.append(("secure-channels", "all"))
        } else {
            lines.append(("port", String(port)))
        }
        lines += [
            ("password", password),
            ("title", title),
            ("delete-this-file", deleteThisFile ? "1" : "0"),
            ("secure-attention", secureAttention),
            ("release-cursor", releaseCursor),
            ("toggle-fullscreen", toggleFullscreen),
        ]
        lines += extraKeys.map { ($0.key, $0.value) }
        return lines
    }

    /// Renders the GKeyFile text: `[virt-viewer]` then one `key=value` line per entry.
    ///
    /// Values are escaped as `g_key_file_set_string` does, so a title holding a newline, `=` or `[`
    /// stays inside its own value.
    public func rendered() -> String {
        Self.render(entries)
    }

    /// `[virt-viewer]` and the escaped `key=value` lines of `entries`.
    static func render(_ entries: [(key: String, value: String)]) -> String {
        var text = "[\(groupName)]\n"
        for (key, value) in entries {
            text += key + "=" + escapeValue(value) + "\n"
        }
        return text
    }
}
