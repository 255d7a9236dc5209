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


#: Category labels wrap instead of being cut: a model's title must stay whole to mean anything.
LABEL_WIDTH = 200


def _category(names: list[str], *, horizontal: bool) -> dict[str, Any]:
    label = {"interval": 0, "width": LABEL_WIDTH, "overflow": "break"} if horizontal else {"interval": "auto"}
    return {"type": "category", "data": names, "axisLabel": label}


def _bar(names: list[str], values: list[int], *, horizontal: bool = False) -> dict[str, Any]:
    category = _category(names, horizontal=horizontal)
    value = {"type": "value", "minInterval": 1}
    return {
        "color": PALETTE,
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 10, "right": 30, "top": 20, "bottom": 30, "containLabel": True},
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
                "radius": ["35%", "60%"],
                "label": {"width": 90, "overflow": "break"},  # a status label wraps, never "已制发检…"
                "data": [{"name": k, "value": v} for k, v in pairs.items()],
            }
        ],
    }


def _months(data: Dashboard) -> dict[str, Any]:
    """Clues by the month of the conduct (the clue's period), and by the month first seen as a
    second view: the legend switches between them, one at a time."""
    months = sorted(set(data.by_conduct) | set(data.by_month))
    views = {
        tr("按行为发生期间", "by period of the conduct"): data.by_conduct,
        tr("按首次发现时间", "by date first seen"): data.by_month,
    }
    return {
        "color": PALETTE,
        "tooltip": {"trigger": "axis"},
        "legend": {"data": list(views), "selectedMode": "single"},
        "grid": {"left": 10, "right": 20, "top": 40, "bottom": 30, "containLabel": True},
        "xAxis": _category(months, horizontal=False),
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {"name": name, "type": "bar", "data": [counts.get(m, 0) for m in months]}
            for name, counts in views.items()
        ],
    }


def _funnel(data: Dashboard, titles: dict[str, str]) -> dict[str, Any]:
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
        "grid": {"left": 10, "right": 20, "top": 30, "bottom": 20, "containLabel": True},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": _category([titles.get(row.model_id, row.model_id) for row in data.funnel], horizontal=True),
        "series": series,
    }


def dashboard_charts(data: Dashboard, titles: dict[str, str]) -> list[Chart]:
    """The dashboard's charts: by model, office, status and month, and the per-model funnel.

    ``titles``: model id → title; charts name models by title, never by id.
    """
    return [
        Chart(
            "model",
            tr("各模型线索数", "Clues by model"),
            _bar([titles.get(m, m) for m in data.by_model], list(data.by_model.values()), horizontal=True),
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
        Chart("month", tr("各月线索数", "Clues by month"), _months(data)),
        Chart("funnel", tr("成效漏斗（按模型）", "Effectiveness funnel by model"), _funnel(data, titles)),
    ]
