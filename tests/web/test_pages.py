"""Models, runs and the clue workflow as pages and their JSON twins, in both languages."""

from __future__ import annotations

from datetime import date, datetime

from jiancha.findings import ModelRunRecord, RunRecord, SyncCounts
from web.conftest import csrf_of

MODEL = "linkage.penalty_not_transferred"


def record_run(store) -> None:
    store.record_run(
        RunRecord(
            run_id="run-7",
            started_at=datetime(2025, 6, 1, 8, 0),
            finished_at=datetime(2025, 6, 1, 8, 1),
            as_of=date(2025, 5, 31),
            data_versions={"admin_penalties": "ab12"},
            models=[ModelRunRecord(MODEL, "ok", {"window_days": 180}, 1.25, 6, SyncCounts(new=6))],
            user="data",
        )
    )


def test_models_page_and_api_show_the_library_with_effectiveness(client_for):
    client = client_for("boss")
    models = {m["id"]: m for m in client.get("/api/models").json()}
    assert len(models) == 15
    assert models[MODEL]["effectiveness"] == {
        "model_id": MODEL,
        "clues": 6,
        "case_filed": 0,
        "suggestion_issued": 0,
        "rectified": 0,
    }
    assert models["water.facility_idle"]["effectiveness"] is None
    page = client.get("/models").text
    assert "行政处罚案件达到刑事追诉标准未移送" in page and 'href="/models/water.facility_idle"' in page


def test_model_page_lists_its_runs(client_for, store):
    record_run(store)
    client = client_for("xiong_p")
    detail = client.get(f"/api/models/{MODEL}").json()
    assert [(r["run_id"], r["findings"], r["new"]) for r in detail["runs"]] == [("run-7", 6, 6)]
    assert detail["spec"]["id"] == MODEL
    assert "run-7" in client.get(f"/models/{MODEL}").text
    assert client.get("/api/models/water.nothing").status_code == 404


def test_runs_page_shows_parameters_and_counts(client_for, store):
    record_run(store)
    client = client_for("data")
    runs = client.get("/api/runs").json()
    assert runs[0]["data_versions"] == {"admin_penalties": "ab12"}
    page = client.get("/runs").text
    assert "run-7" in page and "window_days" in page


def test_assign_and_move_through_the_page_forms(client_for):
    client = client_for("xiong_p")
    clue_id = client.get("/api/clues").json()["items"][0]["id"]
    token = csrf_of(client)
    client.post(f"/clues/{clue_id}/assign", data={"assignee": "xiong_p", "csrf_token": token})
    assert client.get(f"/api/clues/{clue_id}").json()["clue"]["assigned_to"] == "xiong_p"
    moved = client.post(
        f"/clues/{clue_id}/move", data={"office": "容城县院", "reason": "属地", "csrf_token": token}
    )
    assert "已移送 容城县人民检察院" in moved.text or moved.status_code == 403
    assert client.get(f"/api/clues/{clue_id}").status_code == 403  # now another office's clue
    assert client_for("rong_p").get(f"/api/clues/{clue_id}").json()["clue"]["office"] == "容城县人民检察院"


def test_english_pages(client_for):
    client = client_for("boss")
    page = client.get("/clues?lang=en").text
    assert '<html lang="en">' in page and ">Filter<" in page and "Clues" in page
    switch = client.get("/clues?severity=high").text.split('id="lang-switch"')[0].rsplit('href="', 1)[1]
    assert switch.startswith("http://testserver/clues?") and "severity=high" in switch and "lang=zh" in switch
    assert client.get("/api/clues/nope").json()["error"]["message"].startswith("There is no clue nope")


def test_model_and_clue_pages_show_the_provisions_with_their_text(client_for, store):
    client = client_for("xiong_p")
    page = client.get(f"/models/{MODEL}").text
    assert "《人民检察院刑事诉讼规则》第五百五十七条第三款" in page
    assert "经检察长批准，应当向行政执法机关提出检察意见" in page
    assert "未核实" not in page
    cited = client.get(f"/api/models/{MODEL}").json()["provisions"]
    assert cited[0] == {
        "key": "case_transfer_regulation.art3.p1",
        "citation": "《行政执法机关移送涉嫌犯罪案件的规定》第三条第一款",
        "text": cited[0]["text"],
        "summary": "违法事实的金额、情节、后果涉嫌构成犯罪的，行政执法机关必须向公安机关移送",
        "verified": True,
    }
    scrap = client.get("/models/crime.unlicensed_scrap_dealer").text
    block = scrap.split('id="provisions"')[1].split("</section>")[0]
    assert "《再生资源回收管理办法》第七条" in block
    assert 'class="tag sev-medium provision-unverified">未核实' in block
    clue_id = client.get("/api/clues").json()["items"][0]["id"]
    clue_page = client.get(f"/clues/{clue_id}").text
    assert 'id="provisions"' in clue_page and "不得以行政处罚代替移送" in clue_page
