"""The workspace's own provisions: adding them, listing them, and a reviewer verifying them.

Users may cite provisions the project does not ship (a local regulation, a
provincial amount). Each is added unverified; only a reviewer — an active user
of the store whose role is prosecutor or leadership, the people who answer for a
letter's legal reasoning — may mark it verified. Both acts are appended to the
audit chain in the same transaction as the change.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiancha.clues.audit import AuditRecord, append
from jiancha.clues.schema import AuditHead, User, WorkspaceProvision
from jiancha.errors import AccessDenied, JianchaError
from jiancha.i18n import tr
from jiancha.law import Provision, UnknownProvision, builtin_catalogue
from jiancha.law.provision import check_key

#: Roles whose users may mark a provision verified.
REVIEWER_ROLES = ("prosecutor", "leadership")
FIELDS = ("key", "law", "version", "in_force", "article", "paragraph", "item", "text", "summary", "source")


def provision_of(row: WorkspaceProvision) -> Provision:
    return Provision(*(getattr(row, name) for name in FIELDS), verified=row.verified)


def list_provisions(session: Session) -> list[Provision]:
    """The workspace's provisions, by key."""
    rows = session.scalars(select(WorkspaceProvision).order_by(WorkspaceProvision.key))
    return [provision_of(row) for row in rows]


def add_provision(
    session: Session, head: AuditHead, provision: Provision, by: str, at: datetime
) -> Provision:
    """Add ``provision`` unverified (whatever its ``verified`` says) and audit it."""
    key = check_key(provision.key)
    if key in builtin_catalogue():
        raise JianchaError(
            tr(
                f"条文编号 {key} 是内置条文，不能由工作区替换；"
                f"请为本工作区的条文另取编号（如 local.{key}）。",
                f"{key} is a built-in provision and cannot be replaced; give yours another key "
                f"(e.g. local.{key}).",
            )
        )
    if session.get(WorkspaceProvision, key) is not None:
        raise JianchaError(
            tr(f"本工作区的目录中已有条文 {key}。", f"The workspace already has provision {key}.")
        )
    for name, value in (("law", provision.law), ("summary", provision.summary)):
        if not value.strip():
            what = {"law": ("法律名称", "the law's title"), "summary": ("要点", "a summary")}[name]
            raise JianchaError(
                tr(f"条文 {key} 缺少{what[0]}；请补充后重试。", f"Provision {key} needs {what[1]}.")
            )
    row = WorkspaceProvision(
        **{name: getattr(provision, name) for name in FIELDS},
        verified=False,
        added_by=by,
        added_at=at,
    )
    session.add(row)
    data = {"key": key, "citation": provision.citation, "text": provision.text, "source": provision.source}
    append(session, head, [AuditRecord("law.provision_added", by, data=data)], at)
    return provision_of(row)


def verify_provision(session: Session, head: AuditHead, key: str, by: str, at: datetime) -> Provision:
    """A reviewer marks the workspace's provision ``key`` verified; the act is audited."""
    reviewer = session.get(User, by)
    if reviewer is None or not reviewer.active or reviewer.role not in REVIEWER_ROLES:
        raise AccessDenied(
            tr(
                f"用户 {by} 无权核实条文：只有线索库中在用的检察官或院领导账号可以核实"
                "（用 --user 指定核实人）。",
                f"User {by} may not verify provisions: only an active prosecutor or leadership "
                "account of the store may (name the reviewer with --user).",
            )
        )
    row = session.get(WorkspaceProvision, key)
    if row is None:
        if key in builtin_catalogue():
            raise JianchaError(
                tr(
                    f"条文 {key} 是内置条文，其核实状态随软件发布，不能在工作区中更改。",
                    f"{key} is a built-in provision; its status ships with the software.",
                )
            )
        raise UnknownProvision(key)
    if row.verified:
        raise JianchaError(
            tr(
                f"条文 {key} 已由 {row.verified_by} 于 {row.verified_at:%Y-%m-%d %H:%M} 核实。",
                f"Provision {key} was verified by {row.verified_by} on {row.verified_at:%Y-%m-%d %H:%M}.",
            )
        )
    row.verified, row.verified_by, row.verified_at = True, by, at
    data = {"key": key, "citation": provision_of(row).citation, "text": row.text}
    append(session, head, [AuditRecord("law.provision_verified", by, data=data)], at)
    return provision_of(row)
