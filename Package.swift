// swift-tools-version:6.0
import PackageDescription

/// Our own targets treat every warning as an error; dependencies are left alone.
let strict: [SwiftSetting] = [
    .unsafeFlags(["-warnings-as-errors"]),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "wangge",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "wangge", targets: ["wangge"]),
        .library(name: "WanggeCore", targets: ["WanggeCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.0"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
    ],
    targets: [
        // The domain: value types and pure rules. No framework import.
        .target(name: "WanggeCore", resources: [.copy("Registers/Tables")], swiftSettings: strict),
        // Spreadsheets as county offices exchange them: CSV (UTF-8 or GB18030) and XLSX, read and written.
        .target(
            name: "WanggeSheets",
            dependencies: [.product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: strict
        ),
        // Deterministic synthetic county and city, built from the domain types only.
        .target(name: "WanggeDemo", dependencies: ["WanggeCore"], swiftSettings: strict),
        // Repositories over SQLKit, on SQLite (embedded) and PostgreSQL (production).
        .target(
            name: "WanggeStorage",
            dependencies: [
                "WanggeCore",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // HTTP: Hummingbird application, controllers per capability, static web.
        .target(
            name: "WanggeApp",
            dependencies: [
                "WanggeCore",
                "WanggeDemo",
                "WanggeStorage",
                "WanggeSheets",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "wangge",
            dependencies: [
                "WanggeCore",
                "WanggeDemo",
                "WanggeStorage",
                "WanggeApp",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // Opens a throw-away database on each engine for the storage and HTTP suites.
        .target(
            name: "WanggeTestSupport",
            dependencies: ["WanggeCore", "WanggeStorage", .product(name: "Logging", package: "swift-log"), .product(name: "SQLKit", package: "sql-kit")],
            path: "Tests/Support",
            swiftSettings: strict
        ),
        .testTarget(name: "WanggeCoreTests", dependencies: ["WanggeCore"], swiftSettings: strict),
        .testTarget(
            name: "WanggeSheetsTests",
            dependencies: ["WanggeSheets", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: strict
        ),
        .testTarget(name: "WanggeDemoTests", dependencies: ["WanggeCore", "WanggeDemo"], swiftSettings: strict),
        .testTarget(
            name: "WanggeStorageTests",
            dependencies: ["WanggeCore", "WanggeDemo", "WanggeStorage", "WanggeTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "WanggeAppTests",
            dependencies: [
                "WanggeApp",
                "WanggeDemo",
                "WanggeSheets",
                "WanggeTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strict
        ),
    ]
)
