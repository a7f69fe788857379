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

        # --set: our parser against Helm's strvals, on top of a file.
        for expression in ["a.b=1,l={x,y},m[1]=z,e=007,f=null,g=true,h=1.5", "labels.app\\.kubernetes\\.io/name=bifrost", "list[0].name=a,list[0].port=80", "x=a\\,b", "n=0,o=-3,p="]:
            base = os.path.join(tmp, "set-base.yaml")
            with open(base, "w") as f:
                f.write("keep: 1\n")
            run = subprocess.run([BINARY, "compose", "--no-lint", "--values", base, "--set", expression], capture_output=True, text=True)
            expected = merge_maps({"keep": 1}, helm.parse_set_string(expression))
            actual = helm.values_from_yaml(run.stdout) if run.returncode == 0 else None
            if actual != expected:
                print(f"FAIL --set {expression}: {actual} != {expected} {run.stderr.strip()}")
                failures += 1
            else:
                print(f"ok   --set {expression}")

    total = len(CASES) + 5
    print(f"{total - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
