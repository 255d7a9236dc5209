"""The 检察建议书 from the clue page and the API: issued, numbered, kept, downloadable, access-checked."""

from __future__ import annotations

import io
from urllib.parse import quote

from docx import Document

from jiancha.findings import EvidenceRow, Finding, Location
from web.conftest import POINTS, XIONG, csrf_of

XIONG_FIRST = "雄县检纠建〔2025〕1号"  # penalty model (应移未移) → a 纠正违法 suggestion
XIONG_PUBLIC = "雄县检行公建〔2025〕1号"  # the same office's first 公益诉讼 suggestion


def file_case(client, clue_id: str) -> dict[str, str]:
    """Carry a clue to case_filed through the API; returns the CSRF header for further posts."""
    headers = {"X-CSRF-Token": csrf_of(client)}
    for action in ("triage", "review", "file_case"):
        assert client.post(
            f"/api/clues/{clue_id}/actions/{action}", json={"reason": "属实"}, headers=headers
        ).is_success
    return headers


def text_of(docx_bytes: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(docx_bytes)).paragraphs)


def test_api_issues_a_numbered_suggestion_and_serves_its_file(client_for, tmp_path):
    client = client_for("xiong_p")
    first, second = (c["id"] for c in client.get("/api/clues").json()["items"][:2])
    headers = file_case(client, first)
    issued = client.post(f"/api/clues/{first}/suggestion", json={}, headers=headers)
    assert issued.status_code == 200, issued.text
    url = f"/api/clues/{first}/suggestions/{quote(XIONG_FIRST, safe='')}"
    assert issued.json() == {
        "document_no": XIONG_FIRST,
        "reply_due": "2025-08-01",
        "download_url": url,
        "unverified_provisions": [],
        "unverified_cited": False,
    }
    assert (tmp_path / "artifacts" / "suggestions" / f"{XIONG_FIRST}.docx").is_file()
    assert [p.name for p in (tmp_path / "artifacts" / "suggestions").iterdir()] == [f"{XIONG_FIRST}.docx"]

    download = client.get(url)
    assert download.headers["content-type"].startswith("application/vnd.openxmlformats")
    body = text_of(download.content)
    assert XIONG_FIRST in body and "雄县生态环境分局" in body
    detail = client.get(f"/api/clues/{first}").json()
    assert detail["clue"]["status"] == "suggestion_issued"
    assert detail["suggestions"][0]["document_no"] == XIONG_FIRST

    file_case(client, second)
    url = f"/api/clues/{second}/suggestion"
    for body, sentence in (
        ({"urgent": True, "kind": "social_governance"}, "须由检察官确定回复期限"),
        ({"urgent": True, "kind": "social_governance", "reply_by": "2025-05-30"}, "不晚于制发日"),
        ({"kind": "social_governance", "reply_by": "2025-06-10"}, "只有情况紧急时才能另定回复期限"),
        ({"urgent": True, "kind": "public_interest", "reply_by": "2025-06-10"}, "不能另定日期"),
    ):
        refused = client.post(url, json=body, headers=headers)
        assert refused.status_code == 409 and sentence in refused.json()["error"]["message"], body
    urgent = client.post(
        url, json={"urgent": True, "kind": "social_governance", "reply_by": "2025-06-10"}, headers=headers
    ).json()
    assert (urgent["document_no"], urgent["reply_due"]) == ("雄县检社建〔2025〕1号", "2025-06-10")
    kept = client.get(f"/api/clues/{second}").json()
    assert (kept["clue"]["due_on"], kept["suggestions"][0]["kind"]) == ("2025-06-10", "social_governance")
    again = client.post(f"/api/clues/{first}/suggestion", json={}, headers=headers)
    assert again.status_code == 409 and again.json()["error"]["code"] == "workflow_conflict"


def test_the_generic_action_no_longer_issues_suggestions(client_for):
    client = client_for("xiong_p")
    clue_id = client.get("/api/clues").json()["items"][0]["id"]
    headers = file_case(client, clue_id)
    refused = client.post(
        f"/api/clues/{clue_id}/actions/issue_suggestion", json={"reason": "属实"}, headers=headers
    )
    assert refused.status_code == 409
    assert refused.json()["error"]["message"].startswith(
        f"线索 {clue_id} 的检察建议请用“制发检察建议书”表单制发"
    )
    assert client.get(f"/api/clues/{clue_id}").json()["clue"]["status"] == "case_filed"


def test_page_form_issues_and_lists_the_download(client_for):
    client = client_for("xiong_p")
    clue_id = client.get("/api/clues").json()["items"][0]["id"]
    assert 'id="suggestion-form"' not in client.get(f"/clues/{clue_id}").text  # not filed yet
    file_case(client, clue_id)
    page = client.get(f"/clues/{clue_id}").text
    assert 'id="suggestion-form"' in page and 'data-action="issue_suggestion"' not in page
    assert '<option value="correcting_illegality" selected>纠正违法检察建议</option>' in page

    draft = client.get(f"/clues/{clue_id}/suggestion/draft")
    assert "（草稿）" in text_of(draft.content)
    assert 'formaction="/clues/' + clue_id + '/suggestion/draft"' in page  # the form's own draft button
    token = csrf_of(client, f"/clues/{clue_id}")
    urgent_draft = client.post(
        f"/clues/{clue_id}/suggestion/draft",
        data={"kind": "public_interest", "urgent": "true", "csrf_token": token},
    )
    assert urgent_draft.status_code == 200 and text_of(urgent_draft.content) != text_of(draft.content)
    assert text_of(urgent_draft.content) == text_of(
        client.get(
            f"/clues/{clue_id}/suggestion/draft", params={"kind": "public_interest", "urgent": "true"}
        ).content
    )
    assert (
        client.post(f"/clues/{clue_id}/suggestion/draft", data={"urgent": "true"}).status_code == 403
    )  # no token
    assert client.get(f"/api/clues/{clue_id}").json()["clue"]["status"] == "case_filed"

    assert 'type="date" name="reply_by"' in page
    refused = client.post(
        f"/clues/{clue_id}/suggestion",
        data={"kind": "social_governance", "urgent": "true", "reply_by": "明天", "csrf_token": token},
    )
    assert refused.status_code == 400 and "回复期限“明天”不是日期" in refused.text
    done = client.post(
        f"/clues/{clue_id}/suggestion",
        data={"kind": "public_interest", "urgent": "true", "reply_by": "", "csrf_token": token},
    )
    assert f"已制发检察建议书 {XIONG_PUBLIC}，答复期限 2025-06-16" in done.text
    link = f'href="/clues/{clue_id}/suggestions/{quote(XIONG_PUBLIC, safe="")}"'
    assert link in done.text
    assert XIONG_PUBLIC in text_of(client.get(f"/clues/{clue_id}/suggestions/{XIONG_PUBLIC}").content)


def test_only_the_clues_prosecutors_issue_and_only_its_readers_download(client_for):
    mine = client_for("xiong_p")
    clue_id = mine.get("/api/clues").json()["items"][0]["id"]
    headers = file_case(mine, clue_id)
    for name in ("rong_p", "boss"):
        other = client_for(name)
        refused = other.post(
            f"/api/clues/{clue_id}/suggestion", json={}, headers={"X-CSRF-Token": csrf_of(other, "/")}
        )
        assert refused.status_code == 403, name
        assert other.get(f"/api/clues/{clue_id}/suggestion/draft").status_code == 403
    assert 'id="suggestion-form"' not in client_for("boss").get(f"/clues/{clue_id}").text
    assert mine.post(f"/api/clues/{clue_id}/suggestion", json={}, headers=headers).is_success

    url = f"/api/clues/{clue_id}/suggestions/{quote(XIONG_FIRST, safe='')}"
    assert client_for("rong_p").get(url).status_code == 403
    assert client_for("data").get(url).status_code == 403
    assert client_for("boss").get(url).status_code == 200  # leadership reads every office
    missing = mine.get(f"/api/clues/{clue_id}/suggestions/{quote('雄县检行公建〔2025〕9号', safe='')}")
    assert missing.status_code == 404


def _dealer_case(client_for, store) -> tuple:
    """A scrap-dealer clue (its model cites one unverified provision) filed as a case by xiong_p:
    the client, the clue id and the CSRF header."""
    lon, lat = POINTS[XIONG]
    dealer = Finding(
        model_id="crime.unlicensed_scrap_dealer",
        subject_type="dealer",
        subject_id="GE-0042",
        period=None,
        severity="high",
        target_agency="雄县公安局",
        legal_basis="",
        evidence=(EvidenceRow("grid_events", "grid_events.csv", 7, {"category": "废品收购点"}),),
        location=Location(lon, lat, None),
    )
    store.sync_findings("run-2", dealer.model_id, [dealer])
    client = client_for("xiong_p")
    clue_id = next(c.id for c in store.iter_clues() if c.subject_id == "GE-0042")
    return client, clue_id, file_case(client, clue_id)


def test_unverified_provisions_are_shown_and_cited_only_when_confirmed(client_for, store):
    client, clue_id, headers = _dealer_case(client_for, store)
    page = client.get(f"/clues/{clue_id}").text
    assert 'id="unverified-provisions"' in page and "《再生资源回收管理办法》第七条" in page
    assert 'name="confirm_unverified"' in page
    draft = client.get(f"/api/clues/{clue_id}/suggestion/draft")
    assert draft.headers["x-unverified-provisions"] == "recycling_measures.art7"
    assert "《再生资源回收管理办法》第七条" not in text_of(draft.content)

    issued = client.post(
        f"/api/clues/{clue_id}/suggestion", json={"confirm_unverified": True}, headers=headers
    ).json()
    assert issued["unverified_cited"] is True
    assert [p["key"] for p in issued["unverified_provisions"]] == ["recycling_measures.art7"]
    assert "《再生资源回收管理办法》第七条" in text_of(client.get(issued["download_url"]).content)
    history = client.get(f"/api/clues/{clue_id}").json()["history"]
    [entry] = [h for h in history if h["action"] == "provisions.unverified_confirmed"]
    assert (entry["user"], entry["data"]["provisions"]) == ("xiong_p", ["recycling_measures.art7"])


def test_the_clue_page_lists_unverified_provisions_without_wording_a_draft(client_for, store, monkeypatch):
    from jiancha.documents import suggestion

    client, clue_id, _ = _dealer_case(client_for, store)

    def no_draft(*args, **kwargs):
        raise AssertionError("the clue page worded a whole letter")

    monkeypatch.setattr(suggestion, "build_draft", no_draft)
    monkeypatch.setattr(suggestion, "state_facts", no_draft)
    page = client.get(f"/clues/{clue_id}")
    assert page.status_code == 200
    assert 'id="unverified-provisions"' in page.text and "《再生资源回收管理办法》第七条" in page.text
    assert 'class="unverified-kinds"' not in page.text  # every kind cites the same: no kind named


def test_the_clue_page_lists_the_unverified_provisions_of_each_kind_it_offers(client_for, store, monkeypatch):
    from dataclasses import replace

    from jiancha.documents import content

    client, clue_id, _ = _dealer_case(client_for, store)
    kind = content.kind

    def with_theft_amount(name: str) -> content.Kind:
        found = kind(name)
        if name != "correcting_illegality":
            return found
        return replace(found, provisions=(*found.provisions, "hebei_theft_amount.amount"))

    monkeypatch.setattr(content, "kind", with_theft_amount)
    page = client.get(f"/clues/{clue_id}").text
    assert "《河北省执行的盗窃罪数额标准》" in page and page.count('class="unverified-kinds"') == 2
    corrective = content.kind("correcting_illegality").label
    assert f"制发{corrective}时" in page
