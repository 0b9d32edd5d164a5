/// The OpenAPI document the broker serves and the generated types, server protocol and client are made from
/// (`openapi.yaml` beside this file), embedded in the binary.
package enum APIDocument {
    /// The document as written, YAML.
    package static let yaml = String(decoding: PackageResources.openapi_yaml, as: UTF8.self)
}
