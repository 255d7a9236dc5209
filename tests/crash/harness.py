"""Killing ``jiancha ingest`` and ``jiancha run`` with SIGKILL, and checking what they leave.

A :class:`Place` is one workspace folder and its clue store (a SQLite file in the folder, or a
PostgreSQL database of its own). A :class:`Scenario` is a command and the place it starts from;
its references are the states before the command (S0), after it (S1) and after it twice (S2).
A trial copies the starting place, runs the command, kills it (after a random delay drawn over
the command's measured duration, or at a named pause point), and then requires that the place
is S0 or S1, that the audit chain verifies, and that running the command again succeeds and
gives S1 (from S0) or S2 (from S1).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from jiancha.clues import ClueStore
from jiancha.pauses import AFTER_LOAD, AFTER_RUN, IN_LOAD, IN_RUN
from jiancha.workspace import Workspace

from .state import lake_digest, store_digest

PG_URL = os.environ.get("JIANCHA_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
#: Environment the product reads that must come from the test, not from the caller's shell.
CLEARED = ("JIANCHA_HOME", "JIANCHA_DATABASE_URL", "JIANCHA_AUDIT_KEY", "JIANCHA_AUDIT_ANCHORS")
CLI = "from jiancha.cli import main; main()"
#: Per command: the pause point inside its write transaction and the one just after its commit.
PAUSES = {"ingest": (IN_LOAD, AFTER_LOAD), "run": (IN_RUN, AFTER_RUN)}


def cli_env(place: Place, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update(JIANCHA_HOME=str(place.home), JIANCHA_LANG="zh", COLUMNS="200", **extra)
    if place.database:
        env["JIANCHA_DATABASE_URL"] = place.url
    return env


def cli(place: Place, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    """Run one jiancha command in ``place`` to its end."""
    return subprocess.run(
        [sys.executable, "-c", CLI, *args], env=cli_env(place, **extra), capture_output=True, text=True
    )


def pg_url(database: str) -> str:
    return make_url(PG_URL).set(database=database).render_as_string(hide_password=False)


def pg_admin(statement: str) -> None:
    """Run one statement on the server's maintenance connection (CREATE/DROP DATABASE)."""
    engine = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


def pg_open_transactions(database: str, timeout: float = 20.0) -> int:
    """Sessions still connected to ``database`` once a killed client's backends had ``timeout``
    seconds to notice (a killed client's open transaction must not outlive it)."""
    engine = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    deadline = time.monotonic() + timeout
    try:
        with engine.connect() as connection:
            while True:
                left = connection.execute(
                    text("SELECT count(*) FROM pg_stat_activity WHERE datname = :d"), {"d": database}
                ).scalar_one()
                if not left or time.monotonic() > deadline:
                    return int(left)
                time.sleep(0.1)
    finally:
        engine.dispose()


@dataclass
class Place:
    """A workspace folder and its store: ``database`` names its PostgreSQL database (None: SQLite)."""

    home: Path
    database: str | None = None

    @property
    def url(self) -> str:
        return pg_url(self.database) if self.database else f"sqlite:///{self.home / 'store.sqlite'}"

    @property
    def workspace(self) -> Workspace:
        return Workspace(self.home)

    def digest(self) -> dict[str, Any]:
        """The lake's and the store's logical state (an empty store before anything ran)."""
        with ClueStore(self.url, seal=self.workspace.audit_seal()):
            pass  # creates the schema on a new database, as the first command would
        return {"lake": lake_digest(self.workspace), "store": store_digest(self.url)}

    def verify(self) -> Any:
        """``jiancha audit verify``'s check, in this process."""
        with ClueStore(self.url, seal=self.workspace.audit_seal()) as store:
            return store.verify_audit()

    def copy(self, home: Path) -> Place:
        """A copy of this place: the folder's files, and on PostgreSQL its database as a template."""
        shutil.copytree(self.home, home)
        if self.database is None:
            return Place(home)
        clone = f"crash_{uuid.uuid4().hex[:12]}"
        pg_admin(f'CREATE DATABASE "{clone}" TEMPLATE "{self.database}"')
        return Place(home, clone)

    def remove(self) -> None:
        shutil.rmtree(self.home, ignore_errors=True)
        if self.database:
            pg_admin(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')


@contextmanager
def new_place(home: Path, backend: str) -> Iterator[Place]:
    """An empty workspace on ``backend`` ("sqlite" or "postgresql"), removed afterwards."""
    home.mkdir(parents=True)
    place = Place(home, f"crash_{uuid.uuid4().hex[:12]}" if backend == "postgresql" else None)
    if place.database:
        pg_admin(f'CREATE DATABASE "{place.database}"')
    try:
        yield place
    finally:
        place.remove()


@dataclass
class Scenario:
    """A command, the place it starts from, and the reference states around it."""

    name: str  # "ingest" or "run"
    args: tuple[str, ...]
    start: Place
    scratch: Path
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)
    twice: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    def measure(self) -> None:
        """Record S0, run the command on a copy (timed) for S1, and once more for S2."""
        self.before = self.start.digest()
        place = self.start.copy(self.scratch / "reference")
        try:
            began = time.monotonic()
            done = cli(place, *self.args)
            first = time.monotonic() - began
            assert done.returncode == 0, done.stderr
            self.after = place.digest()
            began = time.monotonic()
            assert cli(place, *self.args).returncode == 0
            # The shorter of the two: a busy machine slows one of them, and a delay drawn past
            # the command's end kills nothing.
            self.seconds = min(first, time.monotonic() - began)
            self.twice = place.digest()
        finally:
            place.remove()
        assert self.after != self.before, f"{self.name} changed nothing: the trials would prove nothing"


@dataclass(frozen=True)
class Kill:
    """Where a trial kills the command: after ``delay`` seconds, or once it reached ``pause``."""

    delay: float | None = None
    pause: str | None = None

    def __str__(self) -> str:
        return f"at pause point {self.pause}" if self.pause else f"after {self.delay:.3f} s"


@dataclass(frozen=True)
class Outcome:
    """What one trial saw: whether the kill landed, and which reference the killed state equals."""

    kill: Kill
    killed: bool
    state: str  # "before" | "after"
    seconds: float


def kill_points(scenario: Scenario, trials: int, rng: random.Random) -> list[Kill]:
    """The pause points inside and just after the commit, then random delays over the command's
    measured duration."""
    inside, after = PAUSES[scenario.name]
    fixed = [Kill(pause=inside), Kill(pause=after)]
    return fixed[:trials] + [Kill(delay=rng.uniform(0, scenario.seconds)) for _ in range(trials - 2)]


def _killed(place: Place, scenario: Scenario, kill: Kill) -> bool:
    """Start the command and SIGKILL it at ``kill``; whether it was still running then."""
    extra = {kill.pause: "60"} if kill.pause else {}
    proc = subprocess.Popen(
        [sys.executable, "-c", CLI, *scenario.args],
        env=cli_env(place, **extra),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        if kill.pause:
            for line in proc.stderr:  # the point announces itself on stderr
                if line.strip() == kill.pause:
                    break
            else:
                raise AssertionError(f"{scenario.name} ended without reaching {kill.pause}")
        else:
            proc.wait(timeout=kill.delay)
            return False
    except subprocess.TimeoutExpired:
        pass
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stderr.close()
    return True


def trial(scenario: Scenario, kill: Kill, home: Path) -> Outcome:
    """One kill and its checks (a, b, c of the module docstring); raises AssertionError naming them."""
    began = time.monotonic()
    place = scenario.start.copy(home)
    try:
        killed = _killed(place, scenario, kill)
        if place.database:
            assert pg_open_transactions(place.database) == 0, "the killed command's session outlived it"
        state = place.digest()
        if state == scenario.before:
            seen, expected = "before", scenario.after
        elif state == scenario.after:
            seen, expected = "after", scenario.twice
        else:
            raise AssertionError(
                f"neither before nor after: differs from before in {_parts(state, scenario.before)}, "
                f"from after in {_parts(state, scenario.after)}"
            )
        report = place.verify()
        assert report.ok, f"audit verify failed: {[p.message for p in report.problems]}"
        again = cli(place, *scenario.args)
        assert again.returncode == 0, f"the next {scenario.name} failed: {again.stderr[-2000:]}"
        final = place.digest()
        assert final == expected, (
            f"the next {scenario.name} did not give the {seen}-and-once state: "
            f"differs in {_parts(final, expected)}"
        )
        return Outcome(kill, killed, seen, time.monotonic() - began)
    finally:
        place.remove()


def _parts(state: dict[str, Any], reference: dict[str, Any]) -> list[str]:
    """The parts of ``state`` that differ from ``reference`` (for a failure message)."""
    return [
        f"{side}.{name}"
        for side in ("lake", "store")
        for name in sorted(set(state[side]) | set(reference[side]))
        if state[side].get(name) != reference[side].get(name)
    ]


def run_trials(
    scenario: Scenario, trials: int, seed: int, scratch: Path, say: Callable[[str], None]
) -> list[Outcome]:
    """``trials`` kills of the scenario's command; every failure is collected, then all are raised."""
    rng = random.Random(f"{seed}:{scenario.name}:{scenario.start.database is not None}")
    outcomes, failures = [], []
    for n, kill in enumerate(kill_points(scenario, trials, rng)):
        try:
            outcomes.append(trial(scenario, kill, scratch / f"trial-{n}"))
            ended = "killed" if outcomes[-1].killed else "had ended"
            say(f"{scenario.name} trial {n}: kill {kill}, {ended}, {outcomes[-1].state}")
        except Exception as exc:  # a check that failed, or an error reading what the kill left
            failures.append(f"trial {n} (seed {seed}, kill {kill}): {type(exc).__name__}: {exc}")
            say(f"{scenario.name}: FAILED {failures[-1]}")
    states = [o.state for o in outcomes]
    say(
        f"{scenario.name}: {len(outcomes)} of {trials} trials held (seed {seed}, command "
        f"{scenario.seconds:.2f} s); killed {sum(o.killed for o in outcomes)}, left before "
        f"{states.count('before')}, after {states.count('after')}; {sum(o.seconds for o in outcomes):.0f} s"
    )
    assert not failures, "\n".join(failures)
    return outcomes
