"""Masking keyed on the contract's personal flag."""

from jiancha.clues.masking import mask_values, personal_fields


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
