"""Accounts: creating one (``jiancha users add``) and checking a password at sign-in."""

from __future__ import annotations

from jiancha.clues.store import ClueStore
from jiancha.errors import JianchaError
from jiancha.i18n import tr
from jiancha.web.access import Principal, Role
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


def add_user(store: ClueStore, name: str, role: Role, office: str, password: str) -> None:
    """Store a new account with an argon2 hash of its password."""
    if len(password) < MIN_PASSWORD:
        raise JianchaError(
            tr(
                f"用户 {name} 的密码太短：至少需要 {MIN_PASSWORD} 个字符。",
                f"The password for {name} is too short: it needs at least {MIN_PASSWORD} characters.",
            )
        )
    store.add_user(name, hash_password(password), role.value, office=office)


def authenticate(store: ClueStore, name: str, password: str) -> Principal | None:
    """The user if the name exists, is active and the password matches; None otherwise."""
    user = store.get_user(name)
    if not verify_password(user.password_hash if user else None, password) or not user.active:
        return None
    return principal_of(user)
