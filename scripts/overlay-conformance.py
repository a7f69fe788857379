#!/usr/bin/env python3
"""Overlay conformance: the shipped overlays are values the real chart accepts and means.

For each chart in ../shared/real-charts that the overlays target (2.1.14, 2.1.16 and the
values-only 2.1.30 folder) and each shipped overlay the chart supports, alone and all seven
together, the values are composed by `kubectl-bifrost compose --chart DIR` (which picks the
variant the chart's version supports, e.g. access-profiles@2.1.14.yaml, and checks the chart's
schema before writing) and then:

  1. schema: Helm's own validator (helm-python-sdk `Chart.validate_schema`, which coalesces the
     chart's defaults first) accepts them;
  2. names and references: every key of the composed values is named by the chart's schema (`properties` or
     `patternProperties` of a subschema that applies there: $ref, allOf, the `then`/`else` of an
     `if` the value meets, the anyOf/oneOf branches it meets), even where `additionalProperties`
     would let it through. A mapping whose schema names no keys at all (`{"type": "object"}`, a
     provider's free-form `config`, a team's `claims`) is free-form by design and not walked.
     Every guardrail rule lists provider_config_ids of existing providers (its CEL only says when
     it fires); in the full composition every budget_id, rate_limit_id and customer_id resolves;
  3. lint: `kubectl-bifrost lint --chart DIR` finds nothing in the composed values (BF005 included);
  4. render (2.1.14 and 2.1.16; the 2.1.30 folder has no templates): the real chart renders them
     (image.tag v<appVersion> added); the rendered config.json validates against
     bifrost-config.schema.json (python jsonschema Draft201909Validator), carries each overlay's
     entries (read back: every governance, access-profile, guardrail, SCIM, plugin, client and
     cluster value the overlay composes for that chart is found at its config.json place, list
     entries matched by id or name, mappings contained), and the rendered manifests lint clean.

Prints one line per case ("ok"/"FAIL", chart, case; reasons indented below), then
"N passed, M failed"; skips with one line and exit 0 without ../shared/real-charts; exits 1 on a
failure. The binary is $KUBECTL_BIFROST or .build/debug/kubectl-bifrost.
"""
import copy
import json
import os
import re
import subprocess
import sys
import tempfile

from realcharts import BINARY, CHARTS, ROOT, helm, load_yaml, rendered_config, resolve_ref

CHART_DIRS = ["bifrost-2.1.14", "bifrost-2.1.16", "bifrost-2.1.30-values"]
OVERLAYS = ["guardrails", "organizational-governance", "access-profiles", "customer-budgets", "teams",
            "multi-customer-governance", "scim-sso"]
CONFIG_SCHEMA = "bifrost-config.schema.json"
VERBOSE = "-v" in sys.argv

# values path under bifrost -> (config.json path, how list entries are matched)
READ_BACK = [
    (("governance", "budgets"), ("governance", "budgets"), "id"),
    (("governance", "rateLimits"), ("governance", "rate_limits"), "id"),
    (("governance", "customers"), ("governance", "customers"), "id"),
    (("governance", "teams"), ("governance", "teams"), "id"),
    (("governance", "virtualKeys"), ("governance", "virtual_keys"), "id"),
    (("accessProfiles",), ("access_profiles",), "name"),
    (("guardrails", "rules"), ("guardrails_config", "guardrail_rules"), "id"),
    (("guardrails", "providers"), ("guardrails_config", "guardrail_providers"), "id"),
    (("scim",), ("scim_config",), None),
    (("client", "enforceAuthOnInference"), ("client", "enforce_auth_on_inference"), None),
    (("plugins", "governance", "config"), ("plugins", "@governance", "config"), None),
    (("cluster", "enabled"), ("cluster_config", "enabled"), None),
    (("cluster", "gossip", "port"), ("cluster_config", "gossip", "port"), None),
    (("cluster", "grpc", "port"), ("cluster_config", "grpc", "port"), None),
    (("cluster", "grpc", "dialTimeoutSeconds"), ("cluster_config", "grpc", "dial_timeout_seconds"), None),
]


# ---- the schema side ----

def meets(root, schema, value):
    """Whether value is valid against a subschema of root (its $refs resolved against root)."""
    import jsonschema
    s = {k: root[k] for k in ("$defs", "definitions") if k in root}
    s.update(schema if isinstance(schema, dict) else {})
    return jsonschema.Draft201909Validator(s).is_valid(value)


def applying(root, schema, value, depth=0):
    """The subschemas that apply to value at this place."""
    s = resolve_ref(root, schema)
    out = [s]
    if depth > 10:
        return out
    for sub in s.get("allOf", []):
        out += applying(root, sub, value, depth + 1)
    for key in ("anyOf", "oneOf"):
        for sub in s.get(key, []):
            if meets(root, sub, value):
                out += applying(root, sub, value, depth + 1)
    if "if" in s:
        branch = "then" if meets(root, s["if"], value) else "else"
        if branch in s:
            out += applying(root, s[branch], value, depth + 1)
    return out


def unnamed(root, schema, value, path, out):
    subs = applying(root, schema, value)
    if isinstance(value, dict):
        names = any("properties" in s or "patternProperties" in s for s in subs)
        maps = [s["additionalProperties"] for s in subs if isinstance(s.get("additionalProperties"), dict)]
        for k, v in value.items():
            here = [s["properties"][k] for s in subs if k in s.get("properties", {})]
            here += [sub for s in subs for pat, sub in s.get("patternProperties", {}).items() if re.search(pat, k)]
            if not here and names:
                out.append("/" + "/".join(map(str, path + [k])))
                continue
            for sub in here or maps:  # a map by design: its values against additionalProperties
                unnamed(root, sub, v, path + [k], out)
    elif isinstance(value, list):
        for s in subs:
            items = s.get("items")
            if isinstance(items, dict):
                for i, v in enumerate(value):
                    unnamed(root, items, v, path + [i], out)


# ---- the config side ----

def contained(want, have):
    if isinstance(want, dict):
        return isinstance(have, dict) and all(k in have and contained(v, have[k]) for k, v in want.items())
    if isinstance(want, list):
        return isinstance(have, list) and len(want) == len(have) and all(contained(a, b) for a, b in zip(want, have))
    if isinstance(want, (int, float)) and not isinstance(want, bool):
        return isinstance(have, (int, float)) and not isinstance(have, bool) and float(want) == float(have)
    return want == have


def get(tree, path):
    for p in path:
        if isinstance(p, str) and p.startswith("@"):
            tree = next((e for e in tree or [] if isinstance(e, dict) and e.get("name") == p[1:]), None)
        elif isinstance(tree, dict) and p in tree:
            tree = tree[p]
        else:
            return None
    return tree


def read_back(values, config):
    """What of the overlay's values the config.json does not carry."""
    missing = []
    bifrost = (values or {}).get("bifrost") or {}
    for vpath, cpath, key in READ_BACK:
        want = get(bifrost, vpath)
        if want is None:
            continue
        have = get(config, cpath)
        where = "config.json:" + ".".join(p.lstrip("@") for p in cpath)
        if key is None:
            if not contained(want, have):
                missing.append(f"bifrost.{'.'.join(vpath)} not carried to {where} (got {json.dumps(have)[:120]})")
            continue
        for entry in want:
            match = next((e for e in have or [] if isinstance(e, dict) and e.get(key) == entry.get(key)), None)
            if match is None:
                missing.append(f"bifrost.{'.'.join(vpath)} {key}={entry.get(key)} missing from {where}")
            elif not contained(entry, match):
                lost = sorted(k for k in entry if k not in match or not contained(entry[k], match[k]))
                missing.append(f"bifrost.{'.'.join(vpath)} {key}={entry.get(key)}: {', '.join(lost)} not carried to {where}")
    return missing


def references(values, whole):
    out = []
    b = (values or {}).get("bifrost") or {}
    guard = b.get("guardrails") or {}
    providers = {p.get("id") for p in guard.get("providers") or []}
    for rule in guard.get("rules") or []:
        ids = rule.get("provider_config_ids") or []
        if not ids:
            out.append(f"guardrail rule {rule.get('id')} lists no provider_config_ids: it checks nothing")
        out += [f"guardrail rule {rule.get('id')}: provider {i} is not among guardrails.providers" for i in ids if i not in providers]
    if whole:
        gov = b.get("governance") or {}
        known = {"budget_id": {e.get("id") for e in gov.get("budgets") or []},
                 "rate_limit_id": {e.get("id") for e in gov.get("rateLimits") or []},
                 "customer_id": {e.get("id") for e in gov.get("customers") or []}}
        for kind in ("customers", "teams", "virtualKeys"):
            for e in gov.get(kind) or []:
                for field, ids in known.items():
                    if field in e and e[field] not in ids:
                        out.append(f"governance.{kind} {e.get('id')}: {field} {e[field]} names no entry")
    return out


# ---- running ----

def compose(chart_dir, overlays, out):
    args = [BINARY, "compose", "--chart", chart_dir, "--strict", "-o", out]
    for o in overlays:
        args += ["--overlay", o]
    return subprocess.run(args, capture_output=True, text=True, cwd=ROOT)


def lint_findings(args, workdir):
    proc = subprocess.run([BINARY, "lint", "-o", "json", "--fail-on", "none"] + args, capture_output=True, text=True, cwd=workdir)
    try:
        return json.loads(proc.stdout)["findings"]
    except (ValueError, KeyError):
        return [{"code": f"EXIT{proc.returncode}", "message": (proc.stderr or proc.stdout).strip()[:200], "line": 0}]


def supported(chart_dir, name):
    """Whether compose --chart takes the overlay for this chart (it refuses one the chart is too old for)."""
    with tempfile.TemporaryDirectory() as tmp:
        return compose(chart_dir, [name], os.path.join(tmp, "v.yaml")).returncode == 0


def run_case(chart, case, overlays, alone, tmp, config_schema):
    chart_dir = os.path.join(CHARTS, chart)
    reasons = []
    out = os.path.join(tmp, f"{chart}-{case}.yaml")
    proc = compose(chart_dir, overlays, out)
    if proc.returncode != 0:
        return [f"compose --chart exited {proc.returncode}: {proc.stderr.strip()[:300]}"]
    with open(out) as f:
        text = f.read()
    values = helm.values_from_yaml(text) or {}
    c = helm.Chart.load(chart_dir)
    # 1. Helm's validator
    try:
        c.validate_schema(copy.deepcopy(values))
    except Exception as err:  # noqa: BLE001 - Helm's error is the finding
        reasons.append("validate_schema: " + " ".join(l.strip() for l in str(err).splitlines() if l.strip())[:400])
    # 2. every key named by the schema
    with open(os.path.join(chart_dir, "values.schema.json")) as f:
        schema = json.load(f)
    names = []
    unnamed(schema, schema, values, [], names)
    if names:
        reasons.append("keys the schema does not name: " + ", ".join(names[:12]))
    # 2b. references: a guardrail rule checks content only through the providers it lists; in the
    # full composition every budget_id / rate_limit_id / customer_id names an entry that exists.
    reasons += references(values, case == "all")
    # 3. lint the composed values with the chart
    for f in lint_findings(["--chart", chart_dir, out], tmp):
        reasons.append(f"lint {os.path.basename(out)}:{f.get('line')}: {f.get('code')} {f.get('message', '')[:160]}")
    # 4. render, config.json, read back, lint the rendering
    if os.path.isdir(os.path.join(chart_dir, "templates")):
        with open(os.path.join(chart_dir, "Chart.yaml")) as f:
            app = str(load_yaml(f.read()).get("appVersion", ""))
        tagged = copy.deepcopy(values)
        tagged.setdefault("image", {})["tag"] = f"v{app}"
        try:
            rendered = c.render(tagged, name="gw", namespace="llm")
        except Exception as err:  # noqa: BLE001
            return reasons + ["render: " + str(err).strip().splitlines()[0][:300]]
        config = rendered_config(rendered)
        if config is None:
            return reasons + ["render: no config.json in a ConfigMap or Secret"]
        import jsonschema
        for err in sorted(jsonschema.Draft201909Validator(config_schema).iter_errors(config), key=lambda e: list(e.absolute_path)):
            reasons.append(f"config.schema.json at /{'/'.join(map(str, err.absolute_path))}: {err.message[:200]}")
        for name in overlays:
            reasons += [f"{name}: {m}" for m in read_back(alone[name], config)]
        stream = os.path.join(tmp, f"{chart}-{case}-rendered.yaml")
        with open(stream, "w") as f:
            for source, body in sorted(rendered.items()):
                if not source.endswith("NOTES.txt") and body.strip():
                    f.write(f"---\n# Source: {source}\n{body.strip()}\n")
        for f in lint_findings([stream], tmp):
            reasons.append(f"lint rendered:{f.get('line')}: {f.get('code')} {f.get('message', '')[:160]}")
    return reasons


def main():
    if not os.path.isdir(CHARTS):
        print(f"skipped: {CHARTS} not found (the real charts are needed for overlay conformance)")
        return 0
    with open(os.path.join(CHARTS, CONFIG_SCHEMA)) as f:
        config_schema = json.load(f)
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for chart in CHART_DIRS:
            chart_dir = os.path.join(CHARTS, chart)
            if not os.path.isdir(chart_dir):
                print(f"FAIL {chart}: not in {CHARTS}")
                failed += 1
                continue
            names = [n for n in OVERLAYS if supported(chart_dir, n)]
            for n in OVERLAYS:
                if n not in names:
                    print(f"FAIL {chart} {n}: compose --chart refuses it, but every shipped overlay supports charts >= 2.1.14")
                    failed += 1
            # Each overlay as compose gives it for this chart (the variant, when one is taken).
            alone = {}
            for n in names:
                out = os.path.join(tmp, f"{chart}-{n}-alone.yaml")
                compose(chart_dir, [n], out)
                with open(out) as f:
                    alone[n] = helm.values_from_yaml(f.read()) or {}
            for case, overlays in [(n, [n]) for n in names] + [("all", names)]:
                reasons = run_case(chart, case, overlays, alone, tmp, config_schema)
                if reasons:
                    failed += 1
                    print(f"FAIL {chart} {case}")
                    for r in reasons if VERBOSE else reasons[:12]:
                        print(f"     {r}")
                else:
                    passed += 1
                    print(f"ok   {chart} {case}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
