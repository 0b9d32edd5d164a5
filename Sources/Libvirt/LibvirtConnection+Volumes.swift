internal import CLibvirt
import Foundation

/// Storage volumes: the copy-on-write overlays that template pools give their desktops.
extension LibvirtConnection {
    /// Creates a qcow2 volume `name` in the storage pool `storagePool`, backed by the qcow2 image at `backingPath`
    /// and as large as it, and returns the new volume's path. The backing image must be a volume libvirt knows
    /// (in any storage pool), so its size can be read.
    public func createOverlay(named name: String, inStoragePool storagePool: String, backingPath: String) async throws
        -> String
    {
        try await perform { connection in
            let capacity = try Self.volumeCapacity(atPath: backingPath, on: connection)
            return try Self.withStoragePool(storagePool, on: connection) { pool in
                let xml = StorageVolumeXML.overlay(name: name, capacity: capacity, backingPath: backingPath)
                guard let volume = virStorageVolCreateXML(pool, xml, 0) else {
                    throw LibvirtError.last(connection: connection, operation: "virStorageVolCreateXML(\(name))")
                }
                defer { virStorageVolFree(volume) }
                return try Self.path(of: volume, on: connection)
            }
        }
    }

    /// Creates an empty qcow2 volume `name` of `capacity` bytes in `storagePool` and returns its path (a base image
    /// to install a desktop system on, or for tests).
    public func createBlankVolume(named name: String, inStoragePool storagePool: String, capacity: UInt64) async throws
        -> String
    {
        try await perform { connection in
            try Self.withStoragePool(storagePool, on: connection) { pool in
                guard let volume = virStorageVolCreateXML(pool, StorageVolumeXML.blank(name: name, capacity: capacity), 0) else {
                    throw LibvirtError.last(connection: connection, operation: "virStorageVolCreateXML(\(name))")
                }
                defer { virStorageVolFree(volume) }
                return try Self.path(of: volume, on: connection)
            }
        }
    }

    /// Deletes the volume `name` of the storage pool `storagePool`; a volume that is not there is fine.
    /// - Returns: whether a volume was deleted.
    @discardableResult
    public func deleteVolume(named name: String, inStoragePool storagePool: String) async throws -> Bool {
        try await perform { connection in
            let deleted: Bool? = try Self.withVolume(name, inStoragePool: storagePool, on: connection) { volume in
                guard virStorageVolDelete(volume, 0) == 0 else {
                    throw LibvirtError.last(connection: connection, operation: "virStorageVolDelete(\(name))")
                }
                return true
            }
            return deleted ?? false
        }
    }

    /// The path of volume `name` in `storagePool`, or nil when there is no such volume.
    public func volumePath(named name: String, inStoragePool storagePool: String) async throws -> String? {
        try await perform { connection in
            try Self.withVolume(name, inStoragePool: storagePool, on: connection) { volume in
                try Self.path(of: volume, on: connection)
            }
        }
    }

    /// Whether the storage pool exists and is running.
    public func storagePoolIsActive(_ storagePool: String) async throws -> Bool {
        try await perform { connection in
            try Self.withStoragePool(storagePool, on: connection) { pool in virStoragePoolIsActive(pool) == 1 }
        }
    }

    /// The capacity in bytes of the volume at `path` (`virStorageVolLookupByPath`).
    public func volumeCapacity(atPath path: String) async throws -> UInt64 {
        try await perform { connection in try Self.volumeCapacity(atPath: path, on: connection) }
    }

    static func volumeCapacity(atPath path: String, on connection: OpaquePointer) throws -> UInt64 {
        guard let volume = virStorageVolLookupByPath(connection, path) else {
            throw LibvirtError.last(connection: connection, operation: "virStorageVolLookupByPath(\(path))")
        }
        defer { virStorageVolFree(volume) }
        var info = virStorageVolInfo()
        guard virStorageVolGetInfo(volume, &info) == 0 else {
            throw LibvirtError.last(connection: connection, operation: "virStorageVolGetInfo(\(path))")
        }
        return UInt64(info.capacity)
    }

    static func withStoragePool<T>(
        _ name: String, on connection: OpaquePointer, _ body: (OpaquePointer) throws -> T
    ) throws -> T {
        guard let pool = virStoragePoolLookupByName(connection, name) else {
            throw LibvirtError.last(connection: connection, operation: "virStoragePoolLookupByName(\(name))")
        }
        defer { virStoragePoolFree(pool) }
        return try body(pool)
    }

    /// Runs `body` with the volume `name` of `storagePool`; nil, without running it, when there is no such volume.
    static func withVolume<T>(
        _ name: String, inStoragePool storagePool: String, on connection: OpaquePointer, _ body: (OpaquePointer) throws -> T
    ) throws -> T? {
        try withStoragePool(storagePool, on: connection) { pool in
            guard let volume = virStorageVolLookupByName(pool, name) else {
                let error = LibvirtError.last(connection: connection, operation: "virStorageVolLookupByName(\(name))")
                if error.code == Int32(bitPattern: VIR_ERR_NO_STORAGE_VOL.rawValue) { return nil }
                throw error
            }
            defer { virStorageVolFree(volume) }
            return try body(volume)
        }
    }

    static func path(of volume: OpaquePointer, on connection: OpaquePointer) throws -> String {
        guard let text = virStorageVolGetPath(volume) else {
            throw LibvirtError.last(connection: connection, operation: "virStorageVolGetPath")
        }
        defer { free(text) }
        return String(cString: text)
    }
}
