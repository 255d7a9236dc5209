"""``resolve --engine spark``: the same entities, members and links as on DuckDB; faults write nothing.

The equality is exact, floats included, with no tolerance: both engines count the same name u
over all pairs of distinct companies and take the prior from exact pair counts, so nothing
depends on the order Spark sums in. (On these drops EM is not reached: too few pairs share a
code or folded name, and the m priors stand.) Should a probability ever move in its last bit,
the test fails and says so.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from jiancha.cli.app import console, run_cli
from jiancha.lake import open_lake
from jiancha.lake.layout import lake_folder
from jiancha.resolve import linker, store
from jiancha.resolve.lookup import entity_lookup_table
from jiancha.resolve.service import resolve_lake
from jiancha.resolve.sources import fingerprint
from jiancha.workspace import Workspace

from .test_faults import free_port

TABLES = (store.ENTITIES, store.MEMBERS, store.LINKS)


def _copy(synthetic: Callable[[int, float], Workspace], folder: Path, scale: float, seed: int) -> Workspace:
    """A copy of the session's synthetic workspace at ``scale``/``seed``, to resolve and decide in."""
    shutil.copytree(synthetic(seed, scale).home, folder / "home")
    return Workspace.resolve(folder / "home")


def _tables(workspace: Workspace) -> dict[str, Any]:
    """Every stored row of the entity tables, in their stored order, and their column types."""
    con = open_lake(workspace, read_only=True)
    try:
        out: dict[str, Any] = {t: con.execute(f"SELECT * FROM {t}").fetchall() for t in TABLES}
        out["types"] = {t: con.execute(f"DESCRIBE {t}").fetchall() for t in TABLES}
        return out
    finally:
        con.close()


def _decide(con: Any, action: str, name: str, other: str | None = None) -> None:
    store.add_decision(
        con,
        store.Decision(
            decision_id=f"{action}-{name}",
            action=action,
            name=name,
            credit_code=None,
            other_name=other,
            other_credit_code=None,
            reason="核实营业执照",
            decided_by="检察官甲",
            decided_at=datetime(2030, 1, 1),
        ),
    )


def _resolve(workspace: Workspace, spark: Any = None) -> store.Run:
    """Resolve afresh (trained again, not reused) on DuckDB, or on ``spark`` reading the lake's Parquet."""
    from jiancha.spark.resolve import lake_source

    source = None if spark is None else lake_source(spark, lake_folder(workspace.lake_path))
    con = open_lake(workspace, read_only=False)
    try:
        resolve_lake(con, force=True, retrain=True, user="检察官甲", source=source)
        return store.latest_run(con)
    finally:
        con.close()


def _same_on_both(spark: Any, workspace: Workspace) -> None:
    on_duckdb = _resolve(workspace)
    first = _tables(workspace)
    # a reviewer's decisions take part: split the first linked spelling off, link two name-only entities
    _, _, name_l, *_ = first[store.LINKS][0]
    loners = [row[1] for row in first[store.ENTITIES] if row[2] is None][:2]
    con = open_lake(workspace, read_only=False)
    try:
        _decide(con, "split", name_l)
        _decide(con, "link", loners[0], loners[1])
    finally:
        con.close()
    _resolve(workspace)
    expected = _tables(workspace)
    on_spark = _resolve(workspace, spark)
    found = _tables(workspace)

    assert on_spark.run_id != on_duckdb.run_id
    assert found["types"] == expected["types"]
    for table in TABLES:
        assert found[table] == expected[table], table
    assert expected[store.ENTITIES] != first[store.ENTITIES]  # the decisions changed something
    con = open_lake(workspace, read_only=True)
    try:
        assert on_spark.fingerprint == fingerprint(con)  # current for the models on DuckDB
        assert store.is_current(con, on_spark.fingerprint)
        assert entity_lookup_table(con).num_rows > 0
    finally:
        con.close()


def test_spark_gives_the_same_entities_members_and_links(spark, synthetic, tmp_path: Path) -> None:
    _same_on_both(spark, _copy(synthetic, tmp_path, scale=1, seed=1))


@pytest.mark.slow
@pytest.mark.parametrize(("scale", "seed"), [(1, 2), (3, 1), (3, 2)])
def test_spark_gives_the_same_links_at_every_scale_and_seed(
    spark, synthetic, tmp_path: Path, scale: int, seed: int
) -> None:
    _same_on_both(spark, _copy(synthetic, tmp_path, scale, seed))


def _snapshot(home: Path) -> dict[str, str]:
    """Every file of the workspace and its digest: what "nothing written" compares."""
    return {
        str(p.relative_to(home)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(home.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def small_home(synthetic, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(console, "width", 300)
    return _copy(synthetic, tmp_path, scale=0.1, seed=1).home


def _fails(home: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    with pytest.raises(SystemExit) as stop:
        run_cli(["--lang", "en", "--home", str(home), "resolve", "--engine", "spark", *args])
    assert stop.value.code == 1
    captured = capsys.readouterr()
    said = " ".join((captured.out + captured.err).split())
    assert said.count("Cannot ") == 1 and "Traceback" not in said, said  # one sentence, no stack
    return said.removeprefix("错误：")


def test_unreachable_master_is_one_sentence_and_writes_nothing(small_home: Path, capsys) -> None:
    before = _snapshot(small_home)
    url = f"spark://127.0.0.1:{free_port()}"
    said = _fails(small_home, capsys, "--spark-master", url)
    assert said.startswith(f"Cannot reach the Spark master {url} ({url.removeprefix('spark://')} ")
    assert _snapshot(small_home) == before


def test_missing_java_is_one_sentence_and_writes_nothing(
    small_home: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _snapshot(small_home)
    monkeypatch.setenv("JAVA_HOME", str(small_home / "no-java"))
    monkeypatch.setenv("PATH", str(small_home / "no-bin"))
    said = _fails(small_home, capsys, "--spark-master", "local[2]")
    assert said.startswith("Cannot start Spark (local[2]): no Java found")
    assert _snapshot(small_home) == before


def test_a_failure_midway_leaves_the_previous_entities_current(
    spark, small_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace = Workspace.resolve(small_home)
    previous = _resolve(workspace)
    before = _tables(workspace)

    def lost_executor(*args: object, **kwargs: object) -> None:
        raise RuntimeError("executor lost")

    monkeypatch.setattr(linker, "cluster_pairwise_predictions_at_threshold", lost_executor)
    with pytest.raises(RuntimeError, match="executor lost"):
        _resolve(workspace, spark)
    con = open_lake(workspace, read_only=True)
    try:
        assert store.latest_run(con) == previous
    finally:
        con.close()
    assert _tables(workspace) == before
