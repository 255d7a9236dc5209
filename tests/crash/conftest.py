"""Fixtures for the crash tests: two small synthetic drops, and starting places per backend.

The drops are seven datasets of ``jiancha synth --scale 1`` (seeds 1 and 2: the second
changes every file), without the 16 MB GPS track, so one ingest or run takes a few seconds.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .harness import CLI, Place, Scenario, cli, new_place, pg_admin

DATASETS = (
    "sewage_facilities.csv",
    "effluent_daily.parquet",
    "power_daily.csv",
    "admin_penalties.xlsx",
    "case_transfers.csv",
    "sludge_manifests.csv",
    "sludge_production.csv",
)


@pytest.fixture(scope="session")
def crash_seed() -> int:
    """The seed of every random kill point: ``JIANCHA_CRASH_SEED`` to replay a failure, else new."""
    return int(os.environ.get("JIANCHA_CRASH_SEED") or random.SystemRandom().randrange(2**32))


@pytest.fixture(scope="session")
def drops(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Drop A (seed 1) and drop B (seed 2) of the datasets above."""
    root = tmp_path_factory.mktemp("crash-drops")
    made = []
    for seed in (1, 2):
        out = root / f"synth-{seed}"
        subprocess.run(
            [sys.executable, "-c", CLI, "synth", "--out", str(out), "--seed", str(seed), "--scale", "1"],
            check=True,
            capture_output=True,
        )
        drop = root / f"drop-{seed}"
        drop.mkdir()
        for name in DATASETS:
            shutil.copy(out / "drop" / name, drop / name)
        made.append(drop)
    return made[0], made[1]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    """The clue store's backend; PostgreSQL skips (or fails, with JIANCHA_REQUIRE_POSTGRES) when absent."""
    if request.param == "postgresql":
        try:
            pg_admin("SELECT 1")
        except Exception as exc:  # any failure to connect means "not reachable"
            problem = f"PostgreSQL is not reachable: {exc.__class__.__name__}: {exc}"
            if os.environ.get("JIANCHA_REQUIRE_POSTGRES"):
                pytest.fail(problem)
            pytest.skip(problem)
    return request.param


def _ok(place: Place, *args: str) -> None:
    done = cli(place, *args)
    assert done.returncode == 0, done.stderr


@pytest.fixture
def scenario(backend: str, drops: tuple[Path, Path], tmp_path: Path) -> Iterator[Callable[[str], Scenario]]:
    """``scenario("ingest")``: drop B ingested over drop A; ``scenario("run")``: a run over drop B,
    in a store that already holds the clues of a run over drop A. Measured (S0, S1, S2, time)."""
    a, b = drops
    made: list[Place] = []

    def make(command: str) -> Scenario:
        place = new_place(tmp_path / "start", backend)
        start = place.__enter__()
        made.append(place)
        _ok(start, "ingest", str(a))
        if command == "ingest":
            built = Scenario("ingest", ("ingest", str(b)), start, tmp_path)
        else:
            _ok(start, "run")
            _ok(start, "ingest", str(b))
            built = Scenario("run", ("run",), start, tmp_path)
        built.measure()
        return built

    yield make
    for place in made:
        place.__exit__(None, None, None)
