import ArgumentParser
import SaffronAPI

/// `saffron group ...`: groups of users, for granting pools to many at once.
struct GroupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "group", abstract: "Manage groups of users (grant pools to them with `saffron pool grant --group`).",
        subcommands: [Create.self, Delete.self, Add.self, Remove.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an empty group.")
        @OptionGroup var options: TargetOptions
        @Argument(help: "Group name.") var name: String

        func run() async throws {
            _ = try await options.withAPI { try await $0.createGroup(body: .json(.init(name: name))).created }
            print("Created group \(name). Add users: saffron group add \(name) USER...")
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a group; its members lose the pools granted through it (live sessions stay).")
        @OptionGroup var options: TargetOptions
        @Argument(help: "Group name.") var name: String

        func run() async throws {
            _ = try await options.withAPI { try await $0.deleteGroup(path: .init(group: name)).noContent }
            print("Deleted group \(name).")
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add users to a group.")
        @OptionGroup var options: TargetOptions
        @OptionGroup var members: GroupMembers

        func run() async throws {
            try await options.withAPI { api in
                for user in members.users { _ = try await api.addMember(path: .init(group: members.group, user: user)).noContent }
            }
            print("Added \(members.users.joined(separator: ", ")) to group \(members.group).")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take users out of a group.")
        @OptionGroup var options: TargetOptions
        @OptionGroup var members: GroupMembers

        func run() async throws {
            try await options.withAPI { api in
                for user in members.users { _ = try await api.removeMember(path: .init(group: members.group, user: user)).noContent }
            }
            print("Removed \(members.users.joined(separator: ", ")) from group \(members.group).")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List groups with their members.")
        @OptionGroup var options: ShowOptions

        func run() async throws {
            try await options.show({ try await $0.adminGroups().ok.body.json }) { answer in
                if answer.groups.isEmpty { return print("No groups yet. Create one: saffron group create NAME") }
                Output.table(["GROUP", "MEMBERS"], answer.groups.map { [$0.name, $0.members.joined(separator: ", ")] })
            }
        }
    }
}

/// A group and some of its (would-be) members, for `group add` and `group remove`.
struct GroupMembers: ParsableArguments {
    @Argument(help: "Group name.") var group: String
    @Argument(help: "User names.") var users: [String] = []

    func validate() throws {
        guard !users.isEmpty else { throw ValidationError("Name at least one user.") }
    }
}
