import Logging
import NIOCore
import SpiceLink

/// What every SPICE gateway connection's handlers share: the broker's answers, the ticket keys, the viewers, the
/// connections, and the knobs.
struct SpiceLinkServices: Sendable {
    let resolver: any SpiceConsoleResolver
    let keys: SpiceTicketKeyPool
    /// The channel capabilities offered to clients, learnt from the desktops.
    let capabilities = SpiceDesktopCapabilities()
    let book: SpiceViewerBook
    /// Every listener's connections.
    let registry: ConnectionRegistry
    let linkTimeout: TimeAmount
    let connectTimeout: TimeAmount
    let waterMark: ChannelOptions.Types.WriteBufferWaterMark
    let metrics: RelayMetrics
    let logger: Logger
}

