"""Incremental runs: drops merged period by period give the clues of one drop, and a run over
nothing new changes nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from jiancha.clues.store import ClueStore
from jiancha.contracts import FieldType, datasets
from jiancha.coverage import field_day_sql
from jiancha.ingest import ingest_drop
from jiancha.ingest.merge import _day_field
from jiancha.lake import connect
from jiancha.models.catalog import Catalog
from jiancha.models.engine import DuckDBEngine
from jiancha.models.runner import RunSettings, run_models
from jiancha.synth import generate
from jiancha.workspace import Workspace

MID_YEAR = "2024-06-30"


@pytest.fixture(scope="module")
def cleaned(tmp_path_factory) -> Path:
    """A synthetic year ingested once: the lake the drops below are cut from."""
    root = tmp_path_factory.mktemp("incremental")
    synth = generate(root / "synth", 7, 0.1)
    ws = Workspace.resolve(root / "source")
    ingest_drop(ws, synth.drop, progress=False)
    return ws.lake_path


def export(lake: Path, out: Path, where: str | None) -> Path:
    """Each dataset as a CSV of its contract fields; ``where`` ('<= d' or '> d') cuts dated datasets
    by the field that dates their rows, undated ones (registries) go whole into every drop."""
    out.mkdir()
    with connect(lake) as con:
        for ds in datasets().values():
            columns = ", ".join(
                f"array_to_string({f.name}, ';') AS {f.name}" if f.type is FieldType.LIST else f.name
                for f in ds.fields
            )
            day = _day_field(ds)
            cut = f" WHERE {field_day_sql(ds.field(day))} {where}" if where and day else ""
            target = str(out / f"{ds.name}.csv")
            con.execute(f"COPY (SELECT {columns} FROM {ds.name}{cut} ORDER BY _row) TO '{target}' (HEADER)")
    return out


def run(ws: Workspace) -> dict[str, tuple[int, int, int]]:
    engine = DuckDBEngine(ws.lake_path)
    try:
        with ClueStore(ws.store_url) as store:
            record = run_models(engine, Catalog.load(None), store, None, RunSettings(user="test"))
    finally:
        engine.close()
    return {m.model_id: (m.counts.new, m.counts.updated, m.counts.no_longer_holds) for m in record.models}


def holding(ws: Workspace) -> dict[str, tuple]:
    with ClueStore(ws.store_url) as store:
        return {
            c.id: (c.model_id, c.subject_id, c.period, c.severity, c.office, c.related_ids)
            for c in store.iter_clues()
            if c.holds
        }


def evidence(ws: Workspace, clue_ids) -> dict[str, list[str]]:
    """Each clue's evidence values (row numbers aside: the drops' files differ)."""
    with ClueStore(ws.store_url) as store:
        return {
            i: sorted(
                f"{e.dataset}:{sorted(e.values.items())}"
                for e in store.get_clue(i, "test", unmask=True).evidence
            )
            for i in clue_ids
        }


def test_two_half_year_drops_give_the_clues_of_one_year_drop(cleaned, tmp_path, monkeypatch):
    monkeypatch.delenv("JIANCHA_DATABASE_URL", raising=False)
    whole = Workspace.resolve(tmp_path / "whole")
    ingest_drop(whole, export(cleaned, tmp_path / "year", None), progress=False)
    run(whole)

    split = Workspace.resolve(tmp_path / "split")
    ingest_drop(split, export(cleaned, tmp_path / "h1", f"<= DATE '{MID_YEAR}'"), progress=False, merge=True)
    run(split)
    second = ingest_drop(
        split, export(cleaned, tmp_path / "h2", f"> DATE '{MID_YEAR}'"), progress=False, merge=True
    )
    assert {f.dataset for f in second.files if f.status == "unchanged"} >= {"sewage_facilities"}
    run(split)

    expected = holding(whole)
    assert len(expected) > 20
    assert holding(split) == expected
    assert evidence(split, expected) == evidence(whole, expected)
    with connect(split.lake_path) as a, connect(whole.lake_path, read_only=False) as b:
        for name in ("effluent_daily", "sludge_manifests", "vehicle_gps"):
            assert (
                a.execute(f"SELECT count(*) FROM {name}").fetchone()
                == b.execute(f"SELECT count(*) FROM {name}").fetchone()
            )


def test_a_second_run_over_the_same_data_changes_nothing(cleaned, tmp_path, monkeypatch):
    monkeypatch.delenv("JIANCHA_DATABASE_URL", raising=False)
    ws = Workspace.resolve(tmp_path / "ws")
    ingest_drop(ws, export(cleaned, tmp_path / "year", None), progress=False)
    run(ws)
    before = holding(ws)
    with ClueStore(ws.store_url) as store:
        entries = store.audit_entries(100_000)
    again = run(ws)
    assert set(again.values()) == {(0, 0, 0)}
    assert holding(ws) == before
    with ClueStore(ws.store_url) as store:
        added = store.audit_entries(100_000)[: -len(entries)]
    assert [e.action for e in added] == ["run.recorded"]


def test_every_model_judges_the_same_at_an_as_of_beyond_the_data(cleaned, tmp_path, monkeypatch):
    """On a year of data, judging at mid-next-year raises exactly the clues of judging at its end."""
    monkeypatch.delenv("JIANCHA_DATABASE_URL", raising=False)
    year = export(cleaned, tmp_path / "year", None)
    at_end, beyond = Workspace.resolve(tmp_path / "end"), Workspace.resolve(tmp_path / "beyond")
    for ws in (at_end, beyond):
        ingest_drop(ws, year, progress=False)
    run(at_end)
    engine = DuckDBEngine(beyond.lake_path)
    try:
        with ClueStore(beyond.store_url) as store:
            settings = RunSettings(as_of=date(2025, 6, 30), user="test")
            run_models(engine, Catalog.load(None), store, None, settings)
    finally:
        engine.close()
    expected = holding(at_end)
    assert holding(beyond) == expected
    with ClueStore(at_end.store_url) as a, ClueStore(beyond.store_url) as b:
        assert {i: a.get_clue(i, "t").details for i in expected} == {
            i: b.get_clue(i, "t").details for i in expected
        }
