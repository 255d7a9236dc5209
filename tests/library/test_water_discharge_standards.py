"""The discharge-standard limits, shipped as replaceable reference data with a matching key."""

from __future__ import annotations

import csv

from jiancha import library

TABLE = library.ROOT / "reference" / "discharge_standards.csv"


def rows() -> list[dict[str, str]]:
    with TABLE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_limits_per_standard() -> None:
    limits = {
        r["discharge_standard"]: tuple(float(r[k]) for k in ("cod_mgl", "nh3n_mgl", "tp_mgl", "tn_mgl"))
        for r in rows()
    }
    assert limits == {
        "GB18918-2002 一级A": (50.0, 5.0, 0.5, 15.0),
        "GB18918-2002 一级B": (60.0, 8.0, 1.0, 20.0),
        "DB13/2795-2018 核心控制区": (20.0, 1.0, 0.2, 10.0),
        "DB13/2795-2018 重点控制区": (30.0, 1.5, 0.3, 15.0),
        "DB13/2795-2018 一般控制区": (40.0, 2.0, 0.4, 15.0),
    }


def test_matching_key_is_the_name_without_spaces() -> None:
    assert all(r["standard_key"] == "".join(r["discharge_standard"].split()) for r in rows())
