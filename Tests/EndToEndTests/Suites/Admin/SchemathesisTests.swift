import Foundation
import Testing

extension EndToEnd {
    /// schemathesis (PyPI) fuzzes the live API from the OpenAPI document it serves, as an admin, from the client
    /// namespace: no server error but the documented `503`s of a pool run dry, and every answer matches its schema.
    @Suite struct Schemathesis {
        @Test("schemathesis against the served OpenAPI document: no 5xx, no schema violations")
        func fuzzTheAPI() throws {
            guard let schemathesis = ProcessInfo.processInfo.environment["SAFFRON_E2E_SCHEMATHESIS"] else {
                throw CommandError(
                    description: "SAFFRON_E2E_SCHEMATHESIS is not set: run the end-to-end tests through Tests/run-all.sh, which installs schemathesis")
            }
            try BrokerFixture.run("schemathesis") { broker in
                try broker.cli(["user", "add", "fuzzer", "--admin"], input: TestUsers.password("fuzzer") + "\n")
                let token = try API.login("fuzzer")
                // Left out: logout (it would end the fuzzer's own token), createPool (a template pool's made-up connection
                // URI could send libvirt to some other host) and updateUser (a new password signs the fuzzer out);
                // PoolAdminAPITests and RemoteCLITests cover them.
                // The statuses that are no server error: 503 no_free_vm / no_free_port is how a pool run dry by the
                // fuzzer's handouts answers; any other 5xx fails.
                let config = Scratch.file("schemathesis.toml")
                try """
                    [checks.not_a_server_error]
                    expected-statuses = ["2XX", "3XX", "4XX", 503]
                    """.write(to: config, atomically: true, encoding: .utf8)
                let run = try Command.run(
                    Topology.inClient([
                        schemathesis, "--config-file", config.path, "run", "\(API.base)/api/v1/openapi.json",
                        "--header", "Authorization: Bearer \(token)", "--exclude-operation-id", "logout",
                        "--exclude-operation-id", "createPool", "--exclude-operation-id", "updateUser",
                        "--checks", "not_a_server_error,response_schema_conformance", "--max-examples", "20",
                        "--seed", "20261126", "--no-color",
                    ]), timeout: 600)
                let log = E2E.artifact("schemathesis.log")
                try (run.output + run.errorOutput).write(to: log, atomically: true, encoding: .utf8)
                print("E2E schemathesis: \(run.output.split(separator: "\n").suffix(12).joined(separator: "\n")); log \(log.path)")
                #expect(run.status == 0, "schemathesis found problems: \(run.output.suffix(4000))")
                #expect(run.output.contains("passed"), "\(run.output.suffix(2000))")
            }
        }
    }
}
