"""The legal-basis catalogue: the project's provisions, and a workspace's own additions.

The built-in provisions live in ``library/law/provisions.yaml`` (grouped by law,
so a law's title, version and source are written once). A workspace may add
provisions of its own, kept in its clue store; :func:`catalogue_for` merges them
after the built-in ones, and a built-in key can never be replaced by an addition.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from jiancha import library
from jiancha.errors import JianchaError
from jiancha.i18n import tr
from jiancha.law.provision import KEY, Provision, UnknownProvision
from jiancha.yaml_data import load_yaml

if TYPE_CHECKING:
    from jiancha.clues.store import ClueStore

#: The built-in catalogue file.
PROVISIONS_FILE = library.ROOT / "law" / "provisions.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class _ProvisionEntry(_Strict):
    key: str = Field(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")
    article: str
    paragraph: str = ""
    item: str = ""
    text: str
    summary: str = Field(min_length=1)
    source: str | None = None  # when it differs from the law's
    verified: bool | None = None  # when it differs from the law's


class _LawEntry(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    law: str = Field(min_length=1)
    version: str
    in_force: date | None
    source: str = Field(min_length=1)
    verified: bool = True
    provisions: list[_ProvisionEntry] = Field(min_length=1)


class _CatalogueFile(_Strict):
    laws: list[_LawEntry] = Field(min_length=1)


class LawCatalogue:
    """Provisions by key, in the order they were listed."""

    def __init__(self, provisions: Iterable[Provision], builtin: frozenset[str] | None = None) -> None:
        self._by_key: dict[str, Provision] = {}
        for provision in provisions:
            if provision.key in self._by_key:
                raise JianchaError(
                    tr(
                        f"法律依据目录中条文编号 {provision.key} 重复；每个条文只能出现一次。",
                        f"Provision key {provision.key} appears twice in the legal-basis catalogue.",
                    )
                )
            self._by_key[provision.key] = provision
        self.builtin_keys = frozenset(self._by_key) if builtin is None else builtin

    def get(self, key: str) -> Provision:
        """The provision called ``key``; :class:`UnknownProvision` when there is none."""
        try:
            return self._by_key[key]
        except KeyError:
            raise UnknownProvision(key) from None

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def __iter__(self) -> Iterator[Provision]:
        return iter(self._by_key.values())

    def __len__(self) -> int:
        return len(self._by_key)

    def is_builtin(self, key: str) -> bool:
        return key in self.builtin_keys

    def with_additions(self, additions: Iterable[Provision]) -> LawCatalogue:
        """This catalogue plus a workspace's provisions (a built-in key among them is an error)."""
        added = list(additions)
        clash = [p.key for p in added if p.key in self.builtin_keys]
        if clash:
            raise JianchaError(
                tr(
                    f"工作区目录中的条文 {'、'.join(clash)} 与内置条文编号相同；内置条文不能被替换。",
                    f"Workspace provisions {', '.join(clash)} reuse built-in keys; built-in provisions "
                    "cannot be replaced.",
                )
            )
        return LawCatalogue([*self, *added], self.builtin_keys)


def load_catalogue(path: Path) -> LawCatalogue:
    """Read a catalogue file; a problem is a sentence naming the file and the entry."""
    try:
        raw = load_yaml(path.read_text("utf-8"))
        parsed = _CatalogueFile.model_validate(raw)
    except (yaml.YAMLError, ValidationError) as exc:
        raise JianchaError(f"法律依据目录 {path} 格式有误：{exc}") from None
    provisions = []
    for law in parsed.laws:
        for entry in law.provisions:
            key = f"{law.id}.{entry.key}"
            if not KEY.match(key):
                raise JianchaError(f"法律依据目录 {path}：条文编号 {key} 的形式不对。")
            provisions.append(
                Provision(
                    key=key,
                    law=law.law,
                    version=law.version,
                    in_force=law.in_force,
                    article=entry.article,
                    paragraph=entry.paragraph,
                    item=entry.item,
                    text=entry.text,
                    summary=entry.summary,
                    source=entry.source or law.source,
                    verified=law.verified if entry.verified is None else entry.verified,
                )
            )
    return LawCatalogue(provisions)


@cache
def builtin_catalogue() -> LawCatalogue:
    """The project's own provisions (read once per process)."""
    return load_catalogue(PROVISIONS_FILE)


def catalogue_for(store: ClueStore | None) -> LawCatalogue:
    """The built-in provisions plus the workspace's own (kept in its clue store); built-in only for None.

    The store refuses a built-in key, but a later release may ship a key a workspace added
    before: the built-in provision then wins, so what a key means never depends on the workspace.
    """
    builtin = builtin_catalogue()
    if store is None:
        return builtin
    return builtin.with_additions(p for p in store.list_provisions() if not builtin.is_builtin(p.key))
