import ArgumentParser
import SaffronAPI
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

    /// Grants each of them `pool` through `api`, or takes it back.
    func change(_ pool: String, granting: Bool, through api: any APIProtocol) async throws {
        for grant in grants {
            switch (grant, granting) {
            case (.everyone, true): _ = try await api.grantEveryone(path: .init(pool: pool)).noContent
            case (.everyone, false): _ = try await api.revokeEveryone(path: .init(pool: pool)).noContent
            case (.user(let user), true): _ = try await api.grantUser(path: .init(pool: pool, user: user)).noContent
            case (.user(let user), false): _ = try await api.revokeUser(path: .init(pool: pool, user: user)).noContent
            case (.group(let group), true): _ = try await api.grantGroup(path: .init(pool: pool, group: group)).noContent
            case (.group(let group), false): _ = try await api.revokeGroup(path: .init(pool: pool, group: group)).noContent
            }
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
            try await options.withAPI { try await who.change(pool, granting: true, through: $0) }
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
            try await options.withAPI { try await who.change(pool, granting: false, through: $0) }
            print("Pool \(pool) is no longer granted to \(who.grants.map(\.description).joined(separator: ", ")).")
        }
    }
}
