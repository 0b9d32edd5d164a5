import Synchronization

/// What a second viewer with the same credential does to the first (a main channel linking while another of the same
/// session is live).
public enum SpiceSecondViewer: String, Sendable, CaseIterable {
    /// The new viewer takes over and the old one is cut, as a SPICE server does with a second client.
    case replace
    /// The new viewer is refused while the old one is connected.
    case refuse
}

/// Which SPICE session each desktop session's viewer holds on this gateway, so a console credential opens the channels
/// of one viewer: a viewer's main channel links first, its SPICE server names the SPICE session in `MAIN_INIT`, and
/// every other channel must link with that id as its connection id.
final class SpiceViewerBook: Sendable {
    /// What becomes of a channel's link.
    enum Verdict: Equatable {
        /// Link it.
        case link
        /// Link it, and cut these connections of the viewer it replaces.
        case replace([Int])
        /// Refuse it, for this reason (logged).
        case refuse(String)
    }

    private struct Viewer {
        /// The connection of its main channel.
        var main: Int
        /// The SPICE session its server named, once `MAIN_INIT` passed.
        var spiceSession: UInt32?
        /// Its other channels' connections.
        var channels: Set<Int> = []
    }

    /// `SPICE_CHANNEL_MAIN`.
    static let mainChannel: UInt8 = 1

    private let secondViewer: SpiceSecondViewer
    private let viewers = Mutex<[String: Viewer]>([:])

    init(secondViewer: SpiceSecondViewer) {
        self.secondViewer = secondViewer
    }

    /// Decides the link of a channel of `channelType` with `connectionID` (the client's claim of its SPICE session),
    /// on `connection`, for desktop session `session`.
    func admit(connection: Int, session: String, channelType: UInt8, connectionID: UInt32) -> Verdict {
        viewers.withLock { viewers in
            guard channelType == Self.mainChannel else {
                guard let viewer = viewers[session], let spiceSession = viewer.spiceSession, spiceSession == connectionID else {
                    return .refuse("its connection id is not the SPICE session of this credential's viewer")
                }
                viewers[session]?.channels.insert(connection)
                return .link
            }
            guard let old = viewers[session] else {
                viewers[session] = Viewer(main: connection)
                return .link
            }
            switch secondViewer {
            case .refuse:
                return .refuse("another viewer holds this session's desktop")
            case .replace:
                viewers[session] = Viewer(main: connection)
                return .replace([old.main] + old.channels.sorted())
            }
        }
    }

    /// The main channel on `connection` learnt its SPICE session id.
    func mainInitialized(connection: Int, session: String, spiceSession: UInt32) {
        viewers.withLock { viewers in
            if viewers[session]?.main == connection { viewers[session]?.spiceSession = spiceSession }
        }
    }

    /// `connection` of `session` ended; the viewer goes with its main channel.
    func ended(connection: Int, session: String) {
        viewers.withLock { viewers in
            guard let viewer = viewers[session] else { return }
            if viewer.main == connection {
                viewers[session] = nil
            } else {
                viewers[session]?.channels.remove(connection)
            }
        }
    }

    /// Forgets the session's viewer (its session ended).
    func forget(session: String) {
        viewers.withLock { _ = $0.removeValue(forKey: session) }
    }
}
