"""Generate a synthetic drop: build every dataset, write the files, and write the
truth beside the drop (ground truth, entity truth, metadata, README)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rich.progress import Progress

from jiancha.contracts import datasets
from jiancha.errors import JianchaError
from jiancha.i18n import tr
from jiancha.synth import crime, enforcement, files, water
from jiancha.synth.messy import BAD_ROWS, STYLES, Style
from jiancha.synth.world import AS_OF, World

GENERATOR_VERSION = "1"
#: The party-name fields and the credit-code field written beside each.
CODE_BESIDE = {
    ("sewage_facilities", "operator_name"): "operator_credit_code",
    ("sludge_manifests", "receiver_name"): "receiver_credit_code",
    ("disposal_permits", "receiver_name"): "receiver_credit_code",
    ("admin_penalties", "party_name"): "party_credit_code",
    ("case_transfers", "party_name"): "party_credit_code",
    ("business_registry", "name"): "credit_code",
    ("scrap_dealer_filings", "name"): "credit_code",
    ("police_scrap_filings", "name"): "credit_code",
    ("construction_sites", "contractor_name"): "contractor_credit_code",
}


@dataclass(frozen=True)
class SynthResult:
    """What a run wrote: the drop folder and the row count of every dataset."""

    out: Path
    drop: Path
    rows: dict[str, int]
    positives: int


def generate(out: Path, seed: int, scale: float, progress: Progress | None = None) -> SynthResult:
    """Write a drop for ``seed`` and ``scale`` into ``out/drop`` and the truth into ``out``."""
    if scale <= 0:
        raise JianchaError(
            tr(
                f"规模必须大于 0（收到 {scale}），例如 1 或 0.1。",
                f"The scale must be greater than 0 (got {scale}), e.g. 1 or 0.1.",
            )
        )
    world = World(seed, scale)
    steps: list[tuple[str, Callable[[World], None]]] = [
        (tr("水环境数据", "water data"), water.build),
        (tr("行政处罚与移送", "penalties and transfers"), enforcement.build),
        (tr("刑事与社会治理数据", "crime and governance data"), crime.build),
    ]
    drop = Path(out) / "drop"
    drop.mkdir(parents=True, exist_ok=True)
    with _progress(progress) as bar:
        task = bar.add_task(tr("生成", "Generating"), total=len(steps) + len(datasets()))
        for label, step in steps:
            bar.update(task, description=label)
            step(world)
            bar.advance(task)
        rows = {}
        for name, dataset in datasets().items():
            bar.update(task, description=f"{tr('写出', 'Writing')} {name}")
            files.write(world, dataset, world.table(name), drop)
            rows[name] = len(world.table(name)) + (1 if name in BAD_ROWS else 0)
            bar.advance(task)
    _write_truth(world, Path(out), rows)
    return SynthResult(Path(out), drop, rows, sum(p.positive for p in world.planted))


def _progress(progress: Progress | None) -> Progress:
    return progress or Progress(transient=True)


def _csv_bytes(header: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _write_truth(world: World, out: Path, rows: dict[str, int]) -> None:
    truth = sorted({(p.model_id, p.subject_id, p.period) for p in world.planted if p.positive})
    (out / "ground_truth.csv").write_bytes(_csv_bytes(["model_id", "subject_id", "period"], truth))
    (out / "entities_truth.csv").write_bytes(
        _csv_bytes(["dataset", "field", "row", "name", "credit_code", "entity_key"], _entity_rows(world))
    )
    meta = {
        "seed": world.seed,
        "scale": world.scale,
        "as_of": AS_OF.isoformat(),
        "rows": rows,
        "generator_version": GENERATOR_VERSION,
        "positives": len(truth),
    }
    (out / "synth_meta.json").write_text(
        json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    (out / "README.txt").write_text(_readme(world, rows), encoding="utf-8")


def _entity_rows(world: World) -> list[list]:
    out = []
    for name in datasets():
        table = world.table(name)
        for index, field, key in table.parties:
            row = table.rows[index]
            code = row.get(CODE_BESIDE.get((name, field), ""))
            out.append([name, field, index + 2, row[field], code or "", key])
        for index, field, key, spelled in table.listed:
            out.append([name, field, index + 2, spelled, "", key])
    return out


def _readme(world: World, rows: dict[str, int]) -> str:
    lines = [
        "jiancha 合成数据 (synthetic Xiong'an block data)",
        f"seed={world.seed} scale={world.scale} as_of={AS_OF.isoformat()} 数据年度 2024-01-01..2024-12-31",
        "",
        "drop/ 是数据投递目录；本文件与 ground_truth.csv、entities_truth.csv、synth_meta.json 在其旁边。",
        "背景数据不触发任何模型；下列埋设案例中，正例(+)必须产生线索，近似反例(-)不得产生。",
        "",
    ]
    by_model: dict[str, list] = {}
    for p in world.planted:
        by_model.setdefault(p.model_id, []).append(p)
    for model_id in sorted(by_model):
        lines.append(f"[{model_id}]")
        for p in by_model[model_id]:
            period = f" {p.period}" if p.period else ""
            lines.append(f"  {'+' if p.positive else '-'} {p.subject_id}{period}: {p.why}")
        lines.append("")
    lines.append("文件写法 (how each agency wrote its file):")
    for name, style in STYLES.items():
        lines.append(f"  {name}.{style.fmt}: {_habits(style)}")
    lines.append("")
    lines.append(
        "应被拒收的坏行 (rows ingestion must reject; row numbers as a spreadsheet shows them, header = 1):"
    )
    for name, (what, _, _) in BAD_ROWS.items():
        lines.append(f"  {name}: 第 {rows[name] + 1} 行 — {what}")
    lines.append("")
    return "\n".join(lines)


def _habits(style: Style) -> str:
    """One line saying how a file is written, for the README."""
    habits = ["中文表头" if style.chinese_headers else "英文表头"]
    if style.fmt == "csv":
        habits.append(style.encoding.upper())
    if style.shuffle_columns:
        habits.append("列序打乱")
    if style.dates != "iso":
        habits.append(
            {"mixed": "日期写法混用", "slash": "日期写作2024/3/5", "chinese": "日期写作2024年3月5日"}[
                style.dates
            ]
        )
    if style.labels:
        habits.append("枚举写中文标签")
    if style.booleans != ("true", "false"):
        habits.append("布尔值写作是/否")
    if style.thousands:
        habits.append("千分位：" + "、".join(style.thousands))
    if style.extra:
        habits.append("多余列：" + "、".join(style.extra))
    return "，".join(habits)
