// swift-tools-version: 6.1
// envmon's performance benchmarks (store, HJ 212 codec, rule engine), a package of their own so that the main package does not
// depend on ordo-one/benchmark. Run from this folder: `swift package benchmark` (see README.md).
import PackageDescription

let package = Package(
    name: "envmon-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        // The main package, by path; `name:` lets products be named by the manifest's name
        // rather than by the folder the repository happens to be cloned into.
        .package(name: "envmon", path: ".."),
        // Only MallocInterposer: the default traits also enable RuntimeInterposer, which on Linux
        // with Swift 6.3 pulls in ordo-one/swift-runtime-interposer (not available here).
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // Ingest into PostgreSQL against psql's \copy (Benchmarks/pg-ingest.sh); a plain executable.
        .executableTarget(
            name: "PGIngest",
            dependencies: [
                .product(name: "PostgresStore", package: "envmon"),
                .product(name: "Store", package: "envmon"),
                .product(name: "Monitoring", package: "envmon"),
                .product(name: "EnvmonTesting", package: "envmon"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/PGIngest"
        ),
        .executableTarget(
            name: "StoreBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Store", package: "envmon"),
                .product(name: "Monitoring", package: "envmon"),
            ],
            path: "Benchmarks/StoreBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        ),
        .executableTarget(
            name: "HJ212Benchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Collectors", package: "envmon"),
                .product(name: "Monitoring", package: "envmon"),
            ],
            path: "Benchmarks/HJ212Benchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        ),
        .executableTarget(
            name: "RuleBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Rules", package: "envmon"),
                .product(name: "Store", package: "envmon"),
                .product(name: "Monitoring", package: "envmon"),
            ],
            path: "Benchmarks/RuleBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        ),
    ]
)
