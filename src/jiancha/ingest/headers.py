"""Header mapping: which column of a file holds which contract field.

Agencies write either the field name or its Chinese title, in any order, often
with full-width brackets or stray spaces; both spellings are compared after
Unicode NFKC folding so `设计处理能力（吨/日）` finds `设计处理能力(吨/日)`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from jiancha.contracts import Dataset
from jiancha.errors import ContractError
from jiancha.i18n import tr

#: Lake columns every dataset table carries; a file may not bring its own.
RESERVED = ("_file", "_row")


def fold(text: str) -> str:
    """The spelling headers are compared in: NFKC, trimmed, case-folded."""
    return unicodedata.normalize("NFKC", text).strip().casefold()


def _lookup(ds: Dataset) -> dict[str, str]:
    return {fold(spelling): name for spelling, name in ds.header_map().items()}


@dataclass(frozen=True)
class HeaderMap:
    """Where each contract field and each extra column sits in the file (0-based positions)."""

    fields: dict[str, int]
    extras: tuple[tuple[int, str], ...]


def matches(ds: Dataset, cells: Sequence[object]) -> int:
    """How many cells of a row are headers of this dataset (to find the header row under a title)."""
    lookup = _lookup(ds)
    return sum(1 for c in cells if isinstance(c, str) and fold(c) in lookup)


def map_headers(ds: Dataset, headers: Sequence[str], file_name: str) -> HeaderMap:
    """Map a file's header row onto the dataset, or raise naming missing or doubled columns."""
    lookup = _lookup(ds)
    fields: dict[str, int] = {}
    extras: list[tuple[int, str]] = []
    seen: dict[str, list[str]] = {}
    for pos, raw in enumerate(headers):
        header = unicodedata.normalize("NFKC", raw).strip() or f"column_{pos + 1}"
        name = lookup.get(fold(header))
        key = name or fold(header)
        seen.setdefault(key, []).append(raw)
        if name is not None:
            fields.setdefault(name, pos)
        else:
            extras.append((pos, header))
    doubled = [spellings for key, spellings in seen.items() if len(spellings) > 1 or key in RESERVED]
    if doubled:
        listed = "；".join("、".join(s) for s in doubled)
        raise ContractError(
            tr(
                f"文件 {file_name} 的表头有重复或保留的列（{listed}），无法判断该用哪一列；"
                "请删除重复列后重新导入。",
                f"File {file_name} has duplicate or reserved header columns ({listed}); "
                "remove the duplicates and ingest it again.",
            )
        )
    missing = [f for f in ds.required if f.name not in fields]
    if missing:
        listed = "、".join(f"{f.name}（{f.title}）" for f in missing)
        raise ContractError(
            tr(
                f"文件 {file_name} 缺少必填列：{listed}；整个文件未导入。",
                f"File {file_name} lacks required columns: {listed}; the whole file was not loaded.",
            )
        )
    return HeaderMap(fields=fields, extras=tuple(extras))
