#!/usr/bin/env python3
"""Conformance test of kubectl-bifrost against the real Bifrost Helm charts.

Reads the unmodified upstream charts in ../shared/real-charts (relative to the repository root;
skipped with one line and exit 0 when absent) and, for every renderable chart, renders these
cases with Helm's own Go code (helm-python-sdk, which also enforces values.schema.json):

  default                  the chart's values as shipped (the charts refuse: image.tag is required)
  default-tagged           the defaults plus image.tag, the one value the chart insists on
  example-<name>           each values-examples/<name>.yaml, as `helm template -f` would use it
  cluster-statefulset      bifrost.cluster.enabled with Kubernetes discovery, 3 replicas, sqlite
                           storage: the chart renders a StatefulSet and a headless Service
  cluster-deployment       the same with storage.mode: postgres and the bundled Postgres:
                           a Deployment and no headless Service
  cluster-<store>          the StatefulSet cluster plus a bundled vector store (qdrant,
                           weaviate, redis) and the semantic cache plugin that uses it

Every case except `default` gets image.tag v<appVersion> beneath its own values (an example
that sets a tag keeps it). Cases Helm refuses are recorded with its error message, not skipped.
Each rendering is written as a `helm template`-style stream (`---` / `# Source:` per manifest,
Helm's install order; release gw, namespace llm-gateway) and linted with
`kubectl-bifrost lint -o json`, run from the temporary directory so that no .kubectl-bifrost.yaml
settings apply. Each finding is recorded as
"<code> <Kind>/<name>" of the manifest its line falls in. Each values file (values.yaml and the
examples, and the values-only 2.1.30 chart) is linted as is and recorded as "<code> <yaml path>".

The findings of each case must equal, as a set, the table in
charts-fixtures/conformance/expected.json; `--update` rewrites that table from this run.
Two invariants are checked whatever the table says:
  1. no finding lands on a bundled store: a workload none of whose containers runs the Bifrost
     gateway image (postgres, redis, qdrant, weaviate), or a Service that selects only such pods;
  2. for charts >= 2.1.14, a rendering with a StatefulSet has no BF1xx/BF2xx finding at all.

Prints one line per case, the invariant violations, then "N passed, M failed"; exits 1 when a case
differs from the table or breaks an invariant. The binary is $KUBECTL_BIFROST or
.build/debug/kubectl-bifrost. Usage: scripts/conformance.py [--update] [-v] [--keep DIR]
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

from realcharts import BINARY, CHARTS, ROOT, helm, load_yaml

EXPECTED = os.path.join(ROOT, "charts-fixtures", "conformance", "expected.json")
RENDERABLE = ["bifrost-2.1.9", "bifrost-2.1.13", "bifrost-2.1.14", "bifrost-2.1.16"]
VALUES_ONLY = ["bifrost-2.1.30-values"]
RELEASE, NAMESPACE = "gw", "llm-gateway"

CLUSTER = {"replicaCount": 3, "bifrost": {"cluster": {"enabled": True, "discovery": {
    "enabled": True, "type": "kubernetes",
    "k8sLabelSelector": f"app.kubernetes.io/instance={RELEASE},app.kubernetes.io/component=server"}}}}
POSTGRES = {"storage": {"mode": "postgres"}, "postgresql": {"enabled": True}}


def vector_store(kind):
    """A bundled vector store plus the semantic cache that needs it (it refuses to render
    without config.keys unless dimension is 1)."""
    return {"vectorStore": {"enabled": True, "type": kind, kind: {"enabled": True}},
            "bifrost": {"plugins": {"semanticCache": {"enabled": True, "config": {
                "provider": "openai", "keys": ["env.OPENAI_API_KEY"], "dimension": 1536}}}}}


def merge(a, b):
    """b over a: maps merge, everything else replaces (Helm's -f merging)."""
    out = dict(a)
    for k, v in b.items():
        out[k] = merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


# Helm's releaseutil.InstallOrder, which `helm template` sorts its output by.
INSTALL_ORDER = """PriorityClass Namespace NetworkPolicy ResourceQuota LimitRange PodSecurityPolicy
PodDisruptionBudget ServiceAccount Secret SecretList ConfigMap StorageClass PersistentVolume
PersistentVolumeClaim CustomResourceDefinition ClusterRole ClusterRoleList ClusterRoleBinding
ClusterRoleBindingList Role RoleList RoleBinding RoleBindingList Service DaemonSet Pod
ReplicationController ReplicaSet Deployment HorizontalPodAutoscaler StatefulSet Job CronJob
IngressClass Ingress APIService MutatingWebhookConfiguration ValidatingWebhookConfiguration""".split()


def one_line(err):
    """Helm's message, first line; a schema error's first line is only a header, so the
    violations that follow it are appended."""
    lines = [l.strip() for l in str(err).splitlines() if l.strip()] or [type(err).__name__]
    return " ".join(lines) if lines[0].endswith(":") else lines[0]


def render_stream(rendered):
    """helm template's output: manifests in install order, each under `---` / `# Source:`.
    Returns the text and the documents as (first line, parsed object)."""
    docs = []
    for source, text in rendered.items():
        if source.endswith("NOTES.txt"):
            continue
        for body in re.split(r"(?m)^---\s*$", text):
            obj = load_yaml(body) if body.strip() else None
            if isinstance(obj, dict) and obj:
                kind = obj.get("kind", "")
                order = INSTALL_ORDER.index(kind) if kind in INSTALL_ORDER else len(INSTALL_ORDER)
                docs.append((order, source, obj.get("metadata", {}).get("name", ""), body.strip("\n"), obj))
    docs.sort(key=lambda d: d[:3])
    out, index, line = [], [], 1
    for _, source, _, body, obj in docs:
        chunk = f"---\n# Source: {source}\n{body}\n"
        index.append((line, obj))
        out.append(chunk)
        line += chunk.count("\n")
    return "".join(out), index


def containers(obj):
    spec = (obj.get("spec") or {})
    pod = (spec.get("template") or {}).get("spec") or (spec if obj.get("kind") == "Pod" else {})
    return (pod.get("containers") or []) + (pod.get("initContainers") or [])


def is_gateway_image(image):
    """docker.io/maximhq/bifrost:v1.5.0 is the gateway; postgres:16-alpine, qdrant/qdrant:… are not."""
    name = (image or "").split("@")[0].rsplit("/", 1)[-1]
    return name.split(":")[0] == "bifrost"


def store_objects(index):
    """Names ("Kind/name") of the bundled stores: workloads that run no gateway container, and
    Services whose selector matches only such workloads' pods."""
    stores, pods = set(), []
    for _, obj in index:
        cs = containers(obj)
        if cs:
            name = f"{obj['kind']}/{obj['metadata']['name']}"
            store = not any(is_gateway_image(c.get("image")) for c in cs)
            if store:
                stores.add(name)
            labels = (((obj.get("spec") or {}).get("template") or {}).get("metadata") or {}).get("labels") \
                or obj["metadata"].get("labels") or {}
            pods.append((labels, store))
    for _, obj in index:
        selector = (obj.get("spec") or {}).get("selector") if obj.get("kind") == "Service" else None
        if selector:
            matched = [store for labels, store in pods if selector.items() <= labels.items()]
            if matched and all(matched):
                stores.add(f"Service/{obj['metadata']['name']}")
    return stores


def lint(path, workdir):
    """kubectl-bifrost's JSON findings for one file (run away from any .kubectl-bifrost.yaml)."""
    proc = subprocess.run([BINARY, "lint", "-o", "json", "--fail-on", "none", path],
                          capture_output=True, text=True, cwd=workdir)
    try:
        return json.loads(proc.stdout)["findings"]
    except (ValueError, KeyError):
        msg = (proc.stderr.strip() or proc.stdout.strip() or "no output").splitlines()[0]
        return [{"code": f"EXIT{proc.returncode}", "path": msg, "line": 0}]


def object_at(index, line):
    obj = None
    for start, candidate in index:
        if start <= line:
            obj = candidate
    if obj is None:
        return "?"
    return f"{obj.get('kind', '?')}/{(obj.get('metadata') or {}).get('name', '?')}"


def version(chart_dir):
    with open(os.path.join(chart_dir, "Chart.yaml")) as f:
        meta = load_yaml(f.read())
    nums = re.findall(r"\d+", str(meta["version"]))[:3]
    return tuple(int(n) for n in nums), str(meta.get("appVersion", ""))


def render_cases(chart_dir, app_version):
    """(case name, user values) in a stable order."""
    tag = {"image": {"tag": f"v{app_version}"}}
    cases = [("default", {}), ("default-tagged", tag)]
    for path in sorted(glob.glob(os.path.join(chart_dir, "values-examples", "*.yaml"))):
        with open(path) as f:
            example = helm.values_from_yaml(f.read()) or {}
        cases.append((f"example-{os.path.basename(path)[:-5]}", merge(tag, example)))
    cluster = merge(tag, CLUSTER)
    cases += [("cluster-statefulset", cluster), ("cluster-deployment", merge(cluster, POSTGRES))]
    cases += [(f"cluster-{kind}", merge(cluster, vector_store(kind))) for kind in ("qdrant", "weaviate", "redis")]
    return cases


def run_chart(chart, outdir, workdir, results, violations):
    chart_dir = os.path.join(CHARTS, chart)
    ver, app_version = version(chart_dir)
    table = results.setdefault(chart, {})
    values_files = [os.path.join(chart_dir, "values.yaml")] + \
        sorted(glob.glob(os.path.join(chart_dir, "values-examples", "*.yaml")))
    for path in values_files:
        findings = lint(path, workdir)
        table["values:" + os.path.relpath(path, chart_dir)] = {"findings": sorted(
            {f"{f['code']} {f.get('path') or 'line ' + str(f.get('line'))}" for f in findings})}
    if chart not in RENDERABLE:
        return
    loaded = helm.Chart.load(chart_dir)
    os.makedirs(os.path.join(outdir, chart), exist_ok=True)
    for case, values in render_cases(chart_dir, app_version):
        key = "render:" + case
        try:
            rendered = loaded.render(values, name=RELEASE, namespace=NAMESPACE)
        except helm.HelmError as err:
            table[key] = {"refused": one_line(err)}
            continue
        text, index = render_stream(rendered)
        path = os.path.join(outdir, chart, case + ".yaml")
        with open(path, "w") as f:
            f.write(text)
        found = [(f["code"], object_at(index, f.get("line", 0))) for f in lint(path, workdir)]
        table[key] = {"findings": sorted({f"{code} {obj}" for code, obj in found})}
        stores = store_objects(index)
        statefulset = any(obj.get("kind") == "StatefulSet" for _, obj in index)
        for code, obj in sorted(set(found)):
            if obj in stores:
                violations.append((f"{chart} {key}", f"{code} on {obj}, a bundled store, not the gateway"))
            if ver >= (2, 1, 14) and statefulset and re.match(r"BF[12]\d\d$", code):
                violations.append((f"{chart} {key}", f"{code} on {obj}; chart "
                                   f"{'.'.join(map(str, ver))} in StatefulSet mode should lint clean"))


def compare(expected, actual, broken, verbose):
    """One line per case; returns the cases that differ from the table or break an invariant."""
    failed = set()
    for chart in sorted(set(expected) | set(actual)):
        for case in sorted(set(expected.get(chart, {})) | set(actual.get(chart, {}))):
            want, got = expected.get(chart, {}).get(case), actual.get(chart, {}).get(case)
            label = f"{chart} {case}"
            if got is None:
                print(f"DIFF {label}: in the table but not produced")
            elif want is None:
                print(f"DIFF {label}: not in the table: {json.dumps(got)}")
            elif want == got and label in broken:
                print(f"FAIL {label}: matches the table but breaks {broken[label]} invariant check(s), below")
            elif want == got:
                print(f"ok   {label}" + (f"  (refused: {got['refused']})" if "refused" in got else ""))
                if verbose:
                    for entry in got.get("findings", []):
                        print(f"       {entry}")
                continue
            elif "refused" in want or "refused" in got:
                print(f"DIFF {label}: expected {json.dumps(want)}, got {json.dumps(got)}")
            else:
                missing = sorted(set(want["findings"]) - set(got["findings"]))
                unexpected = sorted(set(got["findings"]) - set(want["findings"]))
                print(f"DIFF {label}: missing {missing} unexpected {unexpected}")
            failed.add(label)
    return failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="rewrite the expectation table")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the findings of passing cases")
    parser.add_argument("--keep", metavar="DIR", help="write the renderings to DIR and keep them")
    args = parser.parse_args()
    if not os.path.isdir(CHARTS):
        print("conformance: ../shared/real-charts not found; skipped")
        return 0
    if not os.access(BINARY, os.X_OK):
        print(f"conformance: no kubectl-bifrost binary at {BINARY}")
        return 2
    actual, violations = {}, []
    with tempfile.TemporaryDirectory(prefix="kb-conformance-") as tmp:
        outdir = os.path.abspath(args.keep) if args.keep else tmp
        os.makedirs(outdir, exist_ok=True)
        for chart in RENDERABLE + VALUES_ONLY:
            if os.path.isdir(os.path.join(CHARTS, chart)):
                run_chart(chart, outdir, tmp, actual, violations)
    if args.update:
        os.makedirs(os.path.dirname(EXPECTED), exist_ok=True)
        with open(EXPECTED, "w") as f:
            json.dump(actual, f, indent=2, sort_keys=True)
            f.write("\n")
        print(f"conformance: wrote {os.path.relpath(EXPECTED, ROOT)}")
    expected = actual
    if not args.update and os.path.exists(EXPECTED):
        with open(EXPECTED) as f:
            expected = json.load(f)
    elif not args.update:
        print(f"conformance: {os.path.relpath(EXPECTED, ROOT)} missing; run with --update")
        expected = {}
    violations += migrated_fixtures_are_real()
    broken = {}
    for label, _ in violations:
        broken[label] = broken.get(label, 0) + 1
    failed = compare(expected, actual, broken, args.verbose) | set(broken)
    if violations:
        print(f"\ninvariant violations ({len(violations)}):")
        for label, message in violations:
            print(f"INVARIANT {label}: {message}")
    total = len({f"{c} {k}" for c in set(expected) | set(actual)
                 for k in set(expected.get(c, {})) | set(actual.get(c, {}))})
    print(f"{total - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


def migrated_fixtures_are_real():
    """Invariant 3: the fixtures billed as migrated (charts-fixtures/2.1.14) are values the real
    2.1.14 and 2.1.16 charts accept (Helm's validate_schema) and config.json files Bifrost's
    config schema accepts: a fixture the real chart would reject is a wrong fixture."""
    import glob
    import jsonschema
    out, checked = [], 0
    migrated = os.path.join(ROOT, "charts-fixtures", "2.1.14")
    charts = {c: helm.Chart.load(os.path.join(CHARTS, c)) for c in ("bifrost-2.1.14", "bifrost-2.1.16")
              if os.path.isdir(os.path.join(CHARTS, c))}
    with open(os.path.join(CHARTS, "bifrost-config.schema.json")) as f:
        config_schema = jsonschema.Draft201909Validator(json.load(f))
    for path in sorted(glob.glob(os.path.join(migrated, "**", "*"), recursive=True)):
        rel = os.path.relpath(path, ROOT)
        if path.endswith(".json"):
            with open(path) as f:
                doc = json.load(f)
            if isinstance(doc, dict) and {"providers", "governance", "client"} & set(doc):
                checked += 1
                errors = [e.message for e in config_schema.iter_errors(doc)]
                if errors:
                    out.append((f"fixture {rel}", f"config.schema.json rejects it: {errors[0]}"))
        elif path.endswith((".yaml", ".yml")):
            with open(path) as f:
                try:
                    values = load_yaml(f.read())
                except Exception:
                    continue
            if not isinstance(values, dict) or not isinstance(values.get("bifrost"), dict):
                continue
            # An umbrella chart's values reach the subchart under its own key.
            if os.path.exists(os.path.join(os.path.dirname(path), "Chart.yaml")):
                values = values["bifrost"]
            values.setdefault("image", {}).setdefault("tag", "v1.5.0")
            checked += 1
            for name, chart in charts.items():
                try:
                    chart.validate_schema(values)
                except Exception as e:
                    out.append((f"fixture {rel}", f"{name} rejects it: {str(e).splitlines()[0]}"))
    print(f"migrated fixtures: {checked} checked against the real schemas, {len(out)} rejected")
    return out


if __name__ == "__main__":
    sys.exit(main())
