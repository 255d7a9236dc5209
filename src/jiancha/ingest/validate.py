"""The staging query: typed contract columns plus, per row, the list of problems found.

One SQL statement reads the source, coerces every field, and attaches
``_issues`` (a list of {field, value, reason, severity} structs, NULL for a clean
row, built only for rows the cheap any-problem flag marks). The contract's file
rules decide severity: a required
field that is empty, unreadable or out of range rejects the row (``error``); an
unreadable or out-of-range optional value becomes NULL with a ``warning``; a
coordinate outside the new area is kept with a ``warning``.
"""

from __future__ import annotations

from dataclasses import dataclass

from jiancha.contracts import AREA_RANGE, Dataset, Field
from jiancha.i18n import tr
from jiancha.ingest.coerce import (
    STRPTIME_SPECIAL,
    excel_error_reason,
    is_excel_error,
    parse_native,
    parse_text,
    sql_ident,
    sql_str,
    trimmed,
    unreadable_reason,
)
from jiancha.ingest.headers import HeaderMap
from jiancha.ingest.readers import Source


@dataclass(frozen=True)
class Check:
    """One rule for one field: a SQL condition that is true when the row breaks it."""

    field: str
    condition: str
    reason: str
    error: bool
    #: The report shows the cell's value (everything but an empty required cell).
    shows_value: bool = True
    #: The condition as it enters the row's any-problem flag when simpler than ``condition``
    #: ("" when another check of the field covers it).
    flag: str | None = None

    @property
    def flagged(self) -> str:
        return self.condition if self.flag is None else self.flag


def _num(value: float) -> str:
    return f"{value:g}"


def _checks(f: Field) -> list[Check]:
    raw, typed = sql_ident(f"r_{f.name}"), sql_ident(f"t_{f.name}")
    unreadable = (
        f"(CASE WHEN {is_excel_error(f'CAST({raw} AS VARCHAR)')} THEN {sql_str(excel_error_reason())} "
        f"ELSE {sql_str(unreadable_reason(f))} END)"
    )
    # A required field is empty or unreadable exactly when its typed value is NULL.
    flag = f"{typed} IS NULL" if f.required else None
    checks = [Check(f.name, f"{raw} IS NOT NULL AND {typed} IS NULL", unreadable, f.required, flag=flag)]
    if f.required:
        checks.append(
            Check(
                f.name,
                f"{raw} IS NULL",
                sql_str(tr("必填字段为空", "required field is empty")),
                True,
                shows_value=False,
                flag="",
            )
        )
    if f.min is not None:
        reason = tr(f"小于允许的最小值 {_num(f.min)}", f"below the allowed minimum {_num(f.min)}")
        checks.append(Check(f.name, f"{typed} < {f.min}", sql_str(reason), f.required))
    if f.gt is not None:
        reason = tr(f"必须大于 {_num(f.gt)}", f"must be greater than {_num(f.gt)}")
        checks.append(Check(f.name, f"{typed} <= {f.gt}", sql_str(reason), f.required))
    return checks


def _coord_check(f: Field) -> Check | None:
    if f.coord is None:
        return None
    lo, hi = AREA_RANGE[f.coord]
    reason = tr(
        f"坐标超出雄安新区范围（{_num(lo)}–{_num(hi)}），已保留",
        f"outside the new area ({_num(lo)}–{_num(hi)}); kept",
    )
    return Check(f.name, f"{sql_ident(f't_{f.name}')} NOT BETWEEN {lo} AND {hi}", sql_str(reason), False)


def _final_value(f: Field, present: bool) -> str:
    """The loaded value: NULL where an optional value broke a range rule."""
    if not present:
        return f"CAST(NULL AS {f.lake_type})"
    typed = sql_ident(f"t_{f.name}")
    bounds = [f"{typed} < {f.min}"] if f.min is not None else []
    bounds += [f"{typed} <= {f.gt}"] if f.gt is not None else []
    if f.required or not bounds:
        return typed
    return f"(CASE WHEN {' OR '.join(bounds)} THEN NULL ELSE {typed} END)"


def _issue(check: Check) -> str:
    severity = "'error'" if check.error else "'warning'"
    value = f"CAST({sql_ident(f'r_{check.field}')} AS VARCHAR)"
    return (
        f"CASE WHEN {check.condition} THEN {{'field': {sql_str(check.field)}, 'value': {value}, "
        f"'reason': {check.reason}, 'severity': {severity}}} END"
    )


def _layers(ds: Dataset, source: Source, header: HeaderMap) -> tuple[list[str], list[str]]:
    """The raw and typed select lists over the source.

    Raw is trimmed text, or the native value of a natively typed column the
    field's type can take directly; it is turned into text only for a row with
    an issue, since formatting every timestamp as text would double a parquet load.
    """
    raw_cols, typed_cols = ["_row"], ["*"]
    for name, pos in header.fields.items():
        f, col, typ = ds.field(name), source.columns[pos], source.types[pos]
        raw = sql_ident(f"r_{name}")
        native = None if typ == "VARCHAR" else parse_native(raw, typ, f)
        if native is None:
            raw_cols.append(f"{trimmed(col if typ == 'VARCHAR' else f'CAST({col} AS VARCHAR)')} AS {raw}")
        else:
            raw_cols.append(f"{col} AS {raw}")
        typed_cols.append(f"{native or parse_text(raw, f)} AS {sql_ident(f't_{name}')}")
    for pos, _ in header.extras:
        col, typ = source.columns[pos], source.types[pos]
        value = trimmed(col) if typ == "VARCHAR" else f"CAST({col} AS VARCHAR)"
        raw_cols.append(f"{value} AS {sql_ident(f'x_{pos}')}")
    return raw_cols, typed_cols


#: Raised inside a guarded (typed CSV) scan to give way to the text read.
_TYPED_READ_MISS = "jiancha: a typed cell needs its text; reading the file as text"


def _stops(checks: list[Check], source: Source, header: HeaderMap) -> list[Check]:
    """The checks that stop a guarded scan: those on a typed cell whose problem must show its text.

    A typed read keeps ``115.50`` only as the number 115.5; the report must quote the
    cell as written, so such a file is read again as text (rare for machine exports).
    """
    if not source.guarded:
        return []
    typed = {name for name, pos in header.fields.items() if source.types[pos] != "VARCHAR"}
    return [c for c in checks if c.shows_value and c.field in typed]


def _guard(stops: list[Check], source: Source, header: HeaderMap) -> str:
    """WHERE clause stopping a guarded scan; also at 1900-01-01, which may have been ``infinity``."""
    conditions = [c.condition for c in stops]
    for name, pos in header.fields.items():
        if source.guarded and source.types[pos] in ("DATE", "TIMESTAMP"):
            conditions.append(f"CAST({sql_ident(f't_{name}')} AS DATE) = {STRPTIME_SPECIAL}")
    if not conditions:
        return ""
    return f" WHERE CASE WHEN {' OR '.join(conditions)} THEN error({sql_str(_TYPED_READ_MISS)}) ELSE true END"


def stage_query(ds: Dataset, source: Source, header: HeaderMap) -> str:
    """SELECT producing the dataset's lake columns, extras, ``_row`` and ``_issues``.

    ``_file`` is not among them: the stage table declares it as a constant (see
    ``jiancha.ingest.load``).
    """
    raw_cols, typed_cols = _layers(ds, source, header)
    checks = [c for f in ds.fields if f.name in header.fields for c in _checks(f)]
    checks += [c for f in ds.fields if f.name in header.fields if (c := _coord_check(f))]
    stops = _stops(checks, source, header)
    # Past the guard a stopping check never holds, so the flag and the issues skip it; a
    # field with one flags its other checks by their own condition, not a shared one.
    checks = [c for c in checks if c not in stops]
    stopped = {c.field for c in stops}
    flags = [c.condition if c.field in stopped else c.flagged for c in checks]
    flags = [flag for flag in flags if flag]
    final = [f"{_final_value(f, f.name in header.fields)} AS {sql_ident(f.name)}" for f in ds.fields]
    final += [f"{sql_ident(f'x_{pos}')} AS {sql_ident(name)}" for pos, name in header.extras]
    final += ["_row"]
    issues = f"list_filter([{', '.join(_issue(c) for c in checks)}], x -> x IS NOT NULL)"
    final.append(f"CASE WHEN {' OR '.join(flags) or 'false'} THEN {issues} END AS _issues")
    return (
        f"SELECT {', '.join(final)} FROM (SELECT {', '.join(typed_cols)} FROM "
        f"(SELECT {', '.join(raw_cols)} FROM {source.relation})){_guard(stops, source, header)}"
    )
