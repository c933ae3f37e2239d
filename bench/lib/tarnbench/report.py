"""Rows of figures, the markdown table and the JSON file."""
import json
import os

from .stats import fmt, summarize
from . import sysinfo


class Results:
    def __init__(self):
        self.rows = []
        self.cpu = []
        self.errors = {}
        self.notes = []

    def add(self, scenario, metric, unit, tarn, baseline_name, baseline, *, higher_is_better,
            target=None, note=None):
        """One figure: Tarn's runs against a baseline's runs on the same data (baseline may be None)."""
        t = summarize(tarn if isinstance(tarn, list) else [tarn])
        b = summarize(baseline if isinstance(baseline, list) else [baseline]) if baseline is not None else None
        ratio = t["median"] / b["median"] if t and b and b["median"] else None
        row = {"scenario": scenario, "metric": metric, "unit": unit, "tarn": t,
               "baseline_name": baseline_name, "baseline": b, "ratio": ratio,
               "higher_is_better": higher_is_better, "target": target, "note": note}
        self.rows.append(row)
        return row

    def add_client_cpu(self, scenario, what, server, fractions):
        """CPU used by a client other than wrk (curl), as a fraction of one core."""
        self.cpu.append({"scenario": scenario, "what": what, "server": server,
                         "wrk_cpu": summarize(fractions), "server_cpu": None})

    def add_cpu(self, scenario, what, server, runs):
        """CPU used by wrk and the server during wrk runs (fraction of one core)."""
        self.cpu.append({"scenario": scenario, "what": what, "server": server,
                         "wrk_cpu": summarize([r["wrk_cpu"] for r in runs]),
                         "server_cpu": summarize([r["server_cpu"] for r in runs if r.get("server_cpu") is not None])})


def _spread(s):
    if not s or len(s["runs"]) < 2:
        return "1 run"
    return f"{fmt(s['min'])}–{fmt(s['max'])} (n={len(s['runs'])})"


def markdown(info, results, params):
    lines = ["# Tarn benchmark results", ""] + sysinfo.header_lines(info) + [
        f"- size: {params['size']} ({params['describe']}); runs per figure: {params['runs']} (median; "
        f"spread = min–max over the runs)",
        f"- cores: {params['cpus_note']}",
        f"- Tarn sync (database.local.sync_writes, blockstore.local.sync): {'on' if params.get('tarn_sync', True) else 'off (--no-sync)'}",
        "",
        "| scenario | metric | Tarn (median) | Tarn spread | baseline | baseline (median) | Tarn/baseline | better | target |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results.rows:
        b = r["baseline"]
        lines.append("| {} | {} | {} | {} | {} | {} | {} | {} | {} |".format(
            r["scenario"], r["metric"], fmt(r["tarn"]["median"] if r["tarn"] else None, r["unit"]),
            _spread(r["tarn"]), r["baseline_name"] or "—",
            fmt(b["median"], r["unit"]) + (f" ({fmt(b['min'])}–{fmt(b['max'])})" if b and len(b["runs"]) > 1 else "")
            if b else "—",
            f"{r['ratio']:.2f}x" if r["ratio"] is not None else "—",
            "higher" if r["higher_is_better"] else "lower", r["target"] or ""))
    if results.cpu:
        lines += ["", "CPU during the load runs (fraction of one core, median over runs): the load generator "
                  "(wrk, or curl for the large transfers) must not be the bottleneck.", "",
                  "| scenario | run | server | server CPU | client CPU |", "|---|---|---|---|---|"]
        for c in results.cpu:
            lines.append(f"| {c['scenario']} | {c['what']} | {c['server']} | "
                         f"{fmt(c['server_cpu']['median']) if c['server_cpu'] else '—'} | "
                         f"{fmt(c['wrk_cpu']['median']) if c['wrk_cpu'] else '—'} |")
    if results.notes:
        lines += [""] + [f"- {n}" for n in results.notes]
    if results.errors:
        lines += ["", "## Failed scenarios", ""]
        for name, err in results.errors.items():
            first = err.strip().splitlines()[-1] if err.strip() else "error"
            lines.append(f"- **{name}**: {first}")
    return "\n".join(lines) + "\n"


def write(out_dir, stamp, info, results, params):
    os.makedirs(out_dir, exist_ok=True)
    md = markdown(info, results, params)
    base = os.path.join(out_dir, f"{stamp}-{params['size']}")
    with open(base + ".md", "w") as f:
        f.write(md)
    with open(base + ".json", "w") as f:
        json.dump({"machine": info, "params": params, "rows": results.rows, "cpu": results.cpu,
                   "notes": results.notes, "errors": results.errors}, f, indent=2)
    return md, base
