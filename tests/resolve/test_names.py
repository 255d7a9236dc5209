import pytest

from jiancha.resolve.names import normalise_name


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        # width: full-width letters, digits and spaces become half-width, letters lower case
        ("ＡＢＣ环保科技", "abc环保科技"),
        ("绿源环保１号站", "绿源环保1号站"),
        # brackets: the characters go, their content stays unless it is a region tag
        ("绿源（环保）科技", "绿源环保科技"),
        ("绿源【环保】科技", "绿源环保科技"),
        ("绿源(环保)科技", "绿源环保科技"),
        # spaces and punctuation
        ("绿源 环保\u3000科技", "绿源环保科技"),
        ("绿源·环保、科技。", "绿源环保科技"),
        ("张 三", "张三"),
        # legal-form suffixes
        ("绿源环保科技有限公司", "绿源环保科技"),
        ("绿源环保科技有限责任公司", "绿源环保科技"),
        ("绿源环保科技股份有限公司", "绿源环保科技"),
        ("绿源环保科技公司", "绿源环保科技"),
        ("绿源环保科技有限公司雄县分公司", "绿源环保科技"),
        # region prefixes and tags
        ("雄安新区绿源环保科技有限公司", "绿源环保科技"),
        ("河北雄安绿源环保科技有限公司", "绿源环保科技"),
        ("河北省保定市绿源环保科技有限公司", "绿源环保科技"),
        ("（雄安）绿源环保科技有限公司", "绿源环保科技"),
        ("绿源环保科技（雄安）有限公司", "绿源环保科技"),
        ("雄县绿源环保科技有限公司", "绿源环保科技"),
        ("容城县绿源环保科技有限公司", "绿源环保科技"),
        ("安新县绿源环保科技有限公司", "绿源环保科技"),
        ("保定绿源环保科技有限公司", "绿源环保科技"),
        # a bracketed place that is not a region tag stays
        ("绿源环保（北京）有限公司", "绿源环保北京"),
        # a fold that would leave nothing keeps the last non-empty form
        ("雄县", "雄县"),
        ("有限公司", "有限公司"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalise_name(raw: str | None, folded: str) -> None:
    assert normalise_name(raw) == folded


def test_normalise_name_is_deterministic_across_spellings() -> None:
    spellings = ["河北雄安绿源环保科技有限公司", "（雄安）绿源环保科技有限公司", "绿源环保科技 有限公司"]
    assert {normalise_name(s) for s in spellings} == {"绿源环保科技"}
