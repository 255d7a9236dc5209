"""Unverified provisions never reach an issued 检察建议书 unnoticed: listed when drafting, cited
only on the prosecutor's confirmation (audited with the user and the keys), left out otherwise."""

from __future__ import annotations

from docx import Document

from jiancha.documents.suggestion import draft_suggestion, issue_suggestion

UNVERIFIED = "recycling_measures.art7"
CITATION = "《再生资源回收管理办法》第七条"
VERIFIED_CITATION = "《废旧金属收购业治安管理办法》第四条第一款"


def _text(path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def test_drafting_lists_the_unverified_provisions_and_leaves_them_out(store, dealer_case, tmp_path):
    drafted = draft_suggestion(store, dealer_case, "张检察官", tmp_path / "d.docx")
    assert [p.key for p in drafted.unverified] == [UNVERIFIED] and not drafted.confirmed
    text = _text(drafted.path)
    assert VERIFIED_CITATION in text and CITATION not in text
    confirmed = draft_suggestion(store, dealer_case, "张检察官", tmp_path / "c.docx", confirm_unverified=True)
    assert confirmed.confirmed and CITATION in _text(confirmed.path)
    assert store.get_clue(dealer_case, "张检察官").clue.status == "case_filed"


def test_issuing_without_confirmation_leaves_them_out_and_audits_nothing_about_them(
    store, dealer_case, tmp_path
):
    issued = issue_suggestion(store, dealer_case, "张检察官", tmp_path / "s.docx")
    assert [p.key for p in issued.unverified] == [UNVERIFIED] and not issued.confirmed
    assert CITATION not in _text(issued.path)
    history = store.get_clue(dealer_case, "张检察官").history
    assert not [h for h in history if h.action == "provisions.unverified_confirmed"]


def test_issuing_with_confirmation_cites_them_and_audits_who_confirmed_which(store, dealer_case, tmp_path):
    issued = issue_suggestion(store, dealer_case, "张检察官", tmp_path / "s.docx", confirm_unverified=True)
    assert issued.confirmed and CITATION in _text(issued.path)
    [entry] = [
        h
        for h in store.get_clue(dealer_case, "张检察官").history
        if h.action == "provisions.unverified_confirmed"
    ]
    assert (entry.user, entry.data) == (
        "张检察官",
        {"document_no": issued.document_no, "provisions": [UNVERIFIED]},
    )
    assert store.verify_audit().ok


def test_a_letter_citing_only_verified_provisions_needs_no_confirmation(store, filed_case, tmp_path):
    drafted = draft_suggestion(store, filed_case(), "张检察官", tmp_path / "d.docx")
    assert drafted.unverified == ()


def test_the_form_finds_the_same_unverified_provisions_as_a_draft_of_each_kind(store, dealer_case, tmp_path):
    from jiancha.documents import content
    from jiancha.documents.suggestion import unverified_by_kind

    detail = store.get_clue(dealer_case, "张检察官")
    listed = unverified_by_kind(store, detail, content.KINDS)
    for kind in content.KINDS:
        drafted = draft_suggestion(store, dealer_case, "张检察官", tmp_path / f"{kind}.docx", kind=kind)
        assert [p.key for p in listed[kind]] == [p.key for p in drafted.unverified]
