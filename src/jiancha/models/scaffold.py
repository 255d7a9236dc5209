"""``jiancha models new ID``: a working model to start from, with its golden test.

The scaffold is a small complete model (days of zero flow per facility and month)
so the user edits something that already validates and passes its test, instead
of filling in a blank form.
"""

from __future__ import annotations

from pathlib import Path

from jiancha.errors import ModelError
from jiancha.models.spec import MODEL_ID

YAML_TEMPLATE = """\
id: {model_id}
title: {{zh: 设施连续零水量, en: Facility reporting zero flow}}
description:
  zh: 同一自然月内日处理水量为零或缺失的天数达到 min_days 天的污水处理设施。（请改写为本模型的说明）
  en: Sewage facilities with at least min_days days of zero or missing flow in a month.
supervision_point: 污水处理设施运行监督
business_line: public_interest        # criminal | civil | administrative | public_interest
subject_type: facility                # facility | manifest | penalty | transfer | case | dealer | site
period: month                         # month | quarter | none
datasets: [sewage_facilities, effluent_daily]
derived: []                           # penalty_facts | entity_lookup
parameters:
  min_days: {{type: integer, default: 20, title: {{zh: 零水量天数下限, en: Minimum zero-flow days}}}}
addressee: {{zh: 设施的监管部门, en: The facility's supervising agency}}
legal_basis:                          # provision keys: jiancha law list (add your own with jiancha law add)
  - urban_drainage_regulation.art31.p1  # 《城镇排水与污水处理条例》第三十一条第一款
  - urban_drainage_regulation.art52.p2  # 《城镇排水与污水处理条例》第五十二条第二款
severity:                             # first condition that holds wins
  high: "zero_days >= 28"
  medium: "true"
facts:                                # how a 检察建议书 states the facts: Jinja2 over the query's columns
  # Also available: subject, period, agency, title, evidence.<dataset> (its rows), details.<column>.
  # Filters: date, datetime, date_range, period, figure("吨" or "dataset.field"), money, multiple,
  # percent, label("dataset.field"), names. A value the clue lacks is written （数据未提供）.
  subject: "{{{{ facility_name }}}}"
  zh: |-
    经查，{{{{ subject }}}}由{{{{ operator_name }}}}运营，监管部门为{{{{ agency }}}}。
    出水在线监测数据显示，{{{{ first_day | date_range(last_day) }}}}，
    该设施有{{{{ zero_days }}}}日日处理水量为零或缺失。
"""

SQL_TEMPLATE = """\
-- One row per facility and month with at least {{{{ min_days }}}} days of zero or missing flow.
-- Columns: subject_id, period, related_ids, evidence (dataset#_row), target_agency, lon, lat, county;
-- any other column becomes a detail of the clue.
SELECT
    f.facility_id AS subject_id,
    strftime(e.date, '%Y-%m') AS period,
    count(*) AS zero_days,
    min(e.date) AS first_day,
    max(e.date) AS last_day,
    any_value(f.name) AS facility_name,
    any_value(f.operator_name) AS operator_name,
    list(e.facility_id || '@' || strftime(e.date, '%Y-%m-%d') ORDER BY e.date) AS related_ids,
    list_concat(
        ['sewage_facilities#' || CAST(any_value(f._row) AS VARCHAR)],
        list('effluent_daily#' || CAST(e._row AS VARCHAR) ORDER BY e.date)
    ) AS evidence,
    any_value(f.supervisor_agency) AS target_agency,
    any_value(f.lon) AS lon,
    any_value(f.lat) AS lat,
    any_value(f.county) AS county
FROM sewage_facilities AS f
JOIN effluent_daily AS e ON e.facility_id = f.facility_id
WHERE coalesce(e.flow_m3, 0) = 0
  AND e.date <= {{{{ as_of }}}}
GROUP BY f.facility_id, strftime(e.date, '%Y-%m')
HAVING count(*) >= {{{{ min_days }}}}
"""

TEST_TEMPLATE = '''\
"""Golden test for {model_id}: a tiny lake where the answer is known."""

from datetime import date, timedelta
from pathlib import Path

from jiancha.models.testing import GoldenLake

MODELS_DIR = Path(__file__).resolve().parents[{depth}]


def test_{stem}_raises_the_planted_month(tmp_path):
    lake = GoldenLake(tmp_path, models_dir=MODELS_DIR)
    lake.add("sewage_facilities", [
        {{"facility_id": "F1", "name": "一号站", "supervisor_agency": "雄县住建局", "lon": 116.1, "lat": 39.0,
         "design_capacity_m3d": 500.0, "county": "雄县"}},
        {{"facility_id": "F2", "name": "二号站", "supervisor_agency": "雄县住建局", "lon": 116.2, "lat": 39.0,
         "design_capacity_m3d": 500.0, "county": "雄县"}},
    ])
    days = [date(2024, 3, 1) + timedelta(days=i) for i in range(31)]
    lake.add("effluent_daily", [{{"facility_id": "F1", "date": d, "flow_m3": 0.0}} for d in days])
    lake.add("effluent_daily", [{{"facility_id": "F2", "date": d, "flow_m3": 300.0}} for d in days])

    found = lake.run("{model_id}", as_of="2024-03-31", params={{"min_days": 20}})

    assert [(f.subject_id, f.period, f.severity) for f in found] == [("F1", "2024-03", "high")]
    assert found[0].details["zero_days"] == 31
    cited = [(e.dataset, e.row) for e in found[0].evidence[:2]]
    assert cited == [("sewage_facilities", 2), ("effluent_daily", 2)]
'''


def scaffold_model(model_id: str, models_dir: Path) -> list[Path]:
    """Write ``<dir>/<family…>/<name>.yaml``, ``.sql`` and ``test_<name>.py``; never overwrite."""
    if not MODEL_ID.match(model_id):
        raise ModelError(
            f"模型编号 {model_id!r} 不可用：应为小写的“族.名称”形式（如 local.idle_pumps），"
            "只含字母、数字和下划线。"
        )
    *families, stem = model_id.split(".")
    folder = models_dir.joinpath(*families)
    files = {
        folder / f"{stem}.yaml": YAML_TEMPLATE.format(model_id=model_id),
        folder / f"{stem}.sql": SQL_TEMPLATE.format(),
        folder / f"test_{stem}.py": TEST_TEMPLATE.format(model_id=model_id, stem=stem, depth=len(families)),
    }
    existing = [str(p) for p in files if p.exists()]
    if existing:
        raise ModelError(f"文件已存在：{'、'.join(existing)}；请换一个模型编号或先移走这些文件。")
    folder.mkdir(parents=True, exist_ok=True)
    for path, text in files.items():
        path.write_text(text, "utf-8")
    return list(files)
