"""Where the lake names an organisation or person: the party-name fields of every dataset.

Written once as data, so the lookup, the linker and the fingerprint that says
whether a resolution is current all read the same fields.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pyarrow as pa


@dataclass(frozen=True)
class PartyField:
    """One field naming a party, with the fields beside it that identify the same party."""

    dataset: str
    name: str
    credit_code: str | None = None
    id_no: str | None = None
    is_list: bool = False


PARTY_FIELDS: tuple[PartyField, ...] = (
    PartyField("sewage_facilities", "operator_name", "operator_credit_code"),
    PartyField("sludge_manifests", "receiver_name", "receiver_credit_code"),
    PartyField("sludge_manifests", "carrier_name"),
    PartyField("disposal_permits", "receiver_name", "receiver_credit_code"),
    PartyField("admin_penalties", "party_name", "party_credit_code", "party_id_no"),
    PartyField("case_transfers", "party_name", "party_credit_code"),
    PartyField("criminal_cases", "fence_name"),
    PartyField("criminal_cases", "suspect_names", is_list=True),
    PartyField("business_registry", "name", "credit_code"),
    PartyField("business_registry", "legal_rep"),
    PartyField("scrap_dealer_filings", "name", "credit_code"),
    PartyField("police_scrap_filings", "name", "credit_code"),
    PartyField("grid_events", "subject_name"),
    PartyField("construction_sites", "contractor_name", "contractor_credit_code"),
)

#: Columns of every mention: where it is, and the spelling it uses.
MENTION_COLUMNS = ("dataset", "field", "file", "row", "name", "credit_code", "id_no")
#: The mentions as a table (MENTION_COLUMNS typed), e.g. when no dataset names a party.
MENTIONS_SCHEMA = pa.schema([(c, pa.int64() if c == "row" else pa.string()) for c in MENTION_COLUMNS])


def _columns(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    """Columns of each table in the lake's main schema."""
    rows = con.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main'"
    ).fetchall()
    out: dict[str, set[str]] = {}
    for table, column in rows:
        out.setdefault(table, set()).add(column)
    return out


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _select(source: PartyField, present: set[str]) -> str:
    """One field's mentions as SQL; a missing optional column reads as NULL."""

    def col(name: str | None) -> str:
        return f"CAST({_quote(name)} AS VARCHAR)" if name and name in present else "CAST(NULL AS VARCHAR)"

    file = col("_file")
    row = "CAST(_row AS BIGINT)" if "_row" in present else "CAST(NULL AS BIGINT)"
    name = f"unnest({_quote(source.name)})" if source.is_list else col(source.name)
    inner = (
        f"SELECT '{source.dataset}' AS dataset, '{source.name}' AS field, {file} AS file, {row} AS row, "
        f"{name} AS name, nullif(trim({col(source.credit_code)}), '') AS credit_code, "
        f"nullif(trim({col(source.id_no)}), '') AS id_no FROM {_quote(source.dataset)}"
    )
    return f"SELECT * FROM ({inner}) WHERE name IS NOT NULL AND trim(name) <> ''"


def mentions_sql(con: duckdb.DuckDBPyConnection) -> str | None:
    """SQL listing every party mention in the lake (MENTION_COLUMNS); None when no dataset names one."""
    return mentions_sql_over(_columns(con))


def mentions_sql_over(columns: dict[str, set[str]]) -> str | None:
    """:func:`mentions_sql` over tables with these columns (DuckDB SQL; Spark transpiles it)."""
    parts = [
        _select(source, columns[source.dataset])
        for source in PARTY_FIELDS
        if source.name in columns.get(source.dataset, set())
    ]
    return " UNION ALL ".join(parts) if parts else None


def fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """A digest of every mention; it changes whenever a load adds, drops or edits one."""
    sql = mentions_sql(con)
    if sql is None:
        return "0:0"
    count, digest = con.execute(
        f"SELECT count(*), coalesce(bit_xor(hash(dataset, field, file, row, name, credit_code, id_no)), 0) "
        f"FROM ({sql})"
    ).fetchone()
    return f"{count}:{digest}"
