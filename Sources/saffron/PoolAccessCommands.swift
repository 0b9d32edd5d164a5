import ArgumentParser
import Broker
import Foundation
import SaffronApp
import SaffronClient
import Store

/// Who a `pool grant` or `pool revoke` is about: users, groups, everyone.
struct GrantOptions: ParsableArguments {
    @Option(name: .customLong("user"), help: "A user (repeat for several).") var users: [String] = []
    @Option(name: .customLong("group"), help: "A group's members (repeat for several).") var groups: [String] = []
    @Flag(help: "Every user.") var everyone = false

    func validate() throws {
        guard everyone || !users.isEmpty || !groups.isEmpty else {
            throw ValidationError("Say who: --user NAME, --group NAME or --everyone.")
        }
    }

    var grants: [PoolGrant] {
        (everyone ? [.everyone] : []) + users.map(PoolGrant.user) + groups.map(PoolGrant.group)
    }

    /// The admin API's path of a grant of `pool`.
    static func path(of grant: PoolGrant, on pool: String) -> String {
        switch grant {
        case .everyone: BrokerClient.apiPath("admin", "pools", pool, "grants", "everyone")
        case .user(let name): BrokerClient.apiPath("admin", "pools", pool, "grants", "users", name)
        case .group(let name): BrokerClient.apiPath("admin", "pools", pool, "grants", "groups", name)
        }
    }
}

extension PoolCommand {
    struct Grant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Let users, groups or everyone see and use a pool.",
            discussion: "A user gets desktops only from pools granted to them, to one of their groups, or to everyone; admins from every pool.")
        @OptionGroup var options: TargetOptions
        @Argument(help: "Pool name.") var pool: String
        @OptionGroup var who: GrantOptions

        func run() async throws {
            try await options.perform(
                local: { for grant in who.grants { try await $0.broker.grant(pool, to: grant) } },
                remote: { client in
                    for grant in who.grants { try await client.call(.put, GrantOptions.path(of: grant, on: pool)) }
                })
            print("Pool \(pool) is granted to \(who.grants.map(\.description).joined(separator: ", ")).")
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Withdraw a pool from users, groups or everyone (their live sessions stay until ended).")
        @OptionGroup var options: TargetOptions
        @Argument(help: "Pool name.") var pool: String
        @OptionGroup var who: GrantOptions

        func run() async throws {
            try await options.perform(
                local: { for grant in who.grants { try await $0.broker.revoke(pool, from: grant) } },
                remote: { client in
                    for grant in who.grants { try await client.call(.delete, GrantOptions.path(of: grant, on: pool)) }
                })
            print("Pool \(pool) is no longer granted to \(who.grants.map(\.description).joined(separator: ", ")).")
        }
    }
}
