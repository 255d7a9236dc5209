"""Clue store benchmark: upsert 100k clues, then filtered list queries at 100k.

Targets: upserting 100k clues in < 30 s; p95 < 50 ms for a filtered page of 50,
on SQLite and on PostgreSQL (a throwaway schema on JIANCHA_TEST_DATABASE_URL).

    .venv/bin/python bench/store.py [--clues 100000] [--backend sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from jiancha.clues import ClueFilter, ClueStore
from jiancha.findings import EvidenceRow, Finding, Location

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
MODELS = [f"bench.model_{n:02d}" for n in range(15)]
OFFICES = ["容城县人民检察院", "安新县人民检察院", "雄县人民检察院", "容东片区检察室", "高铁枢纽片区检察室"]
PERIODS = [f"2024-{m:02d}" for m in range(1, 13)]
console = Console()


def findings(total: int, seed: int = 1) -> dict[str, list[Finding]]:
    """``total`` findings spread over 15 models, 12 periods and the whole new area."""
    rng = random.Random(seed)
    out: dict[str, list[Finding]] = {m: [] for m in MODELS}
    for n in range(total):
        model = MODELS[n % len(MODELS)]
        subject = f"S{n // len(PERIODS):06d}"
        out[model].append(
            Finding(
                model_id=model,
                subject_type="facility",
                subject_id=subject,
                period=PERIODS[n % len(PERIODS)],
                severity=rng.choice(["high", "medium", "low"]),
                target_agency=rng.choice(["安新县住房和城乡建设局", "雄安新区生态环境局", "雄县城市管理局"]),
                legal_basis="城镇排水与污水处理条例 第五十二条",
                related_ids=(f"{subject}@2024-03-02", f"{subject}@2024-03-03"),
                evidence=(
                    EvidenceRow(
                        "effluent_daily", "effluent.csv", n + 2, {"facility_id": subject, "flow_m3": 0}
                    ),
                    EvidenceRow("power_daily", "power.csv", n + 2, {"facility_id": subject, "kwh": 0.3}),
                ),
                location=Location(rng.uniform(115.62, 116.3), rng.uniform(38.75, 39.12)),
                details={"idle_days": rng.randint(20, 31)},
            )
        )
    return out


@contextmanager
def sqlite_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{Path(folder) / 'store.sqlite'}"


@contextmanager
def postgres_url(base: str) -> Iterator[str]:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def sync_all(store: ClueStore, run_id: str, batches: dict[str, list[Finding]]) -> tuple[float, float]:
    """Wall-clock and this process's CPU seconds to sync every model's findings."""
    cpu = time.process_time()
    wall = sum(timed(lambda m=m, f=f: store.sync_findings(run_id, m, f)) for m, f in batches.items())
    return wall, time.process_time() - cpu


def query_filters(rng: random.Random, store: ClueStore) -> list[ClueFilter]:
    """A mix of the filters the web app's list page sends."""
    return [
        rng.choice(
            [
                ClueFilter(office=rng.choice(OFFICES)),
                ClueFilter(office=rng.choice(OFFICES), status="triaged"),
                ClueFilter(model_id=rng.choice(MODELS), severity="high"),
                ClueFilter(period=rng.choice(PERIODS), office=rng.choice(OFFICES)),
                ClueFilter(text=f"S{rng.randint(0, 8000):06d}"),
                ClueFilter(assigned_to="bench_user"),
                ClueFilter(status="new", severity=rng.choice(["high", "low"])),
            ]
        )
        for _ in range(200)
    ]


def bench(url: str, total: int) -> dict[str, float]:
    batches = findings(total)
    with ClueStore(url) as store:
        first, first_cpu = sync_all(store, "bench-1", batches)
        again, _ = sync_all(store, "bench-2", batches)
        store.add_user("bench_user", "x", "prosecutor")
        rng = random.Random(2)
        ids = [c.id for c in store.list_clues(size=500).items]
        steps = [
            timed(
                lambda i=i: (
                    store.transition(i, "triage", "bench_user", "初核"),
                    store.assign(i, "bench_user", "b"),
                )
            )
            for i in ids[:300]
        ]
        pages, page_cpu = [], []
        for f in query_filters(rng, store):
            cpu = time.process_time()
            pages.append(timed(lambda f=f: store.list_clues(f, page=rng.randint(1, 3), size=50)))
            page_cpu.append(time.process_time() - cpu)
        verify = timed(store.verify_audit)
        summary = timed(store.dashboard)
    return {
        "upsert (new) s": first,
        "  of which CPU in this process s": first_cpu,
        "re-run (unchanged) s": again,
        "triage+assign p95 ms": statistics.quantiles(steps, n=20)[18] * 1000,
        "filtered page p50 ms": statistics.median(pages) * 1000,
        "filtered page p95 ms": statistics.quantiles(pages, n=20)[18] * 1000,
        "  p95 CPU in this process ms": statistics.quantiles(page_cpu, n=20)[18] * 1000,
        "dashboard s": summary,
        "audit verify s": verify,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clues", type=int, default=100_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--postgres-url", default=PG_URL)
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    if args.backend in ("sqlite", "both"):
        with sqlite_url() as url:
            results["SQLite"] = bench(url, args.clues)
    if args.backend in ("postgresql", "both"):
        with postgres_url(args.postgres_url) as url:
            results["PostgreSQL"] = bench(url, args.clues)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    table = Table(title=f"clue store, {args.clues:,} clues (load average {load} on {os.cpu_count()} cores)")
    table.add_column("measure")
    for name in results:
        table.add_column(name, justify="right")
    for measure in next(iter(results.values())):
        table.add_row(measure, *(f"{r[measure]:.2f}" for r in results.values()))
    console.print(table)


if __name__ == "__main__":
    main()
