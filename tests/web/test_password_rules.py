"""The rules a new password must meet (ASVS 2.1.x): length and guessability, never composition."""

from __future__ import annotations

import pytest

from jiancha.errors import JianchaError
from jiancha.web.passwords import MIN_PASSWORD, breached_passwords, check_new_password


@pytest.mark.parametrize(
    "password",
    [
        "雄县检察院的密码二〇二五",  # any Unicode (2.1.4): twelve Chinese characters
        "amber-tractor-91",
        "all lower case words here",  # no composition rules (2.1.9)
        "a long passphrase " * 6,  # past the estimate's 72 characters: length alone decides
    ],
)
def test_passphrases_of_any_script_are_accepted(password):
    check_new_password("wang", password, ("雄县人民检察院",))


def test_the_list_is_the_breach_corpus_and_the_estimate_knows_the_users_words():
    assert len(breached_passwords()) > 25_000 and "password" in breached_passwords()
    with pytest.raises(JianchaError, match="太短"):
        check_new_password("wang", "x" * (MIN_PASSWORD - 1))
    with pytest.raises(JianchaError, match="太容易猜到"):
        check_new_password("xiongxian_p", "xiongxian_p1!")  # the user name and a little more
    with pytest.raises(JianchaError, match="太容易猜到"):
        check_new_password("wang", "aaaaaaaaaaaaaaaa")
