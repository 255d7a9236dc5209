"""Fixtures for ingest tests: a workspace and an empty drop folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from jiancha.workspace import Workspace


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace.resolve(tmp_path / "home")


@pytest.fixture
def drop(tmp_path: Path) -> Path:
    path = tmp_path / "drop"
    path.mkdir()
    return path
