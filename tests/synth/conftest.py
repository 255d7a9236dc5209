"""A small synthetic drop shared by the synth tests (scale 0.1 still holds every planted case)."""

from __future__ import annotations

import pytest

from jiancha.synth import SynthResult, generate

SEED = 7


@pytest.fixture(scope="session")
def small(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    return generate(tmp_path_factory.mktemp("synth") / "out", SEED, 0.1)
