"""Reading a synthetic run's truth files back."""

from __future__ import annotations

import csv
from pathlib import Path


def ground_truth(out: Path) -> set[tuple[str, str, str]]:
    """The (model_id, subject_id, period) triples of a run's ground_truth.csv."""
    with (out / "ground_truth.csv").open(encoding="utf-8", newline="") as fh:
        return {(r["model_id"], r["subject_id"], r["period"]) for r in csv.DictReader(fh)}
