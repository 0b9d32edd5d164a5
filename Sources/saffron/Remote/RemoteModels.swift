import Broker
import Foundation
import Store

/// The admin API's answers as remote commands read them: only the fields their tables show.
enum Remote {
    struct Pools: Decodable { let pools: [Pool] }

    struct Pool: Decodable {
        let name: String
        let connect: String
        let hosts: [String]
        let desktops: String
        let maxVMs: Int?
        let freeVMs: Int
        let access: [String]
        let policy: PoolPolicy
        let vms: [VM]
    }

    struct VM: Decodable {
        let name: String
        let created: Bool
        let owner: String?
        let resetting: Bool
        let broken: String?
        let session: Session?
        let host: String?
    }

    struct Sessions: Decodable { let sessions: [Session] }

    struct Session: Decodable {
        let id: String
        let pool: String
        let vm: String
        let port: Int
        let user: String
        let clientAddress: String
        let state: String
        let createdAt: Date
    }

    struct Users: Decodable { let users: [User] }

    struct User: Decodable {
        let name: String
        let admin: Bool
        let auditor: Bool
        let createdAt: Date
    }

    struct Groups: Decodable { let groups: [GroupRecord] }

    struct Nodes: Decodable { let nodes: [NodeStatus] }

    struct AuditPage: Decodable { let events: [AuditEvent] }

    struct Hosts: Decodable { let hosts: [HostView] }

    struct GPUBoards: Decodable { let boards: [GPUBoardView] }
}
