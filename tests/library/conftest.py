"""Shared rows for the library's golden tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture(scope="session")
def facility() -> Callable[..., dict[str, Any]]:
    """A ``sewage_facilities`` row in operation; keyword arguments override any field."""

    def make(facility_id: str, **fields: Any) -> dict[str, Any]:
        return {
            "facility_id": facility_id,
            "name": f"{facility_id}污水处理站",
            "facility_type": "town_plant",
            "operator_name": f"{facility_id}水务有限公司",
            "supervisor_agency": "雄安新区生态环境局",
            "county": "安新县",
            "lon": 115.93,
            "lat": 38.92,
            "design_capacity_m3d": 1000.0,
            "discharge_standard": "GB18918-2002 一级A",
            "status": "operating",
            **fields,
        }

    return make
