"""The drop's files: byte-identical reruns, headers the contract knows, the messiness
promised, and the truth files beside the drop."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from jiancha.cli import app
from jiancha.contracts import datasets
from jiancha.errors import JianchaError
from jiancha.synth import SynthResult, generate
from jiancha.synth.messy import STYLES

from .truth import ground_truth

BUILT_IN_MODELS = {
    "water.effluent_exceedance_unenforced", "water.monitoring_data_anomaly", "water.facility_idle",
    "water.sludge_unaccounted", "water.sludge_underreported", "water.sludge_transfer_overdue",
    "water.sludge_receiver_unqualified", "water.manifest_unclosed", "water.manifest_route_mismatch",
    "water.sludge_storage_noncompliant", "linkage.penalty_not_transferred", "linkage.transfer_not_filed",
    "crime.fence_not_prosecuted", "crime.unlicensed_scrap_dealer", "social.construction_site_hotspot",
}  # fmt: skip


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_same_seed_and_scale_give_byte_identical_files(tmp_path: Path):
    first = _digests(generate(tmp_path / "a", 11, 0.05).out)
    second = _digests(generate(tmp_path / "b", 11, 0.05).out)
    assert len(first) == 17 + 4
    assert first == second
    other = _digests(generate(tmp_path / "c", 12, 0.05).out)
    assert other["drop/vehicle_gps.parquet"] != first["drop/vehicle_gps.parquet"]


def test_scale_must_be_positive(tmp_path: Path):
    with pytest.raises(JianchaError, match="规模必须大于 0"):
        generate(tmp_path, 1, 0)


def _csv_rows(path: Path, encoding: str) -> list[dict[str, str]]:
    text = path.read_bytes().decode(encoding)
    return list(csv.DictReader(text.splitlines()))


def _headers(path: Path, encoding: str) -> list[str]:
    if path.suffix == ".parquet":
        return pq.read_schema(path).names
    if path.suffix == ".xlsx":
        return [str(h) for h in CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()[0]]
    return next(csv.reader([path.read_bytes().decode(encoding).splitlines()[0]]))


def test_every_dataset_has_one_file_whose_headers_map_onto_the_contract(small: SynthResult):
    files = {p.stem: p for p in small.drop.iterdir()}
    assert sorted(files) == sorted(datasets())
    for name, dataset in datasets().items():
        style = STYLES[name]
        path = files[name]
        assert path.suffix == f".{style.fmt}"
        mapping = dataset.header_map()
        headers = _headers(path, style.encoding)
        mapped = [mapping[h] for h in headers if h not in style.extra]
        assert sorted(mapped) == sorted(dataset.field_names), name
        assert [h for h in headers if h not in mapping] == list(style.extra), name


def test_files_are_written_the_way_agencies_write_them(small: SynthResult):
    drop = small.drop
    raw = (drop / "criminal_cases.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert raw.decode("gb18030").startswith('"案件编号","罪名"')
    facilities = _csv_rows(drop / "sewage_facilities.csv", "utf-8-sig")
    dates = [r["投运日期"] for r in facilities[:3]]
    assert [d.count("-") == 2 for d in dates] == [True, False, False]
    assert "年" in dates[2] and "/" in dates[1]
    assert any("," in r["设计处理能力(吨/日)"] for r in facilities)
    assert {r["所属县"] for r in facilities} <= {"雄县", "容城县", "安新县"}
    inspections = _csv_rows(drop / "sludge_storage_inspections.csv", "utf-8")
    assert {r["防雨设施"] for r in inspections} == {"是", "否"}
    gps = pq.read_table(drop / "vehicle_gps.parquet")
    assert (
        str(gps.schema.field("ts").type) == "timestamp[ms]"
    )  # naive local time; parquet has no seconds unit
    plates = gps.column("vehicle_plate").to_numpy(zero_copy_only=False)
    ts = gps.column("ts").to_numpy()
    same_truck = plates[1:] == plates[:-1]
    assert (ts[1:][same_truck] >= ts[:-1][same_truck]).all()  # a truck is never in two places at once
    lon, lat = gps.column("lon").to_numpy(), gps.column("lat").to_numpy()
    assert lon.min() >= 115.5 and lon.max() <= 116.5 and lat.min() >= 38.7 and lat.max() <= 39.3


def test_truth_files_sit_beside_the_drop(small: SynthResult):
    meta = json.loads((small.out / "synth_meta.json").read_text(encoding="utf-8"))
    assert meta["as_of"] == "2024-12-31"
    assert meta["seed"] == 7 and meta["scale"] == 0.1
    assert meta["rows"] == small.rows
    truth = ground_truth(small.out)
    assert meta["positives"] == len(truth) == small.positives
    per_model = {m: sum(1 for t in truth if t[0] == m) for m in BUILT_IN_MODELS}
    assert {m for m, n in per_model.items() if n < 2} == set()
    assert {t[0] for t in truth} == BUILT_IN_MODELS
    readme = (small.out / "README.txt").read_text(encoding="utf-8")
    assert readme.count("[water.") == 10 and "应被拒收的坏行" in readme


def test_entity_truth_names_the_spelling_in_that_row(small: SynthResult):
    with (small.out / "entities_truth.csv").open(encoding="utf-8", newline="") as fh:
        entities = list(csv.DictReader(fh))
    checked = 0
    for name in ("sludge_manifests", "case_transfers", "business_registry", "scrap_dealer_filings"):
        rows = _csv_rows(small.drop / f"{name}.csv", "utf-8")
        for e in (e for e in entities if e["dataset"] == name):
            row = rows[int(e["row"]) - 2]
            title = datasets()[name].field(e["field"]).title
            assert row.get(e["field"], row.get(title)) == e["name"]
            checked += 1
    assert checked > 100
    keys_by_code: dict[str, set[str]] = {}
    for e in entities:
        if e["credit_code"]:
            keys_by_code.setdefault(e["credit_code"], set()).add(e["entity_key"])
    assert all(len(keys) == 1 for keys in keys_by_code.values())


def test_parquet_effluent_reads_with_pyarrow_csv_free_types(small: SynthResult):
    table = pq.read_table(small.drop / "effluent_daily.parquet")
    assert str(table.schema.field("date").type) == "date32[day]"
    assert table.num_rows == small.rows["effluent_daily"]
    assert set(table.column("data_flag").to_pylist()) <= set(
        datasets()["effluent_daily"].field("data_flag").values
    )
    power = pacsv.read_csv(small.drop / "power_daily.csv")
    assert power.num_rows == small.rows["power_daily"]


def test_cli_writes_the_drop_and_names_the_truth(tmp_path: Path):
    args = ["synth", "--out", str(tmp_path / "demo"), "--seed", "3", "--scale", "0.02"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    said = "".join(result.output.split())  # Rich wraps long paths
    assert "已写出17个数据集" in said and said.endswith("demo/ground_truth.csv。")
    assert len(list((tmp_path / "demo" / "drop").iterdir())) == 17
    bad = CliRunner().invoke(app, ["synth", "--out", str(tmp_path / "x"), "--scale", "-1"])
    assert isinstance(bad.exception, JianchaError)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_any_seed_plants_every_model(tmp_path: Path, seed: int):
    """The generator refuses to write a drop whose background trips the sludge rules; every
    seed must get through and plant at least two positives per model."""
    result = generate(tmp_path, seed, 0.03)
    truth = ground_truth(result.out)
    assert {m: sum(1 for t in truth if t[0] == m) >= 2 for m in BUILT_IN_MODELS} == dict.fromkeys(
        BUILT_IN_MODELS, True
    )
