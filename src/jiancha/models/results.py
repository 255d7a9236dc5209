"""From the rows a model's query returns to :class:`~jiancha.findings.Finding` objects.

The column contract (ARCHITECTURE.md, "Models") is checked here, so a model that
forgets ``subject_id``, writes a period in the wrong form or returns the same
subject twice fails with a sentence saying so instead of producing odd clues.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa

from jiancha.errors import ModelError
from jiancha.findings import EvidenceRow, Finding, Location
from jiancha.models.catalog import Model
from jiancha.models.compile import SEVERITY_COLUMN
from jiancha.models.evidence import EvidenceKey, parse_evidence_key

#: Columns with a meaning of their own; every other column goes into the details.
CONTRACT_COLUMNS = (
    "subject_id",
    "period",
    "related_ids",
    "evidence",
    "target_agency",
    "lon",
    "lat",
    "county",
)
PERIOD_FORMS = {
    "month": (re.compile(r"^\d{4}-(0[1-9]|1[0-2])$"), "YYYY-MM"),
    "quarter": (re.compile(r"^\d{4}-Q[1-4]$"), "YYYY-Qn"),
}


def check_columns(model: Model, schema: pa.Schema) -> None:
    """The query returns ``subject_id`` (and ``period`` unless the model has none) and lists as lists."""
    names = set(schema.names)
    wanted = ["subject_id"] + (["period"] if model.spec.period != "none" else [])
    missing = [c for c in wanted if c not in names]
    if missing:
        raise ModelError(
            f"模型 {model.id} 的查询（{model.query_origin}）没有返回 {'、'.join(missing)} 列；"
            f"每行线索须有 subject_id{'' if model.spec.period == 'none' else ' 和 period'}。"
        )
    for name in ("related_ids", "evidence"):
        kind = schema.field(name).type if name in names else None
        if kind is not None and not pa.types.is_null(kind) and not pa.types.is_list(kind):
            raise ModelError(
                f"模型 {model.id} 的查询（{model.query_origin}）返回的 {name} 列类型是 {kind}，应为文本列表"
                f"（VARCHAR[]，如 list('effluent_daily#' || CAST(_row AS VARCHAR))）。"
            )


def evidence_keys(model: Model, rows: Sequence[Mapping[str, Any]]) -> dict[str, EvidenceKey]:
    """Every evidence text the rows name → its parsed key (each text parsed once)."""
    parsed: dict[str, EvidenceKey] = {}
    for row in rows:
        for text in row.get("evidence") or ():
            if text not in parsed:
                parsed[text] = parse_evidence_key(model, text)
    return parsed


def to_findings(
    model: Model,
    rows: Sequence[Mapping[str, Any]],
    keys: Mapping[str, EvidenceKey],
    evidence: Mapping[EvidenceKey, tuple[EvidenceRow, ...]],
    legal_basis: str,
) -> list[Finding]:
    """One finding per row (``keys`` from :func:`evidence_keys`); a repeated (subject, period) is an error.

    ``rows`` hold JSON-safe values already (:func:`~jiancha.models.values.json_rows`): they become
    the clue's details as they are. ``legal_basis`` is the model's citations as one string
    (:meth:`~jiancha.models.catalog.Model.legal_basis_text`).
    """
    findings: dict[tuple[str, str], Finding] = {}
    for row in rows:
        cited = dict.fromkeys(keys[text] for text in row.get("evidence") or ())
        finding = _finding(model, row, legal_basis, tuple(item for key in cited for item in evidence[key]))
        if finding.fingerprint in findings:
            raise ModelError(
                f"模型 {model.id} 的查询对同一对象 {finding.subject_id}、期间 {finding.period or '（无）'} "
                "返回了多行；每个对象每个期间只能有一行（请按 subject_id、period 汇总）。"
            )
        findings[finding.fingerprint] = finding
    return list(findings.values())


def _finding(
    model: Model, row: Mapping[str, Any], legal_basis: str, evidence: tuple[EvidenceRow, ...]
) -> Finding:
    subject_id = row["subject_id"]
    if subject_id is None or str(subject_id).strip() == "":
        raise ModelError(f"模型 {model.id} 的查询返回了 subject_id 为空的行；每行线索都须指明对象。")
    return Finding(
        model_id=model.id,
        subject_type=model.spec.subject_type,
        subject_id=str(subject_id),
        period=_period(model, row.get("period"), subject_id),
        severity=row[SEVERITY_COLUMN],
        target_agency=_text(row.get("target_agency")),
        legal_basis=legal_basis,
        related_ids=tuple(str(v) for v in row.get("related_ids") or () if v is not None),
        evidence=evidence,
        location=_location(row),
        details={k: v for k, v in row.items() if k not in CONTRACT_COLUMNS and k != SEVERITY_COLUMN},
    )


def _period(model: Model, value: Any, subject_id: Any) -> str | None:
    kind = model.spec.period
    if kind == "none":
        if value is not None:
            raise ModelError(
                f"模型 {model.id} 声明 period: none，但查询为 {subject_id} 返回了期间 {value!r}。"
            )
        return None
    pattern, form = PERIOD_FORMS[kind]
    if not isinstance(value, str) or not pattern.match(value):
        raise ModelError(
            f"模型 {model.id} 的期间应为 {form} 形式的文本，但为 {subject_id} 返回了 {value!r}"
            f"（可用 strftime(日期, '%Y-%m') 生成月份）。"
        )
    return value


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _location(row: Mapping[str, Any]) -> Location | None:
    lon, lat, county = row.get("lon"), row.get("lat"), row.get("county")
    if lon is None and lat is None and county is None:
        return None
    return Location(
        lon=None if lon is None else float(lon),
        lat=None if lat is None else float(lat),
        county=_text(county),
    )
