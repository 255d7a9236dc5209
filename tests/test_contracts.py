"""The contract file is complete and self-consistent."""

import pytest

from jiancha.contracts import COUNTIES, FieldType, dataset, datasets


def test_every_dataset_of_the_contract_is_present():
    assert set(datasets()) == {
        "sewage_facilities",
        "effluent_daily",
        "power_daily",
        "sludge_production",
        "sludge_manifests",
        "disposal_permits",
        "sludge_storage_inspections",
        "vehicle_gps",
        "weather_daily",
        "admin_penalties",
        "case_transfers",
        "criminal_cases",
        "business_registry",
        "scrap_dealer_filings",
        "police_scrap_filings",
        "grid_events",
        "construction_sites",
    }


@pytest.mark.parametrize("ds", list(datasets().values()), ids=lambda d: d.name)
def test_keys_are_required_fields_and_titles_unique(ds):
    for name in ds.key:
        assert ds.field(name).required
    titles = [f.title for f in ds.fields]
    assert len(titles) == len(set(titles))
    for f in ds.fields:
        if f.type in (FieldType.ENUM,):
            assert f.values, f.name


def test_enum_accepts_code_or_label():
    f = dataset("sewage_facilities").field("facility_type")
    assert f.enum_code("rural_station") == "rural_station"
    assert f.enum_code("农村污水处理站") == "rural_station"
    assert f.enum_code("污水站") is None


def test_header_map_and_unknown_dataset_message():
    assert dataset("effluent_daily").header_map()["化学需氧量(mg/L)"] == "cod_mgl"
    assert COUNTIES == ("雄县", "容城县", "安新县")
    with pytest.raises(KeyError, match="契约中没有数据集"):
        dataset("nope")
