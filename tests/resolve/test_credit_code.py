import pytest

from jiancha.resolve.credit_code import (
    ALPHABET,
    CodeBook,
    CodeRelation,
    check_digit,
    clean,
    is_likely_typo,
    is_valid,
    relation,
)


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("91350100M000100Y43", True),  # the example printed in GB 32100-2015
        ("91310110666007217T", True),  # hutool CreditCodeUtilTest
        ("91310115591693856A", True),  # hutool CreditCodeUtilTest
        ("91350100M000100Y4A", False),  # wrong check digit
        ("91350211M00013FA1N", False),  # a pre-standard pilot code (hutool notes it fails)
        ("91350100M000100Y4", False),  # 17 characters
        ("91350100M0001O0Y43", False),  # O is not in the alphabet
        (None, False),
        ("", False),
    ],
)
def test_is_valid_on_published_examples(code: str | None, valid: bool) -> None:
    assert is_valid(code) is valid


def test_check_digit_of_published_examples() -> None:
    assert check_digit("91350100M000100Y4") == "3"
    assert check_digit("91310110666007217") == "T"
    assert check_digit("91310115591693856") == "A"


def test_alphabet_leaves_out_confusable_letters() -> None:
    assert len(ALPHABET) == 31
    assert not set("IOSVZ") & set(ALPHABET)


def test_check_digit_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="17 个字符"):
        check_digit("9135")
    with pytest.raises(ValueError, match="'I'"):
        check_digit("91350100M000100I4")


def test_clean_folds_width_case_and_separators() -> None:
    assert clean(" ９１３５０１００m000100y43 ") == "91350100M000100Y43"
    assert clean("913501-00M000100Y43") == "91350100M000100Y43"
    assert clean("  ") is None
    assert is_valid("９１３５０１００ｍ０００１００ｙ４３")


def _valid(first17: str) -> str:
    return first17 + check_digit(first17)


GOOD = _valid("91130629MA0DCBXL6")  # a Xiong County-style code built with our own check digit


def test_constructed_code_is_valid() -> None:
    assert GOOD == "91130629MA0DCBXL6K"
    assert is_valid(GOOD)


def test_one_character_off_is_a_typo() -> None:
    typo = GOOD[:10] + "1" + GOOD[11:]
    assert not is_valid(typo)
    assert relation(typo, GOOD) is CodeRelation.TYPO
    assert is_likely_typo(typo, GOOD)


def test_swapped_neighbours_are_a_typo() -> None:
    swapped = GOOD[:3] + GOOD[4] + GOOD[3] + GOOD[5:]
    assert not is_valid(swapped)
    assert relation(swapped, GOOD) is CodeRelation.TYPO


def test_no_single_slip_of_a_valid_code_is_valid() -> None:
    """31 is prime and no weight is 0, so every one-character change breaks the check digit."""
    slips = [GOOD[:i] + ch + GOOD[i + 1 :] for i in range(18) for ch in ALPHABET if ch != GOOD[i]]
    assert len(slips) == 18 * 30
    assert not any(is_valid(code) for code in slips)


def test_two_valid_codes_are_different_companies_however_close() -> None:
    other = _valid("91130629MA0DCBXL7")
    assert sum(a != b for a, b in zip(other, GOOD, strict=True)) == 2
    assert relation(other, GOOD) is CodeRelation.DIFFERENT
    assert not is_likely_typo(other, GOOD)
    assert relation(GOOD, GOOD.lower()) is CodeRelation.SAME
    assert relation(GOOD, None) is None


def test_codebook_corrects_only_unambiguous_typos() -> None:
    other = _valid("91130632MA0ABCDE1")
    book = CodeBook([GOOD, other, "garbage", None])
    assert book.canonical(GOOD[:10] + "1" + GOOD[11:]) == GOOD
    assert book.canonical(GOOD[:3] + GOOD[4] + GOOD[3] + GOOD[5:]) == GOOD
    assert book.canonical(other) == other
    assert book.canonical("garbage") is None
    assert book.canonical(None) is None
    # a valid code never seen elsewhere is still its own company
    fresh = _valid("91130629MA0YYYYY1")
    assert book.canonical(fresh) == fresh
    # an invalid code two slips from anything stays unresolved
    assert book.canonical(GOOD[:10] + "11" + GOOD[12:]) is None


def test_codebook_leaves_a_slip_between_two_valid_codes_unresolved() -> None:
    a = _valid("91130629MA0DCBXL6")
    b = _valid(a[:10] + "1" + a[11:17])  # another company: position 11 and the check digit differ
    between = a[:10] + "1" + a[11:]  # b's body with a's check digit: one slip from each
    assert sum(x != y for x, y in zip(between, a, strict=True)) == 1
    assert sum(x != y for x, y in zip(between, b, strict=True)) == 1
    assert CodeBook([a, b]).canonical(between) is None
    assert CodeBook([a]).canonical(between) == a
