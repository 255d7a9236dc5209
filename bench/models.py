"""Model-run benchmark: ``jiancha run`` as a whole process against the same models as raw DuckDB SQL.

For each scale the synthetic drop (``jiancha.synth``, seed 41 by default) is generated and
ingested once into a workspace under ``--workdir`` (kept for later runs). Then, alternating
``--repeat`` times (5), each side runs as a fresh process from start to exit:

- **baseline**: one Python process with ``duckdb`` and nothing of jiancha's engine: it opens the
  lake read-only (``jiancha.lake.connect``: the views over the Parquet versions), registers the
  reference tables, computes the derived tables (``penalty_facts``,
  ``entity_lookup``: Python over the lake, which no SQL can replace, with the same functions) and
  runs every model's SQL, parameters filled in (and its skipped-subjects query), fetching the rows;
- **jiancha**: the real command, ``jiancha --home HOME run``: start-up, catalogue, sandbox, severity,
  evidence rows, findings, and the clues stored in the workspace's SQLite clue store (a new, empty
  store migrated before the process starts: the run writes every clue, but a workspace's one-time
  schema creation is not counted).

Each process is timed from the parent (wall clock) and read with ``wait4`` (its own CPU time and peak
RSS). The best wall and CPU time of each side over the rounds count, the largest RSS. On a shared
machine the wall ratio moves with the neighbours' load, CPU time much less: both are printed, with
the load average. Targets: wall and CPU within 1.2x of the baseline, peak RSS within 1.5x, and each
model's findings equal to its rows in the baseline.

Run by ``make bench`` (not by the tests): ``python bench/models.py [--scales 10] [--repeat 5]
[--before OTHER_CHECKOUT/src]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

TARGET_RATIO = 1.2
TARGET_RSS_RATIO = 1.5

PLAN = """
import json, sys
from pathlib import Path
from jiancha.models.asof import latest_date
from jiancha.models.catalog import Catalog
from jiancha.models.compile import model_sql
from jiancha.models.engine import DuckDBEngine
from jiancha.models.parameters import render, resolve
engine = DuckDBEngine(Path(sys.argv[1]))
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

BASELINE = """
import json, sys, time
from pathlib import Path
from pyarrow import csv
from jiancha.lake import connect
from jiancha.models.derived import DERIVED_TABLES
plan = json.load(open(sys.argv[2]))
con = connect(Path(sys.argv[1]), read_only=True)  # the lake's views over its Parquet, no sandbox
for name, path in plan["references"].items():
    con.register(name, csv.read_csv(path))
for name in sorted({d for m in plan["models"].values() for d in m["derived"]}):
    con.register(name, DERIVED_TABLES[name].load()(con))
seconds, rows = {}, {}
for model_id, model in plan["models"].items():
    start = time.perf_counter()
    rows[model_id] = [con.sql(sql).to_arrow_table().num_rows for sql in model["sql"]][0]
    seconds[model_id] = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "rows": rows}))
"""

JIANCHA = "from jiancha.cli import main; main()"


@dataclass(frozen=True)
class Process:
    """One whole process: wall clock from the parent, its own CPU seconds and peak RSS."""

    wall: float
    cpu: float
    rss_mb: float
    stdout: str


def run_process(args: list[str], source: Path | None = None) -> Process:
    """Run ``args`` to exit (with ``source`` first on the path when given); a failure stops the
    benchmark with the process's error output."""
    env = {**os.environ, "PYTHONPATH": str(source)} if source else None
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        child = subprocess.Popen(args, stdout=out, stderr=err, text=True, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if child.returncode != 0:
            raise SystemExit(f"benchmark step {args[:3]} failed:\n{err.read()}")
        return Process(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.read())


def generator_fingerprint() -> str:
    """A short hash of the generator's and ingestion's code: cached data made by other code is not reused."""
    import jiancha.ingest
    import jiancha.synth

    digest = hashlib.sha256()
    for package in (jiancha.synth, jiancha.ingest):
        for source in sorted(Path(package.__file__).parent.glob("*.py")):
            digest.update(source.read_bytes())
    return digest.hexdigest()[:10]


BUILD = """
import sys
from pathlib import Path
from jiancha.ingest import ingest_drop
from jiancha.synth import generate
from jiancha.workspace import Workspace
folder = Path(sys.argv[1])
generate(folder / "synth", int(sys.argv[2]), float(sys.argv[3]))
ingest_drop(Workspace.resolve(folder / "home"), folder / "synth" / "drop", progress=False)
"""


def prepare(workdir: Path, scale: float, seed: int, console: Console) -> Path:
    """The lake of a workspace holding the synthetic drop at ``scale`` (built once per generator
    version, then reused).

    It is built in a child process: a process started by ``fork``/``exec`` reports at least its
    parent's resident size as its own peak (Linux carries the old image's high-water mark over
    ``exec``), so a parent grown by an in-process build would hide both sides' RSS behind its own.
    """
    from jiancha.workspace import Workspace

    folder = workdir / f"scale-{scale:g}-seed-{seed}-{generator_fingerprint()}"
    workspace = Workspace.resolve(folder / "home")
    if not workspace.lake_path.exists():
        console.print(f"scale {scale:g}: generating and ingesting the synthetic drop into {folder} …")
        start = time.perf_counter()
        run_process([sys.executable, "-c", BUILD, str(folder), str(seed), f"{scale:g}"])
        console.print(f"scale {scale:g}: data ready in {time.perf_counter() - start:.0f} s")
    return workspace.lake_path


OPEN_STORE = """
import sys
from jiancha.clues.store import ClueStore
from jiancha.workspace import Workspace
ClueStore(Workspace.resolve(sys.argv[1]).store_url).close()
"""


def fresh_home(lake: Path, home: Path, source: Path | None = None) -> Path:
    """A workspace reading ``lake`` with a new clue store at the newest schema of the code that will
    run in it (``source``, else this checkout's), for one round."""
    home.mkdir(parents=True)
    (home / "lake.duckdb").symlink_to(lake)
    (home / "lake").symlink_to(lake.parent / "lake")
    run_process([sys.executable, "-c", OPEN_STORE, str(home)], source)
    return home


def stored_run(home: Path) -> dict[str, dict]:
    """Each model's record of the run stored in ``home``'s clue store (seconds, findings, status)."""
    from jiancha.clues.store import ClueStore
    from jiancha.workspace import Workspace

    with ClueStore(Workspace.resolve(home).store_url) as store:
        (run,) = store.runs(1)
    return {m["model_id"]: m for m in run.models}


def measure(lake: Path, workdir: Path, repeat: int, before: Path | None = None) -> dict:
    """Baseline and jiancha, alternating ``repeat`` times, each a fresh process; the best of each.

    With ``before`` (another checkout's ``src``), each round also runs that version's ``jiancha run``,
    so an optimisation is judged against the old code under the same load.
    """
    plan_process = run_process([sys.executable, "-c", PLAN, str(lake)])
    plan = json.loads(plan_process.stdout.strip().splitlines()[-1])
    plan_path = workdir / f"{lake.parent.parent.name}-plan.json"
    plan_path.write_text(json.dumps(plan), "utf-8")
    baselines, runs, olds, stored = [], [], [], {}
    with tempfile.TemporaryDirectory(dir=workdir) as scratch:
        for n in range(repeat):
            baselines.append(run_process([sys.executable, "-c", BASELINE, str(lake), str(plan_path)]))
            home = fresh_home(lake, Path(scratch) / f"round-{n}")
            runs.append(run_process([sys.executable, "-c", JIANCHA, "--home", str(home), "run"]))
            stored = stored_run(home)
            if before is not None:
                home = fresh_home(lake, Path(scratch) / f"round-{n}-before", before)
                olds.append(run_process([sys.executable, "-c", JIANCHA, "--home", str(home), "run"], before))
    baseline = json.loads(baselines[0].stdout.strip().splitlines()[-1])
    return {
        "as_of": plan["as_of"],
        "baseline": _best(baselines),
        "jiancha": _best(runs),
        "baseline_models": baseline,
        "jiancha_models": stored,
        "before": _best(olds) if olds else None,
        "load": " ".join(f"{value:.1f}" for value in os.getloadavg()),
        "parent_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _best(processes: list[Process]) -> dict[str, float]:
    """The fastest wall and CPU time over the rounds, and the largest peak RSS."""
    return {
        "wall": min(p.wall for p in processes),
        "cpu": min(p.cpu for p in processes),
        "rss_mb": max(p.rss_mb for p in processes),
    }


def report(results: dict[float, dict], console: Console) -> bool:
    """Print per-model times and the whole-process figures against the targets; True when all are met."""
    ok = True
    for scale, result in sorted(results.items()):
        table = Table(title=f"scale {scale:g}, as of {result['as_of']}: seconds and findings per model")
        for column in ("model", "jiancha s", "baseline s", "findings", "baseline rows"):
            table.add_column(column, justify="left" if column == "model" else "right")
        mismatched = []
        for model_id, record in sorted(result["jiancha_models"].items()):
            rows = result["baseline_models"]["rows"].get(model_id)
            seconds = result["baseline_models"]["seconds"].get(model_id)
            if record["status"] != "ok" or record["findings"] != rows:
                mismatched.append(model_id)
            table.add_row(
                model_id + ("" if record["status"] == "ok" else f" ({record['status']})"),
                f"{record['seconds']:.2f}",
                f"{seconds:.2f}" if seconds is not None else "–",
                str(record["findings"]),
                str(rows),
            )
        console.print(table)
        jiancha, baseline = result["jiancha"], result["baseline"]
        ratios = {key: jiancha[key] / baseline[key] for key in ("wall", "cpu", "rss_mb")}
        console.print(
            f"scale {scale:g}: jiancha run {jiancha['wall']:.2f} s wall, {jiancha['cpu']:.2f} s CPU, "
            f"{jiancha['rss_mb']:.0f} MiB; baseline {baseline['wall']:.2f} s wall, "
            f"{baseline['cpu']:.2f} s CPU, "
            f"{baseline['rss_mb']:.0f} MiB; ratio {ratios['wall']:.2f}x wall, {ratios['cpu']:.2f}x CPU, "
            f"{ratios['rss_mb']:.2f}x RSS; load average {result['load']}"
        )
        if min(jiancha["rss_mb"], baseline["rss_mb"]) <= result["parent_rss_mb"]:
            console.print(
                f"  ! this benchmark's own peak RSS ({result['parent_rss_mb']:.0f} MiB) is not below "
                "a side's: that side's figure may be the benchmark's, not its own"
            )
        if result["before"]:
            old = result["before"]
            console.print(
                f"  before (--before): {old['wall']:.2f} s wall, {old['cpu']:.2f} s CPU, "
                f"{old['rss_mb']:.0f} MiB; "
                f"ratio {old['wall'] / baseline['wall']:.2f}x wall, {old['cpu'] / baseline['cpu']:.2f}x CPU, "
                f"{old['rss_mb'] / baseline['rss_mb']:.2f}x RSS"
            )
        checks = {
            f"wall <= {TARGET_RATIO}x baseline": ratios["wall"] <= TARGET_RATIO,
            f"CPU <= {TARGET_RATIO}x baseline": ratios["cpu"] <= TARGET_RATIO,
            f"peak RSS <= {TARGET_RSS_RATIO}x baseline": ratios["rss_mb"] <= TARGET_RSS_RATIO,
            "every model ran and found what its SQL returns": not mismatched,
        }
        for name, passed in checks.items():
            console.print(f"  {'✓' if passed else '✗'} {name}")
        if mismatched:
            console.print(f"  models that differ: {', '.join(mismatched)}")
        ok = ok and all(checks.values())
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scales", "--scale", type=float, nargs="+", default=[10])
    parser.add_argument("--seed", type=int, default=41)
    parser.add_argument(
        "--repeat", type=int, default=5, help="rounds of baseline and jiancha; the best counts"
    )
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/jiancha-bench-models"))
    parser.add_argument(
        "--before",
        type=Path,
        help="another checkout's src folder: its jiancha run is timed in each round too",
    )
    args = parser.parse_args()
    console = Console()
    args.workdir.mkdir(parents=True, exist_ok=True)
    results = {}
    for scale in args.scales:
        lake = prepare(args.workdir, scale, args.seed, console)
        results[scale] = measure(lake, args.workdir, args.repeat, args.before)
    sys.exit(0 if report(results, console) else 1)


if __name__ == "__main__":
    main()
