"""Who may see and do what: the four roles, office scoping and personal-data masking.

Every page and API route asks these functions, so the rule "a user never sees
another office's clues or unmasked personal data without the right" is written
once and tested once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from jiancha.errors import AccessDenied
from jiancha.i18n import tr


class Role(StrEnum):
    """The roles of the issue; values are what the users table stores."""

    LEADERSHIP = "leadership"  # every office, read only
    PROSECUTOR = "prosecutor"  # own office's clues, acts on them
    DATA_OFFICER = "data_officer"  # datasets, models, runs
    ADMIN = "administrator"  # users and everything the others see

    @property
    def label(self) -> str:
        return {
            Role.LEADERSHIP: tr("院领导", "Leadership"),
            Role.PROSECUTOR: tr("检察官", "Prosecutor"),
            Role.DATA_OFFICER: tr("数据专员", "Data officer"),
            Role.ADMIN: tr("管理员", "Administrator"),
        }[self]


@dataclass(frozen=True)
class Principal:
    """The signed-in user as the web app needs it (never the password hash)."""

    name: str
    role: Role
    office: str
    generation: int = 0  # the user's session generation when signed in (jiancha.web.auth)

    @property
    def sees_all_offices(self) -> bool:
        return self.role in (Role.LEADERSHIP, Role.ADMIN, Role.DATA_OFFICER)

    @property
    def office_scope(self) -> str | None:
        """The office a clue query must be limited to, or None for every office."""
        return None if self.sees_all_offices else self.office


def _denied(what_zh: str, what_en: str, user: Principal) -> AccessDenied:
    return AccessDenied(
        tr(
            f"用户 {user.name}（{user.role.label}）无权{what_zh}。",
            f"User {user.name} ({user.role.label}) may not {what_en}.",
        )
    )


def require_clue_reader(user: Principal) -> None:
    """Clue lists and pages: prosecutors, leadership and administrators."""
    if user.role is Role.DATA_OFFICER:
        raise _denied("查看线索", "view clues", user)


def require_clue_visible(user: Principal, clue_office: str | None) -> None:
    """One clue: a prosecutor sees only clues routed to their own office."""
    require_clue_reader(user)
    if user.office_scope is not None and clue_office != user.office_scope:
        raise _denied("查看其他检察院的线索", "view another office's clues", user)


def require_prosecutor(user: Principal) -> None:
    """Workflow actions belong to prosecutors (checked before the clue is even looked up)."""
    if user.role is not Role.PROSECUTOR:
        raise _denied("办理线索", "act on clues", user)


def require_clue_actor(user: Principal, clue_office: str | None) -> None:
    """Workflow actions: only a prosecutor of the clue's own office."""
    if not handles_clue(user, clue_office):
        raise _denied("办理此线索", "act on this clue", user)


def require_data_reader(user: Principal) -> None:
    """Datasets, lineage, rejections and run history."""
    if user.role is Role.PROSECUTOR:
        raise _denied("查看数据接入与运行记录", "view datasets and runs", user)


def require_admin(user: Principal) -> None:
    """Accounts are managed by administrators only."""
    if user.role is not Role.ADMIN:
        raise _denied("管理用户", "manage users", user)


def handles_clue(user: Principal, clue_office: str | None) -> bool:
    """Whether the user is a prosecutor of the clue's office: who acts on it and sees it unmasked."""
    return user.role is Role.PROSECUTOR and clue_office == user.office
