"""Subjects a model cannot judge: its optional ``<stem>.skipped.sql`` query, run beside the main one.

A rule that needs a fact the data lack (a facility's discharge standard) says nothing
about the subjects without it, so no clue would ever tell anyone they went unchecked.
A model may therefore ship a second query returning one ``subject_id``, ``reason`` row
per such subject. It passes the same sandbox, with the same parameters, as the main
query; the runner keeps its rows in the model's run record and ``jiancha run`` lists them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

from jiancha.errors import ModelError
from jiancha.findings import SkippedSubject
from jiancha.models.catalog import Model
from jiancha.models.compile import check_query
from jiancha.models.engine import Engine
from jiancha.models.parameters import render

COLUMNS = ("subject_id", "reason")


def skipped_subjects(
    engine: Engine,
    model: Model,
    values: Mapping[str, Any],
    as_of: date,
    tables: Collection[str],
    time_limit: float | None,
) -> tuple[SkippedSubject, ...]:
    """The subjects the model's skipped query names, by subject id, a subject's several reasons joined."""
    path = model.skipped_path
    if path is None:
        return ()
    sql = render(model, path.read_text("utf-8"), values, as_of, path.name)
    check_query(model, sql, tables, path.name)
    table = engine.query(sql, time_limit)
    missing = [c for c in COLUMNS if c not in table.schema.names]
    if missing:
        raise ModelError(
            f"模型 {model.id} 的 {path.name} 没有返回 {'、'.join(missing)} 列；"
            "它应为每个无法判断的对象返回一行 subject_id 和 reason（原因）。"
        )
    pairs = zip(table.column("subject_id").to_pylist(), table.column("reason").to_pylist(), strict=True)
    skipped: dict[str, list[str]] = {}
    for subject_id, reason in pairs:
        if subject_id is None or reason is None or not str(reason).strip():
            raise ModelError(
                f"模型 {model.id} 的 {path.name} 返回了 subject_id 或 reason 为空的行"
                f"（{subject_id!r}，{reason!r}）；每行都须指明对象和原因。"
            )
        skipped.setdefault(str(subject_id), []).append(str(reason))
    return tuple(SkippedSubject(key, "；".join(dict.fromkeys(skipped[key]))) for key in sorted(skipped))
