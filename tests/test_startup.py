"""Start-up: the CLI imports what a command uses, when the command runs.

``jiancha --help`` and the quick reading commands must not pay for the lake, the
clue store, entity linkage, charts or spreadsheets; each command imports those
inside its own function. Each check runs in a fresh interpreter, since this test
process has long since imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

#: Libraries no command needs before it parses its arguments.
HEAVY = ("duckdb", "ibis", "splink", "sqlalchemy", "alembic", "matplotlib", "openpyxl", "pyarrow", "shapely")


def run_fresh(statement: str) -> tuple[list[str], str]:
    """Which of :data:`HEAVY` a fresh interpreter holds after running ``statement``, and what
    the statement printed."""
    script = f"import json, sys\n{statement}\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    *printed, loaded = done.stdout.splitlines()
    return json.loads(loaded), "\n".join(printed)


def loaded_after(statement: str) -> list[str]:
    """Which of :data:`HEAVY` a fresh interpreter holds after running ``statement``."""
    return run_fresh(statement)[0]


def test_importing_the_cli_loads_no_heavy_library():
    assert loaded_after("import jiancha.cli") == []


@pytest.mark.parametrize(
    ("statement", "allowed"),
    [
        # the catalogue is YAML and pydantic: listing it needs no query engine
        ("from jiancha.models.catalog import Catalog; Catalog.load()", ()),
        # the workflow's statuses and actions are option types of the clue commands
        ("import jiancha.clues.workflow, jiancha.clues.views", ()),
        # reading a clue needs the database layer, not Alembic or the office polygons
        ("import jiancha.clues.store", ("sqlalchemy",)),
    ],
)
def test_light_modules_stay_light(statement, allowed):
    assert [m for m in loaded_after(statement) if m not in allowed] == []


def test_showing_a_clue_reads_the_sqlite_store_without_the_database_layer(tmp_path, monkeypatch):
    """``jiancha clues show`` on a SQLite workspace reads the file with the stdlib ``sqlite3``:
    no SQLAlchemy (a third of a second), and what it prints is still the whole clue."""
    from jiancha.clues import ClueStore
    from jiancha.findings import EvidenceRow, Finding

    monkeypatch.delenv("JIANCHA_DATABASE_URL", raising=False)
    finding = Finding(
        model_id="water.facility_idle",
        subject_type="facility",
        subject_id="F001",
        period="2024-03",
        severity="high",
        target_agency="容城县住房和城乡建设局",
        legal_basis="城镇排水与污水处理条例 第五十二条",
        evidence=(
            EvidenceRow("effluent_daily", "effluent.csv", 12, {"facility_id": "F001", "flow_m3": 0.0}),
        ),
    )
    with ClueStore(f"sqlite:///{tmp_path / 'store.sqlite'}") as store:
        store.sync_findings("run-1", finding.model_id, [finding])
        clue_id = store.list_clues().items[0].id
    argv = ["--home", str(tmp_path), "--lang", "zh", "clues", "show", clue_id[:8]]
    loaded, shown = run_fresh(
        f"from jiancha.cli.app import run_cli\ntry:\n    run_cli({argv!r})\nexcept SystemExit:\n    pass"
    )
    assert loaded == []
    for text in (
        f"线索 {clue_id}",
        "污水处理设施建而不用",
        "容城县住房和城乡建设局",
        "effluent.csv",
        "日处理水量",
        "模型发现线索",
    ):
        assert text in shown


def test_the_package_names_still_resolve():
    """The packages' re-exports are imported on first use (jiancha.lazy) but are all still there."""
    import jiancha.clues
    import jiancha.models
    import jiancha.resolve

    for package in (jiancha.clues, jiancha.models, jiancha.resolve):
        for name in package.__all__:
            assert getattr(package, name) is not None, f"{package.__name__}.{name}"
        assert set(package.__all__) <= set(dir(package))
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        jiancha.models.nothing  # noqa: B018


def test_the_models_import_one_way():
    """catalog → spec → parameter_types, and parameters → catalog: no module of the three
    imports back into the one that imports it, even for type checking."""
    import ast
    from pathlib import Path

    import jiancha.models

    folder = Path(jiancha.models.__file__).parent
    graph = {}
    for name in ("catalog", "spec", "parameters", "parameter_types"):
        tree = ast.parse((folder / f"{name}.py").read_text("utf-8"))
        graph[name] = {
            node.module.rsplit(".", 1)[-1]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("jiancha.models.")
        }

    def reachable(start: str) -> set[str]:
        found, todo = set(), [start]
        while todo:
            for imported in graph.get(todo.pop(), ()):
                if imported not in found:
                    found.add(imported)
                    todo.append(imported)
        return found

    assert [name for name in graph if name in reachable(name)] == []
