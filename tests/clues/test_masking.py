"""Masking keyed on the contract's personal flag."""

from datetime import datetime

import duckdb
import pytest

from jiancha.clues.masking import mask_sql, mask_text, mask_values, personal_fields


def test_personal_fields_come_from_the_contract():
    assert personal_fields("admin_penalties") == {"party_id_no"}
    assert personal_fields("criminal_cases") == {"suspect_names"}
    assert personal_fields("effluent_daily") == frozenset()
    assert personal_fields("not_a_dataset") == frozenset()


def test_masking_hides_the_middle_of_ids_and_names():
    assert mask_values("criminal_cases", {"case_no": "A1", "suspect_names": ["张三", "欧阳娜娜", None]}) == {
        "case_no": "A1",
        "suspect_names": ["张*", "欧***", None],
    }
    assert mask_values("admin_penalties", {"party_id_no": "13063219900101123X"}) == {
        "party_id_no": "130632********123X"
    }


@pytest.mark.parametrize(
    "text",
    ["", "张", "张三", "王小明", "冀F12345", "13063219900101", "130632199001011234", "雄环罚〔2024〕1号,x"],
)
def test_the_lake_masks_as_python_does(text):
    masked = duckdb.execute(f"SELECT {mask_sql('v')} FROM (SELECT ?::VARCHAR AS v)", [text]).fetchone()[0]
    assert masked == (mask_text(text) if text else text)


def test_scrub_masks_id_and_mobile_numbers_in_free_text_and_nothing_else():
    from jiancha.clues.masking import scrub

    text = (
        "张三 130632199001011234、旧号 130632900101123、手机 13912345678；线索 1234567890123456，文号 2024001"
    )
    assert scrub(text) == (
        "张三 130632********1234、旧号 130632*****1123、手机 139******78；线索 1234567890123456，文号 2024001"
    )


def test_database_errors_do_not_quote_the_values_they_carried(store):
    from sqlalchemy import insert
    from sqlalchemy.exc import IntegrityError

    from jiancha.clues.masking import scrub
    from jiancha.clues.schema import User

    row = {"name": "130632199001011234", "display_name": "张三", "password_hash": "h", "role": "prosecutor"}
    row |= {"active": True, "created_at": datetime(2024, 1, 1), "failed_sign_ins": 0}
    with store.engine.begin() as connection:
        connection.execute(insert(User), row)
    with pytest.raises(IntegrityError) as raised, store.engine.begin() as connection:
        connection.execute(insert(User), row)
    message = str(raised.value)  # PostgreSQL's own DETAIL names the duplicate key; scrub() masks it in logs
    assert "parameters hidden" in message and "张三" not in message
    assert "130632199001011234" not in scrub(message)
