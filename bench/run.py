#!/usr/bin/env python3
"""`make bench`: times `kubectl-bifrost lint` against a bare libyaml scan of the same bytes.

Prints one `key: value` line per measurement, in a fixed order, so runs can be compared
between commits; then every output format on three streams of increasing finding density
(light: the stream above; mixed: a third of 4,000 releases old with the old governance shapes;
all-old), each as its ratio to a libyaml scan of the same bytes and its peak RSS. Best of N runs for times; peak RSS from the kernel's accounting of the child.
"""
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, ".build")
CORPUS = os.path.join(BUILD, "bench-corpus")
SCAN = os.path.join(BUILD, "bench-yamlscan")
BINARY = os.environ.get("BENCH_BINARY", os.path.join(BUILD, "release", "kubectl-bifrost"))
RELEASES = int(os.environ.get("BENCH_RELEASES", "6000"))
VIRTUAL_KEYS = int(os.environ.get("BENCH_VIRTUAL_KEYS", "20000"))
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
# The findings-dense streams (a third of the releases old, and all of them) and the runs per
# output format on each stream.
DENSE_RELEASES = int(os.environ.get("BENCH_DENSE_RELEASES", "4000"))
FORMAT_RUNS = int(os.environ.get("BENCH_FORMAT_RUNS", "5"))
FORMATS = ["text", "json", "sarif", "junit", "github"]


def run(args, stdin=None):
    """(seconds, peak RSS in KiB, exit status) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status)


def best(args, runs=RUNS):
    results = [run(args) for _ in range(runs)]
    return min(r[0] for r in results), max(r[1] for r in results), results[0][2]


def findings(path):
    """The number of findings of a run, from the JSON report's summary."""
    out = subprocess.run([BINARY, "lint", "-o", "json", path], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
    match = re.search(rb'"findings":(\d+)', out[out.rfind(b'"summary"'):])
    return int(match.group(1)) if match else -1


def per_format(label, path, releases):
    """Every output format on one stream: ratio to the libyaml scan (each format's runs take
    turns with scans) and peak RSS. One line for the stream, one per format."""
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        documents = sum(1 for line in f if line.startswith(b"---"))
    # Rounds go through every format in turn, each run after a scan: a busy spell of the
    # machine (seconds long on a shared host) then slows one run of each format, not every
    # run of one.
    scans, lints = [], {fmt: [] for fmt in FORMATS}
    for _ in range(FORMAT_RUNS):
        for fmt in FORMATS:
            scans.append(run([SCAN, path]))
            lints[fmt].append(run([BINARY, "lint", "-o", fmt, path]))
    rows = []
    for fmt in FORMATS:
        if any(r[2] not in (0, 1) for r in lints[fmt]):
            sys.exit(f"kubectl-bifrost lint -o {fmt} exited {lints[fmt][0][2]} on {path}")
        rows.append((fmt, min(r[0] for r in lints[fmt]), max(r[1] for r in lints[fmt])))
    scan_s = min(r[0] for r in scans)
    print(f"{label} stream: {size / 1e6:.1f} MB, {documents} documents, {releases} releases, {findings(path)} findings, libyaml scan {scan_s:.3f} s")
    for fmt, lint_s, kb in rows:
        print(f"{label} -o {fmt}: {lint_s / scan_s:.2f}x the libyaml scan, peak RSS {kb / 1024:.1f} MiB")


def main():
    stream = os.path.join(CORPUS, "stream.yaml")
    stamp = os.path.join(CORPUS, f"size-{RELEASES}-{VIRTUAL_KEYS}")
    if not os.path.exists(stamp):
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "corpus.py"), CORPUS, str(RELEASES), str(VIRTUAL_KEYS)], check=True)
        open(stamp, "w").close()
    size = os.path.getsize(stream)
    with open(stream, "rb") as f:
        documents = sum(1 for line in f if line.startswith(b"---"))

    # Scan and lint take turns, so a busy moment of the machine weighs on both sides of the ratio.
    scans, lints = [], []
    for _ in range(RUNS):
        scans.append(run([SCAN, stream]))
        lints.append(run([BINARY, "lint", stream]))
    if any(r[2] != 0 for r in scans):
        sys.exit("the libyaml scan failed on the corpus")
    if any(r[2] not in (0, 1) for r in lints):
        sys.exit(f"kubectl-bifrost lint exited {lints[0][2]}")
    scan_s = min(r[0] for r in scans)
    lint_s, lint_kb = min(r[0] for r in lints), max(r[1] for r in lints)
    releases_only = os.path.join(CORPUS, "releases.yaml")
    half = os.path.join(CORPUS, "releases-half.yaml")
    if not os.path.exists(half):
        with open(releases_only, "rb") as src, open(half, "wb") as dst:
            data = src.read()
            cut = data.find(b"\n---\n", len(data) // 2)
            dst.write(data[: cut + 1])
    # Every release in a namespace of its own: lookups by namespace must not scan every object.
    own = os.path.join(CORPUS, "releases-own-namespaces.yaml")
    if not os.path.exists(own):
        # Line by line: a child forked from a large bench process would report its memory as its own.
        with open(releases_only) as src, open(own, "w") as dst:
            document = -1
            for line in src:
                if line.startswith("---"):
                    document += 1
                # A release is four documents (NetworkPolicy, ConfigMap, Service, StatefulSet).
                dst.write(re.sub(r"namespace: tenant-\d+", f"namespace: release-{document // 4}", line))
    own_s, _, _ = best([BINARY, "lint", own])
    releases_s, _, _ = best([BINARY, "lint", releases_only])
    _, half_kb, _ = best([BINARY, "lint", half], runs=1)
    _, full_kb, _ = best([BINARY, "lint", releases_only], runs=1)

    small = os.path.join(ROOT, "charts-fixtures", "2.1.14", "chart", "values.yaml")
    startup = min(run([BINARY, "lint", small])[0] for _ in range(10))

    mb = size / 1e6
    ratio = lint_s / scan_s
    print(f"corpus: {mb:.1f} MB, {documents} documents ({RELEASES} releases, {VIRTUAL_KEYS} virtual keys)")
    print(f"libyaml scan: {scan_s:.3f} s ({mb / scan_s:.1f} MB/s)")
    print(f"kubectl-bifrost lint: {lint_s:.3f} s ({mb / lint_s:.1f} MB/s)")
    print(f"ratio to libyaml: {ratio:.2f}x (target <= 2.5x)")
    # The kernel counts RSS in KiB: printed in MiB, as it always was (it was labelled MB before).
    print(f"peak RSS: {lint_kb / 1024:.1f} MiB (target < 64 MiB)")
    print(f"peak RSS, releases only: {half_kb / 1024:.1f} MiB at half, {full_kb / 1024:.1f} MiB at all {RELEASES}")
    print(f"startup, one small file: {startup * 1000:.1f} ms (target < 20 ms)")
    print(f"releases only: {releases_s:.3f} s shared namespaces, {own_s:.3f} s a namespace each")

    # Every format at every finding density (targets as above: <= 2.5x, < 64 MiB).
    per_format("light", stream, RELEASES)
    for label, every in (("mixed", 3), ("all-old", 1)):
        dense = os.path.join(CORPUS, f"dense-{DENSE_RELEASES}-{every}.yaml")
        if not os.path.exists(dense):
            subprocess.run([sys.executable, os.path.join(ROOT, "bench", "corpus.py"), "--dense", CORPUS, str(DENSE_RELEASES), str(every)], check=True)
        per_format(label, dense, DENSE_RELEASES)


if __name__ == "__main__":
    main()
