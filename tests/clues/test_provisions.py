"""The workspace's own provisions on both backends: added unverified, verified by a reviewer, audited."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from jiancha.clues import ClueStore
from jiancha.clues.schema import AuditEntry
from jiancha.errors import AccessDenied, JianchaError
from jiancha.law import LawCatalogue, Provision, UnknownProvision, builtin_catalogue, catalogue_for

AMOUNT = Provision(
    key="local.hebei_theft.amount",
    law="河北省高级人民法院、河北省人民检察院关于确定盗窃罪数额标准的通知",
    version="2013年",
    in_force=date(2013, 7, 1),
    article="第一条",
    paragraph="",
    item="",
    text="盗窃公私财物价值二千元以上的，为“数额较大”。",
    summary="河北省盗窃“数额较大”的标准",
    source="省院文件",
    verified=True,  # whatever the caller says, an addition starts unverified
)


def audit_entries(store: ClueStore) -> list[tuple[str, str, dict]]:
    with store.engine.connect() as connection:
        query = select(AuditEntry.action, AuditEntry.user, AuditEntry.data).order_by(AuditEntry.seq)
        return [(action, user, json.loads(data)) for action, user, data in connection.execute(query)]


@pytest.fixture
def reviewers(store: ClueStore) -> ClueStore:
    store.add_user("wang", "$argon2id$not-a-real-hash", "prosecutor", office="雄县院")
    store.add_user("li", "$argon2id$not-a-real-hash", "data_officer", office="雄县院")
    return store


def test_an_added_provision_is_unverified_audited_and_merged_into_the_catalogue(store):
    added = store.add_provision(AMOUNT, "zhao")
    assert added.verified is False and added.text == AMOUNT.text and added.in_force == date(2013, 7, 1)
    assert store.list_provisions() == [added]
    catalogue = catalogue_for(store)
    assert catalogue.get("local.hebei_theft.amount") == added
    assert len(catalogue) == len(builtin_catalogue()) + 1
    action, user, data = audit_entries(store)[-1]
    assert (action, user, data["key"]) == ("law.provision_added", "zhao", "local.hebei_theft.amount")
    assert data["citation"] == f"《{AMOUNT.law}》第一条"


def test_a_reviewer_verifies_it_and_the_act_is_in_the_chain(reviewers, clock):
    store = reviewers
    store.add_provision(AMOUNT, "zhao")
    clock.advance(hours=2)
    verified = store.verify_provision("local.hebei_theft.amount", "wang")
    assert verified.verified is True
    assert catalogue_for(store).get("local.hebei_theft.amount").verified is True
    action, user, data = audit_entries(store)[-1]
    assert (action, user, data["key"]) == ("law.provision_verified", "wang", "local.hebei_theft.amount")
    assert store.verify_audit().ok
    with pytest.raises(JianchaError, match="已由 wang 于 2024-04-01 11:00 核实"):
        store.verify_provision("local.hebei_theft.amount", "wang")


@pytest.mark.parametrize("who", ["li", "nobody"])
def test_only_an_active_prosecutor_or_leadership_user_may_verify(reviewers, who):
    store = reviewers
    store.add_provision(AMOUNT, "zhao")
    before = audit_entries(store)
    with pytest.raises(AccessDenied, match=f"用户 {who} 无权核实条文"):
        store.verify_provision("local.hebei_theft.amount", who)
    assert audit_entries(store) == before
    assert store.list_provisions()[0].verified is False
    store.set_user_active("wang", False, by="admin")
    with pytest.raises(AccessDenied):
        store.verify_provision("local.hebei_theft.amount", "wang")


def test_built_in_keys_cannot_be_added_or_verified_by_the_workspace(reviewers):
    store = reviewers
    builtin = Provision(**{**AMOUNT.__dict__, "key": "admin_litigation_law.art25.p4"})
    with pytest.raises(JianchaError, match="是内置条文，不能由工作区替换"):
        store.add_provision(builtin, "zhao")
    with pytest.raises(JianchaError, match="其核实状态随软件发布"):
        store.verify_provision("admin_litigation_law.art25.p4", "wang")
    with pytest.raises(UnknownProvision, match=r"local\.none"):
        store.verify_provision("local.none", "wang")
    assert store.list_provisions() == []


def test_bad_additions_are_refused_with_a_sentence(store):
    store.add_provision(AMOUNT, "zhao")
    with pytest.raises(JianchaError, match=r"本工作区的目录中已有条文 local\.hebei_theft\.amount"):
        store.add_provision(AMOUNT, "zhao")
    with pytest.raises(JianchaError, match="条文编号 'Local Rule' 不可用"):
        store.add_provision(Provision(**{**AMOUNT.__dict__, "key": "Local Rule"}), "zhao")
    with pytest.raises(JianchaError, match="缺少要点"):
        store.add_provision(Provision(**{**AMOUNT.__dict__, "key": "local.x.y", "summary": " "}), "zhao")
    assert [p.key for p in store.list_provisions()] == ["local.hebei_theft.amount"]


def test_a_workspace_key_a_later_release_ships_yields_to_the_built_in_one(store, monkeypatch):
    store.add_provision(AMOUNT, "zhao")
    shipped = Provision(**{**AMOUNT.__dict__, "law": "内置的同名条文", "verified": True})
    later = builtin_catalogue().with_additions([shipped])
    monkeypatch.setattr("jiancha.law.catalogue.builtin_catalogue", lambda: LawCatalogue(list(later)))
    merged = catalogue_for(store)
    assert merged.get("local.hebei_theft.amount").law == "内置的同名条文"
    assert len(merged) == len(later)
