"""Jurisdiction routing over the shipped area polygons."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from jiancha.clues.routing import BRANCH, Router, addressed_to_new_area_organ, default_router
from jiancha.errors import JianchaError, WorkspaceError
from jiancha.findings import Location

ROUTER = Router()
AGENCY = "容城县住房和城乡建设局"


@pytest.mark.parametrize(
    ("lon", "lat", "office"),
    [
        (115.91, 39.05, "容东片区检察室"),  # 容东片区
        (116.03, 39.03, "高铁枢纽片区检察室"),  # 雄安站
        (116.06, 39.05, "高铁枢纽片区检察室"),  # 昝岗
        (116.16, 39.00, "高铁枢纽片区检察室"),  # 雄东
        (115.86, 39.05, "容城县人民检察院"),  # 容城县城
        (115.93, 38.92, "安新县人民检察院"),  # 安新县城
        (115.93, 38.86, "安新县人民检察院"),  # 白洋淀
        (116.11, 38.99, "雄县人民检察院"),  # 雄县县城
        (116.25, 38.75, "雄县人民检察院"),  # 任丘 towns administered by 雄县
    ],
)
def test_points_go_to_the_office_whose_area_holds_them(lon, lat, office):
    route = ROUTER.route(Location(lon, lat), AGENCY)
    assert route.office == office
    assert route.needs_review is False
    assert f"（{lon:.4f}, {lat:.4f}）" in route.note


def test_a_point_on_a_county_boundary_goes_to_the_nearest_seat_for_review():
    route = ROUTER.route(Location(115.98, 39.05), AGENCY)  # on the 容城县 / 雄县 line
    assert route.office == "容城县人民检察院"
    assert route.needs_review is True
    assert route.note == (
        "位置（115.9800, 39.0500）不在任何辖区内或在边界上，就近交容城县县城（10.4 公里）所在院，需人工复核"
    )


def test_a_point_outside_every_area_goes_to_the_nearest_seat_for_review():
    route = ROUTER.route(Location(116.45, 38.99), AGENCY)
    assert (route.office, route.needs_review) == ("雄县人民检察院", True)


def test_without_coordinates_the_findings_county_decides():
    route = ROUTER.route(Location(None, None, "安新县"), AGENCY)
    assert (route.office, route.needs_review) == ("安新县人民检察院", False)
    assert route.note == "按所属县“安新县”交安新县人民检察院"


def test_without_any_location_the_branch_assigns_by_hand():
    route = ROUTER.route(None, AGENCY)
    assert (route.office, route.needs_review) == (BRANCH.name, True)


@pytest.mark.parametrize("agency", ["雄安新区生态环境局", "雄安新区公安局", "河北雄安新区管理委员会"])
def test_organs_of_the_new_area_itself_go_to_the_branch(agency):
    route = ROUTER.route(Location(115.91, 39.05), agency)
    assert route.office == "河北省人民检察院雄安新区分院"
    assert route.note == f"建议对象“{agency}”为新区本级机关，由分院办理"


@pytest.mark.parametrize(
    "agency", ["雄安新区公安局雄县分局", "雄安新区安新县生态环境分局", "安新县住房和城乡建设局", None]
)
def test_county_organs_are_not_new_area_organs(agency):
    assert addressed_to_new_area_organ(agency) is False


def test_office_names_short_and_full():
    assert ROUTER.office_named("容东检察室") == "容东片区检察室"
    assert ROUTER.office_named("雄安分院") == BRANCH.name
    assert ROUTER.office_named("安新县人民检察院") == "安新县人民检察院"
    assert len(ROUTER.offices) == 6
    with pytest.raises(
        JianchaError, match="没有名为“北京院”的检察机关；可选：容城县人民检察院（容城县院）、安新县人民检察院"
    ):
        ROUTER.office_named("北京院")


def test_store_routes_new_clues_and_keeps_the_reason(store, make_finding):
    store.sync_findings(
        "r1",
        "water.facility_idle",
        [make_finding("F1", lon=116.06, lat=39.05), make_finding("F2", target_agency="雄安新区生态环境局")],
    )
    offices = {c.subject_id: c.office for c in store.list_clues().items}
    assert offices == {"F1": "高铁枢纽片区检察室", "F2": "河北省人民检察院雄安新区分院"}


def test_a_replacement_areas_file_is_used_and_checked(tmp_path, monkeypatch):
    shipped = json.loads(resources.files("jiancha.clues").joinpath("data/areas.geojson").read_text("utf-8"))
    only_counties = {
        **shipped,
        "features": [f for f in shipped["features"] if f["properties"]["kind"] == "county"],
    }
    path = tmp_path / "official.geojson"
    path.write_text(json.dumps(only_counties, ensure_ascii=False), "utf-8")
    monkeypatch.setenv("JIANCHA_AREAS", str(path))
    router = default_router()
    assert router.route(Location(115.91, 39.05), AGENCY).office == "容城县人民检察院"  # no 容东 area now
    assert len(router.offices) == 4
    broken = tmp_path / "broken.geojson"
    broken.write_text(json.dumps({"features": [{"properties": {"kind": "city"}}]}), "utf-8")
    with pytest.raises(WorkspaceError, match=r"辖区文件 .*broken\.geojson 无效：ValueError kind 'city'"):
        Router(broken)
    with pytest.raises(WorkspaceError, match="无法读取辖区文件"):
        Router(tmp_path / "missing.geojson")
