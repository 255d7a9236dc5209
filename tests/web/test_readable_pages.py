"""The pages speak the reader's language: model titles, field titles with units, value labels,
"—" for nothing and local times; no field name, code or model id in the visible text."""

from __future__ import annotations

import json
import re

import pytest

from web.readable import identifiers

MODEL_TITLE = "行政处罚案件达到刑事追诉标准未移送"


def visible(html: str) -> str:
    """The page's text as a reader sees it: no scripts, no tags, no attribute values."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<option[^>]*>", " ", text)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))


def first_clue(client) -> str:
    return client.get("/api/clues").json()["items"][0]["id"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_identifier_is_visible_on_the_dashboard_list_and_clue_page(client_for, lang):
    client = client_for("xiong_p")
    clue_id = first_clue(client)
    for path in ("/", "/clues", f"/clues/{clue_id}"):
        assert identifiers(visible(client.get(f"{path}?lang={lang}").text)) == [], path


def test_the_clue_page_titles_details_with_units_and_labels(client_for):
    client = client_for("xiong_p")
    text = visible(client.get(f"/clues/{first_clue(client)}").text)
    assert f"模型 {MODEL_TITLE}" in text
    assert "对象 行政处罚决定 · 雄环罚〔2025〕" in text
    assert "罚款金额 60,002元" in text  # the contract's title and unit
    assert "通过暗管等逃避监管的方式排放 是" in text  # the model's column title, a boolean in words
    assert "占用其他耕地 —" in text  # null
    assert "首次发现 2025-06-01 09:00" in text  # local time to the minute
    assert "None" not in text and "T09:00" not in text
    english = visible(client.get(f"/clues/{first_clue(client)}?lang=en").text)
    assert "Fine 60,002 yuan" in english and "Discharge through concealed pipes yes" in english


def test_list_and_filter_name_models_by_title(client_for):
    client = client_for("boss")
    page = client.get("/clues").text
    assert f'<option value="linkage.penalty_not_transferred" >{MODEL_TITLE}</option>' in page
    assert f"<td>{MODEL_TITLE}</td>" in page
    assert "<td>linkage.penalty_not_transferred</td>" not in page


def charts_of(html: str) -> dict[str, dict]:
    found = re.findall(r'<script type="application/json" id="opt-(\w+)">(.*?)</script>', html, flags=re.S)
    return {key: json.loads(body) for key, body in found}


def test_charts_name_models_whole_and_count_by_the_conduct(client_for):
    charts = charts_of(client_for("boss").get("/").text)
    assert charts["model"]["yAxis"]["data"] == [MODEL_TITLE]
    assert charts["model"]["yAxis"]["axisLabel"]["overflow"] == "break"  # wrapped, never cut
    assert charts["funnel"]["yAxis"]["data"] == [MODEL_TITLE]
    months = charts["month"]
    assert months["xAxis"]["data"] == ["2025-03", "2025-06"]
    conduct, seen = months["series"]
    assert (conduct["name"], conduct["data"]) == ("按行为发生期间", [6, 0])  # dated by the decision
    assert (seen["name"], seen["data"]) == ("按首次发现时间", [0, 6])
    assert months["legend"]["selectedMode"] == "single"
