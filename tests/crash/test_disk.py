"""A full disk and a read-only workspace: one clear sentence, a non-zero exit, nothing changed.

The workspace lives on a small tmpfs of its own (mounting needs root; the tests skip, saying
so, where mounting is not permitted). A full disk is the tmpfs filled up to ``LEFT`` bytes;
a read-only workspace is the tmpfs remounted read-only (root ignores mode bits, not a
read-only mount). The lake and the store are compared by logical digest (``state.py``).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from jiancha.clues.anchors import ANCHOR_FILE, Anchor, AnchorLog, sign
from jiancha.clues.keys import parse_keyring

from .harness import Place, cli, new_place

SIZE = "64m"


def _mount(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["mount", *args], capture_output=True, text=True)


@contextmanager
def tmpfs(folder: Path) -> Iterator[Path]:
    """A fresh tmpfs of :data:`SIZE` at ``folder``, unmounted afterwards."""
    folder.mkdir()
    mounted = _mount("-t", "tmpfs", "-o", f"size={SIZE}", "tmpfs", str(folder))
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        _mount("-o", "remount,rw", str(folder))
        subprocess.run(["umount", str(folder)], check=True)


@contextmanager
def full(folder: Path, left: int) -> Iterator[None]:
    """The file system of ``folder`` filled up to ``left`` free bytes, freed afterwards."""
    stats = os.statvfs(folder)
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        os.posix_fallocate(fd, 0, max(stats.f_bavail * stats.f_frsize - left, 1))
    finally:
        os.close(fd)
    try:
        yield
    finally:
        filler.unlink()


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    assert _mount("-o", "remount,ro", str(folder)).returncode == 0
    try:
        yield
    finally:
        assert _mount("-o", "remount,rw", str(folder)).returncode == 0


def _ok(place: Place, *args: str) -> None:
    done = cli(place, *args)
    assert done.returncode == 0, done.stderr


@pytest.fixture
def disk(tmp_path: Path, drops: tuple[Path, Path]) -> Iterator[tuple[Place, Path]]:
    """A SQLite workspace on its own tmpfs, with drop A ingested and run (the tests then ingest
    drop B, or run again: a run always writes its record)."""
    with tmpfs(tmp_path / "mnt") as mnt, new_place(mnt / "ws", "sqlite") as place:
        _ok(place, "ingest", str(drops[0]))
        _ok(place, "run")
        yield place, mnt


def _refused(done: subprocess.CompletedProcess[str], *words: str) -> None:
    """A non-zero exit with one sentence (on stderr) holding ``words``, and no traceback."""
    said = " ".join(done.stderr.split())
    assert done.returncode == 1, done.stdout[-2000:] + done.stderr[-2000:]
    assert "Traceback" not in done.stderr, done.stderr
    for word in words:
        assert word in said, said


#: Free bytes left for each command: none — the ingest runs out while it writes its Parquet
#: version, the run when it commits.
@pytest.mark.parametrize(("command", "left"), [("ingest", 0), ("run", 0)])
def test_a_full_disk_refuses_with_a_sentence_and_changes_nothing(disk, drops, command, left):
    place, mnt = disk
    args = ("ingest", str(drops[1])) if command == "ingest" else ("run",)
    written = place.home / ("lake.duckdb" if command == "ingest" else "store.sqlite")
    before = place.digest()
    with full(mnt, left):
        done = cli(place, *args)
    _refused(done, "磁盘空间不足", str(written), "请腾出空间")
    assert place.digest() == before
    assert place.verify().ok
    _ok(place, *args)  # with space again, the same command succeeds
    assert place.digest() != before


def test_a_read_only_workspace_refuses_writers_and_still_lists_clues(disk, drops):
    place, mnt = disk
    before = place.digest()
    with read_only(mnt):
        ingest = cli(place, "ingest", str(drops[1]))
        run = cli(place, "run")
        listed = cli(place, "clues", "list", "--format", "json")
        datasets = cli(place, "datasets")
    _refused(ingest, "只读", str(place.home / "lake.duckdb"))
    _refused(run, "只读", str(place.home / "store.sqlite"))
    assert listed.returncode == 0, listed.stderr
    assert '"clue_id"' in listed.stdout
    assert datasets.returncode == 0, datasets.stderr
    assert place.digest() == before
    assert place.verify().ok


def test_a_full_disk_leaves_no_broken_line_in_the_anchor_file(tmp_path):
    """The line that straddles the last free page is cut off again, so the file stays whole lines."""
    keyring = parse_keyring(f"k1:{'ab' * 32}", "test")
    with tmpfs(tmp_path / "mnt") as mnt:
        log = AnchorLog(mnt / ANCHOR_FILE)
        log.append(sign(keyring, 1, "0" * 64, 1))
        with full(mnt, 0), pytest.raises(OSError, match="No space left"):
            for seq in range(2, 10_000):  # a page holds about 20 lines
                log.append(sign(keyring, seq, "0" * 64, 1))
        read = log.read(keyring)
    assert len(read) > 1
    assert all(isinstance(anchor, Anchor) for anchor in read), read
