"""SIGKILL at random points of ``jiancha ingest`` and ``jiancha run``, on SQLite and PostgreSQL.

Each trial requires (a) the lake and the store to be exactly as before the command or exactly
as after it (logical digests, ``state.py``), (b) the audit chain to verify, and (c) the next
run of the command to succeed and give the state after it. Two kill points are fixed (inside
the write transaction, and just after its commit); the rest are random delays over the
command's measured duration, seeded: ``JIANCHA_CRASH_SEED=<seed>`` replays a failure.
``make test-slow`` runs 50 trials per command and backend; the default run 6.
"""

from __future__ import annotations

import os

import pytest

from .harness import run_trials

TRIALS = int(os.environ.get("JIANCHA_CRASH_TRIALS", "6"))


#: Each trial takes a few seconds on an idle machine; a busy one may take ten times as long.
@pytest.mark.timeout(600 + 120 * TRIALS)
@pytest.mark.parametrize("command", ["ingest", "run"])
def test_a_killed_command_leaves_the_state_before_or_after_it(
    command, scenario, crash_seed, tmp_path, capsys
):
    made = scenario(command)

    def say(line: str) -> None:
        with capsys.disabled():
            print(f"\n[crash] {line}")

    outcomes = run_trials(made, TRIALS, crash_seed, tmp_path / "trials", say)
    assert {o.state for o in outcomes[:2]} <= {"before", "after"}
    assert outcomes[0].state == "before" and outcomes[1].state == "after", (
        "a kill inside the transaction must leave the state before, one after the commit the state after"
    )
