// swift-tools-version:6.0
import PackageDescription

// Release builds leave out the run-time exclusivity checks (2% of a dense run's instructions,
// in swift_beginAccess); debug builds, which the tests run, keep them.
let fast: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked", "-cross-module-optimization"], .when(configuration: .release))]

let package = Package(
    name: "kubectl-bifrost",
    products: [
        .executable(name: "kubectl-bifrost", targets: ["kubectl-bifrost"]),
        .library(name: "BifrostLint", targets: ["BifrostLint"]),
        .library(name: "YAMLSource", targets: ["YAMLSource"]),
        .library(name: "BifrostCompose", targets: ["BifrostCompose"]),
        .library(name: "JSONSchema", targets: ["JSONSchema"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(name: "CMalloc"),
        .target(name: "YAMLSource", dependencies: ["CYAML"], swiftSettings: fast),
        .target(name: "JSONSchema", dependencies: ["YAMLSource"], swiftSettings: fast),
        .target(name: "BifrostLint", dependencies: ["YAMLSource", "JSONSchema", "BifrostCompose", "CZlib"], swiftSettings: fast),
        .target(name: "BifrostCompose", dependencies: ["YAMLSource"], swiftSettings: fast),
        .executableTarget(
            name: "kubectl-bifrost",
            dependencies: [
                "BifrostLint",
                "BifrostCompose",
                "CMalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: fast
        ),
        .testTarget(name: "YAMLSourceTests", dependencies: ["YAMLSource"]),
        .testTarget(name: "JSONSchemaTests", dependencies: ["JSONSchema", "YAMLSource"]),
        .testTarget(name: "BifrostLintTests", dependencies: ["BifrostLint"]),
        .testTarget(name: "BifrostComposeTests", dependencies: ["BifrostCompose"]),
        .testTarget(name: "CLITests", dependencies: ["kubectl-bifrost", "BifrostLint", "BifrostCompose", "YAMLSource"]),
    ],
    swiftLanguageModes: [.v6]
)
