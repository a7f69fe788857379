#!/usr/bin/env python3
"""Differential test of BF005 values-schema against Helm's own validator.

For every schema in ../shared/real-charts (charts 2.1.9, 2.1.13, 2.1.14, 2.1.16 and the
values-only 2.1.30 folder, which loads as a chart) this runs Helm v4's Go code
(helm-python-sdk `Chart.load(dir).validate_schema(values)`, which coalesces the chart's defaults
first) and `kubectl-bifrost lint -o json --enable BF005 --chart DIR` over the same values:
the chart's values.yaml and values-examples/*.yaml, this project's charts-fixtures values files
and overlays/*.yaml, and mutations of each generated from the schema (drop a required key, add an
unknown key where additionalProperties is false, change a type, break an enum). Bifrost's
config.json schema (bifrost-config.schema.json) is checked the same way against python
jsonschema's Draft201909Validator over the project's config.json fixtures and their mutations
(`lint --config-schema FILE`).

A case passes when both accept, or both reject with the same set of failing JSON pointers.
Helm's error tree is normalised to pointers: its leaves, with 'anyOf'/'oneOf'/'not' failures as
leaves at their own path, "additional properties 'a', 'b'" as one pointer per key, and an invalid
property name at the key. Ours: each BF005 finding's `path` (the instance path), as a pointer.

Values are read with Helm's own reader (`values_from_yaml`) and mutations written as JSON, so
both sides see the same data. Prints one line per failing case (all with -v) and a closing
"N passed, M failed"; skips with one line and exit 0 without ../shared/real-charts; exits 1 on
any difference. The binary is $KUBECTL_BIFROST or .build/debug/kubectl-bifrost.
"""
import copy
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

from realcharts import BINARY, CHARTS, ROOT, helm, resolve_ref

CHART_DIRS = ["bifrost-2.1.9", "bifrost-2.1.13", "bifrost-2.1.14", "bifrost-2.1.16", "bifrost-2.1.30-values"]
CONFIG_SCHEMA = "bifrost-config.schema.json"
MUTATIONS_PER_KIND = 3
VERBOSE = "-v" in sys.argv


# ---- the schema side: walking values along the schema to generate mutations ----

def subschema_for_key(root, s, key):
    s = resolve_ref(root, s)
    if key in s.get("properties", {}):
        return s["properties"][key]
    for pat, sub in s.get("patternProperties", {}).items():
        if re.search(pat, key):
            return sub
    extra = s.get("additionalProperties")
    return extra if isinstance(extra, dict) else {}


def walk(root, schema, value, path, out):
    """(path, value, schema) for every place in the values, schema resolved."""
    s = resolve_ref(root, schema)
    for sub in s.get("allOf", []):
        s = dict(s, **{k: v for k, v in resolve_ref(root, sub).items() if k in ("properties", "required", "additionalProperties")}) if isinstance(sub, dict) else s
    out.append((path, value, s))
    if isinstance(value, dict):
        for k, v in value.items():
            walk(root, subschema_for_key(root, s, k), v, path + [k], out)
    elif isinstance(value, list):
        items = s.get("items")
        if isinstance(items, dict):
            for i, v in enumerate(value):
                walk(root, items, v, path + [i], out)


def get(data, path):
    for p in path:
        data = data[p]
    return data


def spread(cands, n):
    if len(cands) <= n:
        return cands
    step = len(cands) / n
    return [cands[int(i * step)] for i in range(n)]


WRONG = {"string": 12345, "integer": "not-a-number", "number": "not-a-number", "boolean": "maybe",
         "object": "not-an-object", "array": "not-a-list"}


def mutations(root, values):
    places = []
    walk(root, root, values, [], places)
    drop, add, retype, enum = [], [], [], []
    for path, value, s in places:
        if isinstance(value, dict):
            for r in s.get("required", []):
                if r in value:
                    drop.append(("drop " + ptr(path + [r]), path, r))
            if s.get("additionalProperties") is False:
                add.append(("add unknown key under " + (ptr(path) or "/"), path))
        t = s.get("type")
        if path and isinstance(t, str) and t in WRONG and value is not None:
            retype.append(("retype " + ptr(path) + " (" + t + ")", path, WRONG[t]))
        if path and isinstance(s.get("enum"), list) and isinstance(value, str):
            enum.append(("break enum " + ptr(path), path))
    out = []
    for name, path, key in spread(drop, MUTATIONS_PER_KIND):
        v = copy.deepcopy(values)
        del get(v, path)[key]
        out.append((name, v))
    for name, path in spread(add, MUTATIONS_PER_KIND):
        v = copy.deepcopy(values)
        get(v, path)["zzUnknownKey"] = 1
        out.append((name, v))
    for name, path, wrong in spread(retype, MUTATIONS_PER_KIND):
        v = copy.deepcopy(values)
        get(v, path[:-1])[path[-1]] = wrong
        out.append((name, v))
    for name, path in spread(enum, MUTATIONS_PER_KIND):
        v = copy.deepcopy(values)
        get(v, path[:-1])[path[-1]] = "not-in-the-enum"
        out.append((name, v))
    return out


def ptr(path):
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


# ---- normalising both sides to sets of JSON pointers ----

AT = re.compile(r"^(\s*)- at '([^']*)': (.*)$")


def helm_paths(message):
    """Pointers of the leaves of Helm's error tree (see the module docstring)."""
    lines = []
    for raw in message.splitlines():
        m = AT.match(raw)
        if m:
            lines.append((len(m.group(1)), m.group(2), m.group(3)))
    out = set()
    skip_below = None
    parents = []
    for i, (indent, path, msg) in enumerate(lines):
        if skip_below is not None and indent > skip_below:
            continue
        skip_below = None
        while parents and parents[-1][0] >= indent:
            parents.pop()
        has_children = i + 1 < len(lines) and lines[i + 1][0] > indent
        if msg.startswith("'anyOf' failed") or msg.startswith("'oneOf' failed") or msg.startswith("'not' failed"):
            out.add(path)
            skip_below = indent
            continue
        m = re.match(r"invalid propertyName '(.*)'$", msg)
        if m:
            parent = parents[-1][1] if parents else ""
            out.add(parent + "/" + m.group(1).replace("~", "~0").replace("/", "~1"))
            skip_below = indent
            continue
        if has_children:
            parents.append((indent, path))
            continue
        m = re.match(r"additional properties (.*) not allowed$", msg)
        if m:
            for key in re.findall(r"'((?:[^']|'')*)'", m.group(1)):
                out.add(path + "/" + key.replace("~", "~0").replace("/", "~1"))
            continue
        out.add(path)
    return out


def helm_verdict(chart, values):
    # Helm's coalescing logs "cannot overwrite table with non table" to standard error: quiet it.
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        chart.validate_schema(values)
        return set()
    except helm.HelmValuesError as e:
        paths = helm_paths(str(e))
        return paths or {"<unparsed: " + str(e).strip().replace("\n", " | ")[:200] + ">"}
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def jsonschema_paths(validator, instance):
    out = set()
    for e in validator.iter_errors(instance):
        path = ptr(list(e.absolute_path))
        if "propertyNames" in e.schema_path:
            out.add(path + "/" + str(e.instance).replace("~", "~0").replace("/", "~1"))
        elif e.validator == "additionalProperties":
            for key in re.findall(r"'((?:[^'\\]|\\.)*)'", e.message.split("(", 1)[1]):
                out.add(path + "/" + key.replace("~", "~0").replace("/", "~1"))
        else:
            out.add(path)
    return out


PATH_TOKEN = re.compile(r'\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|\.?([^.\[]+)')


def yaml_path_to_pointer(path):
    parts = []
    for index, quoted, simple in PATH_TOKEN.findall(path):
        if index:
            parts.append(index)
        elif quoted:
            parts.append(re.sub(r"\\(.)", r"\1", quoted))
        else:
            parts.append(simple)
    return ptr(parts)


def lint(files, extra):
    proc = subprocess.run([BINARY, "lint", "-o", "json", "--enable", "BF005", "--fail-on", "none"] + extra + files,
                          capture_output=True, text=True, cwd=tempfile.gettempdir())
    if proc.returncode not in (0, 1):
        sys.exit("kubectl-bifrost failed (%d): %s" % (proc.returncode, proc.stderr.strip()))
    found = {f: set() for f in files}
    for f in json.loads(proc.stdout)["findings"]:
        if f["code"] == "BF005":
            found.setdefault(f["file"], set()).add(yaml_path_to_pointer(f["path"]))
    return found


def project_values_files():
    files = sorted(glob.glob(os.path.join(ROOT, "charts-fixtures", "**", "values*.yaml"), recursive=True))
    files = [f for f in files if "fuzz-regressions" not in f]
    return files + sorted(glob.glob(os.path.join(ROOT, "overlays", "*.yaml")))


def read_values(path):
    try:
        with open(path) as fh:
            data = helm.values_from_yaml(fh.read())
    except Exception:
        return None
    return data if isinstance(data, dict) else None


def main():
    if not os.path.isdir(CHARTS):
        print("schema differential: skipped, %s is absent" % CHARTS)
        return 0
    if not os.path.exists(BINARY):
        sys.exit("no binary at %s: run swift build first" % BINARY)
    passed = failed = 0
    rejected = 0
    work = tempfile.mkdtemp(prefix="schema-diff-")
    rel = lambda p: os.path.relpath(p, ROOT) if p.startswith(ROOT) else os.path.relpath(p, CHARTS)

    families = {}

    def judge(label, ours, theirs):
        nonlocal passed, failed, rejected
        family = families.setdefault(label.split(" ", 1)[0], [0, 0])
        family[0] += 1
        family[1] += ours == theirs
        if theirs:
            rejected += 1
        if ours == theirs:
            passed += 1
            if VERBOSE:
                print("ok   %s: %s" % (label, "accepted" if not theirs else "rejected at " + ", ".join(sorted(theirs))))
        else:
            failed += 1
            print("FAIL %s: helm %s, kubectl-bifrost %s" % (label, sorted(theirs) or "accepts", sorted(ours) or "accepts"))

    n = 0
    for name in CHART_DIRS:
        chart_dir = os.path.join(CHARTS, name)
        if not os.path.isdir(chart_dir):
            continue
        chart = helm.Chart.load(chart_dir)
        with open(os.path.join(chart_dir, "values.schema.json")) as fh:
            schema = json.load(fh)
        bases = [os.path.join(chart_dir, "values.yaml")] + sorted(glob.glob(os.path.join(chart_dir, "values-examples", "*.yaml")))
        bases += project_values_files()
        cases = []  # (label, file to lint, values for helm)
        for base in bases:
            values = read_values(base)
            if values is None:
                continue
            # The chart's own values.yaml is its defaults: as a user file it is the same values.
            cases.append(("%s %s" % (name, rel(base)), base, values))
            for mname, mutated in mutations(schema, values):
                n += 1
                path = os.path.join(work, "values-%d.yaml" % n)
                with open(path, "w") as fh:
                    json.dump(mutated, fh, indent=1)
                cases.append(("%s %s [%s]" % (name, rel(base), mname), path, mutated))
        files = sorted({c[1] for c in cases})
        # A chart's own values.yaml is linted as a user file would be: a copy outside the chart.
        copies = {}
        for f in files:
            if os.path.dirname(f) == chart_dir:
                n += 1
                copies[f] = os.path.join(work, "values-%d.yaml" % n)
                with open(f) as src, open(copies[f], "w") as dst:
                    dst.write(src.read())
        found = lint([copies.get(f, f) for f in files], ["--chart", chart_dir])
        for label, f, values in cases:
            judge(label, found.get(copies.get(f, f), set()), helm_verdict(chart, values))

    schema_path = os.path.join(CHARTS, CONFIG_SCHEMA)
    if os.path.exists(schema_path):
        import jsonschema
        with open(schema_path) as fh:
            schema = json.load(fh)
        validator = jsonschema.Draft201909Validator(schema)
        cases = []
        configs = sorted(glob.glob(os.path.join(ROOT, "charts-fixtures", "**", "config*.json"), recursive=True))
        for base in configs:
            with open(base) as fh:
                values = json.load(fh)
            cases.append(("config %s" % rel(base), base, values))
            for mname, mutated in mutations(schema, values):
                n += 1
                path = os.path.join(work, "config-%d.json" % n)
                with open(path, "w") as fh:
                    json.dump(mutated, fh, indent=1)
                cases.append(("config %s [%s]" % (rel(base), mname), path, mutated))
        found = lint([c[1] for c in cases], ["--config-schema", schema_path])
        for label, f, values in cases:
            judge(label, found.get(f, set()), jsonschema_paths(validator, values))

    for family, (count, agreed) in families.items():
        print("%s: %d cases, %d agree" % (family, count, agreed))
    print("%d cases, %d rejected by the reference validators" % (passed + failed, rejected))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
