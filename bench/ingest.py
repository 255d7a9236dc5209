"""Ingest benchmark: rows/s and peak RSS for CSV and Parquet at scale 1 and 10.

Scale N is N million vehicle_gps rows (the contract's largest dataset), written
here with DuckDB as a UTF-8 CSV with Chinese headers and text datetimes, and as
a natively typed Parquet file. Each measurement runs in a fresh subprocess so
peak RSS is that load's own. The baseline is DuckDB's bare ``read_csv`` /
``read_parquet`` of the same file into a table of a fresh database file, checkpointed
(an ingest ends durable, so the baseline does too); beside it, the same bare read written
to one Parquet file (``bare→pq``: what an ingest's version costs DuckDB at the least, since
a version is Parquet). On a shared machine wall time
swings with the neighbours' load, so the CPU-time ratio is printed beside it, and the
title gives the load average before and after.

Targets: >= 1M rows/s, at most 1.5x the bare read, peak RSS < 2 GB at scale 10.
Run by ``make bench`` (not by the tests): ``python bench/ingest.py [--scales 1 10]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
from rich.console import Console
from rich.table import Table

ROWS_PER_SCALE = 1_000_000

INGEST = """
import json, resource, sys, time
from jiancha.ingest import ingest_drop
from jiancha.workspace import Workspace
start = time.perf_counter()
cpu0 = resource.getrusage(resource.RUSAGE_SELF)
report = ingest_drop(Workspace.resolve(sys.argv[1]), sys.argv[2], progress=False)
seconds = time.perf_counter() - start
rows = sum(f.rows_loaded for f in report.files)
usage = resource.getrusage(resource.RUSAGE_SELF)
cpu = usage.ru_utime + usage.ru_stime - cpu0.ru_utime - cpu0.ru_stime
print(json.dumps({"seconds": seconds, "cpu": cpu, "rows": rows, "rss_kb": usage.ru_maxrss}))
"""

BARE = """
import json, resource, sys, time
import duckdb
con = duckdb.connect(sys.argv[1])
start = time.perf_counter()
cpu0 = resource.getrusage(resource.RUSAGE_SELF)
scan = f"SELECT * FROM {sys.argv[2]}('{sys.argv[3]}')"
if sys.argv[4] == "table":
    con.execute(f"CREATE TABLE t AS {scan}")
    con.execute("CHECKPOINT")
    rows = con.execute("SELECT count(*) FROM t").fetchone()[0]
else:
    rows = con.execute(f"COPY ({scan}) TO '{sys.argv[1]}.parquet' (FORMAT parquet)").fetchone()[0]
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_SELF)
cpu = usage.ru_utime + usage.ru_stime - cpu0.ru_utime - cpu0.ru_stime
print(json.dumps({"seconds": seconds, "cpu": cpu, "rows": rows, "rss_kb": usage.ru_maxrss}))
"""

TRACKS = """
SELECT '冀F' || lpad(CAST(i % 5000 AS VARCHAR), 5, '0') AS plate,
       TIMESTAMP '2024-03-01' + to_seconds(i // 5000 * 30) AS ts,
       round(115.5 + (hash(i) % 1000000) / 1e6, 6) AS lon,
       round(38.7 + (hash(i + 1) % 600000) / 1e6, 6) AS lat,
       round((hash(i + 2) % 8000) / 100.0, 2) AS speed
FROM range({rows}) t(i)
"""


def generate(folder: Path, scale: int) -> dict[str, Path]:
    """vehicle_gps as CSV (Chinese titles, text datetimes) and typed Parquet, in two drop folders."""
    tracks = TRACKS.format(rows=scale * ROWS_PER_SCALE)
    paths = {}
    con = duckdb.connect()
    for kind in ("csv", "parquet"):
        drop = folder / f"drop-{kind}-{scale}"
        drop.mkdir(parents=True, exist_ok=True)
        path = drop / f"vehicle_gps.{kind}"
        if kind == "csv":
            select = (
                f"SELECT plate AS 车牌号, strftime(ts, '%Y-%m-%d %H:%M:%S') AS 定位时间, lon AS 经度, "
                f'lat AS 纬度, speed AS "速度(km/h)" FROM ({tracks})'
            )
            con.execute(f"COPY ({select}) TO '{path}' (HEADER, DELIMITER ',')")
        else:
            select = f"SELECT plate AS vehicle_plate, ts, lon, lat, speed AS speed_kmh FROM ({tracks})"
            con.execute(f"COPY ({select}) TO '{path}' (FORMAT parquet)")
        paths[kind] = path
    con.close()
    return paths


def run(script: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", script, *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def check_row_order(home: Path) -> None:
    """Every loaded row's ``_row`` is its line in the file (the generator's index + 2)."""
    from jiancha.lake import connect

    con = connect(home / "lake.duckdb", read_only=True)
    wrong = con.execute(
        "SELECT count(*) FROM vehicle_gps WHERE _row - 2 <> "
        "(epoch(ts - TIMESTAMP '2024-03-01') // 30) * 5000 + CAST(vehicle_plate[3:] AS BIGINT)"
    ).fetchone()[0]
    con.close()
    if wrong:
        raise SystemExit(f"{wrong} rows carry the wrong _row number in {home}")


def measure(folder: Path, scale: int) -> list[dict]:
    results = []
    for kind, path in generate(folder, scale).items():
        home = folder / f"home-{kind}-{scale}"
        ingest = run(INGEST, str(home), str(path.parent))
        check_row_order(home)
        reader = "read_csv" if kind == "csv" else "read_parquet"
        bare = run(BARE, str(folder / f"bare-{kind}-{scale}.duckdb"), reader, str(path), "table")
        bare_pq = run(BARE, str(folder / f"bare-pq-{kind}-{scale}.duckdb"), reader, str(path), "parquet")
        results.append(
            {
                "format": kind,
                "scale": scale,
                "rows": ingest["rows"],
                "bytes": path.stat().st_size,
                "seconds": ingest["seconds"],
                "rows_per_s": ingest["rows"] / ingest["seconds"],
                "bare_seconds": bare["seconds"],
                "ratio": ingest["seconds"] / bare["seconds"],
                "bare_parquet_seconds": bare_pq["seconds"],
                "parquet_ratio": ingest["seconds"] / bare_pq["seconds"],
                "cpu_ratio": ingest["cpu"] / bare["cpu"],
                "rows_per_cpu_s": ingest["rows"] / ingest["cpu"],
                "rss_mb": ingest["rss_kb"] / 1024,
            }
        )
    return results


def show(results: list[dict], load: tuple[float, float]) -> None:
    title = (
        f"jiancha ingest benchmark (vehicle_gps; 1-min load average {load[0]:.1f} before, "
        f"{load[1]:.1f} after)"
    )
    table = Table(title=title)
    for header in (
        "format",
        "scale",
        "rows",
        "MB",
        "ingest s",
        "rows/s",
        "rows/CPU-s",
        "bare s",
        "ratio",
        "bare→pq s",
        "pq ratio",
        "CPU ratio",
        "peak RSS MB",
        "targets",
    ):
        table.add_column(header, justify="right")
    for r in results:
        ok = r["rows_per_s"] >= 1e6 and r["ratio"] <= 1.5 and r["rss_mb"] < 2048
        table.add_row(
            r["format"],
            str(r["scale"]),
            f"{r['rows']:,}",
            f"{r['bytes'] / 1e6:,.0f}",
            f"{r['seconds']:.2f}",
            f"{r['rows_per_s']:,.0f}",
            f"{r['rows_per_cpu_s']:,.0f}",
            f"{r['bare_seconds']:.2f}",
            f"{r['ratio']:.2f}",
            f"{r['bare_parquet_seconds']:.2f}",
            f"{r['parquet_ratio']:.2f}",
            f"{r['cpu_ratio']:.2f}",
            f"{r['rss_mb']:,.0f}",
            "met" if ok else "missed",
        )
    Console(width=160).print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args()
    before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="jiancha-bench-ingest-") as tmp:
        results = [r for scale in args.scales for r in measure(Path(tmp), scale)]
    show(results, (before, os.getloadavg()[0]))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
