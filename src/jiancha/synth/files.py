"""Write one dataset to its file in the drop, in the agency's style, and report which
party names sit in which spreadsheet row."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from jiancha.contracts import Dataset, FieldType
from jiancha.synth.messy import BAD_ROWS, STYLES, Style, spell_date, spell_datetime, spell_number
from jiancha.synth.world import Table, World

_FIXED_TIME = dt.datetime(2025, 1, 2, 9, 0, 0)
_ZIP_TIME = (2025, 1, 2, 9, 0, 0)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def columns(dataset: Dataset, style: Style, world: World) -> list[str]:
    """Field names in the order the file holds them (extra columns last)."""
    names = list(dataset.field_names)
    if style.shuffle_columns:
        names = [names[i] for i in world.rng.permutation(len(names))]
    return names + list(style.extra)


def _cell(dataset: Dataset, name: str, value, style: Style, row: int):
    """The value as the agency writes it (a string, or a native value for xlsx)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if name not in dataset.field_names:
        return value
    f = dataset.field(name)
    if isinstance(value, str):
        return f.values.get(value, value) if style.labels and f.type == FieldType.ENUM else value
    if f.type == FieldType.DATETIME:
        return value if style.fmt == "xlsx" else spell_datetime(value, style.dates)
    if f.type == FieldType.DATE:
        return value if style.fmt == "xlsx" else spell_date(value, style.dates, row)
    if f.type == FieldType.BOOLEAN:
        return style.booleans[0] if value else style.booleans[1]
    if f.type == FieldType.LIST:
        return style.list_sep.join(f.values.get(v, v) if style.labels else v for v in value)
    if name in style.thousands:
        return spell_number(float(value), True)
    if style.fmt == "xlsx":
        return value
    return str(value) if isinstance(value, int) else spell_number(float(value), False)


def _rows(world: World, table: Table) -> list[dict]:
    """The table's rows with its bad rows appended."""
    rows = list(table.rows)
    bad = BAD_ROWS.get(table.name)
    if bad and rows:
        _, source, changes = bad
        rows.append({**rows[source], **changes})
    style = STYLES[table.name]
    for row in rows:
        for column, kind in style.extra.items():
            row.setdefault(column, world.pool.person() if kind == "person" else "")
    return rows


def write(world: World, dataset: Dataset, table: Table, drop: Path) -> Path:
    """Write ``table`` into ``drop`` as its style says; returns the file written."""
    style = STYLES[dataset.name]
    if style.fmt == "parquet":
        path = drop / f"{dataset.name}.parquet"
        pq.write_table(table.arrow, path, compression="zstd")
        return path
    names = columns(dataset, style, world)
    headers = [
        dataset.field(n).title if style.chinese_headers and n in dataset.field_names else n for n in names
    ]
    rows = _arrow_rows(table) if table.arrow is not None else _rows(world, table)
    cells = [[_cell(dataset, n, row.get(n), style, i) for n in names] for i, row in enumerate(rows)]
    if style.fmt == "xlsx":
        path = drop / f"{dataset.name}.xlsx"
        path.write_bytes(_xlsx(dataset.title, headers, cells))
        return path
    path = drop / f"{dataset.name}.csv"
    path.write_bytes(_csv(headers, cells, style.encoding))
    return path


def _arrow_rows(table: Table) -> list[dict]:
    rows = table.arrow.to_pylist()
    bad = BAD_ROWS.get(table.name)
    if bad:
        rows.append({**rows[bad[1]], **bad[2]})
    return rows


def _csv(headers: list[str], cells: list[list], encoding: str) -> bytes:
    columns_ = {h: pa.array([row[i] for row in cells], pa.string()) for i, h in enumerate(headers)}
    sink = io.BytesIO()
    pacsv.write_csv(pa.table(columns_), sink, pacsv.WriteOptions(quoting_style="needed"))
    text = sink.getvalue().decode("utf-8")
    return text.encode(encoding)


def _xlsx(title: str, headers: list[str], cells: list[list]) -> bytes:
    """An .xlsx with fixed document times and zip entry times, so reruns are byte-identical."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(headers)
    for row in cells:
        ws.append(row)
    for column in ws.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
            elif isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    wb.properties.created = wb.properties.modified = _FIXED_TIME
    wb.properties.creator = "jiancha synth"
    raw = io.BytesIO()
    wb.save(raw)
    return _restamp(raw.getvalue())


def _restamp(archive: bytes) -> bytes:
    """Rewrite a zip with fixed entry times and a fixed "modified" property: openpyxl
    stamps both with the clock at save time, whatever the workbook says."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            stamped = zipfile.ZipInfo(info.filename, _ZIP_TIME)
            stamped.compress_type = zipfile.ZIP_DEFLATED
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _MODIFIED.sub(
                    rb"\g<1>" + _FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>", data
                )
            dst.writestr(stamped, data)
    return out.getvalue()
