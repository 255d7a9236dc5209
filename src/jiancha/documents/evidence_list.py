"""The 检察建议书's attachment 「附件：证据清单」: one numbered item per evidence row.

Each item says where an agency's data officer finds the row again: the dataset by its
Chinese title, the agency that provides it (the contract's ``provider``), the load (file
name and the time ingest loaded it, from the run that last confirmed the clue) and the row
number as a spreadsheet shows it, followed by a few of the row's values under their titles.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from jiancha.clues.views import EvidenceView
from jiancha.contracts import datasets
from jiancha.contracts.schema import Dataset, Field, FieldType
from jiancha.findings import DataLoad
from jiancha.formatting import cn_date, cn_datetime, number

SHOWN_FIELDS = 4  # values quoted per row: enough to tell rows apart, short enough for one line or two


def evidence_items(evidence: tuple[EvidenceView, ...], loads: Mapping[str, DataLoad]) -> tuple[str, ...]:
    """The attachment's items, in the clue's evidence order."""
    return tuple(evidence_item(row, loads.get(row.dataset)) for row in evidence)


def evidence_item(row: EvidenceView, load: DataLoad | None) -> str:
    """「出水在线监测日均值（雄安新区生态环境局提供），文件 a.csv（2024年8月2日10时05分导入）第12行：…。」"""
    contract = datasets().get(row.dataset)
    title = contract.title if contract else row.dataset
    provider = f"（{contract.provider}提供）" if contract and contract.provider else ""
    loaded = f"（{cn_datetime(load.loaded_at)}导入）" if load and load.file_name == row.file else ""
    values = _values(contract, row) if contract else ""
    return f"{title}{provider}，文件 {row.file}{loaded}第{row.row}行{'：' + values if values else ''}。"


def _values(contract: Dataset, row: EvidenceView) -> str:
    """A few of the row's values under their Chinese titles; identifiers and masked fields left out."""
    shown = []
    for spec in contract.fields:
        value = row.values.get(spec.name)
        if value in (None, "") or spec.personal or spec.name.endswith("_id"):
            continue
        shown.append(f"{spec.title} {field_value(spec, value)}")
        if len(shown) == SHOWN_FIELDS:
            break
    return "；".join(shown)


def field_value(spec: Field, value: Any) -> str:
    """A contract value as a document writes it: enum labels, 是/否, Chinese dates, figures as the
    letter's facts write them (:func:`jiancha.formatting.number`)."""
    if spec.type is FieldType.ENUM:
        return spec.values.get(str(value), str(value))
    if spec.type is FieldType.BOOLEAN:
        return "是" if value else "否"
    if spec.type in (FieldType.DATE, FieldType.DATETIME):
        return _when(value)
    if isinstance(value, int | float):
        return number(value)
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return str(value)


def _when(value: Any) -> str:
    try:
        moment = value if isinstance(value, date) else datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return cn_datetime(moment) if isinstance(moment, datetime) else cn_date(moment)
