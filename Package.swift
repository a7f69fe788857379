// swift-tools-version:6.0
import PackageDescription

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
        .target(name: "YAMLSource", dependencies: ["CYAML"]),
        .target(name: "JSONSchema", dependencies: ["YAMLSource"]),
        .target(name: "BifrostLint", dependencies: ["YAMLSource", "JSONSchema", "BifrostCompose", "CZlib"]),
        .target(name: "BifrostCompose", dependencies: ["YAMLSource"]),
        .executableTarget(
            name: "kubectl-bifrost",
            dependencies: [
                "BifrostLint",
                "BifrostCompose",
                "CMalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "YAMLSourceTests", dependencies: ["YAMLSource"]),
        .testTarget(name: "JSONSchemaTests", dependencies: ["JSONSchema", "YAMLSource"]),
        .testTarget(name: "BifrostLintTests", dependencies: ["BifrostLint"]),
        .testTarget(name: "BifrostComposeTests", dependencies: ["BifrostCompose"]),
        .testTarget(name: "CLITests", dependencies: ["kubectl-bifrost", "BifrostLint", "BifrostCompose", "YAMLSource"]),
    ],
    swiftLanguageModes: [.v6]
)
