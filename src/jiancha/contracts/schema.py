"""Typed view of ``datasets.yaml``: datasets, fields, titles, enums and keys."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources

from jiancha.i18n import tr
from jiancha.yaml_data import load_yaml


class FieldType(StrEnum):
    """The value types the contract knows; ingestion has one parser per type."""

    STRING = "string"
    INTEGER = "integer"
    NUMBER = "number"
    DATE = "date"
    DATETIME = "datetime"
    BOOLEAN = "boolean"
    ENUM = "enum"
    MONTH = "month"
    LIST = "list"


#: DuckDB column type of each contract type once loaded into the lake.
LAKE_TYPES: dict[FieldType, str] = {
    FieldType.STRING: "VARCHAR",
    FieldType.INTEGER: "BIGINT",
    FieldType.NUMBER: "DOUBLE",
    FieldType.DATE: "DATE",
    FieldType.DATETIME: "TIMESTAMP",
    FieldType.BOOLEAN: "BOOLEAN",
    FieldType.ENUM: "VARCHAR",
    FieldType.MONTH: "VARCHAR",
    FieldType.LIST: "VARCHAR[]",
}


@dataclass(frozen=True)
class Field:
    """One column of a dataset as the contract describes it."""

    name: str
    title: str
    type: FieldType
    required: bool = False
    unique: bool = False
    values: dict[str, str] = field(default_factory=dict)
    min: float | None = None
    gt: float | None = None
    coord: str | None = None
    personal: bool = False
    en: str = ""
    unit: str | None = None  # what a figure is written with in Chinese: 毫克/升, 吨, 元
    unit_en: str | None = None

    @property
    def lake_type(self) -> str:
        return LAKE_TYPES[self.type]

    def label(self) -> str:
        """The title a reader sees: Chinese (English in the English UI), without the unit the
        header spelling carries in brackets (``化学需氧量(mg/L)`` → ``化学需氧量``), since values
        are shown with their unit."""
        zh = self.title
        for unit in (self.unit, self.unit_en):
            if unit and zh.endswith(f"({unit})"):
                zh = zh.removesuffix(f"({unit})")
        return tr(zh, self.en or zh)

    def unit_text(self) -> str | None:
        """The unit in the reader's language (``吨`` / ``t``), or None for unitless fields."""
        return tr(self.unit, self.unit_en or self.unit) if self.unit else None

    def enum_code(self, text: str) -> str | None:
        """The code for an enum spelling (code or Chinese label), or None if unknown."""
        if text in self.values:
            return text
        for code, label in self.values.items():
            if text == label:
                return code
        return None


@dataclass(frozen=True)
class Coverage:
    """How a continuous feed's coverage is kept: which field dates a row, for which subject
    (None: the dataset as a whole), how often data are expected and when a feed has stopped."""

    date: str
    subject: str | None
    cadence: str  # daily | monthly
    late_days: int
    records: bool = False  # dated records rather than a series with a row per period


@dataclass(frozen=True)
class Dataset:
    """A dataset of the contract: its name, Chinese title, fields and key, and who provides it."""

    name: str
    title: str
    domain: str
    key: tuple[str, ...]
    fields: tuple[Field, ...]
    provider: str = ""  # the agency that shares the data (数据提供单位), as documents name it
    coverage: Coverage | None = None

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"数据集 {self.name} 没有字段 {name}")

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def required(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.required)

    def header_map(self) -> dict[str, str]:
        """Every accepted header spelling (field name or Chinese title) → field name."""
        mapping: dict[str, str] = {}
        for f in self.fields:
            mapping[f.name] = f.name
            mapping[f.title] = f.name
        return mapping


def _field(raw: dict) -> Field:
    values = raw.get("values") or {}
    unit = raw.get("unit")
    zh_unit, en_unit = (unit.get("zh"), unit.get("en")) if isinstance(unit, dict) else (unit, None)
    return Field(
        name=raw["name"],
        title=raw["title"],
        type=FieldType(raw["type"]),
        required=bool(raw.get("required", False)),
        unique=bool(raw.get("unique", False)),
        values={str(k): str(v) for k, v in values.items()},
        min=raw.get("min"),
        gt=raw.get("gt"),
        coord=raw.get("coord"),
        personal=bool(raw.get("personal", False)),
        en=str(raw.get("en") or ""),
        unit=zh_unit,
        unit_en=en_unit,
    )


@cache
def _load() -> dict:
    text = resources.files("jiancha.contracts").joinpath("datasets.yaml").read_text("utf-8")
    return load_yaml(text)


@cache
def datasets() -> dict[str, Dataset]:
    """All datasets of the contract, by name, in contract order."""
    out: dict[str, Dataset] = {}
    for name, raw in _load()["datasets"].items():
        out[name] = Dataset(
            name=name,
            title=raw["title"],
            domain=raw["domain"],
            key=tuple(raw.get("key") or ()),
            fields=tuple(_field(f) for f in raw["fields"]),
            provider=raw.get("provider", ""),
            coverage=_coverage(raw.get("coverage")),
        )
    return out


def _coverage(raw: dict | None) -> Coverage | None:
    if raw is None:
        return None
    records = bool(raw.get("records", False))
    return Coverage(raw["date"], raw.get("subject"), raw["cadence"], int(raw["late_days"]), records)


def dataset(name: str) -> Dataset:
    """One dataset by name; a KeyError that names the known datasets otherwise."""
    try:
        return datasets()[name]
    except KeyError:
        known = "、".join(datasets())
        raise KeyError(f"契约中没有数据集 {name}（已知：{known}）") from None


AREA_RANGE: dict[str, tuple[float, float]] = {k: tuple(v) for k, v in _load()["area_range"].items()}
COUNTIES: tuple[str, ...] = tuple(_load()["counties"])
