import Foundation
import GRDB
import Testing

@testable import Store

/// Template pools' GPU request and hypervisor hiding: written, read back, and defaulted for older databases.
@Suite struct PoolGPUTests {
    static func template(gpu: TemplateGPU?, hide: Bool = false, vendorID: String? = nil) -> PoolTemplate {
        PoolTemplate(
            domainXML: "<domain/>", baseImage: "/images/base.qcow2", storagePool: "default", maxVMs: 4, gpu: gpu,
            hideHypervisor: hide, hypervVendorID: vendorID)
    }

    @Test(arguments: Backend.underTest)
    func theGPURequestAndHidingSurviveAReopen(_ backend: Backend) async throws {
        let (store, reopen) = try await makeStore(backend)
        let created = Date(timeIntervalSince1970: 1_700_000_000)
        let pools = [
            PoolRecord(
                name: "cad", connectURI: "qemu:///system", desktopMode: .persistent,
                template: Self.template(gpu: .passthrough, hide: true, vendorID: "saffron"), createdAt: created),
            PoolRecord(
                name: "vdi", connectURI: "qemu:///system", desktopMode: .volatile,
                template: Self.template(gpu: .vgpu(typeID: "nvidia-63"), hide: true), createdAt: created),
            PoolRecord(
                name: "plain", connectURI: "qemu:///system", desktopMode: .volatile,
                template: Self.template(gpu: nil), createdAt: created),
        ]
        for pool in pools { try await store.addPool(pool) }

        let reopened = try reopen()
        for pool in pools {
            #expect(try await reopened.pool(named: pool.name) == pool)
        }
        let summaries = try await reopened.poolSummaries()
        #expect(summaries.first { $0.pool.name == "vdi" }?.pool.template?.gpu == .vgpu(typeID: "nvidia-63"))
        #expect(try await reopened.pools().first { $0.name == "cad" }?.template?.hypervVendorID == "saffron")
        #expect(try await reopened.pool(named: "office")?.template == nil)
    }

    @Test func aTemplatePoolFromBeforeGPUsReadsAsOneWithout() async throws {
        let queue = try DatabaseQueue()
        try SQLiteMigrations.migrator.migrate(queue, upTo: "v3: pool policies (spares, boot limit, reclaim windows, ticket validity)")
        try await queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO pools (name, connect_uri, desktop_mode, template_xml, base_image, storage_pool, max_vms, created_at)
                    VALUES ('lab', 'qemu:///system', 'volatile', '<domain/>', '/images/base.qcow2', 'default', 3, ?)
                    """,
                arguments: [Date()])
        }
        try SQLiteMigrations.migrator.migrate(queue)
        let pool = try await queue.read { db in try SQLiteStore.fetchPool(db, named: "lab") }
        let template = try #require(pool?.template)
        #expect(template.gpu == nil && !template.hideHypervisor && template.hypervVendorID == nil)
        #expect(template.maxVMs == 3)
    }

    @Test func theCommandLineFormReadsBothKindsAndNothingElse() {
        #expect(TemplateGPU(argument: "passthrough") == .passthrough)
        #expect(TemplateGPU(argument: "vgpu:nvidia-63") == .vgpu(typeID: "nvidia-63"))
        #expect(TemplateGPU(argument: "vgpu:nvidia-63")?.argument == "vgpu:nvidia-63")
        for bad in ["", "vgpu", "vgpu:", "vgpu:a b", "gpu", "Passthrough"] {
            #expect(TemplateGPU(argument: bad) == nil, "\(bad)")
        }
    }

    @Test func aTemplateEncodedBeforeGPUsDecodes() throws {
        let json = #"{"domainXML":"<domain/>","baseImage":"/b.qcow2","storagePool":"default","maxVMs":2}"#
        let template = try JSONDecoder().decode(PoolTemplate.self, from: Data(json.utf8))
        #expect(template == PoolTemplate(domainXML: "<domain/>", baseImage: "/b.qcow2", storagePool: "default", maxVMs: 2))
        let gpu = Self.template(gpu: .vgpu(typeID: "nvidia-231"), hide: true, vendorID: "v")
        #expect(try JSONDecoder().decode(PoolTemplate.self, from: JSONEncoder().encode(gpu)) == gpu)
    }
}
