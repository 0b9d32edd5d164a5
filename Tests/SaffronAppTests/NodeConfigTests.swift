import Broker
import Foundation
import SaffronApp
import Testing

/// The `node` section: a broker's name and roles among the brokers sharing a database.
@Suite struct NodeConfigTests {
    @Test func aNodePlaysEveryRoleUnlessItNamesFewer() throws {
        #expect(try ConfigFile.load(#""node": {"name": "b1"}"#).nodeRoles() == Set(NodeRole.allCases))
        let gateway = try ConfigFile.load(#""node": {"roles": ["gateway", "proxy"]}"#)
        #expect(try gateway.nodeRoles() == [.gateway, .proxy])
        let fromEnvironment = try ConfigFile.load("", environment: ["SAFFRON_NODE_ROLES": "api, upkeep"])
        #expect(try fromEnvironment.nodeRoles() == [.api, .upkeep])
    }

    @Test func unknownRepeatedOrNoRolesAreRefusedNamingTheKey() throws {
        for (roles, words) in [(#"["api", "janitor"]"#, "not \"janitor\""), (#"["api", "api"]"#, "each once"), ("[]", "at least one")] {
            let error = #expect(throws: ConfigError.self, "\(roles)") { try ConfigFile.load(#""node": {"roles": "# + roles + "}") }
            #expect(error?.message.contains("node.roles") == true && error?.message.contains(words) == true, "\(error?.message ?? "")")
        }
    }
}
