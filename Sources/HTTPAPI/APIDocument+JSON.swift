import Foundation
import SaffronAPI
import Yams

extension APIDocument {
    /// The document as served at `/api/v1/openapi.json`: JSON, made once from the YAML it is written in.
    static let json: String = {
        do {
            let document = try Yams.load(yaml: APIDocument.yaml) ?? [:]
            let data = try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])
            return String(decoding: data, as: UTF8.self)
        } catch {
            // The document is part of the build: a test parses it, so this cannot happen in a tested binary.
            preconditionFailure("Sources/SaffronAPI/openapi.yaml does not parse: \(error)")
        }
    }()
}
