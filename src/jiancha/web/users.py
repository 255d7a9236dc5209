"""Accounts: creating them (``jiancha users add``, the users page), disabling them, signing in."""

from __future__ import annotations

from dataclasses import dataclass

from jiancha.clues.store import SYSTEM_USER, ClueStore
from jiancha.errors import JianchaError
from jiancha.i18n import tr
from jiancha.web.access import Principal, Role, require_admin
from jiancha.web.auth import principal_of
from jiancha.web.passwords import hash_password, verify_password

MIN_PASSWORD = 8


def parse_role(text: str) -> Role:
    """The role a person typed, by code or by its Chinese or English title."""
    for role in Role:
        if text.strip().lower() in (role.value, role.label.lower(), role.name.lower()):
            return role
    known = "、".join(f"{r.value}（{r.label}）" for r in Role)
    raise JianchaError(
        tr(f"没有角色“{text}”；可选：{known}。", f"There is no role '{text}'; choose one of: {known}.")
    )


@dataclass(frozen=True)
class Account:
    """A user as the users page and API show it: never the password hash."""

    name: str
    display_name: str
    role: str
    office: str | None
    active: bool


def accounts(store: ClueStore, admin: Principal) -> list[Account]:
    require_admin(admin)
    return [Account(u.name, u.display_name, u.role, u.office, u.active) for u in store.list_users()]


def create_account(
    store: ClueStore, admin: Principal, name: str, role: str, office: str, password: str
) -> None:
    """An administrator registers a user (the same rules as ``jiancha users add``)."""
    require_admin(admin)
    add_user(store, name.strip(), parse_role(role), office, password, by=admin.name)


def set_active(store: ClueStore, admin: Principal, name: str, active: bool) -> None:
    """Disable or re-enable an account; a disabled user's session and tokens stop working at once."""
    require_admin(admin)
    if name == admin.name and not active:
        raise JianchaError(tr("不能停用自己的账户。", "You cannot disable your own account."))
    store.set_user_active(name, active, by=admin.name)


def add_user(
    store: ClueStore, name: str, role: Role, office: str, password: str, by: str = SYSTEM_USER
) -> None:
    """Store a new account with an argon2 hash of its password."""
    if len(password) < MIN_PASSWORD:
        raise JianchaError(
            tr(
                f"用户 {name} 的密码太短：至少需要 {MIN_PASSWORD} 个字符。",
                f"The password for {name} is too short: it needs at least {MIN_PASSWORD} characters.",
            )
        )
    store.add_user(name, hash_password(password), role.value, office=office, by=by)


def authenticate(store: ClueStore, name: str, password: str) -> Principal | None:
    """The user if the name exists, is active and the password matches; None otherwise."""
    user = store.get_user(name)
    if not verify_password(user.password_hash if user else None, password) or not user.active:
        return None
    return principal_of(user)
