"""Fixtures for the clue store: every store test runs on SQLite and on PostgreSQL.

PostgreSQL is the server on 127.0.0.1:5432 (or JIANCHA_TEST_DATABASE_URL); each
test gets its own schema, dropped afterwards, so tests never see each other's
rows. Without the server the PostgreSQL variants skip, saying why, unless
JIANCHA_REQUIRE_POSTGRES is set (as .ci/run does), in which case they fail.
"""

from __future__ import annotations

import os
import secrets
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from jiancha.clues import ClueStore
from jiancha.clues.anchors import ANCHOR_FILE
from jiancha.clues.seal import ENV_ANCHORS, ENV_KEY
from jiancha.findings import EvidenceRow, Finding, Location

PG_URL = os.environ.get("JIANCHA_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
START = datetime(2024, 4, 1, 9, 0, 0)


class Clock:
    """A settable clock, so deadlines can be tested on chosen days."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def _pg_problem() -> str | None:
    try:
        engine = create_engine(PG_URL)
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # any failure to connect means "not reachable"
        return f"PostgreSQL at {PG_URL} is not reachable: {exc.__class__.__name__}: {exc}"
    return None


@pytest.fixture(scope="session")
def pg_problem() -> str | None:
    return _pg_problem()


def _pg_schema_url(schema: str) -> str:
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path, pg_problem, monkeypatch) -> Iterator[str]:
    """A fresh, empty database URL: a SQLite file, or a PostgreSQL schema of its own.

    A SQLite store keeps its audit key and anchors in the file's folder (``tmp_path``), as a
    workspace does; a PostgreSQL one gets them through the environment, as a deployment
    without a workspace would, so every store and subprocess opened on the URL shares them.
    """
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite'}"
        return
    if pg_problem:
        if os.environ.get("JIANCHA_REQUIRE_POSTGRES"):
            pytest.fail(pg_problem)
        pytest.skip(pg_problem)
    monkeypatch.setenv(ENV_KEY, f"ktest:{secrets.token_hex(32)}")
    monkeypatch.setenv(ENV_ANCHORS, str(tmp_path / ANCHOR_FILE))
    schema = f"clues_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _pg_schema_url(schema)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(store_url: str, clock: Clock) -> Iterator[ClueStore]:
    with ClueStore(store_url, clock=clock) as opened:
        yield opened


@pytest.fixture
def make_finding() -> Callable[..., Finding]:
    """Build a finding with sensible defaults; keyword arguments override."""

    def build(
        subject_id: str = "F001",
        period: str | None = "2024-03",
        *,
        model_id: str = "water.facility_idle",
        lon: float | None = 115.86,
        lat: float | None = 39.05,
        county: str | None = None,
        target_agency: str | None = "容城县住房和城乡建设局",
        severity: str = "high",
        idle_days: int = 22,
        evidence: tuple[EvidenceRow, ...] | None = None,
    ) -> Finding:
        rows = evidence or (
            EvidenceRow("effluent_daily", "effluent.csv", 12, {"facility_id": subject_id, "flow_m3": 0.0}),
            EvidenceRow("power_daily", "power.xlsx", 40, {"facility_id": subject_id, "kwh": 0.4}),
        )
        return Finding(
            model_id=model_id,
            subject_type="facility",
            subject_id=subject_id,
            period=period,
            severity=severity,
            target_agency=target_agency,
            legal_basis="城镇排水与污水处理条例 第五十二条",
            related_ids=(f"{subject_id}@2024-03-02", f"{subject_id}@2024-03-03"),
            evidence=rows,
            location=Location(lon, lat, county),
            details={"idle_days": idle_days},
        )

    return build
