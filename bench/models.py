"""Model-engine benchmark: every built-in model at scale 1 and 10, against the same SQL run bare.

For each scale the synthetic drop (``jiancha.synth``) is generated and ingested
once into a workspace under ``--workdir`` (kept for later runs). Then, each in a
fresh subprocess so peak RSS is its own:

- **bare**: the rendered SQL of each model run with ``duckdb`` alone on a read-only
  connection (reference and derived tables registered first, derived time reported apart);
- **engine**: ``run_models`` exactly as ``jiancha run`` does it (sandboxed connection,
  Ibis, severity, evidence rows, findings), with an in-memory sink instead of the store.

Targets: all models at scale 10 in < 60 s, peak RSS < 4 GB, engine within 1.15x of
bare. The ratio compares the sum of the engine's per-model times (query, severity,
evidence rows, findings, skipped subjects) with the sum of the bare SQL times (the
model's query and its skipped-subjects query); derived tables are computed once
before the models in both and reported apart. The same ratio over CPU time (all of
the process's threads) is printed beside it, with the load average: on a shared
machine the wall-clock ratio moves with the neighbours' load, CPU time much less.
Bare and engine alternate ``--repeat`` times (3) and each model's best time counts.
Run by ``make bench`` (not by the tests): ``python bench/models.py [--scales 1 10]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from rich.console import Console
from rich.table import Table

TARGET_SECONDS = 60.0
TARGET_RSS_GB = 4.0
TARGET_RATIO = 1.15

PLAN = """
import json, sys
from jiancha.models.asof import latest_date
from jiancha.models.catalog import Catalog
from jiancha.models.compile import model_sql
from jiancha.models.engine import DuckDBEngine
from jiancha.models.parameters import render, resolve
engine = DuckDBEngine(__import__("pathlib").Path(sys.argv[1]))
catalog = Catalog.load()
as_of = latest_date(engine, engine.tables())
def skipped(m):
    path = m.skipped_path
    return [render(m, path.read_text("utf-8"), resolve(m), as_of, path.name)] if path else []
plan = {
    "as_of": as_of.isoformat(),
    "models": {m.id: {"sql": [model_sql(m, None, resolve(m), as_of), *skipped(m)], "derived": m.spec.derived}
               for m in catalog.models.values() if m.sql_path is not None},
    "references": {name: str(path) for name, path in catalog.references.items()},
}
print(json.dumps(plan))
"""

BARE = """
import json, resource, sys, time
import duckdb
from pyarrow import csv
from jiancha.models.derived import DERIVED_TABLES
plan = json.load(open(sys.argv[2]))
con = duckdb.connect(sys.argv[1], read_only=True)
for name, path in plan["references"].items():
    con.register(name, csv.read_csv(path))
derived = {}
for name in sorted({d for m in plan["models"].values() for d in m["derived"]}):
    start = time.perf_counter()
    con.register(name, DERIVED_TABLES[name].load()(con))
    derived[name] = time.perf_counter() - start
seconds, cpu, rows = {}, {}, {}
for model_id, model in plan["models"].items():
    start, start_cpu = time.perf_counter(), time.process_time()
    rows[model_id] = [con.sql(sql).to_arrow_table().num_rows for sql in model["sql"]][0]
    seconds[model_id] = time.perf_counter() - start
    cpu[model_id] = time.process_time() - start_cpu
rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "cpu": cpu, "rows": rows, "derived": derived, "rss_kb": rss_kb}))
"""

ENGINE = """
import json, resource, sys, time
from datetime import date
from pathlib import Path
from jiancha.models.catalog import Catalog
from jiancha.models.engine import DuckDBEngine
from jiancha.models.runner import RunSettings, run_models
from jiancha.models.testing import CollectingSink
start = time.perf_counter()
engine = DuckDBEngine(Path(sys.argv[1]))
settings = RunSettings(as_of=date.fromisoformat(sys.argv[2]))
cpu = {}
def started(model):
    cpu[model.id] = time.process_time()
def finished(model, record):
    cpu[model.id] = time.process_time() - cpu[model.id]
run = run_models(engine, Catalog.load(), CollectingSink(), None, settings, finished, started)
total = time.perf_counter() - start
rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
models = {r.model_id: {"seconds": r.seconds, "cpu": cpu.get(r.model_id, 0.0), "findings": r.findings,
                       "status": r.status, "message": r.message}
          for r in run.models}
print(json.dumps({"total": total, "models": models, "rss_kb": rss_kb}))
"""


def child(script: str, *args: str) -> dict:
    """Run ``script`` in a fresh interpreter and return the JSON it prints."""
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"benchmark step failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def generator_fingerprint() -> str:
    """A short hash of the generator's and ingestion's code: cached data made by other code is not reused."""
    import jiancha.ingest
    import jiancha.synth

    digest = hashlib.sha256()
    for package in (jiancha.synth, jiancha.ingest):
        for source in sorted(Path(package.__file__).parent.glob("*.py")):
            digest.update(source.read_bytes())
    return digest.hexdigest()[:10]


def prepare(workdir: Path, scale: float, seed: int, console: Console) -> Path:
    """The lake of a workspace holding the synthetic drop at ``scale`` (built once per generator
    version, then reused)."""
    from jiancha.ingest import ingest_drop
    from jiancha.synth import generate
    from jiancha.workspace import Workspace

    folder = workdir / f"scale-{scale:g}-seed-{seed}-{generator_fingerprint()}"
    workspace = Workspace.resolve(folder / "home")
    if not workspace.lake_path.exists():
        console.print(f"scale {scale:g}: generating and ingesting the synthetic drop into {folder} …")
        start = time.perf_counter()
        generate(folder / "synth", seed, scale)
        ingest_drop(workspace, folder / "synth" / "drop", progress=False)
        console.print(f"scale {scale:g}: data ready in {time.perf_counter() - start:.0f} s")
    return workspace.lake_path


def measure(lake: Path, workdir: Path, repeat: int) -> dict:
    """Bare SQL, then the engine, each in its own process, ``repeat`` times in turn; the best of each.

    A neighbour's burst slows whichever side runs during it; keeping each model's fastest wall
    and CPU time over alternating rounds compares the two sides rather than the moments they ran.
    """
    plan = child(PLAN, str(lake))
    plan_path = workdir / f"{lake.parent.parent.name}-plan.json"
    plan_path.write_text(json.dumps(plan), "utf-8")
    bares, engines = [], []
    for _ in range(repeat):
        bares.append(child(BARE, str(lake), str(plan_path)))
        engines.append(child(ENGINE, str(lake), plan["as_of"]))
    bare = {
        **bares[0],
        "seconds": _fastest(b["seconds"] for b in bares),
        "cpu": _fastest(b["cpu"] for b in bares),
        "derived": _fastest(b["derived"] for b in bares),
        "rss_kb": max(b["rss_kb"] for b in bares),
    }
    engine = {
        **engines[0],
        "total": min(e["total"] for e in engines),
        "rss_kb": max(e["rss_kb"] for e in engines),
        "models": {
            model_id: {
                **record,
                "seconds": min(e["models"][model_id]["seconds"] for e in engines),
                "cpu": min(e["models"][model_id]["cpu"] for e in engines),
            }
            for model_id, record in engines[0]["models"].items()
        },
    }
    return {"as_of": plan["as_of"], "bare": bare, "engine": engine, "load": _load_average()}


def _fastest(rounds: Iterable[dict[str, float]]) -> dict[str, float]:
    """Per key, the smallest value over the rounds."""
    best: dict[str, float] = {}
    for times in rounds:
        for key, value in times.items():
            best[key] = min(value, best.get(key, value))
    return best


def _load_average() -> str:
    """The machine's 1/5/15-minute load average: on a shared machine, wall times mean little without it."""
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def report(results: dict[float, dict], console: Console) -> bool:
    """Print per-model times and the totals against the targets; True when every target is met."""
    scales = sorted(results)
    table = Table(title="Model engine: seconds per model (engine / bare SQL) and findings")
    table.add_column("model")
    for scale in scales:
        table.add_column(f"scale {scale:g} engine", justify="right")
        table.add_column(f"scale {scale:g} bare", justify="right")
        table.add_column(f"scale {scale:g} findings", justify="right")
    model_ids = sorted({m for r in results.values() for m in r["engine"]["models"]})
    for model_id in model_ids:
        cells = []
        for scale in scales:
            record = results[scale]["engine"]["models"].get(model_id, {})
            bare = results[scale]["bare"]["seconds"].get(model_id)
            status = "" if record.get("status") == "ok" else f" ({record.get('status')})"
            cells += [f"{record.get('seconds', 0):.2f}{status}", f"{bare:.2f}" if bare is not None else "–"]
            cells.append(str(record.get("findings", "")))
        table.add_row(model_id, *cells)
    console.print(table)
    ok = True
    for scale in scales:
        result = results[scale]
        models = result["engine"]["models"]
        engine_models = sum(m["seconds"] for m in models.values())
        derived = sum(result["bare"]["derived"].values())
        bare = sum(result["bare"]["seconds"].values())
        ratio = engine_models / bare if bare else float("nan")
        engine_cpu = sum(m["cpu"] for m in models.values())
        bare_cpu = sum(result["bare"]["cpu"].values())
        cpu_ratio = engine_cpu / bare_cpu if bare_cpu else float("nan")
        rss_gb = max(result["engine"]["rss_kb"], result["bare"]["rss_kb"]) / 1024**2
        errors = [m for m, r in models.items() if r["status"] == "error"]
        console.print(
            f"scale {scale:g} (as of {result['as_of']}): engine total {result['engine']['total']:.1f} s "
            f"(models {engine_models:.1f} s); bare SQL {bare:.1f} s "
            f"(derived tables {derived:.1f} s before it); "
            f"ratio {ratio:.2f}; CPU time engine {engine_cpu:.1f} s, bare {bare_cpu:.1f} s, "
            f"ratio {cpu_ratio:.2f}; load average {result['load']}; "
            f"peak RSS engine {result['engine']['rss_kb'] / 1024**2:.2f} GB, "
            f"bare {result['bare']['rss_kb'] / 1024**2:.2f} GB; errors: {', '.join(errors) or 'none'}"
        )
        if scale == max(scales):
            checks = {
                f"all models < {TARGET_SECONDS:g} s": result["engine"]["total"] < TARGET_SECONDS,
                f"peak RSS < {TARGET_RSS_GB:g} GB": rss_gb < TARGET_RSS_GB,
                f"engine / bare <= {TARGET_RATIO}": ratio <= TARGET_RATIO,
                "no model failed": not errors,
            }
            for name, passed in checks.items():
                console.print(f"  {'✓' if passed else '✗'} {name}")
            ok = all(checks.values())
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scales", type=float, nargs="+", default=[1, 10])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="rounds of bare and engine; the best counts")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/jiancha-bench-models"))
    args = parser.parse_args()
    console = Console()
    args.workdir.mkdir(parents=True, exist_ok=True)
    results = {}
    for scale in args.scales:
        lake = prepare(args.workdir, scale, args.seed, console)
        results[scale] = measure(lake, args.workdir, args.repeat)
    sys.exit(0 if report(results, console) else 1)


if __name__ == "__main__":
    main()
