"""Reading the first sheet of an xlsx workbook into text cells with their sheet row numbers.

python-calamine is fast and returns formula cells' cached values, but reads an
error cell (``#DIV/0!``) as an empty string, which would silently turn a broken
formula into a null. So a workbook whose sheets contain error cells is read with
openpyxl instead, which hands the error text through; the validator then reports
it as unreadable. A merged title row above the header is skipped by taking the
first row that carries the dataset's headers.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pyarrow as pa
from python_calamine import CalamineError, CalamineWorkbook

from jiancha.contracts import Dataset
from jiancha.errors import ContractError
from jiancha.i18n import tr
from jiancha.ingest.headers import matches

#: How far down the sheet a header row is looked for (title rows, notes above it).
HEADER_SEARCH_ROWS = 20


@dataclass(frozen=True)
class Sheet:
    """The header cells and an Arrow table ``_row, c0, c1, …`` of text cells below them."""

    headers: tuple[str, ...]
    table: pa.Table


def cell_text(value: object) -> str | None:
    """A cell as the text the coercion SQL reads: ISO dates, integral floats without ``.0``."""
    match value:
        case None | "":
            return None
        case bool():
            return "true" if value else "false"
        case float() if value.is_integer():
            return str(int(value))
        case dt.datetime():
            return value.isoformat(sep=" ")
        case dt.date() | dt.time():
            return value.isoformat()
        case _:
            return str(value)


def _has_error_cells(path: Path) -> bool:
    """Whether any worksheet stores an error-typed cell (``t="e"``), scanned without parsing XML."""
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            with zf.open(name) as fh:
                tail = b""
                while chunk := fh.read(1 << 20):
                    if b't="e"' in tail + chunk:
                        return True
                    tail = chunk[-8:]
    return False


def _rows(path: Path) -> Iterable[Sequence[object]]:
    if _has_error_cells(path):
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            yield from book.worksheets[0].iter_rows(min_row=1, min_col=1, values_only=True)
        finally:
            book.close()
        return
    yield from CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)


def _header_index(ds: Dataset, rows: list[Sequence[object]]) -> int:
    """The first row holding every required header, else the first with any header, else row 1."""
    required = len(ds.required)
    scores = [matches(ds, row) for row in rows[:HEADER_SEARCH_ROWS]]
    for i, score in enumerate(scores):
        if score >= required:
            return i
    return next((i for i, score in enumerate(scores) if score > 0), 0)


def read_first_sheet(ds: Dataset, path: Path, display: str) -> Sheet:
    """The first sheet's header and data rows; row numbers are the sheet's own (1-based)."""
    try:
        rows = [list(r) for r in _rows(path)]
    except (CalamineError, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ContractError(
            tr(
                f"文件 {display} 不是可读的 xlsx 工作簿：{exc}",
                f"File {display} is not a readable xlsx workbook: {exc}",
            )
        ) from exc
    if not any(cell_text(c) for row in rows for c in row):
        return Sheet((), pa.table({}))
    start = _header_index(ds, rows)
    header_cells = [cell_text(c) or "" for c in rows[start]]
    numbered = [(start + 2 + k, r) for k, r in enumerate(rows[start + 1 :]) if any(cell_text(c) for c in r)]
    body = [r for _, r in numbered]
    width = max([len(header_cells), *(len(r) for r in body)])
    header_cells += [""] * (width - len(header_cells))
    keep = [i for i in range(width) if header_cells[i] or any(i < len(r) and cell_text(r[i]) for r in body)]
    columns: dict[str, pa.Array] = {"_row": pa.array([n for n, _ in numbered], pa.int64())}
    for n, i in enumerate(keep):
        columns[f"c{n}"] = pa.array([cell_text(r[i]) if i < len(r) else None for r in body], pa.string())
    return Sheet(tuple(header_cells[i] for i in keep), pa.table(columns))
