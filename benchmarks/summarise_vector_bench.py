#!/usr/bin/env python3
"""Summarises vector_search_bench results as Markdown tables (issue 6).

  python3 summarise_vector_bench.py RESULTS.json   # from --benchmark_format=json
                                                   # or --benchmark_out=RESULTS.json
  python3 summarise_vector_bench.py --check RESULTS.json
  python3 summarise_vector_bench.py --smoke PATH/TO/vector_search_bench

--check exits non-zero unless every expected method reported without error
and every recall@10 is in [0, 1]. --smoke runs the benchmark at 2,000 firms
with a tiny min time into a scratch cache dir, then checks its JSON. Neither
asserts any timing. Standard library only.
"""

import json
import os
import subprocess
import sys
import tempfile

EXPECTED_FAMILIES = [
    "floor/sum_floats", "floor/scalar_read", "exact_scan/kernel", "faiss_flat/single",
    "faiss_flat/batch1000", "faiss_hnsw/ef:16", "faiss_hnsw/ef:128", "faiss_ivf/nprobe:8",
    "faiss_ivf/nprobe:64", "hnswlib/ef:16", "hnswlib/ef:128", "hnswlib_postfilter/auto",
    "cm_exact/exact", "cm_hnsw/ef:16", "cm_hnsw/ef:128", "cm_hnsw_sq8/ef:16",
    "cm_hnsw_sq8/ef:128", "cm_hnsw_grown/ef:64", "build/faiss_hnsw", "build/faiss_ivf", "build/hnswlib_1thread",
    "build/hnswlib", "build/cm_exact_exact", "build/cm_hnsw_ef:64", "build/cm_hnsw_sq8_ef:64",
    "build/cm_hnsw_grown_ef:64",
]
SCOPE_COLUMNS = {"all": 0, "visible": 0, "quarter": 1, "one_percent": 2}


def parse_name(run):
    """(method, param, scope) from a name like 'cm_hnsw/ef:16/quarter/real_time/threads:2'."""
    parts = [p for p in run["run_name"].split("/")
             if p != "real_time" and not p.startswith("threads:")
             and not p.startswith("iterations:")]
    return parts[0], parts[1], parts[2]


def load_runs(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    runs = [b for b in doc["benchmarks"] if b.get("run_type", "iteration") == "iteration"]
    return doc.get("context", {}), runs


def check(path):
    _, runs = load_runs(path)
    problems = []
    seen = set()
    for run in runs:
        method, param, scope = parse_name(run)
        seen.add(method + "/" + param)
        if run.get("error_occurred"):
            problems.append("%s: %s" % (run["name"], run.get("error_message", "error")))
        if method not in ("floor", "build"):
            recall = run.get("recall@10")
            if recall is None or not 0.0 <= recall <= 1.0:
                problems.append("%s: recall@10 %r outside [0, 1]" % (run["name"], recall))
            if scope not in SCOPE_COLUMNS:
                problems.append("%s: unknown scope %s" % (run["name"], scope))
    for family in EXPECTED_FAMILIES:
        if family not in seen:
            problems.append("missing benchmark " + family)
    for p in problems:
        print("FAIL:", p)
    print("checked %d runs: %s" % (len(runs), "ok" if not problems else "%d problems" % len(problems)))
    return 1 if problems else 0


def smoke(binary):
    with tempfile.TemporaryDirectory(prefix="vector_bench_smoke") as scratch:
        out = os.path.join(scratch, "results.json")
        env = dict(os.environ, CM_BENCH_N="2000", CM_BENCH_CACHE=os.path.join(scratch, "cache"),
                   OPENBLAS_NUM_THREADS="1")
        subprocess.run([binary, "--benchmark_min_time=0.01", "--benchmark_out=" + out,
                        "--benchmark_out_format=json"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        status = check(out)
        if status == 0:
            print(summarise(out))
        return status


def fmt(value, pattern="%.0f"):
    return "–" if value is None else pattern % value


def triple(values, pattern):
    return " / ".join(fmt(v, pattern) for v in values)


def summarise(path):
    context, runs = load_runs(path)
    rows = {}     # (method, param) -> {"recall": [3], "qps1": [3], "qps2": [3], ...}
    builds = []
    floor = {}    # threads -> GB/s of SumFloats
    order = []
    for run in runs:
        method, param, scope = parse_name(run)
        threads = run.get("threads", 1)
        if method == "build":
            builds.append((param, run.get("build_threads", 0), run.get("build_s"),
                           run.get("build_firms_per_s"), run.get("bytes_per_firm")))
            continue
        key = (method, param)
        if key not in rows:
            rows[key] = {"recall": [None] * 3, "qps1": [None] * 3, "qps2": [None] * 3,
                         "cpu1": [None] * 3,
                         "gbs": {}, "extra": "", "bytes": None}
            order.append(key)
        row = rows[key]
        column = SCOPE_COLUMNS.get(scope, 0)
        if "recall@10" in run and threads == 1:
            row["recall"][column] = run["recall@10"]
        if "QPS" in run:
            row["qps%d" % min(threads, 2)][column] = run["QPS"]
            if threads == 1 and run.get("cpu_time"):
                # Queries per CPU second: what one core would do if the
                # process had it alone (the QPS above is per wall second).
                row["cpu1"][column] = run["QPS"] * run["real_time"] / run["cpu_time"]
        if "bytes_per_firm" in run:
            row["bytes"] = run["bytes_per_firm"]
        if "GB/s" in run:
            row["gbs"][threads] = run["GB/s"]
            if key == ("floor", "sum_floats"):
                floor[threads] = run["GB/s"]
        if method == "hnswlib_postfilter" and threads == 1:
            row["extra"] += " %s: ×%.1f (fetch %d)" % (scope, run.get("overfetch", 0),
                                                       run.get("fetch", 0))

    def hnswlib_at(recall, column):
        """QPS (1 thread) of the cheapest hnswlib run reaching `recall`, or the best one."""
        if column == 0:
            peers = [r for (m, _), r in rows.items() if m == "hnswlib"]
        else:
            peers = [r for (m, _), r in rows.items() if m == "hnswlib_postfilter"]
        peers = [(p["recall"][column], p["qps1"][column]) for p in peers
                 if p["recall"][column] is not None and p["qps1"][column]]
        if not peers or recall is None:
            return None, ""
        reaching = [p for p in peers if p[0] >= recall - 0.005]
        if reaching:
            return max(reaching, key=lambda p: p[1])[1], ""
        best = max(peers, key=lambda p: p[0])
        return best[1], "*"

    lines = []
    lines.append("vector_search_bench: %s firms, d=%s, model: %s, kernels: %s" % (
        context.get("cm_firms", "?"), context.get("cm_dimension", "?"),
        context.get("cm_model", "?"), context.get("cm_kernel_isa", "?")))
    for name in ("all", "visible", "quarter", "one_percent"):
        if "cm_scope_" + name in context:
            lines.append("- scope %s: %s" % (name, context["cm_scope_" + name]))
    lines.append("")
    lines.append("Columns with three values are unfiltered / 25% filter / 1% filter. Unfiltered is "
                 "'all' for Faiss and hnswlib and 'visible' (hidden firms excluded) for "
                 "FirmVectorIndex (cm_*). Ratio: QPS (1 thread) over the fastest hnswlib run "
                 "(unfiltered: native ef sweep; filtered: over-fetch + post-filter) whose recall "
                 "reaches this row's (within 0.005); * = hnswlib never reaches it, compared "
                 "with its highest-recall run. Bytes/firm: FirmVectorIndex::MemoryBytes over "
                 "the firms (four fields' rows and graphs, slots, maps; cm_* only).")
    lines.append("")
    lines.append("| method | params | recall@10 | QPS 1 thread | QPS 2 threads | "
                 "QPS per CPU s, 1 thread | ratio to hnswlib | GB/s (% of floor) | bytes/firm |")
    lines.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for key in order:
        method, param = key
        row = rows[key]
        ratios = []
        for column in range(3):
            peer, mark = hnswlib_at(row["recall"][column], column)
            mine = row["qps1"][column]
            ratios.append("–" if peer is None or mine is None else "%.2f%s" % (mine / peer, mark))
        gbs = []
        for threads in sorted(row["gbs"]):
            value = row["gbs"][threads]
            share = ""
            if method != "floor" or param != "sum_floats":
                if floor.get(threads):
                    share = " (%.0f%%)" % (100.0 * value / floor[threads])
            gbs.append("%dt %.1f%s" % (threads, value, share))
        recall = triple(row["recall"], "%.3f")
        if method == "floor":
            recall = "–"
        lines.append("| %s | %s%s | %s | %s | %s | %s | %s | %s | %s |" % (
            method, param, row["extra"], recall, triple(row["qps1"], "%.0f"),
            triple(row["qps2"], "%.0f"), triple(row["cpu1"], "%.0f"),
            " / ".join(ratios) if method != "floor" else "–",
            ", ".join(gbs) if gbs else "–", fmt(row["bytes"])))
    lines.append("")
    lines.append("| build | threads | seconds | firms/s | bytes/firm |")
    lines.append("| --- | --- | --- | --- | --- |")
    for param, threads, seconds, rate, memory in builds:
        lines.append("| %s | %s | %s | %s | %s |" % (param, fmt(threads), fmt(seconds, "%.2f"),
                                                    fmt(rate), fmt(memory)))
    return "\n".join(lines)


def main(argv):
    if len(argv) == 3 and argv[1] == "--check":
        return check(argv[2])
    if len(argv) == 3 and argv[1] == "--smoke":
        return smoke(argv[2])
    if len(argv) == 2:
        print(summarise(argv[1]))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
