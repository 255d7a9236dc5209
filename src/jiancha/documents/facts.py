"""The facts of a 检察建议书, written from a clue the way a prosecutor writes them.

Each model carries a fact template (``facts:`` in its YAML, Jinja2 text) filled
from the clue: the columns its query returned (the clue's details), the clue's
subject, period and addressee, and its evidence rows by dataset. Templates run
in Jinja2's sandbox, because a user's model folder is not trusted code, with
the filters of :mod:`jiancha.documents.figures` for Chinese dates, periods,
figures with units, multiples and names.

A value the clue lacks never crashes a draft and never prints "None": it is
written 「（数据未提供）」 and the draft carries a warning naming the paragraph,
so the prosecutor sees what to complete before signing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from jinja2 import TemplateError, meta, nodes
from jinja2.sandbox import SandboxedEnvironment

from jiancha.clues.views import ClueDetail
from jiancha.contracts import datasets
from jiancha.display import subject_name as display_subject_name
from jiancha.documents import figures
from jiancha.documents.figures import MISSING_TEXT, Missing, is_missing
from jiancha.models.spec import ModelSpec

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$")
BLANK_LINE = re.compile(r"\n\s*\n")
UNIT_SUFFIX = re.compile(r"[（(][^）)]*[）)]$")
EXCERPT = 40

#: Names every template may use besides the query's columns. ``details`` holds every column the
#: clue carries, for columns a template reads only when present (``details.reading_zh``): validation
#: checks the query's own columns, not these.
CONTEXT_NAMES = frozenset({"subject", "period", "agency", "title", "evidence", "figures", "details"})
#: Detail columns that name a subject, tried in order when a model does not say how to name it.

DEFAULT_FACTS = (
    "经查，{{ subject }}{% if period %}在{{ period | period }}{% endif %}存在“{{ title }}”的情形"
    "{% if figures %}：{{ figures }}{% endif %}。"
)


@dataclass(frozen=True)
class Written:
    """Paragraphs a template produced, and a sentence for each paragraph that lacks data."""

    paragraphs: tuple[str, ...]
    warnings: tuple[str, ...]


def _finalize(value: Any) -> Any:
    """What ``{{ value }}`` prints for raw values: no None, no ISO dates, no Python lists."""
    if is_missing(value):
        return MISSING_TEXT
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        return figures.number(value)
    if isinstance(value, datetime):
        return figures.cn_datetime(value)
    if isinstance(value, date):
        return figures.cn_date(value)
    if isinstance(value, list | tuple):
        return figures.names(value)
    if isinstance(value, str) and ISO_DATE.match(value):
        return figures.cn_date(value)
    if isinstance(value, str) and ISO_DATETIME.match(value):
        return figures.cn_datetime(value)
    return value


@cache
def environment() -> SandboxedEnvironment:
    """The sandboxed environment every fact template renders in."""
    env = SandboxedEnvironment(
        undefined=Missing,
        finalize=_finalize,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(figures.FILTERS)
    return env


@dataclass(frozen=True)
class FactContext:
    """What a template sees: the clue's details plus its subject, period, addressee and evidence."""

    values: Mapping[str, Any]

    @classmethod
    def of(
        cls, detail: ClueDetail, title: str, subject_template: str | None, datasets_used: Iterable[str]
    ) -> FactContext:
        clue = detail.clue
        evidence: dict[str, list[dict[str, Any]]] = {}
        for row in detail.evidence:
            evidence.setdefault(row.dataset, []).append(_present(row.values))
        present = _present(detail.details)
        values: dict[str, Any] = {
            **present,
            "details": present,
            "period": clue.period or Missing(name="period"),
            "agency": clue.target_agency or Missing(name="agency"),
            "title": title,
            "evidence": evidence,
            "figures": contract_figures(detail.details, datasets_used),
        }
        values["subject"] = subject_name(detail, values, subject_template)
        return cls(values)


def _present(values: Mapping[str, Any]) -> dict[str, Any]:
    """The values with each null made :class:`Missing`, so templates may test and compare them."""
    return {key: Missing(name=key) if is_missing(value) else value for key, value in values.items()}


def subject_name(detail: ClueDetail, values: Mapping[str, Any], template: str | None) -> str:
    """How the letter names the subject: the model's ``facts.subject``, else the first name column."""
    if template:
        rendered = "".join(render(template, values).paragraphs)
        if rendered and MISSING_TEXT not in rendered:
            return rendered
    if named := display_subject_name(detail.details):
        return named
    for row in detail.evidence:
        if not is_missing(row.values.get("name")):
            return str(row.values["name"]).strip()
    from jiancha.documents.content import subject_title

    return f"该{subject_title(detail.clue.subject_type)}"


def contract_figures(details: Mapping[str, Any], datasets_used: Iterable[str]) -> str:
    """The details that are contract fields, as 日处理水量0吨、监测日期2024年3月5日, for the plain default."""
    fields = {f.name: f for name in datasets_used if (d := datasets().get(name)) for f in d.fields}
    parts = []
    for column, value in details.items():
        field = fields.get(column)
        if field is None or is_missing(value) or field.values or field.coord:
            continue
        title = UNIT_SUFFIX.sub("", field.title)
        if isinstance(value, int | float) and not isinstance(value, bool):
            parts.append(f"{title}{figures.number(value)}{field.unit or ''}")
        elif field.type.value in ("date", "datetime"):
            parts.append(f"{title}{_finalize(value)}")
    return "，".join(parts)


def render(template: str, values: Mapping[str, Any]) -> Written:
    """Render a template into paragraphs (blank lines part them; line breaks inside one are dropped)."""
    text = environment().from_string(template).render(values)
    paragraphs = tuple(
        "".join(line.strip() for line in block.splitlines())
        for block in BLANK_LINE.split(text.strip())
        if block.strip()
    )
    return Written(paragraphs, ())


def write(template: str | None, context: FactContext, section: str) -> Written:
    """Fill a template (the plain default when None); a template that fails falls back to the default.

    ``section`` names the part of the letter in the warnings (查明的事实, 认定理由).
    """
    warnings: list[str] = []
    try:
        written = render(template or DEFAULT_FACTS, context.values)
    except (TemplateError, ArithmeticError, TypeError, ValueError) as exc:
        warnings.append(f"{section}的模板无法套用（{exc}），已改用通用写法，请核对后修改。")
        written = render(DEFAULT_FACTS, context.values)
    for number, paragraph in enumerate(written.paragraphs, start=1):
        gaps = paragraph.count(MISSING_TEXT)
        if gaps:
            warnings.append(
                f"{section}第{number}段有{gaps}处数据未提供，已写作“{MISSING_TEXT}”，请核实证据后补充："
                f"{_excerpt(paragraph)}"
            )
    return Written(written.paragraphs, tuple(warnings))


def _excerpt(paragraph: str) -> str:
    at = paragraph.index(MISSING_TEXT)
    start = max(0, at - EXCERPT)
    return ("…" if start else "") + paragraph[start : at + len(MISSING_TEXT) + EXCERPT // 2] + "…"


def template_names(template: str) -> set[str]:
    """The variables a template reads (a syntax error raises jinja2.TemplateSyntaxError)."""
    return set(meta.find_undeclared_variables(environment().parse(template)))


def evidence_datasets(template: str) -> set[str]:
    """The datasets a template reads through ``evidence.<dataset>``."""
    return {dataset for dataset, _ in evidence_reads(environment().parse(template))}


def _rows_of(node: nodes.Node) -> str | None:
    """The dataset whose rows ``node`` yields: ``evidence.ds``, ``evidence.ds | first``, ``…[0]``."""
    if isinstance(node, nodes.Filter | nodes.Getitem):
        return _rows_of(node.node)
    if isinstance(node, nodes.Getattr) and isinstance(node.node, nodes.Name) and node.node.name == "evidence":
        return node.attr
    return None


def evidence_reads(tree: nodes.Template) -> set[tuple[str, str | None]]:
    """(dataset, field) pairs a template reads from evidence rows (field None: the rows themselves).

    Follows ``{% set row = evidence.ds | first %}`` and ``{% for row in evidence.ds %}``.
    """
    rows: dict[str, str] = {}
    for node in tree.find_all((nodes.Assign, nodes.For)):
        source = node.node if isinstance(node, nodes.Assign) else node.iter
        if isinstance(node.target, nodes.Name) and (dataset := _rows_of(source)):
            rows[node.target.name] = dataset
    found: set[tuple[str, str | None]] = set()
    for node in tree.find_all(nodes.Getattr):
        if isinstance(node.node, nodes.Name) and node.node.name == "evidence":
            found.add((node.attr, None))
        elif isinstance(node.node, nodes.Name) and node.node.name in rows:
            found.add((rows[node.node.name], node.attr))
        elif (dataset := _rows_of(node.node)) and not isinstance(node.node, nodes.Getattr):
            found.add((dataset, node.attr))
    return found


#: The filters whose argument may name a contract field, and the name of that argument.
FIELD_FILTERS = {"figure": "unit", "label": "reference"}


def filter_field_refs(tree: nodes.Template) -> list[tuple[str, str]]:
    """(filter, argument) of each ``figure(…)``/``label(…)`` whose argument is written out as text."""
    found = []
    for node in tree.find_all(nodes.Filter):
        if node.name not in FIELD_FILTERS:
            continue
        given = [node.args[0]] if node.args else []
        given += [k.value for k in node.kwargs if k.key == FIELD_FILTERS[node.name]]
        found += [
            (node.name, a.value) for a in given if isinstance(a, nodes.Const) and isinstance(a.value, str)
        ]
    return found


def _field_ref_problems(tree: nodes.Template) -> list[str]:
    """A ``figure`` unit written as dataset.field, and every ``label`` reference, must be a contract field."""
    known = datasets()
    problems = []
    for name, ref in filter_field_refs(tree):
        m = figures.FIELD_REF.match(ref)
        if m is None:
            if name == "label":
                problems.append(
                    f'模板中 label("{ref}") 应写明字段，如 label("sewage_facilities.facility_type")'
                )
        elif m[1] not in known or m[2] not in known[m[1]].field_names:
            problems.append(f'模板中 {name}("{ref}") 的字段 {ref} 不在数据契约中')
    return list(dict.fromkeys(problems))


def template_problems(template: str, columns: Iterable[str], datasets_used: Iterable[str]) -> list[str]:
    """What is wrong with a template for a query returning ``columns``: syntax, unknown names, datasets."""
    try:
        used = template_names(template)
    except TemplateError as exc:
        line = getattr(exc, "lineno", None)
        return [f"模板第{line}行有语法错误：{exc.message}" if line else f"模板有语法错误：{exc}"]
    problems = []
    unknown = sorted(used - set(columns) - CONTEXT_NAMES)
    if unknown:
        problems.append(
            f"模板用到查询没有返回的列 {'、'.join(unknown)}"
            f"（可用：查询的列，以及 {'、'.join(sorted(CONTEXT_NAMES))}）"
        )
    tree = environment().parse(template)
    reads = evidence_reads(tree)
    outside = sorted({dataset for dataset, _ in reads} - set(datasets_used))
    if outside:
        problems.append(f"模板读取了模型未声明的数据集证据 {'、'.join(outside)}")
    known = datasets()
    unknown_fields = sorted(
        f"{dataset}.{field}"
        for dataset, field in reads
        if field and dataset in known and field not in known[dataset].field_names
    )
    if unknown_fields:
        problems.append(f"模板读取的证据字段 {'、'.join(unknown_fields)} 不在数据契约中")
    return problems + _field_ref_problems(tree)


def state_facts(detail: ClueDetail, spec: ModelSpec | None) -> tuple[FactContext, Written]:
    """The facts paragraphs of a clue, and the context its reasons are worded from too."""
    facts = spec.facts if spec else None
    context = FactContext.of(
        detail,
        spec.title.zh if spec else detail.clue.model_id,
        facts.subject if facts else None,
        spec.datasets if spec else (),
    )
    return context, write(facts.zh if facts else None, context, "查明的事实")
