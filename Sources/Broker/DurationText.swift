extension Duration {
    /// Milliseconds for logs and people, e.g. "790 ms".
    var millisecondsText: String {
        let (seconds, attoseconds) = self.components
        return "\(seconds * 1000 + attoseconds / 1_000_000_000_000_000) ms"
    }
}
