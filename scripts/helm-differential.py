#!/usr/bin/env python3
"""Differential test of `kubectl-bifrost compose` against Helm's own Go code.

helm-python-sdk bundles Helm v4's SDK: `values_from_yaml` is Helm's `-f` reader, and
`Chart.merge_values` its coalescing with chart defaults. For each case, what Helm makes of the
composed file must equal what it makes of the inputs merged the way `helm install -f a -f b`
merges them (Helm's mergeMaps, re-stated below), both as user values and after coalescing with a
chart's defaults. Prints one line per case and a closing count; exits 1 on any difference.
"""
import json
import os
import subprocess
import sys
import tempfile

import helm_python as helm

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.environ.get("KUBECTL_BIFROST", os.path.join(ROOT, ".build", "debug", "kubectl-bifrost"))
OVERLAYS = ["guardrails", "organizational-governance", "access-profiles", "customer-budgets",
            "teams", "multi-customer-governance", "scim-sso"]


def merge_maps(a, b):
    """Helm's pkg/cli/values mergeMaps: later files win, maps merge, everything else replaces."""
    out = dict(a)
    for k, v in b.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = merge_maps(out[k], v)
        else:
            out[k] = v
    return out


CASES = {
    "yaml 1.1 keys and values": [
        "y: 1\nn: 2\non: 3\nenabled: yes\ndisabled: Off\nflag: Y\n",
        "nested:\n  on: true\n  'on': quoted\n",
    ],
    "numbers and number-like strings": [
        "v: 1.10\nvs: \"1.10\"\noct: 0755\nocts: \"0755\"\nhex: 0x1F\nexp: 1e3\nneg: -0\nbig: 18446744073709551616\nplus: +12\n",
        "under: 1_000\nfloat: 2.50\nver: 2.1.14\nts: 2026-01-01\n",
    ],
    "nulls replace and stay": [
        "a: {b: 1, c: {d: 2}}\nkeep: 1\n",
        "a: {b: null, c: ~}\n",
        "keep: null\n",
    ],
    "lists replace, maps merge": [
        "l: [1, 2, 3]\nm: {x: [a], y: {z: 1}}\n",
        "l: []\nm: {x: {now: map}, y: {w: 2}}\n",
    ],
    "anchors, aliases and merge keys": [
        "defaults: &d {weight: 1, models: ['*']}\nkeys:\n  - <<: *d\n    name: a\n  - <<: *d\n    name: b\n    weight: 2\nalias: *d\n",
    ],
    "strings that need quoting": [
        "a: '#hash'\nb: 'x: y'\nc: '-dash'\nd: ''\ne: 'null'\nf: '~'\ng: ' padded '\nh: \"multi\\nline\"\ni: '*star'\nj: '@at'\nk: \"tab\\there\"\nl: '日本語'\nm: 'a #b'\n",
    ],
    "empty documents and maps": [
        "",
        "a: {}\nb: []\n",
        "a: {c: 1}\n",
    ],
    "the enterprise overlays": [os.path.join(ROOT, "overlays", f"{n}.yaml") for n in OVERLAYS],
    "the enterprise overlays, reversed": [os.path.join(ROOT, "overlays", f"{n}.yaml") for n in reversed(OVERLAYS)],
}
for name in OVERLAYS:
    CASES[f"overlay {name}"] = [os.path.join(ROOT, "overlays", f"{name}.yaml")]

def set_key(k):
    """A map key as --set text: the characters strvals stops at are escaped."""
    return "".join("\\" + c if c in "\\.[=,{}" else c for c in k)


def set_value(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    assert isinstance(v, str) and helm.parse_set_string("x=" + set_key(v))["x"] == v, v
    return set_key(v)


def as_set(tree, prefix=""):
    """--set items that build `tree` from nothing (its scalars must read back as themselves)."""
    def at(path, v):
        if isinstance(v, dict):
            return as_set(v, path + ".")
        if isinstance(v, list):
            return [item for i, x in enumerate(v) for item in at(f"{path}[{i}]", x)]
        return [f"{path}={set_value(v)}"]
    return [item for k, v in tree.items() for item in at(prefix + set_key(k), v)]


# --set applied into the merged values, as Helm's values.Options.MergeValues applies it
# (strvals.ParseInto(expression, base) per flag). Helm's SDK here only parses from nothing, so
# the base is written as --set items in front of the expressions: one parse that builds the
# base and then applies them is ParseInto on that base. Each case: base values, --set flags.
DEEP = ".".join(["k"] * 30)
SET_CASES = [
    ({"keep": 1}, ["a.b=1,l={x,y},m[1]=z,e=007,f=null,g=true,h=1.5"]),
    ({"keep": 1}, ["labels.app\\.kubernetes\\.io/name=bifrost"]),
    ({"keep": 1}, ["list[0].name=a,list[0].port=80"]),
    ({"keep": 1}, ["x=a\\,b"]),
    ({"keep": 1}, ["n=0,o=-3,p="]),
    # typing: Helm's typedVal
    ({}, ["a=1,b=TRUE,c=Null,d=0,e=007,f=1.5,g=-3,h=+5,i=-0,j=9223372036854775808,k=fal\u017fe,l=1_000,m=0x1F"]),
    ({}, ["a=x=y,b= padded ,c=\u65e5\u672c,\u043a\u043b\u044e\u0447=1"]),
    ({}, ["a=b\\"]),
    ({}, ["a=1,"]),
    # lists in braces
    ({}, ["l={}"]), ({}, ["l={,}"]), ({}, ["l={a,b},m=1"]), ({}, ["l={a\\,b}"]),
    ({}, ["l={1,2}.b=1"]), ({}, ["l={a"]), ({}, ["l={x,y}z"]),
    # paths through what the base already holds
    ({"a": 1}, ["a.b=1"]),
    ({"a": "text"}, ["a[0]=1"]),
    ({"l": [1, 2]}, ["l.b=1"]),
    ({"m": {"x": 1}}, ["m[0]=1"]),
    ({"e": None}, ["e.x=1"]),
    ({"e": None}, ["e[0]=1"]),
    ({"m": {"a": {"b": 1}}}, ["m.a.c=2"]),
    ({"m": {"x": 1}}, ["m.=1"]),
    ({"l": [{"x": 1}, {"y": 2}]}, ["l[1].z=3"]),
    ({"l": [1, 2]}, ["l[3]=4"]),
    ({"l": [1]}, ["l[0].a=1"]),
    ({"l": [1, None, 3]}, ["l[1][0]=x"]),
    ({"l": [1, None, 3]}, ["l[0][0]=x"]),
    ({"l": [[1, 2]]}, ["l[0][1]=x"]),
    ({"a": 1}, ["a=null"]),
    ({"a": {"b": 1}}, ["a=1"]),
    # keys Helm drops or refuses
    ({"keep": 1}, ["=1"]), ({"keep": 1}, [".a=1"]), ({"keep": 1}, ["[0]=1"]),
    ({}, ["a.=1"]), ({}, ["a..b=1"]),
    ({}, ["a"]), ({}, ["a.b"]), ({}, ["a,b=1"]), ({}, ["a=1,,b=2"]), ({}, ["a=1,b"]),
    # indices
    ({}, ["l[65536]=1"]), ({}, ["l[65537]=1"]), ({}, ["l[-1]=1"]), ({}, ["l[x]=1"]), ({}, ["l[+1]=2"]),
    ({}, ["l[0]x=1"]), ({}, ["l[2]=1,l[0][0]=1"]),
    # text that ends early
    ({}, ["a[0]"]), ({}, ["a[1"]), ({}, ["a."]), ({}, ["a[0]."]), ({}, ["a[0][1]"]), ({}, ["a[0]=1,a[0]."]),
    # nesting: 30 names below the first are allowed, 31 are not
    ({}, [f"x.{DEEP}=1"]), ({}, [f"x.{DEEP}.k=1"]), ({}, [f"l[0].{DEEP}=1"]),
    # several flags apply in order
    ({"keep": 1}, ["a.b=1", "a.c=2"]),
    ({"keep": 1}, ["a=1", "a.b=2"]),
    ({"keep": 1}, ["l={1,2}", "l[3]=4"]),
]


def check_sets(tmp):
    failures = 0
    for n, (base, expressions) in enumerate(SET_CASES):
        base_file = os.path.join(tmp, f"set-base-{n}.yaml")
        with open(base_file, "w") as f:
            json.dump(base, f)
        prefix = as_set(base)
        assert helm.parse_set_string(",".join(prefix)) == helm.values_from_yaml(json.dumps(base)), base
        try:
            expected = helm.parse_set_string(",".join(prefix + expressions))
        except helm.HelmError as error:
            expected = f"error: {error}"
        args = [BINARY, "compose", "--no-lint", "--values", base_file]
        for e in expressions:
            args += ["--set", e]
        run = subprocess.run(args, capture_output=True, text=True)
        actual = helm.values_from_yaml(run.stdout) if run.returncode == 0 else f"error: {run.stderr.strip()}"
        label = f"--set {' --set '.join(expressions)} on {json.dumps(base)}"[:160]
        same = actual == expected or (isinstance(actual, str) and isinstance(expected, str))
        if run.returncode not in (0, 2):
            same = False
        if not same:
            print(f"FAIL {label}\n  helm:    {str(expected)[:300]}\n  compose: {str(actual)[:300]}")
            failures += 1
        else:
            print(f"ok   {label}" + ("  (both reject)" if isinstance(actual, str) else ""))
    return failures


# Chart defaults that the inputs override, null out or leave alone.
DEFAULTS = "a:\n  b: default\n  z: kept\nkeep: default\nl: [d]\nbifrost:\n  logLevel: info\n  scim: {enabled: false}\n"


def main():
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        chart_dir = os.path.join(tmp, "chart")
        os.makedirs(os.path.join(chart_dir, "templates"))
        with open(os.path.join(chart_dir, "Chart.yaml"), "w") as f:
            f.write("apiVersion: v2\nname: differential\nversion: 0.1.0\n")
        with open(os.path.join(chart_dir, "values.yaml"), "w") as f:
            f.write(DEFAULTS)
        chart = helm.Chart.load(chart_dir)

        for name, inputs in CASES.items():
            paths = []
            for i, item in enumerate(inputs):
                if os.path.exists(item):
                    paths.append(item)
                    continue
                path = os.path.join(tmp, f"{len(paths)}-{i}.yaml")
                with open(path, "w") as f:
                    f.write(item)
                paths.append(path)
            args = [BINARY, "compose", "--no-lint", "--values", paths[0]]
            for p in paths[1:]:
                args += ["--overlay", p]
            run = subprocess.run(args, capture_output=True, text=True)
            if run.returncode != 0:
                print(f"FAIL {name}: compose exited {run.returncode}: {run.stderr.strip()}")
                failures += 1
                continue
            expected = {}
            for p in paths:
                with open(p) as f:
                    expected = merge_maps(expected, helm.values_from_yaml(f.read()))
            actual = helm.values_from_yaml(run.stdout)
            if actual != expected:
                print(f"FAIL {name}: Helm reads the composition differently")
                print("  inputs:   " + json.dumps(expected, sort_keys=True)[:2000])
                print("  composed: " + json.dumps(actual, sort_keys=True)[:2000])
                failures += 1
                continue
            if chart.merge_values(actual) != chart.merge_values(expected):
                print(f"FAIL {name}: coalescing with chart defaults differs")
                failures += 1
                continue
            print(f"ok   {name}")

        failures += check_sets(tmp)

    total = len(CASES) + len(SET_CASES)
    print(f"{total - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
