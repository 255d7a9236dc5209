"""Evidence: the source rows a finding cites, copied out of the lake.

A query names its evidence as ``dataset#_row`` (``effluent_daily#1234``), or
``dataset#_file#_row`` when a dataset is loaded from several files whose row
numbers repeat. The runner fetches every cited row of a model in one query per
dataset, so each clue carries the exact rows, with file and row number, that an
agency's data officer can find again.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

import pyarrow as pa

from jiancha.errors import ModelError
from jiancha.findings import EvidenceRow
from jiancha.lake import SOURCE_ROW
from jiancha.models.values import json_rows

if TYPE_CHECKING:
    from jiancha.models.catalog import Model
    from jiancha.models.engine import Engine

KEY = re.compile(r"^(?P<dataset>[a-z][a-z0-9_]*)#(?:(?P<file>.+)#)?(?P<row>\d+)$")


class EvidenceKey(NamedTuple):
    """One cited row: dataset, optionally the file, and the row number a spreadsheet shows.

    A tuple rather than a dataclass: keys are hashed once per citation, tens of thousands per run.
    """

    dataset: str
    file: str | None
    row: int


def parse_evidence_key(model: Model, text: str) -> EvidenceKey:
    """``"effluent_daily#12"`` → EvidenceKey; an error naming the model for other forms."""
    match = KEY.match(str(text))
    if not match:
        raise ModelError(
            f"模型 {model.id} 的证据 {text!r} 格式不对：应为 数据集#行号（如 effluent_daily#12），"
            "或 数据集#文件名#行号。"
        )
    if match["dataset"] not in model.spec.datasets:
        raise ModelError(
            f"模型 {model.id} 的证据 {text!r} 指向数据集 {match['dataset']}，它不在该模型 YAML 的 datasets 中"
            f"（{'、'.join(model.spec.datasets)}）。"
        )
    return EvidenceKey(match["dataset"], match["file"], int(match["row"]))


def fetch_evidence(
    engine: Engine, model: Model, keys: Iterable[EvidenceKey], time_limit: float | None
) -> dict[EvidenceKey, tuple[EvidenceRow, ...]]:
    """The lake rows for every key, fetched together; a key that matches no row is an error."""
    by_dataset: dict[str, list[EvidenceKey]] = defaultdict(list)
    for key in keys:
        by_dataset[key.dataset].append(key)
    fetched = engine.fetch_rows({d: {k.row for k in wanted} for d, wanted in by_dataset.items()}, time_limit)
    found: dict[EvidenceKey, tuple[EvidenceRow, ...]] = {}
    for dataset, wanted in by_dataset.items():
        by_row = _rows_by_number(dataset, fetched[dataset])
        for key in wanted:
            rows = tuple(r for r in by_row[key.row] if key.file is None or r.file == key.file)
            if not rows:
                cited = f"{key.dataset}#{key.file + '#' if key.file else ''}{key.row}"
                raise ModelError(f"模型 {model.id} 引用的证据行 {cited} 在湖仓中不存在。")
            found[key] = rows
    return found


def _rows_by_number(dataset: str, table: pa.Table) -> dict[int, list[EvidenceRow]]:
    """A dataset's fetched rows by row number (several files may share one).

    In a table merged from several files (``jiancha ingest --merge``), ``_row`` is unique
    and ``_source_row`` is the row in the row's own file: the number the evidence shows.
    """
    by_row: dict[int, list[EvidenceRow]] = defaultdict(list)
    rows = table.column("_row").to_pylist()
    shown = table.column(SOURCE_ROW).to_pylist() if SOURCE_ROW in table.column_names else rows
    located = zip(table.column("_file").to_pylist(), rows, shown, strict=True)
    values = json_rows(
        table.drop_columns([c for c in ("_file", "_row", SOURCE_ROW) if c in table.column_names])
    )
    for (file, row, source_row), record in zip(located, values, strict=True):
        by_row[row].append(EvidenceRow(dataset, file, source_row, record))
    return by_row
