"""Clue export in the contract's form: its columns, then the model's title; UTF-8 CSV or xlsx.

Outside parties parse the CSV by the contract's column names, so those come first and
unchanged; ``model_title`` follows them so a person reading the file sees what each model is.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path

from openpyxl import Workbook

from jiancha.clues.views import ClueView

#: The contract's columns, in order, with the Chinese titles the xlsx export uses.
COLUMNS: dict[str, str] = {
    "clue_id": "线索编号",
    "model_id": "模型编号",
    "subject_type": "对象类型",
    "subject_id": "对象编号",
    "related_ids": "关联编号",
    "period": "期间",
    "severity": "严重程度",
    "office": "承办检察机关",
    "target_agency": "建议对象",
    "legal_basis": "法律依据",
    "status": "状态",
    "first_seen": "首次发现时间",
    "model_title": "模型名称",
}
FORMATS = ("csv", "xlsx")


def export_row(clue: ClueView, titles: Mapping[str, str]) -> list[str]:
    """The clue's values in column order, as text (related ids joined with ``;``).

    ``titles``: model id → title (a model missing from it is titled by its id).
    """
    return [
        clue.id,
        clue.model_id,
        clue.subject_type,
        clue.subject_id,
        ";".join(clue.related_ids),
        clue.period,
        clue.severity,
        clue.office,
        clue.target_agency or "",
        clue.legal_basis,
        clue.status,
        clue.first_seen.isoformat(sep=" ", timespec="seconds"),
        titles.get(clue.model_id, clue.model_id),
    ]


def write_csv(clues: Iterable[ClueView], path: Path, titles: Mapping[str, str]) -> int:
    """Write UTF-8 CSV with the contract's column names; the number of clues written."""
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for clue in clues:
            writer.writerow(export_row(clue, titles))
            count += 1
    return count


def write_xlsx(clues: Iterable[ClueView], path: Path, titles: Mapping[str, str]) -> int:
    """Write one sheet (线索) with Chinese column titles; the number of clues written."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("线索")
    sheet.append(list(COLUMNS.values()))
    count = 0
    for clue in clues:
        sheet.append(export_row(clue, titles))
        count += 1
    book.save(path)
    return count


def write(clues: Iterable[ClueView], path: Path, fmt: str, titles: Mapping[str, str] | None = None) -> int:
    """Write ``clues`` to ``path`` in ``fmt`` (csv or xlsx), each model titled from ``titles``."""
    return {"csv": write_csv, "xlsx": write_xlsx}[fmt](clues, path, titles or {})
