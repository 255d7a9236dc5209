"""The penalty reader on real published decisions: each passage as published, hand-labelled.

The corpus (``corpus/decisions.yaml``) holds decisions of ecology and environment, natural
resources, market regulation and water bureaus (and agencies' reports of them): tables of
items, odd spacing, traditional-script mirrors, kilograms, 万元, HW codes, containers, and
the near misses (stored rather than dumped, 2.6 t, COD multiples, square metres of farmland,
goods worth less than the threshold). A label says which grounds a clue would rest on, the
figures that must be read, and whether a figure must go to a person.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from jiancha.text.penalty import read_penalty

CORPUS = yaml.safe_load((Path(__file__).parent / "corpus" / "decisions.yaml").read_text(encoding="utf-8"))


def test_the_corpus_holds_at_least_sixty_decisions_each_with_a_source_and_a_reason() -> None:
    assert len(CORPUS) >= 60
    assert len({case["id"] for case in CORPUS}) == len(CORPUS)
    assert all(case["source"] and case["why"] and case["facts"] for case in CORPUS)


@pytest.mark.parametrize("case", CORPUS, ids=[case["id"] for case in CORPUS])
def test_reads_the_ground_the_label_gives(case: dict) -> None:
    reading = read_penalty(case["facts"], case.get("case_cause"))
    assert sorted(g.code for g in reading.grounds) == sorted(case["grounds"]), case["why"]
    for field, value in (case.get("figures") or {}).items():
        assert getattr(reading.facts, field) == pytest.approx(value, rel=1e-3), field
    assert bool(reading.doubts) == bool(case.get("needs_reading")), [d.why for d in reading.doubts]


@pytest.mark.parametrize("case", [c for c in CORPUS if c["grounds"]], ids=lambda c: c["id"])
def test_every_ground_quotes_its_span_and_names_its_provisions(case: dict) -> None:
    reading = read_penalty(case["facts"], case.get("case_cause"))
    assert reading.reading_zh.startswith("处罚决定认定：“")
    assert reading.ground_basis and reading.ground_zh.endswith("。")
