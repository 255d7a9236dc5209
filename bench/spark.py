"""Cluster-mode benchmark: ``jiancha run`` on DuckDB against ``jiancha run --engine spark`` (local[2]).

Both are the real command as a whole process, over the same workspace lake (the synthetic drop,
seed 41, generated and ingested once by ``bench/models.py``'s ``prepare`` and cached under
``--workdir``), each round into a fresh, migrated SQLite clue store, alternating DuckDB and Spark
``--repeat`` times. For each process the wall clock, the CPU time and the peak RSS are taken over
the **whole process tree** — the Python driver and the JVM it starts (and Spark's Python workers)
— by sampling ``/proc`` through psutil every 0.1 s: ``wait4`` alone would see only the driver,
whose RSS is a small part of Spark's. The clues each run stored (model, subject, period) must be
the same. Spark is not expected to beat DuckDB on two cores; what the mode promises is a driver
whose memory does not grow with the data (no dataset passes through it), so compare the Spark
RSS across scales.

``python bench/spark.py [--scales 10] [--repeat 1] [--master local[2]]`` (not part of the tests;
scale 100 is ``--scales 100``: about 146 M rows, the synth and ingest alone take a long while).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
from rich.console import Console
from rich.table import Table

from models import JIANCHA, fresh_home, prepare

SAMPLE_S = 0.1


@dataclass(frozen=True)
class Tree:
    """A finished process tree: wall seconds, CPU seconds (all its processes), peak summed RSS, and
    the peak RSS of the Python driver process alone."""

    wall: float
    cpu: float
    rss_mb: float
    driver_mb: float


def run_tree(args: list[str]) -> Tree:
    """Run ``args`` to exit, sampling its process tree; a failure stops the benchmark."""
    with tempfile.TemporaryFile("w+") as err:  # the command's output, shown when it fails
        start = time.perf_counter()
        child = subprocess.Popen(args, stdout=err, stderr=subprocess.STDOUT, text=True)
        root = psutil.Process(child.pid)
        cpu: dict[int, float] = {}
        peak = driver = 0
        while child.poll() is None:
            try:
                tree = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                break
            rss = 0
            for proc in tree:
                try:
                    with proc.oneshot():
                        own = proc.memory_info().rss
                        rss += own
                        driver = max(driver, own) if proc is root else driver
                        times = proc.cpu_times()
                        cpu[proc.pid] = times.user + times.system  # each process once, never its children
                except psutil.NoSuchProcess:
                    continue
            peak = max(peak, rss)
            time.sleep(SAMPLE_S)
        wall = time.perf_counter() - start
        if child.wait() != 0:
            err.seek(0)
            raise SystemExit(f"benchmark step {' '.join(args[3:])} failed:\n{err.read()[-4000:]}")
    return Tree(wall, sum(cpu.values()), peak / 2**20, driver / 2**20)


def stored_clues(home: Path) -> list[tuple[str, str, str]]:
    from jiancha.clues.store import ClueStore
    from jiancha.workspace import Workspace

    with ClueStore(Workspace.resolve(home).store_url) as store:
        return sorted((c.model_id, c.subject_id, c.period) for c in store.iter_clues())


def measure(lake: Path, workdir: Path, repeat: int, master: str) -> dict:
    """DuckDB and Spark alternating ``repeat`` times; the best wall and CPU, the largest RSS."""
    engines = {"duckdb": [], "spark": []}
    # a query's 60 s default limit is for laptops; Spark on two shared cores needs longer at scale 10
    limit = ["--time-limit", "3600"]
    flags = {"duckdb": limit, "spark": [*limit, "--engine", "spark", "--spark-master", master]}
    clues: dict[str, list] = {}
    with tempfile.TemporaryDirectory(dir=workdir) as scratch:
        for n in range(repeat):
            for name, extra in flags.items():
                home = fresh_home(lake, Path(scratch) / f"{name}-{n}")
                engines[name].append(
                    run_tree([sys.executable, "-c", JIANCHA, "--home", str(home), "run", *extra])
                )
                clues[name] = stored_clues(home)
    return {
        name: {
            "wall": min(t.wall for t in trees),
            "cpu": min(t.cpu for t in trees),
            "rss_mb": max(t.rss_mb for t in trees),
            "driver_mb": max(t.driver_mb for t in trees),
            "clues": len(clues[name]),
        }
        for name, trees in engines.items()
    } | {
        "same_clues": clues["duckdb"] == clues["spark"],
        "load": " ".join(f"{v:.1f}" for v in os.getloadavg()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[10])
    parser.add_argument("--seed", type=int, default=41)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/jiancha-bench-models"))
    args = parser.parse_args()
    console = Console()
    args.workdir.mkdir(parents=True, exist_ok=True)
    table = Table(title=f"jiancha run: DuckDB against Spark {args.master} (whole process tree)")
    columns = ("scale", "engine", "wall s", "CPU s", "tree RSS MiB", "driver MiB", "clues", "same", "load")
    for column in columns:
        table.add_column(column, justify="left" if column in ("engine", "load") else "right")
    results = {}
    for scale in args.scales:
        lake = prepare(args.workdir, scale, args.seed, console)
        result = measure(lake, args.workdir, args.repeat, args.master)
        results[scale] = result
        for name in ("duckdb", "spark"):
            row = result[name]
            table.add_row(
                f"{scale:g}", name, f"{row['wall']:.1f}", f"{row['cpu']:.1f}", f"{row['rss_mb']:.0f}",
                f"{row['driver_mb']:.0f}", str(row["clues"]), str(result["same_clues"]), result["load"],
            )  # fmt: skip
    console.print(table)
    (args.workdir / "spark-bench.json").write_text(json.dumps(results, indent=1), "utf-8")
    if not all(r["same_clues"] for r in results.values()):
        raise SystemExit("DuckDB and Spark stored different clues")


if __name__ == "__main__":
    main()
