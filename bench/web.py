"""Web benchmark: the clue list, a clue page and the dashboard at 100k clues, against datasette.

Target: p95 < 100 ms for each page at 5 concurrent clients, ``jiancha serve --workers 1`` over
a SQLite workspace. datasette (from a separate virtual environment: it is not a dependency of
the project) serves the same SQLite file, and the same clients load its equivalent of each
page: the table view (counts and facets off), the row page, and one SQL query holding the
dashboard's aggregates. Rounds alternate the two servers so a busy moment of a shared
machine hits both; the load average is printed, and each server's CPU per request (its
processes' user + system time over the requests), which the load moves less than latency.

    python -m venv /tmp/datasette-venv && /tmp/datasette-venv/bin/pip install datasette
    .venv/bin/python bench/web.py [--clues 100000] [--clients 5] [--requests 300] [--rounds 3]
        [--datasette /tmp/datasette-venv/bin/datasette] [--database-url postgresql+psycopg://…]

With ``--database-url`` the store is that PostgreSQL database (a fresh schema is made in it)
and datasette is left out; use ``--workers 4`` there.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from rich.console import Console
from rich.progress import track
from rich.table import Table
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from store import MODELS, OFFICES, findings

from jiancha.clues import ClueFilter, ClueStore
from jiancha.web.access import Role
from jiancha.web.users import add_user

PASSWORD = "bench-password-1"
TARGET_P95_MS = 100.0
PAGES = ("list", "clue", "dashboard")
ACTED = 300  # clues walked to a case (and some to a suggestion), so the funnel has figures
console = Console()

#: The dashboard's aggregates as one query, the way a datasette user would get them.
DASHBOARD_SQL = """
select 'model' as dim, model_id as value, count(*) as n from clues group by model_id
union all select 'office', office, count(*) from clues group by office
union all select 'status', status, count(*) from clues group by status
union all select 'severity', severity, count(*) from clues group by severity
union all select 'conduct', coalesce(conduct_month, strftime('%Y-%m', first_seen)), count(*)
  from clues group by 2
union all select 'seen', strftime('%Y-%m', first_seen), count(*) from clues group by 2
union all select 'stage ' || a.status_to, c.model_id, count(distinct a.clue_id) from audit_log a
  join clues c on c.id = a.clue_id
  where a.status_to in ('case_filed', 'suggestion_issued', 'rectified') group by 1, 2
"""


def seed(url: str, total: int) -> None:
    """A store of ``total`` clues, some worked to a case or a suggestion, a leader and a prosecutor."""
    with ClueStore(url) as store:
        for model, batch in track(findings(total).items(), description="写入线索 (seeding clues)"):
            store.sync_findings("bench-run", model, batch)
        add_user(store, "leader", Role.LEADERSHIP, "雄安分院", PASSWORD)
        add_user(store, "xian", Role.PROSECUTOR, "雄县院", PASSWORD)
        mine = [c.id for c in store.list_clues(ClueFilter(office="雄县人民检察院"), size=500).items]
        for n, clue_id in enumerate(track(mine[:ACTED], description="办理线索 (workflow acts)")):
            for action in ("triage", "review", "file_case"):
                store.transition(clue_id, action, "xian", "bench")
            if n % 3 == 0:
                store.transition(clue_id, "issue_suggestion", "xian", "bench", document_no=f"B-{n}")


def readable_ids(url: str) -> dict[str, list[str]]:
    """The clue ids each bench user may open; checks the summary against the clues, and times both."""
    with ClueStore(url) as store:
        every = [c.id for c in store.list_clues(size=500).items]
        mine = [c.id for c in store.list_clues(ClueFilter(office="雄县人民检察院"), size=500).items]
        assert store.dashboard() == store.dashboard(live=True), "the summary differs from the clues"
        live, stored = timed(lambda: store.dashboard(live=True), 1), timed(store.dashboard)
        console.print(f"dashboard figures in process: live {live:.0f} ms, from the summary {stored:.1f} ms")
    return {"leader": every, "xian": mine}


def timed(call: Callable[[], object], repeat: int = 5) -> float:
    """The median wall time of ``call`` in ms."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(cmd: list[str], env: dict[str, str], probe: str) -> subprocess.Popen:
    """Start a server in its own session and wait until ``probe`` answers."""
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, start_new_session=True)
    for _ in range(1800):
        try:
            httpx.get(probe, timeout=1)
            return proc
        except httpx.TransportError:
            time.sleep(0.1)
    stop(proc)
    raise SystemExit(f"{cmd[0]} did not answer within 180 s")


def stop(proc: subprocess.Popen) -> None:
    """Stop the server and its worker processes (they share the session started for it)."""
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def serve_jiancha(home: Path, port: int, workers: int, database_url: str | None) -> subprocess.Popen:
    jiancha = Path(sys.executable).with_name("jiancha")
    # The bench's few users send far more than a person would; it measures speed, not the limits.
    env = {**os.environ, "JIANCHA_SECRET_KEY": "bench-secret", "JIANCHA_RATE_LIMITS": "read=1000000/60"}
    if database_url:
        env["JIANCHA_DATABASE_URL"] = database_url
    cmd = [str(jiancha), "--home", str(home), "serve", "--port", str(port), "--workers", str(workers)]
    return start(cmd, env, f"http://127.0.0.1:{port}/login")


def serve_datasette(datasette: str, db: Path, port: int) -> subprocess.Popen:
    # Its 1 s query limit would turn a slow aggregate into a 400; the bench wants the time instead.
    settings = [
        "allow_facet",
        "off",
        "suggest_facets",
        "off",
        "default_page_size",
        "50",
        "sql_time_limit_ms",
        "60000",
    ]
    cmd = [datasette, "serve", str(db), "--port", str(port)]
    for name, value in zip(settings[::2], settings[1::2], strict=True):
        cmd += ["--setting", name, value]
    return start(cmd, dict(os.environ), f"http://127.0.0.1:{port}/")


def signed_in(base: str, name: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    html = client.get("/login").text
    token = html.split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/login", data={"name": name, "password": PASSWORD, "csrf_token": token})
    return client


def random_filters(rng: random.Random) -> dict[str, str]:
    """Filters a prosecutor or leader might set."""
    query: dict[str, str] = {}
    if rng.random() < 0.5:
        query["model_id"] = rng.choice(MODELS)
    if rng.random() < 0.3:
        query["severity"] = rng.choice(["high", "medium", "low"])
    if rng.random() < 0.3:
        query["status"] = "new"
    if rng.random() < 0.2:
        query["office"] = rng.choice(OFFICES)
    return query


def group_cpu(group: int) -> float:
    """CPU seconds (user + system) used so far by the processes of session ``group`` (a server
    and its workers): what a request costs the server, which the machine's load moves less than
    the latency."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[2]) == group:  # pgrp; utime and stime follow at 11 and 12
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Server:
    """How one server is asked for each page, given a client's random source and user."""

    name: str
    base: str
    signs_in: bool
    group: int  # the server's process group (see group_cpu)

    def request(
        self, page: str, rng: random.Random, user: str, ids: dict[str, list[str]]
    ) -> tuple[str, dict]:
        filters = random_filters(rng)
        if page == "list" and self.signs_in:
            text_search = {"q": f"S{rng.randint(0, 999):03d}"} if rng.random() < 0.1 else {}
            return "/clues", {**filters, **text_search, "page": rng.randint(1, 20)}
        if page == "list":  # the table view pages by keyset only: its first page, newest first
            return "/store/clues", {**filters, "_size": 50, "_nocount": 1, "_nofacet": 1, "_sort_desc": "no"}
        clue_id = rng.choice(ids[user])
        if page == "clue":
            return (f"/clues/{clue_id}", {}) if self.signs_in else (f"/store/clues/{clue_id}", {})
        return ("/", {}) if self.signs_in else ("/store", {"sql": DASHBOARD_SQL})


def measure(
    server: Server, page: str, clients: int, requests: int, ids: dict[str, list[str]]
) -> tuple[list[float], float, float]:
    """Latencies (ms) of ``requests`` loads of ``page`` spread over ``clients`` concurrent sessions,
    the requests per second, and the server's CPU ms per request."""
    users = ["leader" if i % 2 else "xian" for i in range(clients)]
    sessions = [
        signed_in(server.base, u) if server.signs_in else httpx.Client(base_url=server.base, timeout=30)
        for u in users
    ]

    def worker(i: int) -> list[float]:
        rng, out = random.Random(PAGES.index(page) * 1000 + i), []
        for _ in range(requests // clients):
            path, params = server.request(page, rng, users[i], ids)
            began = time.perf_counter()
            response = sessions[i].get(path, params=params)
            out.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, (server.name, path, response.status_code)
        return out

    for i, s in enumerate(sessions):  # warm up each connection and the server's caches
        path, params = server.request(page, random.Random(-1), users[i], ids)
        s.get(path, params=params)
    started, cpu = time.perf_counter(), group_cpu(server.group)
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(worker, range(clients)))
    elapsed, cpu = time.perf_counter() - started, group_cpu(server.group) - cpu
    for s in sessions:
        s.close()
    latencies = [ms for r in results for ms in r]
    return latencies, len(latencies) / elapsed, cpu * 1000 / len(latencies)


@dataclass
class Figures:
    latencies: list[float]
    rates: list[float]
    cpu: list[float]

    def add(self, measured: tuple[list[float], float, float]) -> None:
        latencies, rate, cpu = measured
        self.latencies += latencies
        self.rates.append(rate)
        self.cpu.append(cpu)

    def p(self, n: int) -> float:
        return statistics.quantiles(self.latencies, n=100)[n - 1]

    @property
    def rate(self) -> float:
        return statistics.mean(self.rates)

    @property
    def cpu_per_request(self) -> float:
        return statistics.mean(self.cpu)


@contextmanager
def workspace(kept: Path | None) -> Iterator[Path]:
    """The bench's workspace: ``kept`` (made if missing), or a temporary folder."""
    if kept is not None:
        kept.mkdir(parents=True, exist_ok=True)
        yield kept
        return
    with tempfile.TemporaryDirectory(prefix="jiancha-bench-web-") as tmp:
        yield Path(tmp)


@contextmanager
def store_url(tmp: Path, database_url: str | None) -> Iterator[str]:
    """The SQLite file in ``tmp``, or a fresh schema in the PostgreSQL database given."""
    if not database_url:
        yield f"sqlite:///{tmp / 'store.sqlite'}"
        return
    schema = f"bench_web_{uuid.uuid4().hex[:8]}"
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield (
            make_url(database_url)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def report(figures: dict[tuple[str, str], Figures], args: argparse.Namespace, load: list[str]) -> bool:
    title = f"{args.clues:,} clues · {args.clients} clients · {args.workers} worker(s) · {args.rounds} rounds"
    table = Table(title=title)
    columns = (
        "page",
        "server",
        "p50 ms",
        "p95 ms",
        "req/s",
        "CPU ms/req",
        "their p95 ÷ ours",
        "req/s ×",
        "CPU ÷",
    )
    for column in columns:
        table.add_column(column, justify="left" if column in ("page", "server") else "right")
    ok = True
    for page in PAGES:
        ours = figures[("jiancha", page)]
        ok &= ours.p(95) < TARGET_P95_MS
        table.add_row(
            page,
            "jiancha",
            f"{ours.p(50):.1f}",
            f"{ours.p(95):.1f}",
            f"{ours.rate:.0f}",
            f"{ours.cpu_per_request:.1f}",
            "",
            "",
            "",
        )
        theirs = figures.get(("datasette", page))
        if theirs:
            table.add_row(
                "",
                "datasette",
                f"{theirs.p(50):.1f}",
                f"{theirs.p(95):.1f}",
                f"{theirs.rate:.0f}",
                f"{theirs.cpu_per_request:.1f}",
                f"{theirs.p(95) / ours.p(95):.1f}×",
                f"{ours.rate / theirs.rate:.1f}×",
                f"{theirs.cpu_per_request / ours.cpu_per_request:.1f}×",
            )
    console.print(table)
    console.print(
        f"load average (1, 5, 15 min) before / after: {load[0]} / {load[1]} on {os.cpu_count()} cores"
    )
    verdict = "met" if ok else "MISSED"
    console.print(f"[{'green' if ok else 'red'}]p95 < {TARGET_P95_MS:.0f} ms on every page: {verdict}[/]")
    return ok


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clues", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=5)
    parser.add_argument("--requests", type=int, default=300, help="per page, server and round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds alternating the two servers")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument(
        "--datasette", default="/tmp/datasette-venv/bin/datasette", help="datasette executable"
    )
    parser.add_argument("--database-url", help="PostgreSQL instead of SQLite (datasette left out)")
    parser.add_argument("--home", type=Path, help="keep the seeded SQLite workspace here and reuse it")
    args = parser.parse_args()
    with workspace(args.home) as home, store_url(home, args.database_url) as url:
        if args.database_url or not (home / "store.sqlite").exists():
            began = time.perf_counter()
            seed(url, args.clues)
            console.print(f"seeded {args.clues:,} clues in {time.perf_counter() - began:.1f} s")
        ids = readable_ids(url)
        port = free_port()
        procs = [serve_jiancha(home, port, args.workers, url if args.database_url else None)]
        servers = [Server("jiancha", f"http://127.0.0.1:{port}", True, procs[0].pid)]
        with_datasette = not args.database_url and Path(args.datasette).exists()
        if with_datasette:
            port = free_port()
            procs.append(serve_datasette(args.datasette, home / "store.sqlite", port))
            servers.append(Server("datasette", f"http://127.0.0.1:{port}", False, procs[1].pid))
        elif not args.database_url:
            console.print(f"[yellow]datasette not found at {args.datasette}: measuring jiancha alone[/]")
        figures = {(s.name, p): Figures([], [], []) for s in servers for p in PAGES}
        load = [loadavg()]
        try:
            for round_no in range(args.rounds):
                order = servers if round_no % 2 == 0 else servers[::-1]
                for page in PAGES:
                    for server in order:
                        figures[(server.name, page)].add(
                            measure(server, page, args.clients, args.requests, ids)
                        )
        finally:
            for proc in procs:
                stop(proc)
        load.append(loadavg())
    sys.exit(0 if report(figures, args, load) else 1)


if __name__ == "__main__":
    main()
