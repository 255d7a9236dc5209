"""The needs-reading page: the span shown, prosecutors decide (audited), others only read."""

from __future__ import annotations

from jiancha.text.queue import QueuedDoubt
from jiancha.text.reading import Doubt
from web.conftest import csrf_of


def _queue(store) -> str:
    doubt = Doubt(
        "hazardous_waste_disposed_t", "当事人将废矿物油70桶倾倒于沟渠", "70桶未写明单件重量，无法折算为吨"
    )
    store.queue_readings([QueuedDoubt("雄安环罚〔2024〕9号", "f" * 64, doubt)])
    return store.readings()[0].id


def test_a_prosecutor_reads_the_span_and_decides(store, client_for) -> None:
    key = _queue(store)
    client = client_for("xiong_p")
    page = client.get("/readings").text
    assert "当事人将废矿物油70桶倾倒于沟渠" in page and "70桶未写明单件重量" in page and "<form" in page
    token = csrf_of(client, "/readings")
    response = client.post(
        f"/readings/{key}/decide", data={"value": "12.6", "reason": "每桶约180公斤", "csrf_token": token}
    )
    assert response.status_code == 200 and "下次运行时生效" in response.text
    item = store.reading(key)
    assert (item.status, item.value, item.decided_by) == ("decided", 12.6, "xiong_p")
    assert "每桶约180公斤" in client.get("/readings?status=decided").text


def test_leadership_reads_without_a_form_and_cannot_decide(store, client_for) -> None:
    key = _queue(store)
    boss = client_for("boss")
    assert '<form method="post" action="/readings' not in boss.get("/readings").text
    token = csrf_of(boss, "/readings?status=open")  # the language form carries the token too
    response = boss.post(f"/readings/{key}/decide", data={"none": "true", "reason": "x", "csrf_token": token})
    assert response.status_code == 403 and store.reading(key).status == "open"


def test_a_figure_that_is_not_a_number_is_refused_with_a_sentence(store, client_for) -> None:
    key = _queue(store)
    client = client_for("rong_p")
    token = csrf_of(client, "/readings")
    response = client.post(
        f"/readings/{key}/decide", data={"value": "十余", "reason": "r", "csrf_token": token}
    )
    assert response.status_code in (400, 422) and "不是数字" in response.text
    assert client_for("data").get("/readings").status_code == 403
