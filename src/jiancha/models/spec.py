"""The model spec: what a model's YAML file may say, checked strictly.

A typo in a key (``paramters``) or an unknown enum value is an error naming the
file, the line and the YAML path, so a prosecutor who writes a model sees the
mistake before anything runs. The spec is data only; :mod:`jiancha.models.catalog`
pairs it with its query and :mod:`jiancha.models.runner` runs it.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from jiancha.contracts import datasets as contract_datasets
from jiancha.errors import ModelError
from jiancha.i18n import tr
from jiancha.law import LawCatalogue, Provision, builtin_catalogue
from jiancha.law.provision import KEY as PROVISION_KEY
from jiancha.models.parameter_types import coerce
from jiancha.yaml_data import load_yaml

BusinessLine = Literal["criminal", "civil", "administrative", "public_interest"]
SubjectType = Literal["facility", "manifest", "penalty", "transfer", "case", "dealer", "site"]
Period = Literal["month", "quarter", "none"]
ParameterType = Literal["integer", "number", "string", "date", "boolean"]
SeverityLevel = Literal["high", "medium", "low"]

MODEL_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
IBIS_REF = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")
RESERVED_PARAMETERS = frozenset({"as_of"})


class _Strict(BaseModel):
    """Unknown keys are errors, so typos surface instead of being ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Text(_Strict):
    """A text in Chinese with an optional English version."""

    zh: str = Field(min_length=1)
    en: str | None = None

    def text(self) -> str:
        """The text in the active language (Chinese when there is no English)."""
        return tr(self.zh, self.en or self.zh)


class Parameter(_Strict):
    """A named threshold a procuratorate may override per run or in its config."""

    type: ParameterType
    default: Any
    title: Text

    @model_validator(mode="after")
    def _default_fits_type(self) -> Parameter:
        coerce(self.type, self.default)
        return self


class FactTemplate(_Strict):
    """How a 检察建议书 states the facts of this model's clues: Jinja2 text over the query's columns.

    ``subject`` is how the letter names the subject (e.g. ``{{ facility_name }}``); without it
    the first name column the query returns is used.
    """

    zh: str = Field(min_length=1)
    en: str | None = None
    subject: str | None = None


class Reason(_Strict):
    """One step of the reasons: the provisions quoted whole, then a sentence (a template) applying them."""

    provisions: list[str] = Field(default_factory=list)
    # A column of the clue holding more provision keys (e.g. the ground a penalty's facts rest on),
    # quoted after ``provisions`` when the clue has it.
    provisions_from: str | None = None
    zh: str = ""
    en: str | None = None


class Reasons(_Strict):
    """The reasons as a prosecutor argues them: duty → breach → the organ's failure → harm.

    Clues of one model may rest on different law (a penalty that should have gone to the police
    as a suspected crime, or for administrative detention): ``by`` names a column of the clue and
    ``cases`` holds, per value of that column, the steps argued instead. A case's steps replace the
    model's own; a step the case does not word is the model's own.
    """

    duty: Reason | None = None
    breach: Reason | None = None
    failure: Reason | None = None
    harm: Reason | None = None
    by: str | None = None
    cases: dict[str, Reasons] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _cases_need_a_column(self) -> Reasons:
        """``by`` and ``cases`` come together, and a case holds steps only (no cases of its own)."""
        if bool(self.by) != bool(self.cases):
            raise ValueError("reasons 的 by（按哪一列选择）与 cases（各取值的理由）须同时写明")
        nested = sorted(value for value, case in self.cases.items() if case.by or case.cases)
        if nested:
            raise ValueError(f"reasons.cases 中 {'、'.join(nested)} 不能再写 by 或 cases")
        return self

    def steps(self) -> list[tuple[str, Reason]]:
        """The steps present, in the order the letter argues them."""
        named = (("duty", self.duty), ("breach", self.breach), ("failure", self.failure), ("harm", self.harm))
        return [(name, step) for name, step in named if step is not None]

    def case_of(self, details: Mapping[str, Any]) -> str | None:
        """The case a clue falls in: the value of its ``by`` column, when ``cases`` words that value."""
        value = str(details.get(self.by)) if self.by else None
        return value if value in self.cases else None

    def for_clue(self, details: Mapping[str, Any]) -> Reasons:
        """The steps a clue is argued with: its case's (chosen by the ``by`` column), else the model's own."""
        value = self.case_of(details)
        if value is None:
            return self
        case = self.cases[value]
        own = dict(self.steps())
        chosen = {step: reason for step, reason in case.steps()}
        return Reasons(**{**own, **chosen})

    def variants(self) -> list[tuple[str, Reasons]]:
        """The model's own steps, then each case's, named as in the YAML (reasons, reasons.cases.X)."""
        return [("reasons", self), *((f"reasons.cases.{value}", case) for value, case in self.cases.items())]

    def provision_keys(self) -> list[str]:
        """Every provision the steps quote, the cases' included."""
        return [key for _, cases in self.variants() for _, step in cases.steps() for key in step.provisions]


class Column(_Strict):
    """How a reader sees one of the query's detail columns: its title, unit and value labels.

    ``field: dataset.field`` borrows all three from the contract; a column named like a field
    of the model's datasets needs no entry. ``conduct: true`` marks the date column that dates
    the conduct of a model without periods (the dashboard counts its clues by that month).
    """

    zh: str | None = None
    en: str | None = None
    unit: str | Text | None = None
    field: str | None = None
    values: dict[str, str] = Field(default_factory=dict)
    conduct: bool = False

    @model_validator(mode="after")
    def _titled(self) -> Column:
        if self.field is None and self.zh is None:
            raise ValueError("列须有中文标题 zh，或以 field: 数据集.字段 引用契约中的字段")
        if self.field is not None:
            name, _, column = self.field.partition(".")
            known = contract_datasets().get(name)
            if known is None or column not in known.field_names:
                raise ValueError(f"契约中没有字段 {self.field}（写作“数据集.字段”，如 criminal_cases.stage）")
        return self


class ModelSpec(_Strict):
    """A supervision model's metadata, exactly as written in its YAML file."""

    id: str
    title: Text
    description: Text
    supervision_point: str = Field(min_length=1)
    business_line: BusinessLine
    subject_type: SubjectType
    period: Period
    datasets: list[str] = Field(min_length=1)
    derived: list[str] = Field(default_factory=list)
    parameters: dict[str, Parameter] = Field(default_factory=dict)
    addressee: Text
    legal_basis: list[str] = Field(min_length=1)  # provision keys of the legal-basis catalogue
    severity: dict[SeverityLevel, str] = Field(min_length=1)
    ibis: str | None = None
    facts: FactTemplate | None = None
    reasons: Reasons | None = None
    columns: dict[str, Column] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _reasons_cite_legal_bases(self) -> ModelSpec:
        """The reasons quote only provisions the model lists as its legal basis (the clue carries those)."""
        if self.reasons is not None:
            unlisted = [k for k in dict.fromkeys(self.reasons.provision_keys()) if k not in self.legal_basis]
            if unlisted:
                raise ValueError(
                    f"reasons 引用的条文 {'、'.join(unlisted)} 不在 legal_basis 中；"
                    "请先把它们列入 legal_basis"
                )
        return self

    @field_validator("id")
    @classmethod
    def _id_form(cls, value: str) -> str:
        if not MODEL_ID.match(value):
            raise ValueError(
                f"模型编号 {value!r} 应为小写的“族.名称”形式（如 water.facility_idle），"
                "只含字母、数字和下划线"
            )
        return value

    @field_validator("datasets")
    @classmethod
    def _known_datasets(cls, value: list[str]) -> list[str]:
        known = contract_datasets()
        unknown = [name for name in value if name not in known]
        if unknown:
            raise ValueError(f"契约中没有数据集 {'、'.join(unknown)}（已知：{'、'.join(known)}）")
        return value

    @field_validator("derived")
    @classmethod
    def _known_derived(cls, value: list[str]) -> list[str]:
        from jiancha.models.derived import DERIVED_TABLES

        unknown = [name for name in value if name not in DERIVED_TABLES]
        if unknown:
            raise ValueError(f"没有派生表 {'、'.join(unknown)}（可用：{'、'.join(DERIVED_TABLES)}）")
        return value

    @field_validator("parameters")
    @classmethod
    def _parameter_names(cls, value: dict[str, Parameter]) -> dict[str, Parameter]:
        for name in value:
            if not name.isidentifier() or keyword.iskeyword(name) or name in RESERVED_PARAMETERS:
                raise ValueError(f"参数名 {name!r} 不可用：须为标识符，且不能是 as_of（运行日期由系统提供）")
        return value

    @field_validator("legal_basis")
    @classmethod
    def _provision_keys(cls, value: list[str]) -> list[str]:
        for key in value:
            if not PROVISION_KEY.match(key):
                raise ValueError(
                    "法律依据应写条文编号（如 water_pollution_law.art50.p2，见 jiancha law list），"
                    f"现为 {key!r}"
                )
        repeated = sorted({key for key in value if value.count(key) > 1})
        if repeated:
            raise ValueError(f"法律依据 {'、'.join(repeated)} 重复列出；每个条文只需写一次")
        return value

    @field_validator("ibis")
    @classmethod
    def _ibis_reference(cls, value: str | None) -> str | None:
        if value is not None and not IBIS_REF.match(value):
            raise ValueError(f"ibis 应写作“模块:函数”（如 mypkg.models:idle_query），现为 {value!r}")
        return value

    def provisions(self, catalogue: LawCatalogue | None = None) -> list[Provision]:
        """The cited provisions, looked up in ``catalogue`` (the built-in one when None).

        A key the catalogue lacks raises :class:`~jiancha.law.UnknownProvision`.
        """
        law = catalogue or builtin_catalogue()
        return [law.get(key) for key in self.legal_basis]

    @field_validator("columns")
    @classmethod
    def _one_conduct_column(cls, value: dict[str, Column]) -> dict[str, Column]:
        marked = [name for name, column in value.items() if column.conduct]
        if len(marked) > 1:
            raise ValueError(f"只能有一列标明 conduct: true（行为发生日期），现有 {'、'.join(marked)}")
        return value

    def conduct_column(self) -> str | None:
        """The detail column dating the conduct, for models without periods (None if not marked)."""
        return next((name for name, column in self.columns.items() if column.conduct), None)


def load_spec(path: Path) -> ModelSpec:
    """Read and check one model YAML file; every problem names the file, line and YAML path."""
    text = path.read_text("utf-8")
    try:
        raw = load_yaml(text)
    except yaml.YAMLError as exc:
        raise ModelError(f"模型文件 {path} 不是有效的 YAML：{exc}") from exc
    if not isinstance(raw, dict):
        raise ModelError(f"模型文件 {path} 应是一个键值映射（id、title、datasets…），现在不是。")
    try:
        spec = ModelSpec.model_validate(raw)
    except ValidationError as exc:
        raise ModelError(_describe(path, text, exc)) from None
    if spec.id.rsplit(".", 1)[-1] != path.stem:
        raise ModelError(
            f"模型文件 {path}：id {spec.id} 的最后一段应与文件名 {path.stem} 相同"
            f"（应改为 …{path.stem} 或把文件改名为 {spec.id.rsplit('.', 1)[-1]}.yaml）。"
        )
    return spec


def _describe(path: Path, text: str, exc: ValidationError) -> str:
    """One line per pydantic error: file:line, the YAML path, and what was expected."""
    root = yaml.compose(text)
    lines = [f"模型文件 {path} 有 {exc.error_count()} 处错误："]
    for error in exc.errors(include_url=False):
        loc = [part for part in error["loc"] if not _is_pydantic_tag(part)]
        where = _yaml_path(loc)
        line = _line_of(root, loc)
        lines.append(f"  {path.name}:{line} {where}：{_message(error)}")
    return "\n".join(lines)


def _message(error: dict[str, Any]) -> str:
    """The pydantic error in Chinese for the kinds a model author meets; pydantic's text otherwise."""
    kind, given, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    if kind == "extra_forbidden":
        return "不认识的键（是否拼错了？请对照 ARCHITECTURE.md 的模型格式）"
    if kind == "missing":
        return "缺少必填项"
    if kind == "literal_error":
        return f"取值 {given!r} 不在允许的范围内，应为 {ctx.get('expected')}"
    if kind in ("string_too_short", "too_short"):
        return "不能为空"
    if kind in ("string_type", "dict_type", "list_type", "model_type"):
        expected = {
            "string_type": "文本",
            "dict_type": "键值映射",
            "list_type": "列表",
            "model_type": "键值映射",
        }
        return f"应为{expected[kind]}，现为 {given!r}"
    return error["msg"].removeprefix("Value error, ")


def _is_pydantic_tag(part: str | int) -> bool:
    """Pydantic adds a tag like ``function-after[...]`` for validators; it is not a YAML key."""
    return isinstance(part, str) and "[" in part


def _yaml_path(loc: list[str | int]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "（根）"


def _line_of(node: yaml.Node | None, loc: list[str | int]) -> int:
    """The 1-based line of the deepest YAML key on ``loc`` that exists (a missing key → its parent)."""
    line = node.start_mark.line + 1 if node is not None else 1
    for part in loc:
        entry = _child(node, part)
        if entry is None:
            break
        marker, node = entry
        line = marker.start_mark.line + 1
    return line


def _child(node: yaml.Node | None, part: str | int) -> tuple[yaml.Node, yaml.Node] | None:
    """The (node marking the line, node to descend into) for one step of a YAML path."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == part:
                return key, value
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part], node.value[part]
    return None
