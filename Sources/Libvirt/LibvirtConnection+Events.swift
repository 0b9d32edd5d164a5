internal import CLibvirt

extension LibvirtConnection {
    /// The lifecycle and graphics events of every domain on this connection, from now until the stream is dropped
    /// or cancelled (then the callbacks are deregistered).
    ///
    /// Events are buffered up to the newest 4096 if the consumer falls behind.
    public func domainEvents() async throws -> AsyncStream<DomainEvent> {
        let (stream, continuation) = AsyncStream<DomainEvent>.makeStream(bufferingPolicy: .bufferingNewest(4096))
        let sink = DomainEventSink(continuation)
        let registrations = try await self.perform { pointer in
            try DomainEventSink.register(sink, on: pointer)
        }
        continuation.onTermination = { [self] _ in
            self.performDetached { pointer in
                for id in registrations { virConnectDomainEventDeregisterAny(pointer, id) }
            }
        }
        return stream
    }
}

/// Where libvirt's C callbacks deliver: the stream's continuation, passed to libvirt as the callbacks' opaque pointer.
///
/// Each registration holds one retain, released by libvirt through `release` once the callback is deregistered and
/// no longer running.
private final class DomainEventSink: Sendable {
    let continuation: AsyncStream<DomainEvent>.Continuation

    init(_ continuation: AsyncStream<DomainEvent>.Continuation) {
        self.continuation = continuation
    }

    /// Registers the lifecycle and graphics callbacks; returns their callback ids.
    static func register(_ sink: DomainEventSink, on connection: OpaquePointer) throws -> [Int32] {
        let callbacks: [(Int32, virConnectDomainEventGenericCallback)] = [
            (Int32(VIR_DOMAIN_EVENT_ID_LIFECYCLE.rawValue), unsafeBitCast(lifecycle, to: virConnectDomainEventGenericCallback.self)),
            (Int32(VIR_DOMAIN_EVENT_ID_GRAPHICS.rawValue), unsafeBitCast(graphics, to: virConnectDomainEventGenericCallback.self)),
        ]
        var ids: [Int32] = []
        for (eventID, callback) in callbacks {
            let opaque = Unmanaged.passRetained(sink).toOpaque()
            let id = virConnectDomainEventRegisterAny(connection, nil, eventID, callback, opaque, release)
            guard id >= 0 else {
                // libvirt did not keep `opaque`; its retain is left (a few bytes) rather than risk releasing twice.
                let error = LibvirtError.last(operation: "virConnectDomainEventRegisterAny")
                for id in ids { virConnectDomainEventDeregisterAny(connection, id) }
                throw error
            }
            ids.append(id)
        }
        return ids
    }

    private static let lifecycle: @convention(c) (
        OpaquePointer?, OpaquePointer?, Int32, Int32, UnsafeMutableRawPointer?
    ) -> Int32 = { _, domain, event, detail, opaque in
        guard let opaque, let name = DomainEventSink.name(of: domain) else { return 0 }
        let sink = Unmanaged<DomainEventSink>.fromOpaque(opaque).takeUnretainedValue()
        let change = LifecycleChange(kind: LifecycleChange.Kind(rawValue: event), detail: detail)
        sink.continuation.yield(.lifecycle(domain: name, change: change))
        return 0
    }

    private static let graphics: @convention(c) (
        OpaquePointer?, OpaquePointer?, Int32, UnsafePointer<virDomainEventGraphicsAddress>?,
        UnsafePointer<virDomainEventGraphicsAddress>?, UnsafePointer<CChar>?, UnsafePointer<virDomainEventGraphicsSubject>?,
        UnsafeMutableRawPointer?
    ) -> Void = { _, domain, phase, _, remote, _, _, opaque in
        guard let opaque, let name = DomainEventSink.name(of: domain), let phase = GraphicsPhase(rawValue: phase) else {
            return
        }
        let sink = Unmanaged<DomainEventSink>.fromOpaque(opaque).takeUnretainedValue()
        sink.continuation.yield(.graphics(domain: name, phase: phase, client: DomainEventSink.address(remote)))
    }

    private static let release: @convention(c) (UnsafeMutableRawPointer?) -> Void = { opaque in
        guard let opaque else { return }
        Unmanaged<DomainEventSink>.fromOpaque(opaque).release()
    }

    private static func name(of domain: OpaquePointer?) -> String? {
        guard let domain, let name = virDomainGetName(domain) else { return nil }
        return String(cString: name)
    }

    /// "address:port" of a graphics client, or "" when libvirt gave none.
    private static func address(_ address: UnsafePointer<virDomainEventGraphicsAddress>?) -> String {
        guard let address = address?.pointee else { return "" }
        let node = address.node.map { String(cString: $0) } ?? ""
        let service = address.service.map { String(cString: $0) } ?? ""
        return service.isEmpty ? node : "\(node):\(service)"
    }
}
