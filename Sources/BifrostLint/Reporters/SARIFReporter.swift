import YAMLSource

/// SARIF 2.1.0 for GitHub code scanning and other viewers, with every rule's metadata.
public struct SARIFReporter: Reporter {
    let rules: [RuleDescription]
    /// `tool.driver.version`.
    let version: String?
    /// The working directory: `%SRCROOT%`, the base of every relative `artifactLocation.uri`
    /// (GitHub code scanning places results by paths relative to the checkout). nil: URIs as
    /// the paths were given.
    let sourceRoot: String?

    public init(rules: [RuleDescription], version: String? = nil, sourceRoot: String? = nil) {
        self.rules = rules
        self.version = version
        self.sourceRoot = sourceRoot
    }

    /// This tool's home, for `informationUri` and each rule's `helpUri`. The project has no
    /// published address yet: this is a placeholder kept in this one place; change it here
    /// when the repository is published. (It used to name Bifrost's repository, which is not
    /// where this tool or its rules are documented.)
    public static let informationURI = "https://github.com/kubectl-bifrost/kubectl-bifrost"
    /// The rule catalogue in the README; every rule's full page is also in `help.markdown`.
    public static let rulesURI = informationURI + "/blob/main/README.md#what-is-checked"
    static let sourceRootID = "%SRCROOT%"

    static func level(_ s: Severity) -> String {
        switch s {
        case .error: return "error"
        case .warning: return "warning"
        case .info: return "note"
        }
    }

    /// A relative URI reference: path segments percent-encoded, slashes kept.
    static func uri(_ path: String) -> String {
        let name = path == "-" ? "stdin" : (path.hasPrefix("./") ? String(path.dropFirst(2)) : path)
        return encode(name)
    }

    /// `artifactLocation`'s uri and uriBaseId: relative to `%SRCROOT%` for a path inside the
    /// source root (given relative or absolute), an absolute `file://` URI outside it.
    func location(_ path: String) -> (uri: String, baseID: String?) {
        guard let root = sourceRoot, path != "-" else { return (Self.uri(path), nil) }
        let absolute = Self.normalized(path.hasPrefix("/") ? path : root + "/" + path)
        let rootNormalized = Self.normalized(root)
        let prefix = rootNormalized == "/" ? "/" : rootNormalized + "/"
        // By bytes: a directory named like the root in another normal form is outside it.
        if let relative = absolute.droppingPrefix(prefix) {
            return (Self.encode(relative), Self.sourceRootID)
        }
        return ("file://" + Self.encode(absolute), nil)
    }

    /// `/a/./b/../c` → `/a/c`, lexically (as the user named the file; links are not resolved).
    static func normalized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    static func encode(_ name: String) -> String {
        var out = ""
        for byte in name.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if c.isASCII && (c.isLetter || c.isNumber || "-._~/".contains(c)) {
                out.append(c)
            } else {
                out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }

    func artifact(_ file: String) -> [(String, String)] {
        let (uri, baseID) = location(file)
        return [("uri", JSON.string(uri))] + (baseID.map { [("uriBaseId", JSON.string($0))] } ?? [])
    }

    /// One result, in `JSON.object`'s layout.
    private static func write(code: UnsafeBufferPointer<UInt8>, ruleIndex: Int?, severity: Severity, message: UnsafeBufferPointer<UInt8>,
                              artifactLocation: String, range: SourceRange, path: UnsafeBufferPointer<UInt8>, to out: ReportSink) {
        out.write("{\"ruleId\":")
        out.write(json: code)
        if let ruleIndex {
            out.write(",\"ruleIndex\":")
            out.write(ruleIndex)
        }
        out.write(",\"level\":")
        out.write(json: level(severity))
        out.write(",\"message\":{\"text\":")
        out.write(json: message)
        out.write("},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":")
        out.write(artifactLocation)
        out.write(",\"region\":{\"startLine\":")
        out.write(range.start.line)
        out.write(",\"startColumn\":")
        out.write(range.start.column)
        out.write(",\"endLine\":")
        out.write(max(range.end.line, range.start.line))
        out.write(",\"endColumn\":")
        out.write(max(range.end.column, range.start.column + (range.end.line > range.start.line ? 0 : 1)))
        out.write("}},\"logicalLocations\":[{\"fullyQualifiedName\":")
        out.write(json: path)
        out.write(",\"kind\":\"member\"}]}]}")
    }

    public func write(_ report: LintReport, to out: ReportSink) {
        // A code listed twice (a library caller's rule list) points at its first listing.
        let ruleIndex = Dictionary(rules.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { first, _ in first })
        let ruleObjects = rules.map { r in
            JSON.object([
                ("id", JSON.string(r.code)),
                ("name", JSON.string(r.name)),
                ("shortDescription", JSON.object([("text", JSON.string(r.summary))])),
                ("fullDescription", JSON.object([("text", JSON.string(r.rationale))])),
                ("help", JSON.object([("text", JSON.string(r.remediation)), ("markdown", JSON.string(RulePage.render(r)))])),
                ("helpUri", JSON.string(Self.rulesURI)),
                ("defaultConfiguration", JSON.object([("level", JSON.string(Self.level(r.severity)))])),
                ("properties", JSON.object([("tags", JSON.array(["\"kubernetes\"", "\"bifrost\""]))])),
            ])
        }
        var driver: [(String, String)] = [("name", JSON.string("kubectl-bifrost"))]
        if let version { driver.append(("version", JSON.string(version))) }
        driver += [
            ("informationUri", JSON.string(Self.informationURI)),
            ("rules", JSON.array(ruleObjects)),
        ]
        var run: [(String, String)] = [("tool", JSON.object([("driver", JSON.object(driver))]))]
        if let root = sourceRoot {
            let normalized = Self.normalized(root)
            let uri = "file://" + Self.encode(normalized == "/" ? "/" : normalized + "/")
            run.append(("originalUriBaseIds", JSON.object([(Self.sourceRootID, JSON.object([("uri", JSON.string(uri))]))])))
        }
        run.append(("columnKind", JSON.string("unicodeCodePoints")))
        // The results come last, written one at a time; what precedes them is the same object
        // JSON.object would make, left open.
        let top = JSON.object([
            ("$schema", JSON.string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", JSON.string("2.1.0")),
            ("runs", "[" + JSON.object(run + [("results", "[]")]) + "]"),
        ])
        out.write(String(top.dropLast("[]}]}".count)))
        out.write("[")
        // Each file's artifactLocation, made once: every finding of a stream names the same file.
        // A compact list is gone through by the string table's ids: a String made and hashed
        // per finding was most of this serial pass.
        let findings = report.findings
        // By the file's bytes: two names that differ only in Unicode normalisation are two files.
        var artifacts: [ExactString: String] = [:]
        var artifactOfFileID: [Int32: String] = [:]
        var ruleOfCodeID: [Int32: Int] = [:]
        // Neighbours share their file, and often their code: each is looked up only when it
        // differs from the last one's.
        var lastFile: Int32 = -1, lastCode: Int32 = -1
        for i in findings.indices {
            if let (c, strings) = findings.compact(at: i) {
                if c.file == lastFile, c.code == lastCode { continue }
                (lastFile, lastCode) = (c.file, c.code)
                if artifactOfFileID[c.file] == nil {
                    let file = ExactString(strings[c.file])
                    if artifacts[file] == nil { artifacts[file] = JSON.object(artifact(file.string)) }
                    artifactOfFileID[c.file] = artifacts[file]
                }
                if ruleOfCodeID[c.code] == nil { ruleOfCodeID[c.code] = ruleIndex[strings[c.code]] ?? -1 }
                continue
            }
            let file = ExactString(findings.file(at: i))
            if artifacts[file] == nil { artifacts[file] = JSON.object(artifact(file.string)) }
        }
        let artifactLocations = artifacts, artifactsByID = artifactOfFileID, rulesByID = ruleOfCodeID
        // A finding's artifact location and rule index: by ids when it is kept compact.
        @Sendable func place(_ n: Int) -> (artifact: String, rule: Int?) {
            if let (c, _) = findings.compact(at: n) {
                let rule = rulesByID[c.code] ?? -1
                return (artifactsByID[c.file]!, rule >= 0 ? rule : nil)
            }
            return (artifactLocations[ExactString(findings.file(at: n))]!, ruleIndex[findings.code(at: n)])
        }
        // Each result written in pieces straight to the sinks, on every core, in `JSON.object`'s
        // layout: a stream of old releases has 80,000.
        out.writeEach(count: findings.count) { n, out in
            if n > 0 { out.write(byte: 0x2C) }
            let (artifact, rule) = place(n)
            findings.withTexts(at: n) { t in
                Self.write(code: t.code, ruleIndex: rule, severity: t.severity, message: t.message,
                           artifactLocation: artifact, range: t.range, path: t.path, to: out)
            }
        }
        out.write("]}]}\n")
    }
}
