"""ECharts options for the dashboard, built from the store's aggregates.

The server writes each option as JSON into the page and ``static/app.js`` only
hands it to ECharts, so what a chart shows is decided (and tested) here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jiancha.clues.views import Dashboard
from jiancha.clues.workflow import status_title
from jiancha.i18n import tr

PALETTE = ["#a3201c", "#1f4e9c", "#2e7d32", "#8a5a00", "#6a1b9a", "#00838f", "#5d4037"]


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    option: dict[str, Any]


def _bar(names: list[str], values: list[int], *, horizontal: bool = False) -> dict[str, Any]:
    category = {
        "type": "category",
        "data": names,
        "axisLabel": {"interval": 0, "width": 140, "overflow": "truncate"},
    }
    value = {"type": "value", "minInterval": 1}
    return {
        "color": PALETTE,
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 150 if horizontal else 40, "right": 20, "top": 20, "bottom": 30},
        "xAxis": value if horizontal else category,
        "yAxis": category if horizontal else value,
        "series": [
            {
                "type": "bar",
                "data": values,
                "label": {"show": True, "position": "right" if horizontal else "top"},
            }
        ],
    }


def _pie(pairs: dict[str, int]) -> dict[str, Any]:
    return {
        "color": PALETTE,
        "tooltip": {"trigger": "item"},
        "series": [
            {
                "type": "pie",
                "radius": ["35%", "65%"],
                "data": [{"name": k, "value": v} for k, v in pairs.items()],
            }
        ],
    }


def _funnel(data: Dashboard) -> dict[str, Any]:
    stages = [
        tr("线索", "clues"),
        tr("立案", "cases"),
        tr("检察建议", "suggestions"),
        tr("整改", "rectified"),
    ]
    series = [
        {"name": stage, "type": "bar", "data": [getattr(row, attr) for row in data.funnel]}
        for stage, attr in zip(stages, ("clues", "case_filed", "suggestion_issued", "rectified"), strict=True)
    ]
    return {
        "color": PALETTE,
        "tooltip": {"trigger": "axis"},
        "legend": {"data": stages},
        "grid": {"left": 150, "right": 20, "top": 30, "bottom": 20},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "data": [row.model_id for row in data.funnel]},
        "series": series,
    }


def dashboard_charts(data: Dashboard) -> list[Chart]:
    """The dashboard's charts: by model, office, status and month, and the per-model funnel."""
    months = sorted(data.by_month)
    return [
        Chart(
            "model",
            tr("各模型线索数", "Clues by model"),
            _bar(list(data.by_model), list(data.by_model.values()), horizontal=True),
        ),
        Chart(
            "office",
            tr("各检察院线索数", "Clues by office"),
            _bar(list(data.by_office), list(data.by_office.values()), horizontal=True),
        ),
        Chart(
            "status",
            tr("办理状态", "Clues by status"),
            _pie({status_title(k): v for k, v in data.by_status.items()}),
        ),
        Chart(
            "month",
            tr("每月新发现线索", "New clues by month"),
            _bar(months, [data.by_month[m] for m in months]),
        ),
        Chart("funnel", tr("成效漏斗（按模型）", "Effectiveness funnel by model"), _funnel(data)),
    ]
