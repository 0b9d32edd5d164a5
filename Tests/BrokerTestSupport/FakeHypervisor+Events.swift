import Broker
import LibvirtHypervisor

extension FakeHypervisor {
    /// Delivers the events `emit` sends for `connectURI` until the task is cancelled or `loseEvents` is called.
    public func watchEvents(
        on connectURI: String, watching: @Sendable () async -> Void, handle: @escaping @Sendable (HypervisorEvent) async -> Void
    ) async throws {
        try reach(connectURI)
        let (events, continuation) = AsyncThrowingStream<HypervisorEvent, any Error>.makeStream()
        eventWatchers[connectURI] = continuation
        defer { eventWatchers[connectURI] = nil }
        await watching()
        for try await event in events { await handle(event) }
    }

    public func attachedViewers(of vm: VMRef) async throws -> [String] {
        try reach(vm.connectURI)
        viewerQueries.append(vm.domain)
        return viewers[vm.domain] ?? []
    }

    public func gpuBoards(on connectURI: String) async throws -> [GPUBoardView] {
        try reach(connectURI)
        return (gpuHost?.devices ?? []).map(GPUBoardView.init)
    }

    /// Whether the broker watches `connectURI`'s events now.
    public func isWatched(_ connectURI: String) -> Bool { eventWatchers[connectURI] != nil }

    /// Sends `event` to the broker watching `connectURI`; returns whether one was watching.
    @discardableResult
    public func emit(_ event: HypervisorEvent, on connectURI: String) -> Bool {
        eventWatchers[connectURI]?.yield(event) != nil
    }

    /// Ends the watch of `connectURI` as a lost connection does: with an error.
    public func loseEvents(on connectURI: String) {
        eventWatchers[connectURI]?.finish(throwing: BrokerError(.hypervisorUnavailable, "connection lost"))
    }

    /// Sets the viewers `attachedViewers` reports for the VM named `domain`.
    public func setViewers(_ clients: [String], on domain: String) { viewers[domain] = clients }
}
