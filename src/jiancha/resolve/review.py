"""Reading the entity tables for a reviewer: an entity's spellings, where they occur, and why they matched."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from jiancha.errors import JianchaError
from jiancha.i18n import tr
from jiancha.resolve import store
from jiancha.resolve.names import normalise_name


@dataclass(frozen=True)
class Spelling:
    """One spelling of an entity and where the lake uses it."""

    name: str
    credit_code: str | None
    places: tuple[str, ...]  # "dataset.field#row"
    match_probability: float | None


@dataclass(frozen=True)
class Link:
    """One pair of spellings the model (or a reviewer) joined, with each comparison's level and weight."""

    name_l: str
    name_r: str
    match_probability: float
    match_weight: float | None
    reasons: tuple[tuple[str, float | None], ...]  # (level label, match weight), per comparison


@dataclass(frozen=True)
class EntityView:
    entity_id: str
    canonical_name: str
    credit_code: str | None
    spellings: tuple[Spelling, ...]
    links: tuple[Link, ...]


def _require_resolution(con: duckdb.DuckDBPyConnection) -> None:
    if store.latest_run(con) is None:
        raise JianchaError(
            tr(
                "湖仓中还没有实体表：请先运行 jiancha resolve 进行主体识别。",
                "The lake holds no entity tables yet: run `jiancha resolve` first.",
            )
        )


def find_entities(con: duckdb.DuckDBPyConnection, name: str) -> list[EntityView]:
    """Entities with a spelling equal to ``name`` or folding to the same form, or an id equal to it."""
    _require_resolution(con)
    ids = [
        row[0]
        for row in con.execute(
            f"SELECT DISTINCT entity_id FROM {store.MEMBERS} "
            "WHERE name = ? OR name_norm = ? OR entity_id = ? ORDER BY entity_id",
            [name, normalise_name(name), name],
        ).fetchall()
    ]
    return [_entity(con, entity_id) for entity_id in ids]


def _entity(con: duckdb.DuckDBPyConnection, entity_id: str) -> EntityView:
    canonical, code = con.execute(
        f"SELECT canonical_name, credit_code FROM {store.ENTITIES} WHERE entity_id = ?", [entity_id]
    ).fetchone()
    spellings = con.execute(
        f"""SELECT name, credit_code,
                   list(dataset || '.' || field || '#' || row ORDER BY dataset, field, row),
                   max(match_probability)
            FROM {store.MEMBERS} WHERE entity_id = ?
            GROUP BY name, credit_code ORDER BY count(*) DESC, name""",
        [entity_id],
    ).fetchall()
    links = con.execute(
        f"""SELECT name_l, name_r, match_probability, match_weight, name_level, name_weight,
                   code_level, code_weight, id_no_level, id_no_weight
            FROM {store.LINKS} WHERE entity_id = ? ORDER BY match_probability DESC, name_l, name_r""",
        [entity_id],
    ).fetchall()
    return EntityView(
        entity_id=entity_id,
        canonical_name=canonical,
        credit_code=code,
        spellings=tuple(Spelling(n, c, tuple(p), prob) for n, c, p, prob in spellings),
        links=tuple(
            Link(a, b, p, w, tuple((lv, wt) for lv, wt in ((nl, nw), (cl, cw), (il, iw)) if lv is not None))
            for a, b, p, w, nl, nw, cl, cw, il, iw in links
        ),
    )
