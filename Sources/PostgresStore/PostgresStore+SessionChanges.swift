import Foundation
import Logging
import NIOPosix
import PostgresNIO
import Store

extension PostgresStore {
    /// The channel the sessions table's trigger announces changes on (migration v20).
    static let sessionChannel = "saffron_sessions"

    public var announcesSessionChanges: Bool { true }

    /// Listens on `sessionChannel` on a connection of its own and hands on every change another store instance
    /// committed. The connection is checked every `PostgresStore.listenerCheckInterval`, so one the server or the
    /// network dropped ends the watch with an error rather than silence.
    public func watchSessionChanges(
        listening: @escaping @Sendable () async -> Void, changed: @escaping @Sendable (SessionChange) async -> Void
    ) async throws {
        try await prepare()
        var configuration = try location.connectionConfiguration
        configuration.options.additionalStartupParameters = [("application_name", applicationName)]
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: 1, logger: logger
            ).get()
        } catch {
            throw PostgresStoreError.unreachable(location.description, reason: PostgresStoreError.reason(of: error))
        }
        defer { Task { try? await connection.close() } }
        let ownName = applicationName
        let logger = self.logger
        try await PostgresStoreError.readable {
            try await connection.listen(on: Self.sessionChannel) { notifications in
                await listening()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        while true {
                            try await Task.sleep(for: Self.listenerCheckInterval)
                            try await connection.run("SELECT 1", logger: logger)
                        }
                    }
                    group.addTask {
                        for try await notification in notifications {
                            guard let announcement = Self.announcement(notification.payload, logger: logger),
                                announcement.origin != ownName
                            else { continue }
                            await changed(announcement.change)
                        }
                        throw PostgresStoreError.connectionFailed("the database stopped announcing session changes")
                    }
                    try await group.next()
                    group.cancelAll()
                }
            }
        }
    }

    /// How often the listening connection is asked a trivial question, to notice that it is gone.
    static let listenerCheckInterval: Duration = .seconds(10)

    /// One announcement as the trigger writes it.
    struct SessionAnnouncement: Decodable {
        var origin: String?
        var kind: SessionChange.Kind
        var session: SessionRecord
        var formerClientAddress: String?

        var change: SessionChange { SessionChange(kind: kind, session: session, formerClientAddress: formerClientAddress) }
    }

    /// The announcement in `payload`, or nil (logged) when it cannot be read.
    static func announcement(_ payload: String, logger: Logger) -> SessionAnnouncement? {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        do {
            return try decoder.decode(SessionAnnouncement.self, from: Data(payload.utf8))
        } catch {
            logger.warning("an unreadable session announcement was skipped: \(error)")
            return nil
        }
    }
}
