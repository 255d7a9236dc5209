"""The notifications page: the signed-in user's clue news, cut to the office they may see."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from jiancha.clues import ClueStore
from jiancha.web.users import add_user
from web.conftest import PASSWORD, RONGCHENG, USERS, XIONG, finding
from web.readable import identifiers
from web.test_readable_pages import visible

#: A model of the shipped library, told by its title.
MODEL = "water.facility_idle"
MODEL_TITLE = "污水处理设施建而不用"


NOW = [datetime(2025, 6, 1, 9, 0)]


def news(i: int, office: str, **changes: object):
    return replace(finding(i, office), model_id=MODEL, **changes)


@pytest.fixture
def store(tmp_path):
    """Clues of one shipped model in two offices, raised on the store's today (2025-06-01)."""
    del NOW[1:]
    with ClueStore(f"sqlite:///{tmp_path / 'store.sqlite'}", clock=lambda: NOW[-1]) as s:
        s.sync_findings(
            "run-1", MODEL, [news(i, XIONG) for i in range(3)] + [news(100 + i, RONGCHENG) for i in range(3)]
        )
        for name, (role, office) in USERS.items():
            add_user(s, name, role, office, PASSWORD)
        yield s


def test_a_prosecutor_hears_only_of_their_own_office(client_for):
    client = client_for("xiong_p")
    body = client.get("/api/notifications").json()
    assert body["since"] == "2025-05-25"  # a week before the store's today
    assert [(d["office"], d["model_title"]) for d in body["digests"]] == [(XIONG, MODEL_TITLE)]
    assert sorted(c["subject_id"] for c in body["digests"][0]["new"]) == [
        f"雄环罚〔2025〕{i}号" for i in range(3)
    ]
    page = client.get("/notifications").text
    assert "雄环罚〔2025〕0号" in page and "雄环罚〔2025〕100号" not in page
    assert RONGCHENG not in page


def test_the_leadership_hears_of_every_office(client_for):
    body = client_for("boss").get("/api/notifications").json()
    assert [d["office"] for d in body["digests"]] == sorted([XIONG, RONGCHENG])


def test_data_officers_get_no_clue_news(client_for):
    client = client_for("data")
    assert client.get("/api/notifications").status_code == 403
    assert client.get("/notifications").status_code == 403


def test_news_before_the_day_asked_is_left_out(client_for):
    client = client_for("xiong_p")
    assert client.get("/api/notifications?since=2025-06-02").json()["digests"] == []
    assert "这段时间没有新的线索动态。" in client.get("/notifications?since=2025-06-02").text


def test_updated_and_superseded_clues_are_told_by_model_title(client_for, store):
    changed = news(0, XIONG)
    changed = replace(changed, details={**changed.details, "fine_yuan": 1.0})
    NOW.append(datetime(2025, 6, 10, 9, 0))
    store.sync_findings(
        "run-2", MODEL, [changed, news(1, XIONG), *(news(100 + i, RONGCHENG) for i in range(3))]
    )
    text = visible(client_for("xiong_p").get("/notifications").text)  # since 2025-06-03
    assert f"{XIONG} · {MODEL_TITLE}" in text
    assert "证据有更新 雄环罚〔2025〕0号" in text and "已不成立 雄环罚〔2025〕2号" in text
    assert "雄环罚〔2025〕1号" not in text  # unchanged: no news


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_reads_in_either_language_without_identifiers(client_for, lang):
    text = visible(client_for("boss").get(f"/notifications?lang={lang}").text)
    assert identifiers(text) == []
    assert ("Clue news" in text) == (lang == "en")
    assert MODEL not in text
