#!/usr/bin/env python3
"""Helm release records made from the real Bifrost charts, linted as records and through the real
kubectl (issue 16).

Reads the unmodified charts in ../shared/real-charts (skipped with one line and exit 0 when
absent) and renders, with Helm's own Go code (helm-python-sdk), release gw in namespace llm of
bifrost-2.1.9, 2.1.13, 2.1.14 and 2.1.16 for three user values each:

  default-tagged        the chart's defaults plus image.tag (the one value it insists on)
  cluster-statefulset   bifrost.cluster.enabled with Kubernetes discovery, 3 replicas: a StatefulSet
  example-providers     values-examples/providers-and-virtual-keys.yaml (plus image.tag)

Records. Each rendering (a `helm template`-style stream: Helm's install order, `---` and
`# Source:` per manifest, which is what Helm stores as `manifest`) and its user values (`config`)
become a release JSON as Go's encoding/json writes Helm's release (sorted map keys, `<>&`
escaped as \\u003c…), with `chart.metadata` from the chart's Chart.yaml and `info.status:
deployed`. It is encoded as each storage driver does: the Secret driver gzips it, base64-encodes
it into `data.release` and the Secret's data adds its own base64 (written as `kubectl get -o
yaml` prints it); the ConfigMap driver keeps the gzip+base64 string (written as `kubectl get -o
json` prints it). `kubectl-bifrost lint -o json` on the record must give, for its three decoded
files, what linting the same texts directly gives (Chart.yaml, values.yaml and the manifest in one
run):
  chart     the same codes and YAML paths (the record's chart text is name/version/appVersion only)
  values    the same codes, YAML paths and line:column…endLine:endColumn, the values written as the
            tool writes them for the virtual file (its `compose` emitter; the header line dropped);
            and the same codes and YAML paths as the user's values file linted as the user wrote it
  manifest  the same codes, YAML paths and positions in the stored text
and no finding on the record itself; the JSON "releases" row counts them.

Cluster. `lint --cluster` runs the real kubectl (skipped in one line when there is none) against
a loopback HTTP server started here that answers the GET requests kubectl makes (/version,
legacy discovery /api, /apis, /api/v1, /apis/apps/v1, /apis/networking.k8s.io/v1, and the lists of
secrets, configmaps, statefulsets, deployments, services and networkpolicies, with label and field
selectors applied) from recorded responses built from the same renderings: one release per chart
in its own namespace (Secret driver for 2.1.14 and 2.1.16, ConfigMap driver for 2.1.9 and 2.1.13,
and a superseded revision before the deployed one), plus the rendered objects as the API would hold
them (namespace set, stringData folded into data). The kubeconfig points at
http://127.0.0.1:PORT; no other network. It checks, for -A and for -n NS: the chart and values
findings of each release equal those of its record linted from a file, the live objects' codes
equal those of the manifest's served objects linted directly, one "releases" row per deployed
release, the superseded revision skipped, and every request kubectl made was one the server knows.

Prints one line per check, then "N passed, M failed"; exits 1 on a failure. The binary is
$KUBECTL_BIFROST or .build/debug/kubectl-bifrost. Usage: scripts/release-conformance.py [-v] [--keep DIR]
"""
import argparse
import base64
import copy
import gzip
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from realcharts import BINARY, CHARTS, helm, load_yaml  # noqa: E402
from conformance import CLUSTER, merge, render_stream  # noqa: E402

CHART_DIRS = ["bifrost-2.1.9", "bifrost-2.1.13", "bifrost-2.1.14", "bifrost-2.1.16"]
RELEASE, NAMESPACE = "gw", "llm"
EXAMPLE = "providers-and-virtual-keys.yaml"
# What `lint --cluster` asks for besides the records (ClusterFetcher.objectKinds and Secrets).
LIVE_KINDS = {"StatefulSet": ("apps/v1", "statefulsets"), "Deployment": ("apps/v1", "deployments"),
              "Service": ("v1", "services"), "NetworkPolicy": ("networking.k8s.io/v1", "networkpolicies"),
              "ConfigMap": ("v1", "configmaps"), "Secret": ("v1", "secrets")}


# ---------------------------------------------------------------------------------------------
# Release records as Helm writes them

def go_json(obj):
    """encoding/json's output: map keys sorted, no spaces, UTF-8 as is, <>& and U+2028/9 escaped."""
    text = json.dumps(obj, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def release_json(meta, config, manifest, revision=1, status="deployed", namespace=NAMESPACE):
    return go_json({
        "name": RELEASE, "namespace": namespace, "version": revision,
        "info": {"first_deployed": "2025-11-03T09:12:44.123456789Z", "last_deployed": "2025-11-28T10:00:00.5Z",
                 "deleted": "", "description": "Upgrade complete" if revision > 1 else "Install complete",
                 "status": status},
        "chart": {"metadata": {"name": meta["name"], "version": str(meta["version"]),
                               "appVersion": str(meta.get("appVersion", "")), "apiVersion": meta.get("apiVersion", "v2"),
                               "description": meta.get("description", ""), "type": meta.get("type", "application")},
                  "lock": None, "templates": [], "values": {}, "schema": None, "files": []},
        "config": config,
        "manifest": manifest,
        "hooks": [],
    })


def helm_encode(text):
    """storage/driver/util.go encodeRelease: gzip (best compression), standard base64."""
    return base64.b64encode(gzip.compress(text.encode(), compresslevel=9, mtime=0)).decode()


def record_object(driver, payload, revision, status, namespace=NAMESPACE):
    """The record as the API holds it (the Secret's data is base64 once more)."""
    name = f"sh.helm.release.v1.{RELEASE}.v{revision}"
    labels = {"owner": "helm", "name": RELEASE, "status": status, "version": str(revision),
              "createdAt": "1762161164", "modifiedAt": "1764324000"}
    meta = {"name": name, "namespace": namespace, "labels": labels, "resourceVersion": str(1000 + revision),
            "uid": f"0f4c2a3e-5b6d-4e7f-8a9b-{revision:012d}", "creationTimestamp": "2025-11-03T09:12:44Z"}
    if driver == "Secret":
        return {"apiVersion": "v1", "kind": "Secret", "type": "helm.sh/release.v1", "metadata": meta,
                "data": {"release": base64.b64encode(payload.encode()).decode()}}
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": {"release": payload}}


def block_yaml(obj, indent=0):
    """Block-style YAML (what kubectl -o yaml and hand-written values look like), scalars and
    keys written as JSON strings where YAML would read them otherwise; PyYAML is not needed."""
    pad = " " * indent
    def scalar(v):
        if isinstance(v, str):
            return v if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_./-]*", v) and v.lower() not in (
                "true", "false", "yes", "no", "on", "off", "null", "y", "n", "~") else json.dumps(v)
        return json.dumps(v)
    out = []
    if isinstance(obj, dict):
        if not obj:
            return pad + "{}\n"
        for k, v in obj.items():
            if isinstance(v, (dict, list)) and v:
                out.append(f"{pad}{scalar(k)}:\n" + block_yaml(v, indent + 2))
            else:
                out.append(f"{pad}{scalar(k)}: {scalar(v) if not isinstance(v, (dict, list)) else json.dumps(v)}\n")
    else:
        for v in obj:
            if isinstance(v, (dict, list)) and v:
                inner = block_yaml(v, indent + 2)
                out.append(f"{pad}- " + inner[indent + 2:])
            else:
                out.append(f"{pad}- {scalar(v) if not isinstance(v, (dict, list)) else json.dumps(v)}\n")
    return "".join(out)


def write_record(path, obj):
    """A Secret as `kubectl get -o yaml` prints it, a ConfigMap as `-o json` does."""
    with open(path, "w") as f:
        if obj["kind"] == "Secret":
            f.write(block_yaml(obj))
        else:
            json.dump(obj, f, indent=4, sort_keys=True)
            f.write("\n")


# ---------------------------------------------------------------------------------------------
# Linting

def lint(paths, workdir, extra=(), env=None):
    """kubectl-bifrost's JSON report (run away from any .kubectl-bifrost.yaml)."""
    proc = subprocess.run([BINARY, "lint", "-o", "json", "--fail-on", "none", *extra, *paths],
                          capture_output=True, text=True, cwd=workdir, env=env)
    try:
        report = json.loads(proc.stdout)
    except ValueError:
        msg = (proc.stderr.strip() or proc.stdout.strip() or "no output").splitlines()[-1]
        raise RuntimeError(f"lint exited {proc.returncode}: {msg}")
    report["stderr"] = proc.stderr
    return report


def keys(findings, positions=True):
    out = set()
    for f in findings:
        k = (f["code"], f["path"])
        if positions:
            k += (f"{f['line']}:{f['column']}-{f['endLine']}:{f['endColumn']}",)
        out.add(k)
    return out


def emitted_values(config, workdir):
    """The values as the tool writes them for `release …: values` (Emitter, via compose)."""
    src = os.path.join(workdir, "config.json")
    with open(src, "w") as f:
        f.write(go_json(config))
    proc = subprocess.run([BINARY, "compose", "--values", src, "--no-lint"], capture_output=True, text=True, cwd=workdir)
    if proc.returncode != 0:
        raise RuntimeError(f"compose failed: {proc.stderr.strip()}")
    lines = proc.stdout.splitlines(keepends=True)
    assert lines[0].startswith("# Composed by"), lines[0]
    return "".join(lines[1:]) or "{}\n"


class Checks:
    def __init__(self, verbose):
        self.passed, self.failed, self.verbose = 0, 0, verbose

    def check(self, label, problems):
        if problems:
            self.failed += 1
            print(f"FAIL {label}")
            for p in problems[:12]:
                print(f"     {p}")
        else:
            self.passed += 1
            print(f"ok   {label}")


def differ(what, got, want):
    out = []
    for k in sorted(got - want):
        out.append(f"{what}: record only: {' '.join(k)}")
    for k in sorted(want - got):
        out.append(f"{what}: direct only: {' '.join(k)}")
    return out


# ---------------------------------------------------------------------------------------------
# Renderings

def chart_meta(chart_dir):
    with open(os.path.join(chart_dir, "Chart.yaml")) as f:
        return load_yaml(f.read())


def cases(chart_dir, meta):
    tag = {"image": {"tag": f"v{meta['appVersion']}"}}
    with open(os.path.join(chart_dir, "values-examples", EXAMPLE)) as f:
        example = helm.values_from_yaml(f.read()) or {}
    return [("default-tagged", tag), ("cluster-statefulset", merge(tag, CLUSTER)), ("example-providers", merge(tag, example))]


def render(chart, values, namespace=NAMESPACE):
    rendered = chart.render(values, name=RELEASE, namespace=namespace)
    text, index = render_stream(rendered)
    return text, [obj for _, obj in index]


def record_check(checks, label, chart_dir, meta, config, manifest, driver, workdir):
    """One record against the direct lint of its texts; returns the record's findings by part."""
    case_dir = tempfile.mkdtemp(dir=workdir)
    payload = helm_encode(release_json(meta, config, manifest))
    record = os.path.join(case_dir, "record.yaml" if driver == "Secret" else "record.json")
    write_record(record, record_object(driver, payload, 1, "deployed"))
    report = lint([record], case_dir)
    prefix = f"release {NAMESPACE}/{RELEASE} rev 1: "
    parts = {"chart": [], "values": [], "manifest": []}
    problems = []
    for f in report["findings"]:
        part = f["file"][len(prefix):] if f["file"].startswith(prefix) else None
        if part not in parts:
            problems.append(f"a finding outside the decoded files: {f['file']}:{f['line']} {f['code']} {f['message'][:100]}")
            continue
        parts[part].append(f)
        if f"from {driver} {NAMESPACE}/sh.helm.release.v1.{RELEASE}.v1 ({record}:" not in f["message"]:
            problems.append(f"{f['code']} does not name the record: {f['message'][-160:]}")

    # Direct: the real Chart.yaml, the values as the tool writes them, the manifest as stored.
    direct_dir = os.path.join(case_dir, "direct")
    os.makedirs(direct_dir)
    shutil.copy(os.path.join(chart_dir, "Chart.yaml"), direct_dir)
    with open(os.path.join(direct_dir, "values.yaml"), "w") as f:
        f.write(emitted_values(config, case_dir))
    with open(os.path.join(direct_dir, "manifest.yaml"), "w") as f:
        f.write(manifest)
    direct = lint(["Chart.yaml", "values.yaml", "manifest.yaml"], direct_dir)
    by_file = {name: [f for f in direct["findings"] if f["file"] == name] for name in ("Chart.yaml", "values.yaml", "manifest.yaml")}
    problems += differ("chart", keys(parts["chart"], positions=False), keys(by_file["Chart.yaml"], positions=False))
    problems += differ("values", keys(parts["values"]), keys(by_file["values.yaml"]))
    problems += differ("manifest", keys(parts["manifest"]), keys(by_file["manifest.yaml"]))

    # The values as the user wrote them (block YAML in their own order): same codes and paths.
    user_dir = os.path.join(case_dir, "user")
    os.makedirs(user_dir)
    shutil.copy(os.path.join(chart_dir, "Chart.yaml"), user_dir)
    with open(os.path.join(user_dir, "values.yaml"), "w") as f:
        f.write(block_yaml(config))
    user = lint(["Chart.yaml", "values.yaml"], user_dir)
    problems += differ("values as written by the user", keys(parts["values"], positions=False),
                       keys([f for f in user["findings"] if f["file"] == "values.yaml"], positions=False))

    rows = report.get("releases") or []
    counts = {sev: sum(1 for f in report["findings"] if f["severity"] == sev) for sev in ("error", "warning", "info")}
    want_row = {"namespace": NAMESPACE, "release": RELEASE, "revision": 1, "chartVersion": str(meta["version"]),
                "errors": counts["error"], "warnings": counts["warning"], "infos": counts["info"],
                "fixable": sum(1 for f in report["findings"] if f["fixable"])}
    if [{k: r[k] for k in want_row} for r in rows] != [want_row]:
        problems.append(f"releases: {rows} != [{want_row}]")
    n = {k: len(v) for k, v in parts.items()}
    checks.check(f"{label} {driver}: {n['chart']} chart, {n['values']} values, {n['manifest']} manifest findings", problems)
    return parts


# ---------------------------------------------------------------------------------------------
# A loopback API server for the real kubectl

def resource(name, kind, short=()):
    return {"name": name, "singularName": kind.lower(), "namespaced": True, "kind": kind,
            "verbs": ["get", "list", "watch"], "shortNames": list(short)}


def discovery():
    group = lambda name: {"name": name, "versions": [{"groupVersion": f"{name}/v1", "version": "v1"}],
                          "preferredVersion": {"groupVersion": f"{name}/v1", "version": "v1"}}
    return {
        # kubectl asks for the server's version when it writes its discovery cache.
        "/version": {"major": "1", "minor": "32", "gitVersion": "v1.32.4", "platform": "linux/amd64"},
        "/api": {"kind": "APIVersions", "versions": ["v1"],
                 "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1:6443"}]},
        "/apis": {"kind": "APIGroupList", "apiVersion": "v1", "groups": [group("apps"), group("networking.k8s.io")]},
        "/api/v1": {"kind": "APIResourceList", "groupVersion": "v1", "resources": [
            resource("configmaps", "ConfigMap", ["cm"]), resource("secrets", "Secret"),
            resource("services", "Service", ["svc"]), resource("namespaces", "Namespace", ["ns"])]},
        "/apis/apps/v1": {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "apps/v1", "resources": [
            resource("deployments", "Deployment", ["deploy"]), resource("statefulsets", "StatefulSet", ["sts"])]},
        "/apis/networking.k8s.io/v1": {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "networking.k8s.io/v1",
                                       "resources": [resource("networkpolicies", "NetworkPolicy", ["netpol"])]},
    }


def selector_matches(selector, fields):
    """A label or field selector: comma-separated k=v, k==v, k!=v, k (exists), !k."""
    for term in filter(None, (selector or "").split(",")):
        m = re.match(r"^(!?)([^=!]+?)\s*(?:(!=|==|=)\s*(.*))?$", term.strip())
        neg, key, op, value = m.groups()
        have = fields.get(key)
        if op is None:
            if (have is None) != bool(neg):
                return False
        elif op == "!=":
            if have == value:
                return False
        elif have != value:
            return False
    return True


class APIServer:
    """Answers kubectl's GETs from recorded objects; anything else is a 404 Status, and noted."""

    def __init__(self, objects):
        self.objects = objects  # as the API holds them (kind and apiVersion set)
        self.docs = discovery()
        self.requests, self.unknown = [], []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                status, body = server.answer(self.path)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def answer(self, raw):
        url = urllib.parse.urlsplit(raw)
        query = urllib.parse.parse_qs(url.query)
        self.requests.append(raw)
        if url.path in self.docs:
            return 200, self.docs[url.path]
        m = re.match(r"^/(?:api/v1|apis/(apps|networking\.k8s\.io)/v1)(?:/namespaces/([^/]+))?/([a-z]+)$", url.path)
        plural = m and m.group(3)
        kind = next((k for k, (gv, p) in LIVE_KINDS.items() if p == plural and gv.startswith(m.group(1) or "v1")), None) if m else None
        if not kind:
            self.unknown.append(raw)
            return 404, {"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "NotFound",
                         "message": f"the server could not find the requested resource ({url.path})", "code": 404}
        namespace = m.group(2)
        items = []
        for obj in self.objects:
            meta = obj["metadata"]
            if obj["kind"] != kind or (namespace and meta.get("namespace") != namespace):
                continue
            fields = {"metadata.name": meta["name"], "metadata.namespace": meta.get("namespace")}
            if kind == "Secret":
                fields["type"] = obj.get("type", "Opaque")
            if not selector_matches(query.get("labelSelector", [""])[0], meta.get("labels") or {}):
                continue
            if not selector_matches(query.get("fieldSelector", [""])[0], fields):
                continue
            item = copy.deepcopy(obj)
            # A list's items carry no kind or apiVersion on the wire.
            item.pop("kind")
            item.pop("apiVersion")
            items.append(item)
        gv = LIVE_KINDS[kind][0]
        return 200, {"kind": f"{kind}List", "apiVersion": gv, "metadata": {"resourceVersion": "4242"}, "items": items}


def as_stored(obj, namespace):
    """A rendered object as the API returns it: namespace set, a Secret's stringData in data."""
    obj = copy.deepcopy(obj)
    meta = obj.setdefault("metadata", {})
    meta["namespace"] = namespace
    meta.setdefault("uid", f"uid-{obj['kind'].lower()}-{meta.get('name')}")
    meta.setdefault("resourceVersion", "1")
    labels = meta.setdefault("labels", {})
    if obj["kind"] == "Secret":
        obj.setdefault("type", "Opaque")
        data = obj.setdefault("data", {}) or {}
        for k, v in (obj.pop("stringData", None) or {}).items():
            data[k] = base64.b64encode(str(v).encode()).decode()
        obj["data"] = data
    labels.setdefault("app.kubernetes.io/managed-by", "Helm")
    return obj


def cluster_checks(checks, releases, workdir, verbose):
    """releases: (namespace, driver, records [(payload, revision, status)], objects, chart findings,
    values findings, manifest-of-served-objects codes, chart version)."""
    kubectl = shutil.which("kubectl")
    if not kubectl:
        print("cluster: no kubectl on PATH; the --cluster checks against a loopback API server are skipped")
        return
    objects = []
    for ns, driver, records, rendered, *_ in releases:
        objects += [record_object(driver, payload, rev, status, ns) for payload, rev, status in records]
        objects += [as_stored(o, ns) for o in rendered if o.get("kind") in LIVE_KINDS]
    home = tempfile.mkdtemp(dir=workdir)
    with APIServer(objects) as server:
        kubeconfig = os.path.join(home, "kubeconfig")
        with open(kubeconfig, "w") as f:
            f.write(f"""apiVersion: v1
kind: Config
clusters:
- name: loopback
  cluster:
    server: http://127.0.0.1:{server.port}
contexts:
- name: loopback
  context:
    cluster: loopback
    user: nobody
    namespace: default
current-context: loopback
users:
- name: nobody
  user: {{}}
""")
        # kubectl's discovery cache under a fresh HOME; no proxy for the loopback address.
        env = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "https_proxy", "all_proxy", "kubeconfig")}
        env.update({"HOME": home, "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1", "KUBECACHEDIR": os.path.join(home, "cache")})
        if verbose:
            proc = subprocess.run([kubectl, "--kubeconfig", kubeconfig, "get", "secrets", "-A", "-l", "owner=helm", "-o", "json", "-v=8"],
                                  capture_output=True, text=True, env=env)
            print("\n".join(l for l in proc.stderr.splitlines() if "GET " in l))
            shutil.rmtree(os.path.join(home, "cache"), ignore_errors=True)
        for scope in (["-A"], ["-n", releases[-1][0]]):
            label = f"cluster {' '.join(scope)}"
            server.requests.clear()
            chosen = releases if scope == ["-A"] else releases[-1:]
            try:
                report = lint([], home, ["--cluster", "--kubeconfig", kubeconfig, *scope], env=env)
            except RuntimeError as err:
                checks.check(label, [str(err)])
                continue
            problems = [f"kubectl asked for an unrecorded path: {p}" for p in server.unknown]
            server.unknown.clear()
            found = report["findings"]
            rows = report.get("releases") or []
            if [(r["namespace"], r["revision"], r["chartVersion"]) for r in rows] != \
                    sorted((ns, max(rev for _, rev, st in recs if st == "deployed"), ver) for ns, _, recs, _, _, _, _, ver in chosen):
                problems.append(f"releases rows: {[(r['namespace'], r['revision'], r['chartVersion']) for r in rows]}")
            superseded = [f"{ns}/{RELEASE} rev {rev} superseded" for ns, _, recs, *_ in chosen for _, rev, st in recs if st != "deployed"]
            if superseded and f"skipped {len(superseded)} Bifrost release record" not in report["stderr"]:
                problems.append(f"superseded revisions not reported as skipped: {report['stderr'].strip()[:200]}")
            files = {f["file"] for f in found}
            for ns, _, recs, _, chart_f, values_f, live_codes, _ in chosen:
                rev = max(r for _, r, st in recs if st == "deployed")
                prefix = f"release {ns}/{RELEASE} rev {rev}: "
                got = lambda part: [f for f in found if f["file"] == prefix + part]
                problems += differ(f"{ns} chart", keys(got("chart"), positions=False), keys(chart_f, positions=False))
                problems += differ(f"{ns} values", keys(got("values")), keys(values_f))
                if got("manifest"):
                    problems.append(f"{ns}: the manifest was linted in --cluster mode")
                live = {f["code"] for f in found if f["file"] in (f"cluster {ns}: live objects", f"cluster {ns}: live Secrets")}
                problems += differ(f"{ns} live objects (codes)", {(c,) for c in live}, {(c,) for c in live_codes})
                row = next((r for r in rows if r["namespace"] == ns), None)
                own = [f for f in found if f["file"].startswith(prefix)]
                if row and row["errors"] + row["warnings"] + row["infos"] != len(own):
                    problems.append(f"{ns}: row counts {row} but {len(own)} findings")
            known = {f"release {ns}/{RELEASE} rev {max(r for _, r, st in recs if st == 'deployed')}: {p}"
                     for ns, _, recs, *_ in chosen for p in ("chart", "values")} | \
                {f"cluster {ns}: live {w}" for ns, *_ in chosen for w in ("objects", "Secrets")}
            problems += [f"a finding in an unexpected file: {name}" for name in sorted(files - known)]
            paths = sorted({urllib.parse.urlsplit(p).path for p in server.requests})
            if verbose:
                print("     kubectl asked for: " + ", ".join(paths))
            checks.check(f"{label}: real kubectl, {len(server.requests)} requests ({len(paths)} paths), "
                         f"{len(rows)} releases, {len(found)} findings", problems)


# ---------------------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("--keep", help="write the records and renderings under DIR and keep them")
    args = parser.parse_args()
    if not os.path.isdir(CHARTS):
        print("release-conformance: ../shared/real-charts not found; skipped")
        return 0
    if not os.access(BINARY, os.X_OK):
        print(f"release-conformance: {BINARY} not built (swift build)")
        return 1
    workdir = args.keep or tempfile.mkdtemp(prefix="release-conformance-")
    os.makedirs(workdir, exist_ok=True)
    checks = Checks(args.verbose)
    cluster = []
    try:
        for n, name in enumerate(CHART_DIRS):
            chart_dir = os.path.join(CHARTS, name)
            if not os.path.isdir(chart_dir):
                checks.check(f"{name}: present", [f"{chart_dir} is missing"])
                continue
            meta = chart_meta(chart_dir)
            chart = helm.Chart.load(chart_dir)
            rendered_cases = {}
            for case, values in cases(chart_dir, meta):
                label = f"{name} {case}"
                try:
                    manifest, objs = render(chart, values)
                except helm.HelmError as err:
                    checks.check(f"{label}: rendered", [f"Helm refused it: {str(err).splitlines()[0]}"])
                    continue
                rendered_cases[case] = (values, manifest)
                for driver in ("Secret", "ConfigMap"):
                    record_check(checks, label, chart_dir, meta, values, manifest, driver, workdir)
            # The cluster: this chart's StatefulSet release in its own namespace, after a
            # superseded first revision with the defaults.
            if "cluster-statefulset" in rendered_cases and "default-tagged" in rendered_cases:
                ns = "llm-" + str(meta["version"]).replace(".", "-")
                values, _ = rendered_cases["cluster-statefulset"]
                manifest, objs = render(chart, values, namespace=ns)
                old_values, _ = rendered_cases["default-tagged"]
                old_manifest, _ = render(chart, old_values, namespace=ns)
                driver = "Secret" if n >= 2 else "ConfigMap"
                records = [(helm_encode(release_json(meta, old_values, old_manifest, 1, "superseded", ns)), 1, "superseded"),
                           (helm_encode(release_json(meta, values, manifest, 2, "deployed", ns)), 2, "deployed")]
                # Expected: the record read from a file (chart, values) and the served objects
                # of the manifest linted directly (codes).
                case_dir = tempfile.mkdtemp(dir=workdir)
                record = os.path.join(case_dir, "record.yaml")
                write_record(record, record_object(driver, records[1][0], 2, "deployed", ns))
                from_file = lint([record], case_dir)["findings"]
                prefix = f"release {ns}/{RELEASE} rev 2: "
                served = os.path.join(case_dir, "served.json")
                with open(served, "w") as f:
                    json.dump({"apiVersion": "v1", "kind": "List",
                               "items": [as_stored(o, ns) for o in objs if o.get("kind") in LIVE_KINDS]}, f, indent=4)
                live_codes = {f["code"] for f in lint([served], case_dir)["findings"]}
                cluster.append((ns, driver, records, objs,
                                [f for f in from_file if f["file"] == prefix + "chart"],
                                [f for f in from_file if f["file"] == prefix + "values"],
                                live_codes, str(meta["version"])))
        if cluster:
            cluster_checks(checks, cluster, workdir, args.verbose)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"{checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
