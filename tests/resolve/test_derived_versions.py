"""A resolution's tables are Parquet versions named for its run, listed in the manifest; the runs and
decisions stay in ``lake.duckdb``, and a table of the older format is replaced."""

from __future__ import annotations

import json

from jiancha.lake import connect
from jiancha.lake.layout import lake_folder, native_tables
from jiancha.models.testing import GoldenLake
from jiancha.resolve.service import resolve_lake

from .test_resolution import ROWS


def test_each_resolution_is_a_version_of_its_run(tmp_path):
    golden = GoldenLake(tmp_path)
    golden.add("business_registry", ROWS["business_registry"])
    golden.add("admin_penalties", ROWS["admin_penalties"])
    folder = lake_folder(golden.path)
    with connect(golden.path, read_only=False) as con:
        con.execute("CREATE TABLE _entities AS SELECT 'stale' AS entity_id")  # as format 1 kept it
        first = resolve_lake(con, user="tester")
        assert not native_tables(con) & {"_entities", "_entity_members", "_entity_links"}
        assert {"_entity_runs", "_entity_decisions"} <= native_tables(con)
    for table in ("_entities", "_entity_members", "_entity_links"):
        assert (folder / "derived" / table / first.run_id / "part-0.parquet").is_file()
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert manifest["tables"]["_entities"] | {"columns": None, "rows": None} == {
        "kind": "derived",
        "version": first.run_id,
        "path": f"derived/_entities/{first.run_id}",
        "partition": None,
        "rows": None,
        "columns": None,
    }
    assert manifest["tables"]["_entities"]["rows"] == first.entities
    assert manifest["tables"]["_entity_runs"]["path"] == "meta/_entity_runs.parquet"

    golden.add("admin_penalties", [{**ROWS["admin_penalties"][0], "decision_no": "雄环罚〔2024〕2号"}])
    with connect(golden.path, read_only=False) as con:
        second = resolve_lake(con, user="tester")
    assert second.run_id != first.run_id
    assert sorted(p.name for p in (folder / "derived" / "_entities").iterdir()) == sorted(
        [first.run_id, second.run_id]
    )
    with connect(golden.path) as con:
        assert con.execute("SELECT count(*) FROM _entities").fetchone()[0] == second.entities
        assert "stale" not in {r[0] for r in con.execute("SELECT entity_id FROM _entities").fetchall()}
