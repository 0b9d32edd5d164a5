import Foundation
import SaffronClient
import Testing

/// What the client says before and without a broker: a server that is not an HTTP URL, one that cannot be reached.
@Suite struct BrokerClientTests {
    @Test(arguments: ["broker.example", "ftp://broker.example", "https://", "http:/x"])
    func aServerThatIsNotAnHTTPURLIsRefusedWithAnExample(server: String) {
        let error = #expect(throws: RemoteError.self) { try BrokerClient(server: server, token: nil) }
        #expect(error?.message.contains("https://broker.example:8443") == true, "\(String(describing: error))")
    }

    @Test func aCAFileThatCannotBeReadIsNamed() {
        let error = #expect(throws: RemoteError.self) {
            try BrokerClient(server: "https://broker.example", token: nil, caFile: "/nonexistent/ca.pem")
        }
        #expect(error?.message.contains("/nonexistent/ca.pem") == true)
    }

    @Test func aBrokerThatDoesNotAnswerIsUnreachableNotAnAPIError() async throws {
        // A loopback port nothing listens on: the connection is refused at once.
        let client = try BrokerClient(server: "http://127.0.0.1:9", token: nil)
        let thrown = await #expect(throws: (any Error).self) { try await client.api.me() }
        let error = thrown.flatMap(RemoteError.of)
        #expect(error?.status == 0 && error?.code == "unreachable", "\(String(describing: error))")
        #expect(error?.message.contains("http://127.0.0.1:9") == true)
    }
}
