"""Digests: per office and model, clues raised, updated and superseded since a day, replies due."""

from __future__ import annotations

from datetime import datetime

from jiancha.clues.sync import clue_id_for

MODEL = "water.facility_idle"
SINCE = datetime(2024, 4, 1)


def kinds(digests):
    return {
        (d.office, kind, c.subject_id)
        for d in digests
        for kind in ("new", "changed", "superseded", "due", "overdue")
        for c in getattr(d, kind)
    }


def test_digest_reports_news_by_office_and_model(store, make_finding, clock):
    store.sync_findings("r1", MODEL, [make_finding("F1"), make_finding("F2", lon=116.06, lat=39.05)])
    office = {c.subject_id: c.office for c in store.list_clues().items}
    assert office["F1"] != office["F2"]
    assert kinds(store.digests(SINCE)) == {(office["F1"], "new", "F1"), (office["F2"], "new", "F2")}
    clock.advance(days=1)
    store.sync_findings("r2", MODEL, [make_finding("F1", idle_days=25)])
    later = store.digests(datetime(2024, 4, 2))
    assert kinds(later) == {(office["F1"], "changed", "F1"), (office["F2"], "superseded", "F2")}
    assert [(d.office, d.model_id) for d in later] == sorted((office[s], MODEL) for s in ("F1", "F2"))
    assert kinds(store.digests(SINCE)) == {(office["F1"], "new", "F1")}  # raised and gone: no news
    assert kinds(store.digests(datetime(2024, 4, 2), office["F2"])) == {(office["F2"], "superseded", "F2")}


def test_digest_lists_replies_due_soon_and_overdue(store, make_finding, clock):
    store.sync_findings("r1", MODEL, [make_finding("F1")])
    clue_id = clue_id_for(MODEL, "F1", "2024-03")
    for action in ("triage", "review", "file_case"):
        store.transition(clue_id, action, "li", "依法办理")
    store.transition(
        clue_id, "issue_suggestion", "li", "制发", document_no="雄检行公建〔2024〕1号", urgent=True
    )
    clock.advance(days=11)
    (digest,) = store.digests(datetime(2024, 4, 12))
    assert [c.id for c in digest.due] == [clue_id] and not digest.overdue
    assert digest.lines("建而不用")[1].startswith(f"  [答复即将到期] {clue_id} F1 2024-03 期限 2024-04-16")
    clock.advance(days=10)
    (digest,) = store.digests(datetime(2024, 4, 20))
    assert [c.id for c in digest.overdue] == [clue_id]
    assert digest.as_json()["overdue"][0] == {
        "clue_id": clue_id, "subject_id": "F1", "period": "2024-03", "due_on": "2024-04-16"
    }  # fmt: skip


def test_the_web_block_renders_a_users_digest(store, make_finding):
    from jiancha.web.templating import templates

    store.sync_findings("r1", MODEL, [make_finding("F1")])
    block = templates.env.get_template("_digest.html")
    html = block.render(digests=store.digests(SINCE), since="2024-04-01", model_titles={MODEL: "建而不用"})
    assert (
        "建而不用" in html and "新增线索" in html and f"/clues/{clue_id_for(MODEL, 'F1', '2024-03')}" in html
    )
    assert "没有新的线索动态" in block.render(digests=[], since="2024-04-01", model_titles={})
