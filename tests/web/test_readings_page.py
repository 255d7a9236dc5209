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


def test_a_decided_item_posted_again_is_refused_with_a_sentence(store, client_for) -> None:
    key = _queue(store)
    store.decide_reading(key, 12.6, "每桶约180公斤", "xiong_p")
    client = client_for("xiong_p")
    token = csrf_of(client, "/readings")
    response = client.post(f"/readings/{key}/decide", data={"value": "1", "reason": "r", "csrf_token": token})
    assert response.status_code == 400 and "已由xiong_p认定为12.6吨" in response.text
    assert store.reading(key).value == 12.6


def test_the_page_shows_one_page_of_the_queue_with_links_to_the_next(store, client_for) -> None:
    field = "hazardous_waste_disposed_t"
    doubts = [
        QueuedDoubt(f"环罚〔2024〕{n}号", "f" * 64, Doubt(field, f"废矿物油{n}桶", "未写明重量"))
        for n in range(1, 53)
    ]
    store.queue_readings(doubts)
    client = client_for("xiong_p")
    first = client.get("/readings").text
    assert "环罚〔2024〕52号" in first and "环罚〔2024〕3号" in first and "环罚〔2024〕2号" not in first
    assert 'id="next-page"' in first and "共 2 页" in first
    second = client.get("/readings?status=open&page=2").text
    assert "环罚〔2024〕2号" in second and "环罚〔2024〕1号" in second and "环罚〔2024〕52号" not in second


def test_a_decided_amount_is_written_in_full_with_its_unit(store, client_for) -> None:
    doubt = Doubt("mining_value_yuan", "非法采砂3000立方米", "写明开采数量但未写明矿产品价值或单价")
    store.queue_readings([QueuedDoubt("自然资罚〔2024〕5号", "e" * 64, doubt)])
    key = store.readings()[0].id
    store.decide_reading(key, 1_250_000.0, "价格认定书", "xiong_p")
    page = client_for("xiong_p").get("/readings?status=decided").text
    assert "1250000元" in page and "e+06" not in page
