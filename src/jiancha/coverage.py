"""What the lake's continuous feeds cover, and where a feed has stopped.

A day with no effluent row reads as a day with no flow; judged past the end of the
data, every facility would look idle. So each load records the period it covers
(``_coverage``: per dataset and per subject — facility, county — where the contract
names one), models judge only up to where all their datasets reach, and a feed that
has not come for longer than its lateness allowance is itself a finding
(:func:`coverage_gaps`: 「雄县 出水在线监测日均值 自2025年1月1日起无数据」).

Which datasets are feeds, their cadence and lateness come from the contract
(``coverage`` in ``datasets.yaml``), overridden per workspace in ``jiancha.toml``::

    [coverage."effluent_daily"]
    cadence = "daily"      # daily | monthly
    late_days = 10
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from jiancha.contracts import Dataset, Field, FieldType, datasets
from jiancha.errors import WorkspaceError
from jiancha.i18n import tr

if TYPE_CHECKING:
    import duckdb

    from jiancha.workspace import Workspace

COVERAGE_DDL = """
CREATE TABLE IF NOT EXISTS _coverage (
    load_id BIGINT NOT NULL,
    dataset VARCHAR NOT NULL,
    subject VARCHAR,                   -- NULL: the dataset as a whole
    first_date DATE NOT NULL,
    last_date DATE NOT NULL,
    rows BIGINT NOT NULL
);
"""
CADENCES = ("daily", "monthly")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def field_day_sql(f: Field) -> str:
    """The SQL date of a row by its field ``f`` (a month counts from its first day)."""
    column = _ident(f.name)
    if f.type is FieldType.MONTH:
        return f"TRY_CAST({column} || '-01' AS DATE)"
    return f"CAST({column} AS DATE)"


def day_sql(ds: Dataset) -> str:
    """The SQL date of a row of the feed ``ds``, by its coverage field."""
    assert ds.coverage is not None
    return field_day_sql(ds.field(ds.coverage.date))


def record_sql(ds: Dataset, table: str, load_id: int) -> str | None:
    """The statement recording what a load of ``ds`` (now in ``table``) covers; None for non-feeds."""
    spec = ds.coverage
    if spec is None:
        return None
    day = day_sql(ds)
    subject = f"CAST({_ident(spec.subject)} AS VARCHAR)" if spec.subject else "NULL"
    name = ds.name.replace("'", "''")
    return (
        f"INSERT INTO _coverage SELECT {load_id}, '{name}', subject, min(day), max(day), count(*) "
        f"FROM (SELECT {subject} AS subject, {day} AS day FROM {table}) AS days WHERE day IS NOT NULL "
        "GROUP BY GROUPING SETS ((subject), ()) "
        "HAVING count(*) > 0 AND (grouping(subject) = 1 OR subject IS NOT NULL)"
    )


@dataclass(frozen=True)
class Span:
    """First and last day covered (the last day of the last month for a monthly feed)."""

    first: date
    last: date


@dataclass(frozen=True)
class Feed:
    """A continuous dataset's coverage in the lake now."""

    dataset: str
    title: str
    cadence: str
    late_days: int
    span: Span
    subjects: Mapping[str, Span] = field(default_factory=dict)
    records: bool = False

    def stopped(self, subject: str) -> date | None:
        """The first day without data for a subject whose rows end more than ``late_days``
        before the rest of the feed's, else None."""
        span = self.subjects.get(subject)
        if span is None or span.last + timedelta(days=self.late_days) >= self.span.last:
            return None
        return span.last + timedelta(days=1)


@dataclass(frozen=True)
class LakeCoverage:
    """Every feed's coverage; a lake loaded before coverage was recorded has none."""

    feeds: Mapping[str, Feed]

    def end(self, feed: Feed) -> date:
        """The last day ``feed`` counts as covering: its own last day; for dated records (which
        may have none in a quiet month), at least as far as the series feeds reach."""
        series = [f.span.last for f in self.feeds.values() if not f.records]
        return max([feed.span.last, *series]) if feed.records else feed.span.last

    def judged_until(self, names: Iterable[str], as_of: date) -> date:
        """The as-of date capped at the end of each feed among ``names``: no day after the
        data is judged, so a day beyond them is never read as a day with no rows."""
        ends = [self.end(self.feeds[n]) for n in names if n in self.feeds]
        return min([as_of, *ends])

    def beyond(self, as_of: date) -> list[Feed]:
        """The feeds that end before ``as_of``."""
        return [f for f in self.feeds.values() if self.end(f) < as_of]

    def judges(self, names: Iterable[str], subject: str | None, period: str | None, as_of: date) -> bool:
        """Whether a model reading ``names``, judging up to ``as_of``, judges ``period`` (of a
        facility ``subject``, when given): the period overlaps what every feed covers, and the
        facility's data had not stopped before its end. A finding outside is not raised; a clue
        outside is neither confirmed nor superseded."""
        if period is None:
            return True
        from jiancha.documents.period import parse_period

        span = parse_period(period)
        names = list(names)
        if span.start > as_of or any(span.end < self.feeds[n].span.first for n in names if n in self.feeds):
            return False
        stopped = self.subject_stopped(names, subject) if subject is not None else None
        return stopped is None or min(span.end, as_of) < stopped

    def subject_stopped(self, names: Iterable[str], subject: str) -> date | None:
        """The earliest day a subject's data stop among the per-facility feeds ``names``."""
        days = [
            self.feeds[n].stopped(subject)
            for n in names
            if n in self.feeds and _subject_field(n) == "facility_id"
        ]
        return min((d for d in days if d is not None), default=None)


def _subject_field(name: str) -> str | None:
    spec = datasets()[name].coverage
    return spec.subject if spec else None


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def settings(overrides: Mapping[str, Mapping[str, Any]]) -> dict[str, tuple[str, int]]:
    """Each feed's (cadence, late_days): the contract's, overridden by jiancha.toml's
    ``[coverage."<dataset>"]`` tables (``overrides``); a table naming no feed is refused, not ignored."""
    feeds = [ds.name for ds in datasets().values() if ds.coverage is not None]
    unknown = sorted(set(overrides) - set(feeds))
    if unknown:
        raise WorkspaceError(
            tr(
                f"jiancha.toml 中的 [coverage] 设置了 {'、'.join(unknown)}，但它们不是持续报送的数据集；"
                f"可设置的有：{'、'.join(feeds)}。",
                f"[coverage] in jiancha.toml names {', '.join(unknown)}, which are not feeds; "
                f"the feeds are: {', '.join(feeds)}.",
            )
        )
    out = {}
    for ds in datasets().values():
        if ds.coverage is None:
            continue
        given = overrides.get(ds.name, {})
        cadence = str(given.get("cadence", ds.coverage.cadence))
        late = given.get("late_days", ds.coverage.late_days)
        if cadence not in CADENCES or not isinstance(late, int) or late < 0:
            raise WorkspaceError(
                tr(
                    f'jiancha.toml 中 [coverage."{ds.name}"] 的设置无效：cadence 应为 daily 或 monthly，'
                    f"late_days 应为非负整数（现为 cadence={cadence!r}, late_days={late!r}）。",
                    f'[coverage."{ds.name}"] in jiancha.toml is not valid: cadence must be daily or '
                    f"monthly and late_days a whole number of days (got {cadence!r}, {late!r}).",
                )
            )
        out[ds.name] = (cadence, late)
    return out


def read_coverage(
    con: duckdb.DuckDBPyConnection, overrides: Mapping[str, Mapping[str, Any]] | None = None
) -> LakeCoverage:
    """The coverage of every feed's current version (see ``jiancha.lake.CURRENT_LOADS``)."""
    from jiancha.lake.layout import CURRENT_LOADS, table_names

    tables = table_names(con)
    if not {"_coverage", "_loads"} <= tables:
        return LakeCoverage({})
    rows = con.execute(
        "SELECT c.dataset, c.subject, c.first_date, c.last_date FROM _coverage AS c "
        f"JOIN ({CURRENT_LOADS}) AS l USING (load_id) ORDER BY c.dataset, c.subject NULLS FIRST"
    ).fetchall()
    chosen = settings(overrides or {})
    spans: dict[str, dict[str | None, Span]] = defaultdict(dict)
    for name, subject, first, last in rows:
        if name in chosen:
            spans[name][subject] = Span(first, _month_end(last) if chosen[name][0] == "monthly" else last)
    feeds = {}
    for name, by_subject in spans.items():
        whole = by_subject.pop(None, None)
        if whole is not None:
            cadence, late = chosen[name]
            records = bool(datasets()[name].coverage and datasets()[name].coverage.records)
            feeds[name] = Feed(name, datasets()[name].title, cadence, late, whole, by_subject, records)
    return LakeCoverage(feeds)


@dataclass(frozen=True)
class Gap:
    """A feed, or some of its subjects, with no data since a day: a finding in itself."""

    dataset: str
    title: str
    since: date
    county: str | None = None
    #: The subjects (facility names) concerned; empty when the whole feed (or county) stopped.
    subjects: tuple[str, ...] = ()

    def sentence(self) -> str:
        """「雄县 出水在线监测日均值 自2025年1月1日起无数据」, naming facilities when only some stopped."""
        where = f"{self.county} " if self.county else ""
        since = tr(f"{self.since.year}年{self.since.month}月{self.since.day}日", self.since.isoformat())
        if not self.subjects:
            return tr(f"{where}{self.title} 自{since}起无数据", f"{where}{self.title}: no data since {since}")
        names = "、".join(self.subjects)
        return tr(
            f"{where}{names} 的{self.title} 自{since}起无数据",
            f"{where}{names}: {self.title}, no data since {since}",
        )


def coverage_gaps(
    con: duckdb.DuckDBPyConnection,
    reference: date,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[Gap]:
    """Every feed that has stopped by ``reference`` (no data for longer than its lateness),
    by county where its subjects have one; facilities not in operation are left out."""
    coverage = read_coverage(con, overrides)
    places = _facility_places(con)
    gaps: list[Gap] = []
    for feed in coverage.feeds.values():
        gaps += _feed_gaps(feed, reference, places)
    return sorted(gaps, key=lambda g: (g.since, g.dataset, g.county or "", g.subjects))


def _stale(span: Span, late_days: int, reference: date) -> bool:
    return span.last + timedelta(days=late_days) < reference


def _feed_gaps(feed: Feed, reference: date, places: Mapping[str, tuple[str, str, bool]]) -> list[Gap]:
    """A stopped feed's gaps: one per county (or one in all) where all its subjects stopped on
    the same day, else one per (county, day) naming the facilities."""
    subject_field = _subject_field(feed.dataset)
    if not feed.subjects or subject_field not in ("facility_id", "county"):
        stopped = _stale(feed.span, feed.late_days, reference)
        return [Gap(feed.dataset, feed.title, feed.span.last + timedelta(days=1))] if stopped else []
    by_county: dict[str | None, dict[str, date | None]] = defaultdict(dict)
    for subject, span in feed.subjects.items():
        county, name, operating = (
            (subject, subject, True)
            if subject_field == "county"
            else places.get(subject, (None, subject, True))
        )
        if operating:
            since = span.last + timedelta(days=1) if _stale(span, feed.late_days, reference) else None
            by_county[county][name] = since
    gaps = []
    for county, members in by_county.items():
        days = set(members.values())
        if len(days) == 1 and None not in days:
            gaps.append(Gap(feed.dataset, feed.title, days.pop(), county))
            continue
        groups: dict[date, list[str]] = defaultdict(list)
        for name, since in members.items():
            if since is not None:
                groups[since].append(name)
        gaps += [
            Gap(feed.dataset, feed.title, since, county, tuple(sorted(names)))
            for since, names in groups.items()
        ]
    return gaps


def _facility_places(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str, bool]]:
    """facility_id → (county, name, in operation), from the facility registry when loaded."""
    from jiancha.lake.layout import table_names

    if "sewage_facilities" not in table_names(con):
        return {}
    rows = con.execute(
        "SELECT facility_id, county, name, coalesce(status, 'operating') = 'operating' FROM sewage_facilities"
    ).fetchall()
    return {fid: (county, name, operating) for fid, county, name, operating in rows}


def workspace_gaps(workspace: Workspace, reference: date | None = None) -> list[Gap]:
    """The workspace's coverage gaps at ``reference`` (default today), for the web's dashboard and
    data-quality page: a missing or locked lake gives none (those pages say so themselves)."""
    try:
        return lake_gaps(workspace, reference)
    except WorkspaceError:
        return []


def lake_gaps(workspace: Workspace, reference: date | None = None) -> list[Gap]:
    """The gaps read over a read-only lake connection opened and closed at once; raises
    :class:`WorkspaceError` when the lake is missing or locked (so a cache can tell "no gaps"
    from "could not look")."""
    from jiancha.lake import open_lake

    overrides = workspace.config().get("coverage", {})
    con = open_lake(workspace, read_only=True)
    try:
        return coverage_gaps(con, reference or date.today(), overrides)
    finally:
        con.close()
