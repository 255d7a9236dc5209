"""The GPS writer keeps every point's time, truck and position in step.

A scale-10 drop written by an unfinished version of the vectorised writer put the trucks at
the receivers' sites months away from the loads, so water.manifest_route_mismatch raised
9,791 clues against 3; these tests fail on such a drop at any scale.
"""

from __future__ import annotations

import numpy as np

from jiancha.synth import places, tracks
from jiancha.synth.world import World

JITTER_M = 60  # the writer jitters points by N(0, 8 m); 60 m is beyond 7 sigma


def _segments() -> tracks.Segments:
    """Three drives added out of plate and time order, each with its own length and interval."""
    segs = tracks.Segments()
    segs.add("冀FB0002", np.datetime64("2024-03-02T10:00:00"), (116.0, 39.0), (116.1, 39.0), 11, 60)
    segs.add("冀FA0001", np.datetime64("2024-03-02T08:00:00"), (115.8, 38.9), (115.8, 38.9), 5)
    segs.add("冀FA0001", np.datetime64("2024-03-01T09:00:00"), (116.2, 39.1), (116.21, 39.1), 3)
    return segs


def test_points_keep_their_drive_time_and_place():
    table = tracks.to_arrow(World(1, 0.05), _segments())
    assert table.column("vehicle_plate").to_pylist() == ["冀FA0001"] * 8 + ["冀FB0002"] * 11
    ts = table.column("ts").to_numpy()
    expected_ts = np.concatenate(
        [
            np.datetime64("2024-03-01T09:00:00") + np.arange(3) * np.timedelta64(30, "s"),
            np.datetime64("2024-03-02T08:00:00") + np.arange(5) * np.timedelta64(30, "s"),
            np.datetime64("2024-03-02T10:00:00") + np.arange(11) * np.timedelta64(60, "s"),
        ]
    )
    assert (ts == expected_ts).all()
    expected_lon = np.concatenate(
        [[116.2, 116.205, 116.21], np.full(5, 115.8), np.linspace(116.0, 116.1, 11)]
    )
    expected_lat = np.concatenate([np.full(3, 39.1), np.full(5, 38.9), np.full(11, 39.0)])
    off = places.distance_m(
        table.column("lon").to_numpy(), table.column("lat").to_numpy(), expected_lon, expected_lat
    )
    assert off.max() < JITTER_M
    speed = table.column("speed_kmh").to_pylist()
    assert (speed[0], speed[3], speed[8]) == (51.8, 0.0, 51.8)  # 863 m in 60 s; standing; 8,641 m in 600 s


def test_chunks_give_the_same_points_as_one_build(monkeypatch):
    """Built a segment or two at a time (as scale 100 is), the table is the one-chunk table, jitter
    included: the chunks draw the same random stream in the same order."""
    whole = tracks.to_arrow(World(7, 0.05), _segments())
    monkeypatch.setattr(tracks, "CHUNK_POINTS", 6)
    chunked = tracks.to_arrow(World(7, 0.05), _segments())
    assert chunked.equals(whole)
