"""Who sees what: office scoping and masking hold for pages and the API alike."""

from __future__ import annotations

from datetime import date

import pytest

from jiancha.web import service
from web.conftest import ID_NUMBER, RONGCHENG, XIONG, csrf_of


def test_prosecutor_lists_only_own_office_even_when_asking_for_another(client_for):
    client = client_for("xiong_p")
    listed = client.get("/api/clues", params={"office": RONGCHENG}).json()
    assert listed["total"] == 3
    assert {c["office"] for c in listed["items"]} == {XIONG}
    page = client.get("/clues", params={"office": RONGCHENG}).text
    assert page.count(XIONG) >= 3 and RONGCHENG not in page


def test_prosecutor_cannot_open_or_act_on_another_offices_clue(client_for):
    other = client_for("rong_p").get("/api/clues").json()["items"][0]["id"]
    client = client_for("xiong_p")
    assert client.get(f"/api/clues/{other}").status_code == 403
    assert client.get(f"/clues/{other}").status_code == 403
    token = csrf_of(client)
    refused = client.post(
        f"/api/clues/{other}/actions/triage", json={"reason": "x"}, headers={"X-CSRF-Token": token}
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["message"] == "用户 xiong_p（检察官）无权办理此线索。"
    page = client.post(f"/clues/{other}/actions/triage", data={"reason": "x", "csrf_token": token})
    assert page.status_code == 403


def test_leadership_sees_every_office_masked_and_cannot_act(client_for):
    client = client_for("boss")
    listed = client.get("/api/clues").json()
    assert listed["total"] == 6
    assert {c["office"] for c in listed["items"]} == {XIONG, RONGCHENG}
    clue_id = listed["items"][0]["id"]
    detail = client.get(f"/api/clues/{clue_id}").json()
    values = detail["evidence"][0]["values"]
    assert values["party_id_no"] == "130632********1234"
    assert detail["details"]["party_id_no"] == "130632********1234"
    assert detail["evidence"][0]["masked"] is True
    assert ID_NUMBER not in client.get(f"/clues/{clue_id}").text
    token = csrf_of(client)
    act = client.post(
        f"/api/clues/{clue_id}/actions/triage", json={"reason": "x"}, headers={"X-CSRF-Token": token}
    )
    assert act.status_code == 403
    assert act.json()["error"]["message"] == "用户 boss（院领导）无权办理线索。"


def test_prosecutor_sees_own_office_unmasked(client_for):
    client = client_for("xiong_p")
    clue_id = client.get("/api/clues").json()["items"][0]["id"]
    detail = client.get(f"/api/clues/{clue_id}").json()
    assert detail["evidence"][0]["values"]["party_id_no"] == ID_NUMBER
    assert detail["evidence"][0]["masked"] is False
    assert detail["details"]["party_id_no"] == ID_NUMBER
    page = client.get(f"/clues/{clue_id}").text
    assert ID_NUMBER in page
    assert '<th title="party_id_no">身份证号</th>' in page  # the contract's column title


@pytest.mark.parametrize("path", ["/api/clues", "/api/dashboard", "/clues"])
def test_data_officer_may_not_read_clues(client_for, path):
    response = client_for("data").get(path)
    assert response.status_code == 403


def test_data_officer_reads_runs_and_models_but_prosecutor_not_runs(client_for):
    data = client_for("data")
    assert data.get("/api/runs").status_code == 200
    assert data.get("/runs").status_code == 200
    assert data.get("/models").status_code == 200
    prosecutor = client_for("xiong_p")
    assert prosecutor.get("/api/runs").status_code == 403
    assert prosecutor.get("/runs").status_code == 403


def make_overdue(store, clue_id: str) -> None:
    """Carry a clue to a suggestion delivered on 2025-01-02, whose reply was due 2025-03-02."""
    on = date(2025, 1, 2)
    for action in ("triage", "review", "file_case"):
        store.transition(clue_id, action, "xiong_p", "测试", on=on)
    store.transition(
        clue_id, "issue_suggestion", "xiong_p", "测试", on=on, document_no=f"雄检建〔2025〕{clue_id}号"
    )
    store.transition(clue_id, "deliver", "xiong_p", "测试", on=on)


def test_dashboard_overdue_list_is_scoped_to_the_prosecutors_office(client_for, store):
    mine = client_for("xiong_p").get("/api/clues").json()["items"][0]["id"]
    theirs = client_for("rong_p").get("/api/clues").json()["items"][0]["id"]
    make_overdue(store, mine)
    make_overdue(store, theirs)
    assert [c["id"] for c in client_for("xiong_p").get("/api/dashboard").json()["overdue"]] == [mine]
    assert sorted(c["id"] for c in client_for("boss").get("/api/dashboard").json()["overdue"]) == sorted(
        [mine, theirs]
    )
    page = client_for("xiong_p").get("/").text
    assert f'href="/clues/{mine}"' in page and f'href="/clues/{theirs}"' not in page


def test_unknown_clue_is_404_in_the_error_shape(client_for):
    response = client_for("boss").get("/api/clues/nope")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_prosecutors_dashboard_counts_only_their_office(client_for, store):
    theirs = client_for("rong_p").get("/api/clues").json()["items"][0]["id"]
    store.transition(theirs, "triage", "rong_p", "初核")
    mine = client_for("xiong_p")
    data = mine.get("/api/dashboard").json()
    assert (data["total"], data["by_office"]) == (3, {XIONG: 3})
    assert (data["by_status"], data["by_severity"]) == ({"new": 3}, {"medium": 2, "high": 1})
    assert [(f["clues"], f["case_filed"]) for f in data["funnel"]] == [(3, 0)]
    assert '<strong id="dash-total">3</strong>' in mine.get("/").text
    everything = client_for("boss").get("/api/dashboard").json()
    assert (everything["total"], everything["by_status"]) == (6, {"new": 5, "triaged": 1})
    assert '<strong id="dash-total">6</strong>' in client_for("boss").get("/").text


def test_a_large_total_is_shown_capped_and_the_pager_runs_on(client_for, monkeypatch):
    monkeypatch.setattr(service, "COUNT_LIMIT", 4)
    client = client_for("boss")
    listed = client.get("/api/clues", params={"size": 2}).json()
    assert (listed["total"], listed["capped"], len(listed["items"])) == (4, True, 2)
    page = client.get("/clues", params={"page": 3}).text
    assert '<span class="muted" id="clue-total">4+</span>' in page and 'id="next-page"' not in page
    assert client.get("/api/clues", params={"size": 2, "page": 3}).json()["capped"] is True
    assert client_for("xiong_p").get("/api/clues").json()["capped"] is False
