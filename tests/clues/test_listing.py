"""The web list's cheap count (capped at a limit) and planner statistics that keep up with growth."""

from __future__ import annotations

from jiancha.clues import ClueFilter
from jiancha.clues.engine import statistics_rows


def test_count_limit_caps_the_total_and_the_pages_run_on(store, make_finding):
    store.sync_findings("r1", "water.facility_idle", [make_finding(f"F{i}") for i in range(5)])
    first = store.list_clues(ClueFilter(), 1, 2, count_limit=3)
    assert (first.total, first.capped, first.pages, first.has_next) == (3, True, 2, True)
    assert [c.subject_id for c in first.items] == ["F4", "F3"]
    last = store.list_clues(ClueFilter(), 3, 2, count_limit=3)
    assert ([c.subject_id for c in last.items], last.has_next) == (["F0"], False)
    exact = store.list_clues(ClueFilter(), 1, 2, count_limit=5)
    assert (exact.total, exact.capped, exact.has_next) == (5, False, True)
    assert store.list_clues(ClueFilter(), 1, 2).total == 5  # no limit: exact, as the CLI wants
    searched = store.list_clues(ClueFilter(text="f"), 1, 2, count_limit=3)
    assert (searched.total, searched.capped) == (3, True)


def test_statistics_keep_up_with_many_small_syncs(store, make_finding):
    """One sync per model adds a small share each time; the planner must still see the whole table."""
    for n in range(12):
        model = "water.facility_idle" if n % 2 else "water.sludge_unaccounted"
        store.sync_findings(f"r{n}", model, [make_finding(f"F{n}-{i}", model_id=model) for i in range(250)])
    assert 2500 <= statistics_rows(store.engine, "clues") <= 3000


def test_text_search_combines_with_the_other_filters(store, make_finding):
    findings = [make_finding("AB1"), make_finding("AB2", lon=116.06), make_finding("CD3")]
    store.sync_findings("r1", "water.facility_idle", findings)
    found = store.list_clues(ClueFilter(text="ab", office="容城县人民检察院"))
    assert ([c.subject_id for c in found.items], found.total) == (["AB1"], 1)
    assert [c.subject_id for c in store.list_clues(ClueFilter(text=" AB ")).items] == ["AB2", "AB1"]
    assert store.list_clues(ClueFilter(text="ab", office="雄县人民检察院")).total == 0


def test_text_search_matches_substrings_as_like_would(store, make_finding):
    """The index lookup (three characters or more on SQLite) finds exactly what a substring scan finds."""
    subjects = ["雄安新区污水厂", '厂区"A"_1', "50%负荷", "ABC-安新", "XYZ"]
    store.sync_findings("r1", "water.facility_idle", [make_finding(s) for s in subjects])
    for needle, expected in {
        "污水厂": {"雄安新区污水厂"},
        "安新": {"雄安新区污水厂", "ABC-安新"},  # two characters: no trigram, still found
        '"a"_': {'厂区"A"_1'},
        "0%负": {"50%负荷"},
        "c-安": {"ABC-安新"},
        "_1": {'厂区"A"_1'},
        "新区污水": {"雄安新区污水厂"},
        "污水处理": set(),
        "00\x00": set(),  # a NUL ends an FTS5 query string: the plain condition answers it
    }.items():
        found = store.list_clues(ClueFilter(text=needle), 1, 50, count_limit=10)
        assert {c.subject_id for c in found.items} == expected, needle


def test_text_search_follows_deleted_and_changed_clues(store, make_finding):
    store.sync_findings("r1", "water.facility_idle", [make_finding("KEEP-1"), make_finding("GONE-2")])
    with store.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM clues WHERE subject_id = 'GONE-2'")
        connection.exec_driver_sql("UPDATE clues SET search_text = 'renamed-3' WHERE subject_id = 'KEEP-1'")
    assert store.list_clues(ClueFilter(text="gone")).total == 0
    assert store.list_clues(ClueFilter(text="keep")).total == 0
    assert [c.subject_id for c in store.list_clues(ClueFilter(text="renamed")).items] == ["KEEP-1"]
