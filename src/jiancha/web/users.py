"""Accounts: creating them (``jiancha users add``, the users page), disabling them, passwords, signing in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from jiancha.clues.store import MAX_FAILURES, SYSTEM_USER, ClueStore
from jiancha.errors import AccessDenied, JianchaError
from jiancha.i18n import tr
from jiancha.web.access import Principal, Role, require_admin
from jiancha.web.auth import principal_of
from jiancha.web.errors import NotAuthenticated
from jiancha.web.passwords import check_new_password, hash_password, verify_password


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
    """Store a new account with an argon2 hash of its password, which must meet ``check_new_password``."""
    check_new_password(name, password, (office,))
    store.add_user(name, hash_password(password), role.value, office=office, by=by)


def reset_password(store: ClueStore, name: str, password: str, by: str = SYSTEM_USER) -> None:
    """Give ``name`` a new password (``jiancha users password``): it must meet the rules; old sessions end."""
    user = store.get_user(name)
    if user is None:
        raise JianchaError(tr(f"没有用户 {name}。", f"There is no user {name}."))
    check_new_password(name, password, (user.office or "",))
    store.set_password(name, hash_password(password), by=by)


def change_own_password(store: ClueStore, user: Principal, current: str, new: str) -> None:
    """A signed-in user changes their password: the current one first (ASVS 2.1.6), then the rules.

    A wrong current password counts towards the lock like a wrong sign-in, so a stolen
    session cannot be used to guess it.
    """
    if authenticate(store, user.name, current) is None:
        raise AccessDenied(
            tr(
                f"用户 {user.name} 的当前密码不正确，密码未修改。",
                f"The current password for {user.name} is wrong; the password was not changed.",
            )
        )
    if new == current:
        raise JianchaError(
            tr(
                "新密码与当前密码相同，请换一个。",
                "The new password is the same as the current one; choose another.",
            )
        )
    reset_password(store, user.name, new, by=user.name)


class AccountLocked(NotAuthenticated):
    """Too many wrong passwords in a row: the account refuses sign-in until its lock runs out."""


def _locked(name: str, until: datetime) -> AccountLocked:
    """The refusal, naming the minute (rounded up, local time) from which the account may sign in."""
    shown = (until + timedelta(seconds=59)).strftime("%Y-%m-%d %H:%M")
    return AccountLocked(
        tr(
            f"账户 {name} 因连续 {MAX_FAILURES} 次密码错误已被锁定，请于 {shown} 后再试，或请管理员解锁。",
            f"The account {name} is locked after {MAX_FAILURES} wrong passwords in a row; "
            f"try again after {shown}, or ask an administrator to unlock it.",
        )
    )


def authenticate(store: ClueStore, name: str, password: str) -> Principal | None:
    """The user if the name exists, is active and the password matches; None otherwise.

    A locked account raises :class:`AccountLocked` before its password is checked, so guesses
    during the lock learn nothing. A wrong password for an existing account counts towards the
    lock (the failure that locks it raises at once); a success clears the count. Unknown names
    are not recorded and get the same None as a wrong password.
    """
    user = store.get_user(name)
    if user is not None and user.locked_at(store.clock()):
        raise _locked(user.name, user.locked_until)
    if not verify_password(user.password_hash if user else None, password):
        until = store.record_failed_sign_in(user.name) if user else None
        if until is not None:
            raise _locked(user.name, until)
        return None
    if not user.active:
        return None
    if user.failed_sign_ins or user.locked_until:
        store.clear_failed_sign_ins(user.name)
    return principal_of(user)
