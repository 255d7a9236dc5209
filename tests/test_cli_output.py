"""``--format table|json|csv``: the shared renderer, and the docs page that names every field."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jiancha.cli import app
from jiancha.cli.output import LISTINGS, Field, OutputFormat, emit

DOCS = Path(__file__).parents[1] / "docs" / "cli-output.md"
FIELDS = (Field("name", "名称", "name"), Field("when", "日期", "date"), Field("tags", "标签", "tags"))
ROWS = [
    {"name": "雄县污水处理厂" * 8, "when": date(2024, 3, 5), "tags": ("a", "b")},
    {"name": "x,y", "when": None, "tags": ()},
]


def test_json_keeps_every_field_whole(capsys):
    emit(ROWS, FIELDS, OutputFormat.json)
    out = json.loads(capsys.readouterr().out)
    assert out[0] == {"name": "雄县污水处理厂" * 8, "when": "2024-03-05", "tags": ["a", "b"]}
    assert out[1] == {"name": "x,y", "when": None, "tags": []}


def test_csv_has_field_names_and_joins_lists(capsys):
    emit(ROWS, FIELDS, OutputFormat.csv)
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows == [["name", "when", "tags"], ["雄县污水处理厂" * 8, "2024-03-05", "a;b"], ["x,y", "", ""]]


def test_table_in_a_pipe_is_not_cut_at_80_columns():
    runner = CliRunner()
    out = runner.invoke(app, ["models", "list"]).output
    # a pipe: Rich would assume 80 columns and fold or cut the longest title
    assert max(len(line) for line in out.splitlines()) > 80
    assert "盗窃案销赃收购人未被追究掩饰、隐瞒犯罪所得罪" in out


def test_sparse_field_appears_only_when_a_row_has_it(capsys):
    fields = (Field("a", "甲", "a"), Field("due", "期限", "due", sparse=True))
    emit([{"a": "1", "due": None}], fields, OutputFormat.table)
    assert "期限" not in capsys.readouterr().out
    emit([{"a": "1", "due": datetime(2024, 3, 5, 9, 30)}], fields, OutputFormat.table)
    assert "2024-03-05 09:30" in capsys.readouterr().out


def _documented_fields(command: str) -> list[str]:
    text = DOCS.read_text("utf-8")
    section = text.split(f"## `jiancha {command}`", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `(\w+)` \|", section, flags=re.M)


@pytest.mark.parametrize("command", sorted(LISTINGS))
def test_every_field_is_documented_in_order(command):
    assert _documented_fields(command) == [f.name for f in LISTINGS[command]]


@pytest.mark.parametrize("command", sorted(LISTINGS))
def test_every_list_command_takes_format(command):
    result = CliRunner().invoke(app, [*command.split(), "--help"])
    assert result.exit_code == 0 and "--format" in result.output
