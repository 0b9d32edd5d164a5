import Foundation
import Store

/// The audit log's words for a policy change: each setting that changed, old value to new.
enum PolicyChange {
    /// E.g. `spares: 1 → 2; consoleRoute: direct → proxy`, or `no change`.
    static func describe(from old: PoolPolicy, to new: PoolPolicy) -> String {
        let before = settings(of: old)
        let after = settings(of: new)
        let changed = Set(before.keys).union(after.keys).sorted().compactMap { key -> String? in
            let (was, now) = (before[key] ?? "off", after[key] ?? "off")
            return was == now ? nil : "\(key): \(was) → \(now)"
        }
        return changed.isEmpty ? "no change" : changed.joined(separator: "; ")
    }

    /// Each setting as text, through the policy's own JSON keys, so new settings are described without change here.
    private static func settings(of policy: PoolPolicy) -> [String: String] {
        guard let data = try? JSONEncoder().encode(policy),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return [:] }
        return object.mapValues { "\($0)" }
    }
}
