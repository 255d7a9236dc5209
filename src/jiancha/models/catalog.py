"""Finding models on disk: a YAML spec beside a SQL file of the same stem.

Built-in models live in ``jiancha/library/<family>/``; a user's models come from
``--models-dir DIR`` with the same layout at any depth. Reference tables are the
CSV files of a ``reference/`` folder at the top of either, registered as
``ref_<stem>``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from jiancha import library
from jiancha.errors import ModelError
from jiancha.i18n import tr
from jiancha.law import LawCatalogue, Provision, UnknownProvision
from jiancha.law.catalogue import PROVISIONS_FILE
from jiancha.models.spec import ModelSpec, load_spec

REFERENCE_DIR = "reference"
SKIPPED_SUFFIX = ".skipped.sql"


@dataclass(frozen=True)
class Model:
    """A spec together with where it came from and its query (SQL text or an Ibis function)."""

    spec: ModelSpec
    yaml_path: Path
    sql_path: Path | None
    skipped_path: Path | None = None  # <stem>.skipped.sql: the subjects the model cannot judge, and why

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def query_origin(self) -> str:
        """What to name in an error about the query: the SQL file or the Ibis function."""
        return self.sql_path.name if self.sql_path else f"ibis {self.spec.ibis}"

    def sql_text(self) -> str:
        """The SQL file's text (models with an Ibis query have none)."""
        if self.sql_path is None:
            raise ModelError(f"模型 {self.id} 用 Ibis 表达式（{self.spec.ibis}），没有 SQL 文件。")
        return self.sql_path.read_text("utf-8")

    def provisions(self, law: LawCatalogue | None = None) -> list[Provision]:
        """The provisions the model cites, from ``law`` (built-in only when None).

        A key the catalogue lacks is an error naming the model's file and the key, so a
        model citing a provision nobody entered never runs, validates or reaches a document.
        """
        try:
            return self.spec.provisions(law)
        except UnknownProvision as exc:
            raise ModelError(
                tr(
                    f"模型文件 {self.yaml_path} 的法律依据引用了 {exc.key}，法律依据目录中没有这一条文；"
                    "请改用 jiancha law list 中的编号，或先用 jiancha law add 把该条文加入本工作区的目录。",
                    f"Model file {self.yaml_path} cites {exc.key} as a legal basis, which is not in the "
                    "legal-basis catalogue; use a key from jiancha law list, or add the provision with "
                    "jiancha law add first.",
                )
            ) from None

    def legal_basis_text(self, law: LawCatalogue | None = None) -> str:
        """The citations as one string, as a clue carries them (its ``legal_basis`` column)."""
        return "；".join(p.citation for p in self.provisions(law))


def load_model(yaml_path: Path) -> Model:
    """One model from its YAML file and the SQL file beside it (unless the YAML names an Ibis query),
    with its skipped-subjects query when a ``<stem>.skipped.sql`` file is there too."""
    spec = load_spec(yaml_path)
    sql_path = yaml_path.with_suffix(".sql")
    skipped = yaml_path.with_suffix(SKIPPED_SUFFIX)
    skipped_path = skipped if skipped.exists() else None
    if spec.ibis is not None:
        if sql_path.exists():
            raise ModelError(
                f"模型 {spec.id} 既有 SQL 文件 {sql_path.name} 又在 YAML 中写了 ibis: {spec.ibis}；"
                "只能二选一。"
            )
        return Model(spec, yaml_path, None, skipped_path)
    if not sql_path.exists():
        raise ModelError(
            f"模型 {spec.id} 缺少查询文件 {sql_path}：应在 {yaml_path.name} 旁放一个同名的 .sql 文件，"
            "或在 YAML 中用 ibis: 模块:函数 指定 Ibis 查询。"
        )
    return Model(spec, yaml_path, sql_path, skipped_path)


def model_files(root: Path) -> list[Path]:
    """Every model YAML under ``root`` at any depth, the reference folder (and the library's law
    catalogue, which is data, not a model) excluded."""
    return sorted(
        p
        for p in root.rglob("*.yaml")
        if p.relative_to(root).parts[0] != REFERENCE_DIR and p != PROVISIONS_FILE
    )


def reference_files(root: Path) -> dict[str, Path]:
    """``ref_<stem>`` → CSV file for each file of ``root/reference``."""
    folder = root / REFERENCE_DIR
    return {f"ref_{p.stem}": p for p in sorted(folder.glob("*.csv"))} if folder.is_dir() else {}


def by_id(models: Iterable[Model]) -> dict[str, Model]:
    """Models by id, sorted; the same id twice is an error naming both files."""
    out: dict[str, Model] = {}
    for model in sorted(models, key=lambda m: m.id):
        if model.id in out:
            raise ModelError(
                f"模型编号 {model.id} 重复：{out[model.id].yaml_path} 与 {model.yaml_path}；"
                "请改用不同的编号。"
            )
        out[model.id] = model
    return out


def merge_references(groups: Iterable[dict[str, Path]]) -> dict[str, Path]:
    """Reference tables by name; the same name twice is an error naming both files."""
    out: dict[str, Path] = {}
    for group in groups:
        for name, path in group.items():
            if name in out:
                raise ModelError(f"参照表 {name} 重复：{out[name]} 与 {path}；请给其中一个改名。")
            out[name] = path
    return out


@dataclass(frozen=True)
class Catalog:
    """The models and reference tables a run can use: the library's, plus a user's folder.

    A model file that does not load is kept in ``problems`` rather than stopping the
    rest, so one broken file never stops the other models.
    """

    models: dict[str, Model]
    references: dict[str, Path]
    problems: dict[Path, str]

    @classmethod
    def load(cls, models_dir: Path | None = None) -> Catalog:
        roots = [library.ROOT] + ([models_dir] if models_dir is not None else [])
        for root in roots:
            if not root.is_dir():
                raise ModelError(f"模型目录 {root} 不存在或不是文件夹。")
        loaded: list[Model] = []
        problems: dict[Path, str] = {}
        for root in roots:
            for path in model_files(root):
                try:
                    loaded.append(load_model(path))
                except ModelError as exc:
                    problems[path] = str(exc)
        return cls(by_id(loaded), merge_references(reference_files(root) for root in roots), problems)

    def select(self, ids: Iterable[str] | None) -> list[Model]:
        """The named models in the order given (all, sorted by id, when ``ids`` is None)."""
        if ids is None:
            return list(self.models.values())
        chosen = []
        for model_id in ids:
            if model_id not in self.models:
                broken = [str(p) for p in self.problems if p.stem == model_id.rsplit(".", 1)[-1]]
                hint = f"（文件 {'、'.join(broken)} 未能加载，见 jiancha models validate）" if broken else ""
                raise ModelError(
                    f"没有编号为 {model_id} 的模型{hint}；用 jiancha models list 查看可用的模型。"
                )
            chosen.append(self.models[model_id])
        return chosen
