"""What one ingest did: per-file outcomes and every rejected row or warning, and the report file.

The report file is what a prosecutor sends back to the agency's data officer,
so its headers are Chinese and its CSV carries a BOM for Excel.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

from jiancha.clues.masking import mask_value, personal_fields
from jiancha.errors import ContractError
from jiancha.i18n import tr


@dataclass(frozen=True)
class Rejection:
    """One problem with one row (or, with ``row`` None, a whole file)."""

    dataset: str | None
    file: str
    row: int | None
    field: str | None
    value: str | None
    reason: str
    severity: str  # "error" (row or file not loaded) | "warning" (row loaded)


@dataclass(frozen=True)
class FileResult:
    """The outcome for one file of the drop."""

    file: str
    dataset: str | None
    status: str  # loaded | unchanged | rejected_file | skipped
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    warnings: int = 0
    message: str | None = None
    load_id: int | None = None


@dataclass
class IngestReport:
    """Everything one ``ingest_drop`` call did, in drop order."""

    files: list[FileResult] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    #: How many rejections this ingest recorded; beyond the listed ones they are only in ``_rejections``.
    rejections_total: int = 0

    @property
    def unlisted(self) -> int:
        return self.rejections_total - len(self.rejections)

    @property
    def loaded(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "loaded"]


def report_columns() -> list[str]:
    return [
        tr("数据集", "dataset"),
        tr("文件", "file"),
        tr("行号", "row"),
        tr("字段", "field"),
        tr("值", "value"),
        tr("原因", "reason"),
        tr("级别", "severity"),
    ]


def severity_label(severity: str) -> str:
    return tr("拒绝", "rejected") if severity == "error" else tr("警告", "warning")


def report_row(r: Rejection) -> list[object]:
    """One rejection as the terminal table and the report file show it (see :func:`report_columns`).

    The value of a field the contract marks personal (an ID number, a name) is masked, as
    on the web app's datasets page: the report travels by mail to the agency, and the row
    number finds the cell. ``_rejections`` holds it masked already (``ingest.load``); masking
    again changes nothing and covers lakes written before it did.
    """
    value = mask_value(r.value) if r.dataset and r.field in personal_fields(r.dataset) else r.value
    return [r.dataset, r.file, r.row, r.field, value, r.reason, severity_label(r.severity)]


def write_report(report: IngestReport, path: Path) -> None:
    """Write the rejections as ``.csv`` (UTF-8 with BOM) or ``.xlsx``."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ContractError(
            tr(
                f"报告文件 {path} 的扩展名应为 .csv 或 .xlsx。",
                f"The report file {path} must end in .csv or .xlsx.",
            )
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(report_columns())
            writer.writerows(report_row(r) for r in report.rejections)
        return
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(tr("拒绝与警告", "rejections"))
    sheet.append(report_columns())
    for r in report.rejections:
        sheet.append(report_row(r))
    book.save(path)
