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


def loaded_after(statement: str) -> list[str]:
    """Which of :data:`HEAVY` a fresh interpreter holds after running ``statement``."""
    script = f"import json, sys\n{statement}\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


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
