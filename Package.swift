// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
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
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Resources/world"), .copy("Resources/demo")],
            swiftSettings: strict
        ),
        // The HTTP dialects (Vonage, Voximplant, native) arrive with `tariff serve`.
        .target(name: "TariffHTTP", dependencies: ["TariffCore", "TariffStore"], swiftSettings: strict),
        .executableTarget(
            name: "tariff",
            dependencies: [
                "TariffCore", "TariffStore",
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
    ],
    swiftLanguageModes: [.v6]
)
