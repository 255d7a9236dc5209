"""What the clue page's map draws: the office areas the router uses, and the subject's point."""

from __future__ import annotations

from typing import Any

from shapely.geometry import mapping

from jiancha.clues import ClueDetail
from jiancha.clues.routing import Router


def office_areas(router: Router) -> dict[str, Any]:
    """The router's own area polygons as GeoJSON, so the map shows exactly what routing used."""
    features = [
        {
            "type": "Feature",
            "properties": {"kind": a.kind, "name": a.name, "office": a.office.name},
            "geometry": mapping(a.geometry),
        }
        for a in router.areas
    ]
    return {"type": "FeatureCollection", "features": features}


def subject_point(detail: ClueDetail) -> dict[str, Any] | None:
    """The subject's location for a marker, or None when the clue has none."""
    if detail.lon is None or detail.lat is None:
        return None
    label = f"{detail.clue.subject_type} {detail.clue.subject_id}"
    return {"lon": detail.lon, "lat": detail.lat, "label": label}
