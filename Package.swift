// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    // An import is internal unless marked `public import`: no dependency leaks through a
    // module's public API by accident.
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "tariff",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tariff", targets: ["tariff"]),
        .library(name: "TariffCore", targets: ["TariffCore"]),
        .library(name: "TariffStore", targets: ["TariffStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "4.1.0"..<"5.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/CoreOffice/XMLCoder.git", from: "0.18.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        // Already resolved through jwt-kit; tests make a TLS certificate with it.
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
        // Already resolved through Hummingbird; named for SIGHUP handling.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // GET /metrics: swift-metrics handles, exposed in Prometheus's text format.
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // Pure domain: money, numbers, the rate model, rating, deck parsing. No HTTP, no SQL.
        .target(name: "TariffCore", swiftSettings: strict),
        // The store contract and its engines (SQLite now; PostgreSQL behind the same protocols).
        .target(
            name: "TariffStore",
            dependencies: [
                "TariffCore",
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                // RSA key pairs for Voximplant service-account keys.
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            resources: [.copy("Resources/world"), .copy("Resources/demo")],
            swiftSettings: strict
        ),
        // The HTTP dialects (Vonage, Voximplant, native) arrive with `tariff serve`.
        .target(
            name: "TariffHTTP",
            dependencies: [
                "TariffCore", "TariffStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "XMLCoder", package: "XMLCoder"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                // HMAC for the key cache.
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            // Built into the binary: the service must describe itself offline.
            resources: [
                .embedInCode("OpenAPI/openapi.json"), .embedInCode("OpenAPI/docs.html"), .embedInCode("Console/Assets/index.html"),
                .embedInCode("Console/Assets/console.css"), .embedInCode("Console/Assets/console.js"),
                .embedInCode("Console/Assets/world.json"), .embedInCode("Console/Assets/world.json.gz"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "tariff",
            dependencies: [
                "TariffCore", "TariffStore", "TariffHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Speed and memory figures, printed beside baselines in the same run (`swift run -c release tariff-bench`).
        .executableTarget(
            name: "tariff-bench",
            dependencies: ["TariffCore", "TariffStore", .product(name: "SQLiteNIO", package: "sqlite-nio")],
            swiftSettings: strict
        ),
        .testTarget(name: "TariffCoreTests", dependencies: ["TariffCore"], exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(name: "TariffStoreTests", dependencies: ["TariffStore", "TariffCore"], swiftSettings: strict),
        .testTarget(name: "TariffCLITests", dependencies: ["tariff", "TariffStore", "TariffCore"], swiftSettings: strict),
        .testTarget(
            name: "TariffHTTPTests",
            dependencies: [
                "TariffHTTP", "TariffStore", "TariffCore", .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"), .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
