// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// Test code may lean on transitive imports (HTTPTypes through Hummingbird, NIO through HummingbirdTesting).
let testSettings: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "saffron",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "saffron", targets: ["saffron"]),
        .executable(name: "saffron-bench", targets: ["saffron-bench"]),
        .executable(name: "saffron-spice-pattern", targets: ["saffron-spice-pattern"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.30.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.4.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-openapi-generator.git", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.4"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird.git", from: "2.1.0"),
        .package(url: "https://github.com/swift-server/swift-openapi-async-http-client.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "5.0.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibvirt",
            pkgConfig: "libvirt",
            providers: [.apt(["libvirt-dev"])]
        ),
        .target(
            name: "Libvirt",
            dependencies: ["CLibvirt"],
            swiftSettings: strict
        ),
        .target(name: "ConsoleFile", swiftSettings: strict),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        /// Screenshots made into small PNGs: PNG and PPM decoding, box-filter downscaling, PNG encoding over zlib.
        .target(name: "Thumbnail", dependencies: ["CZlib"], swiftSettings: strict),
        .systemLibrary(
            name: "CNftables",
            pkgConfig: "libnftables",
            providers: [.apt(["libnftables-dev"])]
        ),
        .systemLibrary(
            name: "CSpiceServer",
            pkgConfig: "spice-server",
            providers: [.apt(["libspice-server-dev"])]
        ),
        /// A synthetic SPICE desktop (a moving test pattern) for tests and benchmarks where booting VMs is too heavy.
        .executableTarget(name: "saffron-spice-pattern", dependencies: ["CSpiceServer"]),
        .target(
            name: "Firewall",
            dependencies: [
                "CNftables", .product(name: "Logging", package: "swift-log"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Store",
            dependencies: [.product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        /// The PostgreSQL backend of `Store`, for several brokers on one database.
        .target(
            name: "PostgresStore",
            dependencies: [
                "Store",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Broker",
            dependencies: [
                "Store", "ConsoleFile", "Thumbnail",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        /// Broker's `Hypervisor` over libvirt: VMs, tickets, templates, GPUs and events in Broker's own types.
        .target(
            name: "LibvirtHypervisor",
            dependencies: ["Broker", "Store", "Libvirt", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        /// The `direct` access path: a leased public port forwarded (DNAT) to the desktop by the firewall.
        .target(name: "DNATAccess", dependencies: ["Broker", "Store", "Firewall"], swiftSettings: strict),
        /// The `gateway` access path: console files through the SPICE gateway, with a console credential.
        .target(name: "GatewayAccess", dependencies: ["Broker", "Store"], swiftSettings: strict),
        /// The `proxy` access path: console files through the CONNECT proxy, and which tunnels it may open.
        .target(name: "ProxyAccess", dependencies: ["Broker", "Store"], swiftSettings: strict),
        /// The API's contract: `openapi.yaml`, and the types, server protocol and client generated from it.
        .target(
            name: "SaffronAPI",
            dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")],
            resources: [.embedInCode("openapi.yaml")],
            // The generated files import with an access level and say so even where nothing uses the import: warnings
            // about code no one here writes.
            swiftSettings: [.unsafeFlags(["-suppress-warnings"])],
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        .target(
            name: "HTTPAPI",
            dependencies: [
                "Broker", "Store", "ConsoleFile", "SaffronAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        /// Password checks through libpam (the conversation answers with the password), in C.
        .target(name: "CPAM", linkerSettings: [.linkedLibrary("pam")]),
        /// The PAM authenticator: logins with the host's accounts.
        .target(name: "PAMAuth", dependencies: ["Broker", "CPAM"], swiftSettings: strict),
        /// A small synchronous LDAP client over libldap (bind, search), in C.
        .target(name: "CLDAP", linkerSettings: [.linkedLibrary("ldap"), .linkedLibrary("lber")]),
        /// The LDAP / Active Directory authenticator: search, bind as the user, read their groups.
        .target(name: "DirectoryAuth", dependencies: ["Broker", "CLDAP"], swiftSettings: strict),
        /// The SPICE link handshake as bytes, free of I/O: link messages and replies, the ticket key, and the acceptor
        /// that lets the gateway take a client's link with its own key.
        .target(
            name: "SpiceLink",
            dependencies: [.product(name: "_CryptoExtras", package: "swift-crypto")],
            swiftSettings: strict
        ),
        /// The gateways' splice(2) data path: relay workers and an accept thread, in C.
        .target(name: "CSplice"),
        .target(
            name: "Gateway",
            dependencies: [
                "CSplice", "SpiceLink",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "SaffronApp",
            dependencies: [
                "HTTPAPI", "Broker", "Store", "PostgresStore", "LibvirtHypervisor", "DNATAccess", "ProxyAccess", "Firewall",
                "GatewayAccess", "Gateway", "PAMAuth",
                "DirectoryAuth",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        /// The generated client of a running broker's API over HTTP(S), for `saffron --server URL ...`.
        .target(
            name: "SaffronClient",
            dependencies: [
                "SaffronAPI",
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "saffron",
            dependencies: [
                "SaffronApp", "SaffronClient", "SaffronAPI", "HTTPAPI", "Broker", "Store", "PostgresStore", "LibvirtHypervisor",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "saffron-bench",
            dependencies: [
                "Broker", "Store", "PostgresStore", "Firewall", "Libvirt", "LibvirtHypervisor", "DNATAccess", "Gateway",
                "ConsoleFile", "Thumbnail", "SpiceLink",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "LibvirtTests", dependencies: ["Libvirt"], swiftSettings: testSettings),
        .testTarget(name: "ConsoleFileTests", dependencies: ["ConsoleFile"], swiftSettings: testSettings),
        .testTarget(name: "ThumbnailTests", dependencies: ["Thumbnail"], swiftSettings: testSettings),
        .testTarget(
            name: "FirewallTests",
            dependencies: [
                "Firewall", .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: testSettings),
        .testTarget(
            name: "StoreTests",
            dependencies: [
                "Store", "PostgresStore", "PostgresTestSupport", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: testSettings),
        .target(
            name: "PostgresTestSupport",
            dependencies: ["PostgresStore", "Store", .product(name: "Logging", package: "swift-log")],
            path: "Tests/PostgresTestSupport",
            swiftSettings: strict
        ),
        .testTarget(
            name: "SaffronAppTests",
            dependencies: [
                "SaffronApp", "Store", .product(name: "X509", package: "swift-certificates"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: testSettings
        ),
        .target(
            name: "BrokerTestSupport",
            dependencies: [
                "Broker", "Store", "PostgresStore", "PostgresTestSupport", "Firewall", "LibvirtHypervisor", "DNATAccess",
                "ProxyAccess", "GatewayAccess", .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/BrokerTestSupport",
            swiftSettings: strict
        ),
        .testTarget(
            name: "BrokerTests",
            dependencies: [
                "Broker", "BrokerTestSupport", "Store", "PostgresStore", "PostgresTestSupport", "Firewall", "ConsoleFile",
                "ProxyAccess", "GatewayAccess",
            ],
            swiftSettings: testSettings),
        .testTarget(
            name: "LibvirtHypervisorTests",
            dependencies: ["LibvirtHypervisor", "Libvirt", "Broker", "BrokerTestSupport", "Store"],
            swiftSettings: testSettings),
        .testTarget(
            name: "HTTPAPITests",
            dependencies: [
                "HTTPAPI", "SaffronAPI", "Broker", "BrokerTestSupport", "Store", "Firewall",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: testSettings
        ),
        .testTarget(
            name: "GatewayTests",
            dependencies: [
                "Gateway", "SpiceLink", "SpiceTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: testSettings
        ),
        .target(name: "SpiceTestSupport", dependencies: ["SpiceLink"], path: "Tests/SpiceTestSupport", swiftSettings: strict),
        .testTarget(name: "SpiceLinkTests", dependencies: ["SpiceLink", "SpiceTestSupport"], swiftSettings: testSettings),
        .testTarget(name: "DirectoryAuthTests", dependencies: ["DirectoryAuth", "Broker"], swiftSettings: testSettings),
        .testTarget(name: "PAMAuthTests", dependencies: ["PAMAuth", "Broker"], swiftSettings: testSettings),
        .testTarget(name: "SaffronClientTests", dependencies: ["SaffronClient"], swiftSettings: testSettings),
        .testTarget(
            name: "SaffronCLITests",
            dependencies: ["saffron", "Store", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: testSettings),
        /// The end-to-end suites in Suites/<capability>/, what they stand on in Harness/, and the Python they run in
        /// Scripts/, copied into the test bundle.
        .testTarget(
            name: "EndToEndTests", dependencies: [], resources: [.copy("Scripts")], swiftSettings: testSettings),
        /// ARCHITECTURE.md's module rules against Package.swift and the imports.
        .testTarget(name: "ArchitectureTests", dependencies: [], swiftSettings: testSettings),
    ]
)
