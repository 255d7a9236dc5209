"""Password hashing with argon2id (argon2-cffi's recommended parameters), and what a new password must be.

The rules (ASVS 2.1.1, 2.1.7, 2.1.9) apply when a password is set or changed, never at
sign-in, so accounts made under an older, shorter minimum keep signing in until their
password next changes. There are no composition rules: length, a breached-password list,
and a guessability estimate. The list is zxcvbn's 30 000 most common passwords from public
breach corpora, checked without regard to case; zxcvbn's estimate (with the user's name and
office as known words) also refuses the variations such a list misses — ``password1234``,
``qwertyuiop12``, a name followed by digits, twelve of one letter.
"""

from __future__ import annotations

import threading
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from jiancha.errors import JianchaError
from jiancha.i18n import tr

MIN_PASSWORD = 12
#: zxcvbn's score from 0 to 4; 3 is "safely unguessable" (about 10^8 guesses and more).
MIN_STRENGTH = 3
#: zxcvbn refuses longer input; a passphrase this long needs no estimate.
ESTIMATED_UP_TO = 72

_hasher = PasswordHasher()
_zxcvbn_lock = threading.Lock()  # zxcvbn keeps the user's words in a module global

#: A valid hash of a random password, verified when the user is unknown so a
#: failed login takes the same time whether or not the name exists.
_DUMMY_HASH = _hasher.hash("jiancha-no-such-user")


def hash_password(password: str) -> str:
    """The argon2id hash to store for ``password``."""
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``stored_hash``; False for an unknown user (None)."""
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


@cache
def breached_passwords() -> frozenset[str]:
    """The most common passwords of public breach corpora, lower-cased (loaded on first use)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(p.lower() for p in FREQUENCY_LISTS["passwords"])


def check_new_password(name: str, password: str, known_words: tuple[str, ...] = ()) -> None:
    """Refuse, with a sentence naming the user, a password too short, breached or easily guessed.

    ``known_words`` (the office, say) join the user name as words an attacker would try first.
    """
    if len(password) < MIN_PASSWORD:
        raise JianchaError(
            tr(
                f"用户 {name} 的密码太短：至少需要 {MIN_PASSWORD} 个字符（现为 {len(password)} 个）；"
                "可用几个不相关的词语组成的短语。",
                f"The password for {name} is too short: it needs at least {MIN_PASSWORD} characters "
                f"(it has {len(password)}); a phrase of a few unrelated words will do.",
            )
        )
    if password.lower() in breached_passwords():
        raise JianchaError(
            tr(
                f"用户 {name} 的密码出现在公开泄露的常用密码表中，攻击者会最先尝试；请换一个。",
                f"The password for {name} is on the list of common passwords from public breaches, "
                "which attackers try first; choose another.",
            )
        )
    if (
        len(password) <= ESTIMATED_UP_TO
        and _strength(password, (name, "jiancha", *known_words)) < MIN_STRENGTH
    ):
        raise JianchaError(
            tr(
                f"用户 {name} 的密码太容易猜到（由常用密码、单词、日期、键盘顺序、重复字符或用户名拼成）；"
                "请用更长的、几个不相关的词语组成的短语。",
                f"The password for {name} is too easy to guess (it is made of common passwords, words, "
                "dates, keyboard runs, repeats or the user name); "
                "use a longer phrase of a few unrelated words.",
            )
        )


def _strength(password: str, user_words: tuple[str, ...]) -> int:
    from zxcvbn import zxcvbn

    with _zxcvbn_lock:
        return zxcvbn(password, user_inputs=list(user_words))["score"]
