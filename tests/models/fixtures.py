"""Test data for the engine's tests: a sample model declared as data, and facility rows."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

IDLE_SPEC: dict[str, Any] = {
    "id": "local.idle",
    "title": {"zh": "设施零水量", "en": "Zero flow"},
    "description": {"zh": "零水量天数达到下限的设施和月份。"},
    "supervision_point": "污水处理设施运行监督",
    "business_line": "public_interest",
    "subject_type": "facility",
    "period": "month",
    "datasets": ["sewage_facilities", "effluent_daily"],
    "parameters": {"min_days": {"type": "integer", "default": 3, "title": {"zh": "天数下限"}}},
    "addressee": {"zh": "设施的监管部门"},
    "legal_basis": ["urban_drainage_regulation.art52.p2", "water_pollution_law.art83.i2"],
    "severity": {"high": "zero_days >= {{ min_days }} + 2", "low": "true"},
}

IDLE_SQL = """\
SELECT
    f.facility_id AS subject_id,
    strftime(e.date, '%Y-%m') AS period,
    count(*) AS zero_days,
    list(e.facility_id || '@' || strftime(e.date, '%Y-%m-%d') ORDER BY e.date) AS related_ids,
    list_concat(['sewage_facilities#' || CAST(any_value(f._row) AS VARCHAR)],
                list('effluent_daily#' || CAST(e._row AS VARCHAR) ORDER BY e.date)) AS evidence,
    any_value(f.supervisor_agency) AS target_agency,
    any_value(f.lon) AS lon, any_value(f.lat) AS lat, any_value(f.county) AS county,
    max(e.date) AS last_day
FROM sewage_facilities AS f
JOIN effluent_daily AS e ON e.facility_id = f.facility_id
WHERE coalesce(e.flow_m3, 0) = 0 AND e.date <= {{ as_of }}
GROUP BY f.facility_id, strftime(e.date, '%Y-%m')
HAVING count(*) >= {{ min_days }}
"""


def write_model(root: Path, spec: dict[str, Any], sql: str | None = None) -> Path:
    """Write ``<root>/<family>/<name>.yaml`` (+ ``.sql``) for ``spec``; the YAML path."""
    *families, stem = spec["id"].split(".")
    folder = root.joinpath(*families)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), "utf-8")
    if sql is not None:
        path.with_suffix(".sql").write_text(sql, "utf-8")
    return path


def variant(model_id: str, **changes: Any) -> dict[str, Any]:
    """The idle model's spec under another id, with some keys changed."""
    return {**IDLE_SPEC, "id": model_id, **changes}


FACILITIES = [
    {"facility_id": "F1", "name": "一号站", "supervisor_agency": "雄县住建局", "county": "雄县",
     "lon": 116.1, "lat": 39.0, "design_capacity_m3d": 500.0},
    {"facility_id": "F2", "name": "二号站", "supervisor_agency": "安新县住建局", "county": "安新县",
     "lon": 115.9, "lat": 38.9, "design_capacity_m3d": 800.0},
]  # fmt: skip


def march_days(n: int) -> list[date]:
    return [date(2024, 3, 1) + timedelta(days=i) for i in range(n)]


def plain(model_id: str, **changes: Any) -> dict[str, Any]:
    """A variant whose severity needs no particular column (every finding is medium)."""
    return variant(model_id, severity={"medium": "true"}, **changes)
