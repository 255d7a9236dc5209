"""``jiancha models list|show|validate|new``: the model catalogue, checks, and scaffolding a new model."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from jiancha.cli.app import app, console, workspace
from jiancha.cli.output import Field, FormatOption, OutputFormat, emit, listing, note
from jiancha.i18n import tr

if TYPE_CHECKING:
    from jiancha.models.catalog import Model

models_app = typer.Typer(
    help="监督模型 (supervision models: list, show, validate, new)", no_args_is_help=True
)
app.add_typer(models_app, name="models")

ModelsDirOption = Annotated[
    Path | None,
    typer.Option(
        "--models-dir",
        help="自建模型所在文件夹（YAML + SQL，任意层级），与内置模型一并使用 (folder of your own models)",
        file_okay=False,
    ),
]


def config_parameters(ctx: typer.Context) -> dict:
    """The workspace's ``[parameters."model_id"]`` tables from jiancha.toml."""
    return workspace(ctx).config().get("parameters", {})


MODEL_FIELDS = listing(
    "models list",
    Field("model_id", "编号", "ID"),
    Field("title", "名称", "Title"),
    Field("business_line", "业务条线", "Line"),
    Field("subject_type", "对象", "Subject"),
    Field("period", "期间", "Period"),
    Field("datasets", "数据集", "Datasets", show=lambda names, _: ", ".join(names)),
    Field("parameters", "参数", "Parameters", table=False),
    Field("source", "文件", "File", table=False),
)


def model_row(model: Model) -> dict:
    """A model as a listing row: its catalogue metadata and where it was loaded from."""
    spec = model.spec
    return {
        "model_id": model.id,
        "title": spec.title.text(),
        "business_line": spec.business_line,
        "subject_type": spec.subject_type,
        "period": spec.period,
        "datasets": list(spec.datasets),
        "parameters": {name: p.default for name, p in spec.parameters.items()},
        "source": str(model.yaml_path),
    }


@models_app.command("list")
def list_models(models_dir: ModelsDirOption = None, format: FormatOption = OutputFormat.table) -> None:
    """列出模型 (list the built-in and your own models).

    Example: jiancha models list --models-dir ./my-models --format json
    """
    from jiancha.models.catalog import Catalog

    catalog = Catalog.load(models_dir)
    emit(
        map(model_row, catalog.models.values()),
        MODEL_FIELDS,
        format,
        title=tr("监督模型", "Supervision models"),
    )
    for path, message in catalog.problems.items():
        note(f"[red]{tr('未能加载', 'Not loaded')}[/] {path}: {message}", format)


@models_app.command("show")
def show_model(
    ctx: typer.Context,
    model_id: Annotated[str, typer.Argument(help="模型编号 (model id)")],
    models_dir: ModelsDirOption = None,
) -> None:
    """显示模型详情：说明、参数（含本工作区的取值）、法律依据、查询 (show one model).

    Example: jiancha models show water.facility_idle
    """
    from rich.syntax import Syntax

    from jiancha.cli.law import print_provisions, workspace_law
    from jiancha.models.catalog import Catalog

    (model,) = Catalog.load(models_dir).select([model_id])
    spec = model.spec
    console.print(f"[bold]{model.id}[/]  {spec.title.text()}")
    console.print(spec.description.text())
    console.print(f"{tr('监督点', 'Supervision point')}：{spec.supervision_point}")
    console.print(f"{tr('送达对象', 'Addressee')}：{spec.addressee.text()}")
    console.print(f"{tr('数据集', 'Datasets')}：{', '.join(spec.datasets + spec.derived)}")
    console.print(_parameters_table(model, config_parameters(ctx).get(model.id, {})))
    console.print(f"[bold]{tr('法律依据', 'Legal basis')}[/]")
    print_provisions(model.provisions(workspace_law(ctx)))
    for level, condition in spec.severity.items():
        console.print(f"{tr('严重程度', 'Severity')} {level}: {condition}")
    console.print(f"[dim]{model.yaml_path}[/]")
    if model.sql_path is not None:
        console.print(Syntax(model.sql_text(), "sql", line_numbers=True))
    else:
        console.print(f"{tr('Ibis 查询', 'Ibis query')}：{spec.ibis}")


def _parameters_table(model: Model, configured: dict) -> Table:
    table = Table(title=tr("参数", "Parameters"))
    headers = [tr("名称", "Name"), tr("类型", "Type"), tr("默认值", "Default")]
    headers += [tr("本工作区", "This workspace"), tr("说明", "Meaning")]
    for header in headers:
        table.add_column(header)
    for name, parameter in model.spec.parameters.items():
        table.add_row(
            name,
            parameter.type,
            str(parameter.default),
            str(configured.get(name, "")),
            parameter.title.text(),
        )
    return table


@models_app.command("validate")
def validate(
    ctx: typer.Context,
    model_ids: Annotated[
        list[str] | None, typer.Argument(help="模型编号；省略则检查全部 (ids; all when omitted)")
    ] = None,
    models_dir: ModelsDirOption = None,
) -> None:
    """检查模型：规格、参数、SQL 语法、表和字段、输出列 (validate models without running them on data).

    Example: jiancha models validate --models-dir ./my-models
    """
    from jiancha.cli.law import workspace_law
    from jiancha.models.catalog import Catalog
    from jiancha.models.validate import validate_models

    verdicts = validate_models(
        Catalog.load(models_dir), model_ids or None, config_parameters(ctx), workspace_law(ctx)
    )
    for verdict in verdicts:
        mark = "[green]✓[/]" if verdict.ok else "[red]✗[/]"
        console.print(f"{mark} {verdict.model_id}" + ("" if verdict.ok else f"\n  {verdict.message}"))
        for warning in verdict.warnings:
            console.print(f"  [yellow]{tr('提示', 'Warning')}：[/]{warning}")
    failed = sum(not v.ok for v in verdicts)
    console.print(
        tr(
            f"共 {len(verdicts)} 个模型，{failed} 个有错误。",
            f"{len(verdicts)} models, {failed} with errors.",
        )
    )
    if failed:
        raise typer.Exit(1)


@models_app.command("new")
def new_model(
    model_id: Annotated[str, typer.Argument(help="新模型编号，如 local.idle_pumps (new model id)")],
    models_dir: Annotated[
        Path, typer.Option("--models-dir", help="放新模型的文件夹 (folder for your models)", file_okay=False)
    ] = Path("models"),
) -> None:
    """新建模型：生成 YAML、SQL 和一份金标准测试 (scaffold a model and its golden test).

    Example: jiancha models new local.idle_pumps --models-dir ./my-models
    """
    from jiancha.models.scaffold import scaffold_model

    for path in scaffold_model(model_id, models_dir):
        console.print(f"{tr('已创建', 'Created')} {path}")
    console.print(
        tr(
            f"下一步：编辑 SQL，运行 jiancha models validate --models-dir {models_dir}，"
            "再用 pytest 运行测试。",
            f"Next: edit the SQL, run jiancha models validate --models-dir {models_dir}, then pytest.",
        )
    )
