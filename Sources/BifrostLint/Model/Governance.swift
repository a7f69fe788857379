import YAMLSource

/// A list field that OSS v1.5.0 reads as a whitelist: `[]` denies all, `["*"]` allows all.
public struct Whitelist: Sendable {
    /// What holds the list; the words for messages are made only when a rule reports it.
    enum Owner: UInt8, Sendable {
        /// `models` of a provider key: holder is the key, other the provider's name in `providers`.
        case providerKey
        /// holder: the provider config; other: the virtual key.
        case virtualKeyProviderConfig
        /// holder: the MCP config; other: the virtual key.
        case virtualKeyMCPConfig
        /// holder: the client config.
        case mcpClient
        /// holder: the provider config; other: the access profile.
        case accessProfileProviderConfig
    }

    /// The list; the other nodes are handles into its parse (a values file has tens of thousands
    /// of these, 32 bytes each instead of 80).
    public let list: Node
    private let keyHandle: Int32
    private let holderHandle: Int32
    private let otherHandle: Int32
    let owner: Owner

    init(key: Node, list: Node, owner: Owner, holder: Node, other: Node? = nil) {
        self.list = list
        keyHandle = key.handle
        holderHandle = holder.handle
        otherHandle = other?.handle ?? holder.handle
        self.owner = owner
    }

    public var key: Node { list.sibling(keyHandle) }

    /// `tools_to_execute`, which the `version: 1` shim leaves as it is.
    var isToolList: Bool { owner == .virtualKeyMCPConfig || owner == .mcpClient }

    /// Where it sits, for messages: "allowed_models of provider config 'openai' of virtual key 'vk-prod'".
    public var site: String {
        "\(key.keyString) of \(Self.place(owner, holder: list.sibling(holderHandle), other: list.sibling(otherHandle)))"
    }

    static func place(_ owner: Owner, holder: Node, other: Node) -> String {
        let label = BifrostConfig.label
        switch owner {
        case .providerKey:
            return "key \(label(holder, "?")) of provider '\(other.keyString)'"
        case .virtualKeyProviderConfig:
            return "provider config \(label(holder, "?")) of virtual key \(label(other, "?"))"
        case .virtualKeyMCPConfig:
            return "MCP config \(label(holder, "?")) of virtual key \(label(other, "?"))"
        case .mcpClient:
            return "MCP client \(label(holder, "?"))"
        case .accessProfileProviderConfig:
            return "provider config \(label(holder, "?")) of access profile \(label(other, "?"))"
        }
    }
}

/// A whitelist a holder leaves out where OSS v1.5.0 reads the omission as "deny all".
public struct OmittedWhitelist: Sendable {
    /// The mapping that lacks it.
    public let holder: Node
    /// The keys to write (snake_case: the chart copies these mappings into config.json verbatim).
    public let names: [String]
    private let otherHandle: Int32
    let owner: Whitelist.Owner

    init(holder: Node, names: [String], owner: Whitelist.Owner, other: Node) {
        self.holder = holder
        self.names = names
        self.owner = owner
        otherHandle = other.handle
    }

    public var place: String { Whitelist.place(owner, holder: holder, other: holder.sibling(otherHandle)) }

    var isToolList: Bool { owner == .virtualKeyMCPConfig || owner == .mcpClient }
}

/// The governance and provider parts of a Bifrost config, under both spellings (camelCase in
/// values, snake_case in config.json; both are accepted wherever either is).
extension BifrostConfig {
    static func list(_ node: Node?, _ keys: String...) -> [Node] {
        guard let node else { return [] }
        for k in keys { if let l = node[k], l.isSequence { return l.items } }
        return []
    }

    static func label(_ node: Node, _ fallback: String) -> String {
        for k in labelKeys {
            guard let v = node[k] else { continue }
            if case .string(let s)? = v.value { return "'\(s)'" }
            if let i = v.int { return "'\(i)'" }
        }
        return fallback
    }

    private static let labelKeys = ["id", "name", "provider", "provider_name", "mcp_client_id", "mcp_client_name"]

    public var governance: Node? { root["governance"] }

    // Kept per config: most governance rules walk the virtual keys and providers again.
    public var virtualKeys: [Node] {
        if let known = cache.virtualKeys { return known }
        let found = Self.list(governance, "virtualKeys", "virtual_keys")
        cache.virtualKeys = found
        return found
    }

    /// Provider configs of a virtual key. (Not kept per key: a values file of 20,000 keys would
    /// hold a table of them through the whole document.)
    public func providerConfigs(of vk: Node) -> [Node] {
        Self.list(vk, "provider_configs", "providerConfigs")
    }

    /// `providers.<name>` entries: (the name's key, provider node).
    public var providers: [(key: Node, node: Node)] {
        if let known = cache.providers { return known }
        let found = (root["providers"]?.pairs ?? []).filter { $0.value.isMapping }.map { ($0.key, $0.value) }
        cache.providers = found
        return found
    }

    /// `version: 1` in a config.json keeps the old "empty means all" reading of whitelists.
    public var legacyVersionNode: Node? {
        guard !isValues, let v = root["version"], v.int == 1 else { return nil }
        return v
    }

    public var whitelists: [Whitelist] {
        if let cached = cache.whitelists { return cached }
        let found = findWhitelists()
        cache.whitelists = found
        return found
    }

    private func findWhitelists() -> [Whitelist] {
        var out: [Whitelist] = []
        func add(_ holder: Node, _ names: [String], _ owner: Whitelist.Owner, _ other: Node? = nil) {
            for name in names {
                if let pair = holder.pair(name), pair.value.isSequence {
                    out.append(Whitelist(key: pair.key, list: pair.value, owner: owner, holder: holder, other: other))
                }
            }
        }
        for (name, provider) in providers {
            for key in Self.list(provider, "keys") {
                add(key, ["models"], .providerKey, name)
            }
        }
        for vk in virtualKeys {
            for pc in providerConfigs(of: vk) {
                add(pc, ["allowed_models", "allowedModels", "key_ids", "keyIds"], .virtualKeyProviderConfig, vk)
            }
            for mcp in Self.list(vk, "mcp_configs", "mcpConfigs") {
                add(mcp, ["tools_to_execute", "toolsToExecute"], .virtualKeyMCPConfig, vk)
            }
        }
        for client in Self.list(root["mcp"], "client_configs", "clientConfigs") {
            add(client, ["tools_to_execute", "toolsToExecute"], .mcpClient)
        }
        for profile in Self.list(root, "accessProfiles", "access_profiles") {
            // `allowed_models` is "ignored when all_models_allowed is true" (config.schema.json).
            for pc in Self.list(profile, "provider_configs", "providerConfigs") where pc["all_models_allowed"]?.bool != true {
                add(pc, ["allowed_models", "allowedModels"], .accessProfileProviderConfig, profile)
            }
        }
        return out
    }

    /// Whitelists left out where v1.5.0 reads omitted as empty, so as deny all: `models` on a
    /// provider key ("missing models fields"), `allowed_models` and `key_ids` on a virtual key's
    /// provider config (migration guide, Breaking Changes 1 and 2, checklist), and
    /// `tools_to_execute` on MCP configs and clients (core/schemas/mcp.go: "nil/omitted => treated
    /// as [] (no tools)"; plugins/governance skips a VK MCP config without tools).
    public var omittedWhitelists: [OmittedWhitelist] {
        var out: [OmittedWhitelist] = []
        /// Each entry: every spelling that counts as present, the one to write first.
        func check(_ holder: Node, _ fields: [[String]], _ owner: Whitelist.Owner, _ other: Node) {
            guard holder.isMapping else { return }
            let missing = fields.filter { holder.pair(anyOf: $0) == nil }.map { $0[0] }
            if !missing.isEmpty { out.append(OmittedWhitelist(holder: holder, names: missing, owner: owner, other: other)) }
        }
        for (name, provider) in providers {
            for key in Self.list(provider, "keys") { check(key, [["models"]], .providerKey, name) }
        }
        for vk in virtualKeys {
            for pc in providerConfigs(of: vk) {
                check(pc, [["allowed_models", "allowedModels"], ["key_ids", "keyIds", "allowed_keys", "allowedKeys"]], .virtualKeyProviderConfig, vk)
            }
            for mcp in Self.list(vk, "mcp_configs", "mcpConfigs") {
                check(mcp, [["tools_to_execute", "toolsToExecute"]], .virtualKeyMCPConfig, vk)
            }
        }
        // The chart reads `toolsToExecute` (or `tools_to_execute`) on its clientConfigs.
        for client in Self.list(root["mcp"], "client_configs", "clientConfigs") {
            check(client, [isValues ? ["toolsToExecute", "tools_to_execute"] : ["tools_to_execute", "toolsToExecute"]], .mcpClient, client)
        }
        return out
    }

    /// Every mapping pair in the config tree whose key is one of `names`, at any depth, in
    /// document order. The tree is walked once per config; aliased subtrees are visited once.
    public func pairs(named names: Set<String>, under start: Node? = nil) -> [(pair: Pair, parent: Node)] {
        if cache.pairsByName == nil {
            var index: [String: [(pair: Pair, parent: Node)]] = [:]
            for entry in root.pairs(named: Self.indexedNames.sorted()) {
                index[entry.pair.key.keyString, default: []].append(entry)
            }
            cache.pairsByName = index
        }
        // Names outside the index are rare enough to walk for.
        let all = names.isSubset(of: Self.indexedNames)
            ? names.sorted().flatMap { cache.pairsByName?[$0] ?? [] }.sorted { $0.pair.key.startOffset < $1.pair.key.startOffset }
            : root.pairs(named: names.sorted())
        guard let start, start != root else { return all }
        let range = start.byteRange
        return all.filter { range.contains($0.pair.key.startOffset) && $0.pair.key.source === start.source }
    }

    /// The keys the rules look for anywhere in a config.
    static let indexedNames: Set<String> = ["deployments", "enable_litellm_fallbacks", "enableLitellmFallbacks", "allow_direct_keys", "allowDirectKeys"]
}

/// A provider create/update body for the REST API (`POST /api/providers`): a document with a
/// `provider` name and provider settings, not a whole config.json.
struct ProviderPayload {
    let root: Node

    static let providerFields: Set<String> = ["network_config", "concurrency_and_buffer_size", "proxy_config", "send_back_raw_response", "custom_provider_config"]

    init?(_ root: Node, fileName: String) {
        guard root.isMapping, root["provider"]?.string != nil, root["keys"] != nil,
              !BifrostConfig.looksLikeConfig(root), root["kind"] == nil else { return nil }
        let keys = Set(root.pairs.map(\.key.keyString))
        guard !keys.isDisjoint(with: Self.providerFields) || fileName.hasSuffix(".json") else { return nil }
        self.root = root
    }
}
