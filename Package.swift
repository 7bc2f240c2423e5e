// swift-tools-version: 6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "envmon",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "envmon", targets: ["envmon"]),
        .library(name: "Monitoring", targets: ["Monitoring"]),
        .library(name: "Store", targets: ["Store"]),
        .library(name: "PostgresStore", targets: ["PostgresStore"]),
        .library(name: "Collectors", targets: ["Collectors"]),
        .library(name: "Rules", targets: ["Rules"]),
        .library(name: "EnvmonConfig", targets: ["EnvmonConfig"]),
        .library(name: "EnvmonTesting", targets: ["EnvmonTesting"]),
        .library(name: "Notifier", targets: ["Notifier"]),
        .library(name: "EnvmonHTTP", targets: ["EnvmonHTTP"]),
        .library(name: "Reports", targets: ["Reports"]),
        .library(name: "EnvmonCharts", targets: ["EnvmonCharts"]),
        .library(name: "EnvmonDashboard", targets: ["EnvmonDashboard"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // No traits: swift-configuration is not used, and it costs build time.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        // The store on PostgreSQL (issue 17): its own module, so SQLite users link none of it.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CMosquitto", pkgConfig: "libmosquitto", providers: [.apt(["libmosquitto-dev"])]),
        // zlib: gzip request bodies (InfluxDB clients' `Content-Encoding: gzip` on /write).
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // glibc's allocator for the executable: the arena limit, set by a constructor before any
        // thread starts, and <malloc.h> (mallopt), which Swift's Glibc module leaves out.
        .target(name: "CMallocTuning"),
        .target(
            name: "Monitoring",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "EnvmonConfig",
            dependencies: ["Monitoring", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Store",
            dependencies: [
                "Monitoring",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PostgresStore",
            dependencies: [
                "Monitoring", "Store", "EnvmonConfig",
                .product(name: "Yams", package: "Yams"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Collectors",
            dependencies: [
                "Monitoring", "Store", "EnvmonConfig", "CMosquitto",
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Rules",
            dependencies: [
                "Monitoring", "Store", "EnvmonConfig",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Notifier",
            dependencies: [
                "Monitoring", "Store", "EnvmonConfig", "CCurl", "COpenSSL",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "EnvmonHTTP",
            dependencies: [
                "Monitoring", "Store", "Notifier", "Collectors", "CZlib", "Reports", "Rules", "EnvmonConfig",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "EnvmonDashboard",
            dependencies: [
                "EnvmonHTTP", "Reports", "Store", "Rules", "Monitoring", "Notifier", "EnvmonCharts", "EnvmonConfig",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            // Templates, style sheet, script and UI strings are compiled into the binary.
            resources: [.embedInCode("Templates"), .embedInCode("Strings")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Reports",
            dependencies: ["Monitoring", "Store", "EnvmonConfig", "Rules", "EnvmonCharts", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        // Charts drawn as SVG text on the server (the dashboard's trends, bars).
        .target(name: "EnvmonCharts", dependencies: ["Monitoring"], swiftSettings: swiftSettings),
        .target(
            name: "EnvmonTesting",
            dependencies: ["Monitoring", "Store", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "envmon",
            dependencies: [
                "Monitoring", "Store", "PostgresStore", "Collectors", "Rules", "EnvmonConfig", "EnvmonHTTP", "EnvmonDashboard", "CCurl", "Notifier",
                "Reports", "CMallocTuning",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "MonitoringTests", dependencies: ["Monitoring", "EnvmonTesting"], swiftSettings: swiftSettings),
        .testTarget(name: "EnvmonConfigTests", dependencies: ["EnvmonConfig", "Monitoring"], swiftSettings: swiftSettings),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Monitoring", "EnvmonTesting"], swiftSettings: swiftSettings),
        // One suite over `any TimeSeriesStore`, run against SQLite and a private PostgreSQL server.
        .testTarget(
            name: "StoreBackendTests", dependencies: ["Store", "PostgresStore", "Monitoring", "EnvmonConfig", "EnvmonTesting"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "CollectorsTests",
            dependencies: [
                "Collectors", "Store", "Monitoring", "EnvmonConfig", "EnvmonTesting",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "RulesTests", dependencies: ["Rules", "Store", "Monitoring", "EnvmonConfig", "EnvmonTesting", "Reports"],
            swiftSettings: swiftSettings),
        .testTarget(name: "NotifierTests", dependencies: ["Notifier", "Store", "Monitoring", "EnvmonConfig", "EnvmonTesting"], swiftSettings: swiftSettings),
        .testTarget(
            name: "EnvmonHTTPTests",
            dependencies: [
                "EnvmonHTTP", "EnvmonDashboard", "EnvmonTesting", "Monitoring", "Store", "Reports", "Rules", "Notifier", "Collectors",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "ReportsTests", dependencies: ["Reports", "Rules", "Store", "Monitoring", "EnvmonConfig", "EnvmonTesting", "EnvmonCharts"],
            swiftSettings: swiftSettings),
        .testTarget(name: "EnvmonChartsTests", dependencies: ["EnvmonCharts", "Monitoring"], swiftSettings: swiftSettings),
        .testTarget(
            name: "EndToEndTests", dependencies: ["Monitoring", "EnvmonTesting", "Store", "PostgresStore", "Reports", "EnvmonConfig"],
            swiftSettings: swiftSettings),
    ]
)
