"""Option values several commands parse the same way."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

import typer

from jiancha.i18n import tr


class EngineName(StrEnum):
    """Where a command's queries run (``run`` and ``resolve``)."""

    duckdb = "duckdb"
    spark = "spark"


EngineOption = Annotated[
    EngineName,
    typer.Option("--engine", help="查询引擎：本机 duckdb 或 spark (duckdb here, or spark)"),
]
SparkMasterOption = Annotated[
    str | None,
    typer.Option(
        "--spark-master",
        help="Spark 主节点，如 spark://host:7077；默认 JIANCHA_SPARK_MASTER，否则 local[*] (master)",
    ),
]
LakeOption = Annotated[
    str | None,
    typer.Option(
        "--lake",
        help="Spark 读取的数据湖文件夹或 URI（s3a://、hdfs://）；默认工作区的 lake 文件夹 (lake)",
    ),
]


def spark_only(engine: EngineName, spark_master: str | None, lake: str | None) -> None:
    """Refuse Spark's options on DuckDB: they would be silently ignored."""
    if engine is EngineName.duckdb and (spark_master or lake):
        raise typer.BadParameter(
            tr(
                "--spark-master 与 --lake 只用于 --engine spark。",
                "--spark-master and --lake are for --engine spark only.",
            )
        )


def parse_date(text: str | None, option: str) -> date | None:
    """A ``YYYY-MM-DD`` option value (None when not given); a usage error naming ``option`` otherwise."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            tr(
                f"{option} {text!r} 不是日期，应写作 YYYY-MM-DD。",
                f"{option} {text!r} is not a YYYY-MM-DD date.",
            )
        ) from None
