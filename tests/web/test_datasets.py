"""The datasets page reads lineage from the lake for one request, and copes with a locked lake."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import pytest

from jiancha.ingest import ingest_drop
from jiancha.web import create_app
from jiancha.web import gaps as gaps_module
from jiancha.web.config import WebConfig
from jiancha.workspace import Workspace
from web.conftest import sign_in

CSV = (
    "decision_no,agency,party_name,party_id_no,decision_date,fine_yuan\n"
    "雄环罚〔2025〕1号,雄县生态环境分局,某某公司,,2025-03-01,50000\n"
    "雄环罚〔2025〕2号,雄县生态环境分局,李四,130632198001011234,2025-13-45,20000\n"
)

#: The penalties feed (monthly) ends in March 2025; by the store's today (2025-06-01) it counts as stopped.
GAP_SINCE = "2025-04-01"
GAP_SENTENCE = "行政处罚决定 自2025年4月1日起无数据"


@contextmanager
def lake_held_by_another_process(ws: Workspace) -> Iterator[None]:
    """A writer in another process holds the lake open (as an ingest would) for the block's duration."""
    holder = (
        "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); sys.stdin.read()"
    )
    writer = subprocess.Popen(
        [sys.executable, "-c", holder, str(ws.lake_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout.readline().strip() == "ready"
        yield
    finally:
        writer.communicate("\n", timeout=20)


@pytest.fixture
def lake_client(tmp_path, store):
    from fastapi.testclient import TestClient

    ws = Workspace.resolve(tmp_path / "home")
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "admin_penalties.csv").write_text(CSV, "utf-8")
    ingest_drop(ws, drop, progress=False)
    app = create_app(WebConfig(store.url, "k", workspace=ws), store=store)
    with TestClient(app) as client:
        yield ws, client


def test_data_officer_sees_current_version_loads_and_masked_rejections(lake_client):
    _, client = lake_client
    sign_in(client, "data")
    body = client.get("/api/datasets").json()
    current = body["current"]["admin_penalties"]
    assert (current["file_name"], current["rows_read"], current["rows_loaded"], current["rows_rejected"]) == (
        "admin_penalties.csv",
        2,
        1,
        1,
    )
    assert [r["row"] for r in body["rejections"]] == [3]
    assert body["rejections"][0]["field"] == "decision_date"
    page = client.get("/datasets").text
    assert "admin_penalties.csv" in page and "130632198001011234" not in page


def test_prosecutor_may_not_see_datasets(lake_client):
    _, client = lake_client
    sign_in(client, "xiong_p")
    assert client.get("/api/datasets").status_code == 403
    assert client.get("/datasets").status_code == 403


def test_a_lake_held_by_a_writer_gives_a_sentence_not_an_error(lake_client):
    ws, client = lake_client
    sign_in(client, "boss")
    with lake_held_by_another_process(ws):
        response = client.get("/datasets")
    assert response.status_code == 200
    assert "正被另一个进程" in response.text and 'id="lake-unavailable"' in response.text
    after = client.get("/api/datasets").json()
    assert after["unavailable"] is None and after["current"]["admin_penalties"]["rows_loaded"] == 1


def test_no_lake_yet_is_said_plainly(tmp_path, store):
    from fastapi.testclient import TestClient

    ws = Workspace.resolve(tmp_path / "empty")
    app = create_app(WebConfig(store.url, "k", workspace=ws), store=store)
    with TestClient(app) as client:
        sign_in(client, "data")
        body = client.get("/api/datasets").json()
    assert body["unavailable"].startswith(f"工作区 {ws.home} 还没有数据湖")


def test_the_page_lets_go_of_the_lake_so_an_ingest_can_write(lake_client):
    ws, client = lake_client
    sign_in(client, "data")
    assert client.get("/datasets").status_code == 200
    writer = duckdb.connect(str(ws.lake_path))  # refused if the page still held a read-only connection
    writer.execute("CREATE TABLE web_test_marker AS SELECT 1 AS x")
    writer.close()


def test_stopped_feeds_are_shown_on_the_datasets_page_and_its_twin(lake_client):
    _, client = lake_client
    sign_in(client, "data")
    gaps = client.get("/api/datasets").json()["gaps"]
    assert [(g["dataset"], g["since"]) for g in gaps] == [("admin_penalties", GAP_SINCE)]
    page = client.get("/datasets").text
    assert "数据中断" in page and GAP_SENTENCE in page


def test_the_dashboard_shows_stopped_feeds_reading_the_lake_only_when_it_changed(lake_client, monkeypatch):
    ws, client = lake_client
    sign_in(client, "boss")
    reads = []
    real = gaps_module.lake_gaps
    monkeypatch.setattr(gaps_module, "lake_gaps", lambda *a: reads.append(a) or real(*a))
    gaps_module._cache.clear()
    for _ in range(3):
        assert GAP_SENTENCE in client.get("/").text
    assert len(reads) == 1
    (ws.home / "jiancha.toml").write_text('[coverage."admin_penalties"]\nlate_days = 4000\n', "utf-8")
    writer = duckdb.connect(str(ws.lake_path))  # an ingest: the lake file changes
    writer.execute("CREATE TABLE web_test_marker AS SELECT 1 AS x")
    writer.close()
    assert "数据中断" not in client.get("/").text
    assert len(reads) == 2


def test_a_locked_or_missing_lake_leaves_the_dashboard_working(lake_client, tmp_path, store):
    from fastapi.testclient import TestClient

    ws, client = lake_client
    sign_in(client, "boss")
    gaps_module._cache.clear()
    with lake_held_by_another_process(ws):
        locked = client.get("/")
    assert locked.status_code == 200 and "数据中断" not in locked.text
    assert GAP_SENTENCE in client.get("/").text  # not cached while locked: looked at again
    app = create_app(WebConfig(store.url, "k", workspace=Workspace.resolve(tmp_path / "none")), store=store)
    with TestClient(app) as other:
        sign_in(other, "boss")
        assert other.get("/").status_code == 200
