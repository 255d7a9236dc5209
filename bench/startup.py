"""Start-up benchmark: whole ``jiancha`` processes for the quick commands, wall and CPU.

Target: ``jiancha --help``, ``jiancha models list`` and ``jiancha clues show ID`` each under
0.4 s wall, warm disk cache; ``clues show ID --unmask`` (read through the store and SQLAlchemy,
as an audited read is) is timed beside them for comparison. The commands run in turns so a
busy moment of a shared machine hits them all; the median of each is printed with its user +
system CPU, which the machine's load moves less, and the load average.

    .venv/bin/python bench/startup.py [--runs 15] [--home /tmp/bench-startup]

The workspace holds a store of a few clues (made when missing). Byte-compiled modules are
written on the first round (an installed package has them), so that round is not counted.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table
from store import findings

from jiancha.clues import ClueStore

TARGET_S = 0.4
console = Console()


def clue_in(home: Path) -> str:
    """A clue id of the workspace at ``home``, seeding a few clues there first if it has none."""
    with ClueStore(f"sqlite:///{home / 'store.sqlite'}") as store:
        if not store.list_clues(size=1).items:
            for model, batch in list(findings(300).items())[:3]:
                store.sync_findings("bench-run", model, batch)
        return store.list_clues(size=1).items[0].id


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU (user + system, children) seconds of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--home", type=Path, default=Path("/tmp/bench-startup"))
    args = parser.parse_args()
    args.home.mkdir(parents=True, exist_ok=True)
    clue_id = clue_in(args.home)
    jiancha = str(Path(sys.executable).with_name("jiancha"))
    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "JIANCHA_DATABASE_URL")
    }
    commands = {
        "jiancha --help": [jiancha, "--help"],
        "jiancha models list": [jiancha, "--home", str(args.home), "models", "list"],
        "jiancha clues show ID": [jiancha, "--home", str(args.home), "clues", "show", clue_id],
        # the same clue through the store (SQLAlchemy): the path an unmasked, audited read takes
        "jiancha clues show ID --unmask": [
            jiancha,
            "--home",
            str(args.home),
            "clues",
            "show",
            clue_id,
            "--unmask",
        ],
    }
    for argv in commands.values():  # writes the byte code, warms the disk cache
        timed(argv, env)
    load = [" ".join(f"{x:.2f}" for x in os.getloadavg())]
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, argv in commands.items():
            times[name].append(timed(argv, env))
    load.append(" ".join(f"{x:.2f}" for x in os.getloadavg()))
    table = Table(title=f"start-up · {args.runs} runs each, in turns")
    for column in ("command", "median wall s", "min wall s", "median CPU s"):
        table.add_column(column, justify="left" if column == "command" else "right")
    ok = True
    for name, runs in times.items():
        wall = statistics.median(w for w, _ in runs)
        ok &= wall < TARGET_S or name.endswith("--unmask")
        table.add_row(
            name,
            f"{wall:.3f}",
            f"{min(w for w, _ in runs):.3f}",
            f"{statistics.median(c for _, c in runs):.3f}",
        )
    console.print(table)
    console.print(
        f"load average (1, 5, 15 min) before / after: {load[0]} / {load[1]} on {os.cpu_count()} cores"
    )
    verdict = "met" if ok else "MISSED"
    console.print(f"[{'green' if ok else 'red'}]median wall < {TARGET_S} s for every command: {verdict}[/]")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
