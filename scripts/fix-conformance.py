#!/usr/bin/env python3
"""Fix conformance of kubectl-bifrost: `lint --fix --unsafe-fixes` checked against the real charts.

Reads the unmodified upstream charts in ../shared/real-charts (relative to the repository root;
skipped with one line and exit 0 when absent) and takes as inputs
  - every values file of the real charts: values.yaml of each chart and its values-examples/*.yaml;
  - every values file among the project's fixtures (charts-fixtures/**/*.yaml with a top-level
    `bifrost:` mapping, read as Helm reads it; fuzz-regressions/ and conformance/ are left out,
    so are files that do not parse). An umbrella chart's values.yaml (a sibling Chart.yaml with a
    `bifrost` dependency) is checked through its `bifrost:` (or alias) block, the values the
    Bifrost subchart receives;
  - every Bifrost config.json among the fixtures (charts-fixtures/**/*.json with a top-level
    providers, governance or client key; REST payloads and the conformance table are not);
  - the fix fixtures charts-fixtures/fix/*.before.* and *.after.* among the above.

Each input is copied to a temporary directory under its real base name (values.yaml,
production-ha.yaml, config.json; `.before`/`.after` dropped) and fixed there with
`kubectl-bifrost lint --fix --unsafe-fixes FILE`, run from that directory so that no
.kubectl-bifrost.yaml applies (exit 0 and 1 are normal, anything else fails the input). Then:

  1. schema: values inputs are validated (Helm's Chart.validate_schema, which coalesces the chart
     defaults first) against the 2.1.14, 2.1.16 and 2.1.30 chart schemas, the original and the
     fixed file; the fixed one must not show a violation the original did not have. Violations are
     compared as (path, message) pairs, one per property for "additional properties 'a', 'b'";
     Helm's "validation failed" wrapper lines are left out (their children count).
     config.json inputs: the same with jsonschema (Draft 2019-09) and bifrost-config.schema.json;
     combinator errors (oneOf/anyOf/...) count as (path, keyword), since their message embeds
     the instance.
  2. render: the fixed values are rendered with the 2.1.14 and 2.1.16 charts (image.tag
     v<appVersion> added when the file sets none or an empty one; a semantic cache without
     config.keys gets one key, for original and fixed alike). Fixed values a chart's schema
     rejects (already a failure of check 1) are rendered with a copy of that chart without
     values.schema.json, reported as "render (schema ignored)", to show what the templates make
     of the fix as well. If the fixed values do not render but the original does (schema left
     out), the input fails; if neither does, it is noted and skipped.
     From the rendered ConfigMap/Secret config.json, every value the fix changed under
     bifrost.governance, bifrost.providers and bifrost.client must be carried: each changed leaf
     (expanded to the leaves of a changed subtree, on both sides) is mapped to its config.json
     path by the small table in config_path(); the value the chart sees there (fixed values
     coalesced with the chart defaults) must be found in config.json (mappings contained, extra
     keys allowed: the chart adds key ids and weights), a removed value must be absent. Leaves
     the table does not map are listed as "unchecked", not failures.
  3. coalesce: original and fixed are coalesced with the chart defaults (Chart.merge_values,
     Helm's own coalescing: maps merge, a user null deletes the default) of 2.1.14, 2.1.16,
     2.1.30 and, for a real chart's values, that chart. Every path whose coalesced value differs
     must be under a path the fix changed in the user file AND be a value the user file set
     (before or after the fix); a chart default that changed or vanished (e.g. because the fix
     wrote a null or emptied parent) fails the input.
  4. idempotence: a second `--fix --unsafe-fixes` must leave the file byte for byte unchanged.

Prints one line per input (ok / FAIL, with the number of changed leaves and of leaves checked in
the rendered config.json; reasons indented below, one line for all charts that share one, at
most 12 without -v; render notes after `note:`, all notes with -v), the fixes
applied per input (the fixable findings of the original, by code, and the number of changed
leaves), the unmapped changed leaves, then "N passed, M failed"; exits 1 when an input failed.
The binary is $KUBECTL_BIFROST or .build/debug/kubectl-bifrost.
Usage: scripts/fix-conformance.py [-v] [--only SUBSTRING] [--keep DIR]
"""
import argparse
import copy
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict

from realcharts import BINARY, CHARTS, ROOT, helm, load_yaml, rendered_config

FIXTURES = os.path.join(ROOT, "charts-fixtures")
REAL_CHARTS = ["bifrost-2.1.9", "bifrost-2.1.13", "bifrost-2.1.14", "bifrost-2.1.16", "bifrost-2.1.30-values"]
SCHEMA_CHARTS = ["bifrost-2.1.14", "bifrost-2.1.16", "bifrost-2.1.30-values"]
RENDER_CHARTS = ["bifrost-2.1.14", "bifrost-2.1.16"]
CONFIG_SCHEMA = os.path.join(CHARTS, "bifrost-config.schema.json")
FIXTURE_SKIP_DIRS = {"fuzz-regressions", "conformance"}
RELEASE, NAMESPACE = "gw", "llm-gateway"
MAX_LINES = 12  # failure lines shown per input without -v
SEMANTIC_KEYS = {"bifrost": {"plugins": {"semanticCache": {"config": {"keys": ["env.OPENAI_API_KEY"]}}}}}


class Missing:
    def __repr__(self):
        return "<absent>"


MISSING = Missing()


def short(chart):
    return chart.replace("bifrost-", "").replace("-values", "")


# ---------------------------------------------------------------- trees and paths

def fmt(path):
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (("." if out else "") + str(p))
    return out


def get(obj, path):
    for p in path:
        if isinstance(p, int):
            if not isinstance(obj, list) or p >= len(obj):
                return MISSING
        elif not isinstance(obj, dict) or p not in obj:
            return MISSING
        obj = obj[p]
    return obj


def same(a, b):
    """Type-strict equality (True is not 1); ints and floats compare by value."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    return type(a) is type(b) and a == b


def diff_paths(a, b, path=()):
    """Paths where a and b differ: maps and lists are descended (lists index by index; extra
    elements and keys present on one side only are reported whole)."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in list(a) + [k for k in b if k not in a]:
            if k not in a or k not in b:
                yield path + (k,)
            else:
                yield from diff_paths(a[k], b[k], path + (k,))
    elif isinstance(a, list) and isinstance(b, list):
        for i in range(max(len(a), len(b))):
            if i >= len(a) or i >= len(b):
                yield path + (i,)
            else:
                yield from diff_paths(a[i], b[i], path + (i,))
    elif not same(a, b):
        yield path


def leaves(obj, path):
    """Leaf paths of a subtree (an empty map or list is a leaf)."""
    if isinstance(obj, dict) and obj:
        for k, v in obj.items():
            yield from leaves(v, path + (k,))
    elif isinstance(obj, list) and obj:
        for i, v in enumerate(obj):
            yield from leaves(v, path + (i,))
    elif obj is not MISSING:
        yield path


def contains(have, want):
    """want found in have: maps by key (extra keys in have allowed), lists element by element."""
    if isinstance(want, dict):
        return isinstance(have, dict) and all(k in have and contains(have[k], v) for k, v in want.items())
    if isinstance(want, list):
        return isinstance(have, list) and len(have) == len(want) and all(contains(h, w) for h, w in zip(have, want))
    return same(have, want)


def merge(a, b):
    """b over a: maps merge, everything else replaces (Helm's -f merging)."""
    out = dict(a)
    for k, v in b.items():
        out[k] = merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def under(path, prefixes):
    return any(path[:len(c)] == c for c in prefixes)


def clip(value, n=60):
    text = json.dumps(value, sort_keys=True, default=str) if value is not MISSING else "<absent>"
    return text if len(text) <= n else text[:n - 3] + "..."


# ---------------------------------------------------------------- values path -> config.json path

CLIENT_KEYS = {
    "dropExcessRequests": "drop_excess_requests", "initialPoolSize": "initial_pool_size",
    "allowedOrigins": "allowed_origins", "enableLogging": "enable_logging",
    "enforceAuthOnInference": "enforce_auth_on_inference", "enforceGovernanceHeader": "enforce_governance_header",
    "maxRequestBodySizeMb": "max_request_body_size_mb", "prometheusLabels": "prometheus_labels",
    "disableContentLogging": "disable_content_logging", "logRetentionDays": "log_retention_days",
    "disableDbPingsInHealth": "disable_db_pings_in_health",
    # removed in v1.5.0 (BF309, BF308): the fix deletes them, so they must not reach config.json
    "allowDirectKeys": "allow_direct_keys", "enableLitellmFallbacks": "enable_litellm_fallbacks",
}
COMPAT_KEYS = {
    "convertTextToChat": "convert_text_to_chat", "convertChatToResponses": "convert_chat_to_responses",
    "shouldDropParams": "should_drop_params", "shouldConvertParams": "should_convert_params",
}
# governance lists the chart copies into config.json; below the list index the names are the same
GOVERNANCE_LISTS = {
    "virtualKeys": "virtual_keys", "budgets": "budgets", "customers": "customers", "teams": "teams",
    "rateLimits": "rate_limits", "businessUnits": "business_units", "routingRules": "routing_rules",
    "modelConfigs": "model_configs", "providers": "providers", "pricingOverrides": "pricing_overrides",
}
RENAMED_BELOW = {"businessUnits": {"teamIds": "team_ids"}}
UNMAPPED_NETWORK = {"retry_backoff_initial_ms", "retry_backoff_max_ms"}  # the chart renames them


def config_path(path):
    """config.json path for a values path relative to `bifrost.` (a tuple), or None."""
    if not path:
        return None
    head, rest = path[0], path[1:]
    if head == "client":
        if not rest:
            return ("client",)
        if rest[0] == "compat":
            if len(rest) == 1:
                return ("client", "compat")
            return ("client", "compat", COMPAT_KEYS[rest[1]]) + rest[2:] if rest[1] in COMPAT_KEYS else None
        return ("client", CLIENT_KEYS[rest[0]]) + rest[1:] if rest[0] in CLIENT_KEYS else None
    if head == "providers":
        # the chart deep-copies each provider (network_config re-built with the same names)
        if len(rest) >= 3 and rest[1] == "network_config" and rest[2] in UNMAPPED_NETWORK:
            return None
        return ("providers",) + rest
    if head == "governance":
        if not rest:
            return ("governance",)
        if rest[0] not in GOVERNANCE_LISTS:
            return None
        below = list(rest[1:])
        if len(below) >= 2 and isinstance(below[0], int):
            renames = RENAMED_BELOW.get(rest[0], {})
            below[1] = renames.get(below[1], below[1])
        return ("governance", GOVERNANCE_LISTS[rest[0]]) + tuple(below)
    return None


def pattern(path):
    return re.sub(r"\[\d+\]", "[*]", fmt(path))


# ---------------------------------------------------------------- schema violations

HELM_LINE = re.compile(r"^\s*- at '([^']*)': (.*)$")
HELM_PROPS = re.compile(r"^(additional properties|missing properties) (.*?)( not allowed)?$")


def helm_violations(err):
    out = set()
    for line in str(err).splitlines():
        m = HELM_LINE.match(line)
        if not m:
            continue
        where, msg = m.group(1) or "/", m.group(2).strip()
        if msg == "validation failed":
            continue
        props = HELM_PROPS.match(msg)
        if props:
            kind = "additional property" if props.group(1).startswith("additional") else "missing property"
            for name in re.findall(r"'([^']*)'", props.group(2)):
                out.add((where, f"{kind} '{name}'"))
        else:
            out.add((where, msg))
    if not out:
        out.add(("?", " ".join(str(err).split())[:200]))
    return out


def chart_violations(chart, values):
    try:
        chart.validate_schema(copy.deepcopy(values))
        return set()
    except helm.HelmError as err:
        return helm_violations(err)


COMBINATORS = {"oneOf", "anyOf", "allOf", "not", "if", "then", "else", "contains", "dependentSchemas",
               "unevaluatedProperties", "unevaluatedItems"}


def json_violations(validator, doc):
    out = set()
    for e in validator.iter_errors(doc):
        where = e.json_path
        if e.validator == "additionalProperties" and isinstance(e.instance, dict):
            m = re.findall(r"'([^']*)'", e.message.split("(", 1)[-1])
            for name in m:
                out.add((where, f"additional property '{name}'"))
        elif e.validator == "required":
            out.add((where, e.message))
        elif e.validator in COMBINATORS:
            out.add((where, f"fails {e.validator}"))
        else:
            out.add((where, f"{e.validator}: {clip(e.validator_value, 80)}"))
    return out


# ---------------------------------------------------------------- running the tool

def run(args, cwd):
    return subprocess.run([BINARY] + args, capture_output=True, text=True, cwd=cwd)


def first_line(proc):
    text = proc.stderr.strip() or proc.stdout.strip() or "no output"
    return text.splitlines()[0][:200]


def fixable_codes(path, cwd):
    proc = run(["lint", "-o", "json", "--fail-on", "none", os.path.basename(path)], cwd)
    try:
        findings = json.loads(proc.stdout)["findings"]
    except (ValueError, KeyError):
        return None
    return Counter(f["code"] for f in findings if f.get("fixable"))


# ---------------------------------------------------------------- inputs

class Input:
    def __init__(self, label, src, kind, base, own_chart=None, sub_key=None):
        self.label, self.src, self.kind, self.base = label, src, kind, base
        self.own_chart, self.sub_key = own_chart, sub_key


def real_base(name):
    return re.sub(r"\.(before|after)(?=\.[^.]+$)", "", name)


def umbrella_key(path):
    """The values key of a `bifrost` dependency in a sibling Chart.yaml, or None."""
    chart_yaml = os.path.join(os.path.dirname(path), "Chart.yaml")
    if not os.path.exists(chart_yaml):
        return None
    try:
        with open(chart_yaml) as f:
            meta = load_yaml(f.read()) or {}
    except Exception:
        return None
    for dep in meta.get("dependencies") or []:
        if isinstance(dep, dict) and dep.get("name") == "bifrost":
            return dep.get("alias") or "bifrost"
    return None


def collect_inputs():
    inputs, skipped = [], []
    for chart in REAL_CHARTS:
        chart_dir = os.path.join(CHARTS, chart)
        if not os.path.isdir(chart_dir):
            continue
        files = [os.path.join(chart_dir, "values.yaml")] + \
            sorted(glob.glob(os.path.join(chart_dir, "values-examples", "*.yaml")))
        for path in files:
            if os.path.exists(path):
                inputs.append(Input("real-charts/" + os.path.relpath(path, CHARTS), path, "values",
                                    os.path.basename(path), own_chart=chart))
    for path in sorted(glob.glob(os.path.join(FIXTURES, "**", "*"), recursive=True)):
        rel = os.path.relpath(path, FIXTURES)
        if not os.path.isfile(path) or rel.split(os.sep)[0] in FIXTURE_SKIP_DIRS:
            continue
        label = "charts-fixtures/" + rel
        name = os.path.basename(path)
        if name.endswith((".yaml", ".yml")):
            if name.startswith("Chart.") or "helmfile" in name:
                continue
            try:
                with open(path) as f:
                    doc = helm.values_from_yaml(f.read())
            except Exception:
                if re.search(r"(?m)^bifrost:", open(path, errors="replace").read()):
                    skipped.append((label, "values file that does not parse"))
                continue
            if isinstance(doc, dict) and isinstance(doc.get("bifrost"), dict):
                sub = umbrella_key(path)
                inputs.append(Input(label, path, "values", real_base(name),
                                    sub_key=sub if sub and isinstance(doc.get(sub), dict) else None))
        elif name.endswith(".json"):
            try:
                with open(path) as f:
                    doc = json.load(f)
            except Exception:
                continue
            if isinstance(doc, dict) and {"providers", "governance", "client"} & set(doc):
                inputs.append(Input(label, path, "config", real_base(name)))
    return inputs, skipped


# ---------------------------------------------------------------- rendering

def one_line(err):
    lines = [l.strip() for l in str(err).splitlines() if l.strip()] or [type(err).__name__]
    text = " ".join(lines) if lines[0].endswith(":") else lines[0]
    return text[:220]


def with_tag(values, app):
    """The values with image.tag v<appVersion> when they set none (or an empty one)."""
    tag = get(values, ("image", "tag"))
    if tag is not MISSING and tag not in (None, ""):
        return values
    image = values.get("image") if isinstance(values.get("image"), dict) else {}
    return merge(values, {"image": merge(image, {"tag": f"v{app}"})})


def wants_semantic_keys(values):
    cache = get(values, ("bifrost", "plugins", "semanticCache"))
    return isinstance(cache, dict) and cache.get("enabled") and not get(cache, ("config", "keys")) or False


# ---------------------------------------------------------------- the checks

class Result:
    def __init__(self, inp):
        self.inp = inp
        self.failures, self.notes, self.unchecked, self.grouped = [], [], set(), {}
        self.codes, self.changed, self.carried = None, 0, {}

    def fail(self, msg):
        self.failures.append(msg)

    def fail_on(self, kind, chart, msg):
        """A failure that may repeat on several charts: reported once, naming them all."""
        if not self.grouped:
            self.failures.append(self.grouped)  # placeholder, expanded by lines()
        self.grouped.setdefault((kind, msg), []).append(short(chart))

    def lines(self):
        out = []
        for item in self.failures:
            if isinstance(item, dict):
                out += [f"{kind} {','.join(charts)}: {msg}" for (kind, msg), charts in item.items()]
            else:
                out.append(item)
        return out

    def note(self, msg):
        self.notes.append(msg)


def check_schema_values(res, charts, orig, fixed):
    for name in SCHEMA_CHARTS:
        if name not in charts:
            continue
        before = chart_violations(charts[name], orig)
        after = chart_violations(charts[name], fixed)
        new = sorted(after - before)
        for where, msg in new:
            res.fail_on("schema", name, f"new violation at {where}: {msg}")
        if not new and before and after:
            res.note(f"schema {short(name)}: original already invalid ({len(before)} violation(s); fixed: {len(after)})")


def check_coalesce(res, charts, orig, fixed, changed):
    names = list(SCHEMA_CHARTS)
    if res.inp.own_chart and res.inp.own_chart not in names:
        names.append(res.inp.own_chart)
    problems = defaultdict(list)
    for name in names:
        chart = charts[name]
        co = chart.merge_values(copy.deepcopy(orig))
        cf = chart.merge_values(copy.deepcopy(fixed))
        for path in diff_paths(co, cf):
            for leaf in sorted(set(leaves(get(co, path), path)) | set(leaves(get(cf, path), path)), key=fmt) or [path]:
                user_set = get(orig, leaf) is not MISSING or get(fixed, leaf) is not MISSING
                if under(leaf, changed) and user_set:
                    continue
                if user_set:
                    why = "changed, but not under a path the fix changed"
                else:
                    a, b = get(co, leaf), get(cf, leaf)
                    why = (f"chart default {clip(a, 40)} lost" if b is MISSING else
                           f"chart default changed {clip(a, 40)} -> {clip(b, 40)}")
                    cause = nulled_parent(fixed, leaf)
                    if cause:
                        why += f" (fix wrote {clip(get(fixed, cause), 20)} at {fmt(cause)})"
                problems[(fmt(leaf), why)].append(name)
    for (where, why), on in sorted(problems.items()):
        for name in on:
            res.fail_on("coalesce", name, f"{where}: {why}")


def nulled_parent(fixed, path):
    for i in range(1, len(path)):
        v = get(fixed, path[:i])
        if v is MISSING:
            return None
        if not isinstance(v, (dict, list)) or v in ({}, []):
            return path[:i]
    return None


def check_render(res, charts, bare, app_versions, orig, fixed, changed, schema_ok):
    targets = [c for c in changed if len(c) >= 2 and c[0] == "bifrost" and c[1] in ("governance", "providers", "client")]
    for chart_name in RENDER_CHARTS:
        if chart_name not in charts:
            continue
        chart, kind = charts[chart_name], "render"
        if not schema_ok[chart_name]:
            # Helm would refuse the fixed values (reported by the schema check); render them with
            # the schema left out, to see what the templates make of what the fix wrote.
            chart, kind = bare[chart_name], "render (schema ignored)"
        vf, vo = with_tag(fixed, app_versions[chart_name]), with_tag(orig, app_versions[chart_name])
        extra = ""
        if wants_semantic_keys(vf) or wants_semantic_keys(vo):
            vf, vo = merge(vf, SEMANTIC_KEYS), merge(vo, SEMANTIC_KEYS)
            extra = " (semanticCache.config.keys added)"
        try:
            rendered = chart.render(copy.deepcopy(vf), name=RELEASE, namespace=NAMESPACE)
        except helm.HelmError as err:
            try:
                bare[chart_name].render(copy.deepcopy(vo), name=RELEASE, namespace=NAMESPACE)
            except helm.HelmError as err0:
                res.note(f"{kind} {short(chart_name)} skipped: original refused too{extra}: {one_line(err0)}")
                continue
            res.fail_on(kind, chart_name, f"fixed values refused, original renders{extra}: {one_line(err)}")
            continue
        if not targets:
            continue
        config = rendered_config(rendered)
        if config is None:
            res.fail_on(kind, chart_name, "no ConfigMap/Secret with config.json in the rendering")
            continue
        seen = chart.merge_values(copy.deepcopy(vf))  # what the templates read
        lost = defaultdict(list)
        for c in targets:
            for leaf in sorted(set(leaves(get(orig, c), c)) | set(leaves(get(fixed, c), c)), key=fmt):
                cpath = config_path(leaf[1:])
                if cpath is None:
                    res.unchecked.add(pattern(leaf))
                    continue
                want, have = get(seen, leaf), get(config, cpath)
                res.carried[short(chart_name)] = res.carried.get(short(chart_name), 0) + 1
                if want is MISSING or want is None:
                    if have is not MISSING:
                        lost[c].append(f"{fmt(leaf)} removed, but config.json {fmt(cpath)} = {clip(have, 40)}")
                elif have is MISSING:
                    lost[c].append(f"{fmt(leaf)} = {clip(want, 40)}: config.json {fmt(cpath)} absent")
                elif not contains(have, want):
                    lost[c].append(f"{fmt(leaf)} = {clip(want, 40)}: config.json {fmt(cpath)} = {clip(have, 40)}")
        for c, items in lost.items():
            more = f" (+{len(items) - 1} more leaves)" if len(items) > 1 else ""
            res.fail_on(kind, chart_name, f"not carried: {items[0]}{more}")


def check_input(inp, charts, bare, app_versions, config_validator, workdir):
    res = Result(inp)
    os.makedirs(workdir)
    target = os.path.join(workdir, inp.base)
    shutil.copyfile(inp.src, target)
    with open(target, "rb") as f:
        original_bytes = f.read()
    res.codes = fixable_codes(target, workdir)
    proc = run(["lint", "--fix", "--unsafe-fixes", inp.base], workdir)
    if proc.returncode not in (0, 1):
        res.fail(f"--fix exited {proc.returncode}: {first_line(proc)}")
        return res
    with open(target, "rb") as f:
        fixed_bytes = f.read()
    proc2 = run(["lint", "--fix", "--unsafe-fixes", inp.base], workdir)
    with open(target, "rb") as f:
        again_bytes = f.read()
    if proc2.returncode not in (0, 1):
        res.fail(f"second --fix exited {proc2.returncode}: {first_line(proc2)}")
    elif again_bytes != fixed_bytes:
        delta = [fmt(p) for p in diff_paths(parse(inp, fixed_bytes), parse(inp, again_bytes))] \
            if parse(inp, again_bytes) is not None and parse(inp, fixed_bytes) is not None else []
        res.fail("not idempotent: a second --fix changed the file" +
                 (f" ({', '.join(delta[:4])}{' ...' if len(delta) > 4 else ''})" if delta else " (bytes only)"))
    orig, fixed = parse(inp, original_bytes), parse(inp, fixed_bytes)
    if fixed is None:
        res.fail("the fixed file does not parse")
        return res
    if orig is None:
        res.note("the original does not parse")
        return res
    if inp.sub_key:
        orig, fixed = orig.get(inp.sub_key) or {}, fixed.get(inp.sub_key) or {}
        res.note(f"umbrella chart values: checked through `{inp.sub_key}:`")
    changed = list(diff_paths(orig, fixed))
    res.changed = sum(len(set(leaves(get(orig, c), c)) | set(leaves(get(fixed, c), c))) or 1 for c in changed)
    if inp.kind == "config":
        before, after = json_violations(config_validator, orig), json_violations(config_validator, fixed)
        for where, msg in sorted(after - before):
            res.fail(f"schema config.json: new violation at {where}: {msg}")
        return res
    if not isinstance(orig, dict) or not isinstance(fixed, dict):
        res.fail("values are not a mapping after the fix")
        return res
    check_schema_values(res, charts, orig, fixed)
    if not changed:
        return res
    schema_ok = {n: not chart_violations(charts[n], fixed) for n in RENDER_CHARTS if n in charts}
    check_render(res, charts, bare, app_versions, orig, fixed, changed, schema_ok)
    check_coalesce(res, charts, orig, fixed, changed)
    return res


def parse(inp, data):
    try:
        text = data.decode("utf-8-sig")
        if inp.kind == "config":
            return json.loads(text)
        doc = helm.values_from_yaml(text)
        return doc if doc is not None else {}
    except Exception:
        return None


def app_version(chart_dir):
    with open(os.path.join(chart_dir, "Chart.yaml")) as f:
        return str((load_yaml(f.read()) or {}).get("appVersion", "")).lstrip("v")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list every note and unchecked leaf per input")
    parser.add_argument("--only", metavar="SUBSTRING", help="only inputs whose label contains SUBSTRING")
    parser.add_argument("--keep", metavar="DIR", help="keep the fixed copies in DIR")
    args = parser.parse_args()
    if not os.path.isdir(CHARTS):
        print("fix-conformance: ../shared/real-charts not found; skipped")
        return 0
    if not os.access(BINARY, os.X_OK):
        print(f"fix-conformance: no kubectl-bifrost binary at {BINARY}")
        return 2
    import jsonschema
    start = time.time()
    charts, app_versions = {}, {}
    for name in REAL_CHARTS:
        chart_dir = os.path.join(CHARTS, name)
        if os.path.isdir(chart_dir):
            charts[name] = helm.Chart.load(chart_dir)
            app_versions[name] = app_version(chart_dir)
    with open(CONFIG_SCHEMA) as f:
        config_validator = jsonschema.Draft201909Validator(json.load(f))
    inputs, skipped = collect_inputs()
    if args.only:
        inputs = [i for i in inputs if args.only in i.label]
    results = []
    with tempfile.TemporaryDirectory(prefix="kb-fix-conformance-") as tmp:
        outdir = os.path.abspath(args.keep) if args.keep else tmp
        os.makedirs(outdir, exist_ok=True)
        bare = {}  # the render charts without values.schema.json
        for name in RENDER_CHARTS:
            if name in charts:
                copy_dir = os.path.join(tmp, "bare-charts", name)
                shutil.copytree(os.path.join(CHARTS, name), copy_dir,
                                ignore=shutil.ignore_patterns("values.schema.json"))
                bare[name] = helm.Chart.load(copy_dir)
        for n, inp in enumerate(inputs):
            workdir = os.path.join(outdir, f"{n:03d}-" + re.sub(r"[^A-Za-z0-9.-]+", "_", inp.label))
            try:
                res = check_input(inp, charts, bare, app_versions, config_validator, workdir)
            except Exception as err:  # a bug here must not hide the other inputs
                res = Result(inp)
                res.fail(f"checker error: {type(err).__name__}: {err}")
            results.append(res)
            carried = ", ".join(f"{n} on {c}" for c, n in res.carried.items())
            print(("ok   " if not res.failures else "FAIL ") + inp.label +
                  (f"  ({res.changed} leaves changed" + (f"; checked in config.json: {carried}" if carried else "")
                   + ")" if res.changed else ""))
            lines = res.lines()
            shown = lines if args.verbose or len(lines) <= MAX_LINES else lines[:MAX_LINES - 1]
            for msg in shown:
                print(f"       {msg}")
            if len(shown) < len(lines):
                print(f"       ... and {len(lines) - len(shown)} more (-v lists all)")
            for msg in res.notes:
                if args.verbose or msg.startswith("render"):
                    print(f"       note: {msg}")
            if args.verbose and res.unchecked:
                print(f"       unchecked: {', '.join(sorted(res.unchecked))}")
    for label, why in skipped:
        print(f"skip {label}: {why}")

    print("\nfixes applied (fixable findings of the original, by code; changed leaves):")
    for res in results:
        if res.changed or res.codes:
            codes = " ".join(f"{c}x{n}" for c, n in sorted(res.codes.items())) if res.codes else "?"
            print(f"  {res.inp.label}: {codes}; {res.changed} leaves")
    unchecked = defaultdict(set)
    for res in results:
        for p in res.unchecked:
            unchecked[p].add(res.inp.label)
    if unchecked:
        print("\nunchecked (changed by the fix, no config.json mapping in config_path()):")
        for p, labels in sorted(unchecked.items()):
            print(f"  bifrost.{p[len('bifrost.'):]}  ({len(labels)} input{'s' if len(labels) > 1 else ''})")
    failed = sum(1 for r in results if r.failures)
    print(f"\n({time.time() - start:.1f} s, binary {BINARY})")
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
