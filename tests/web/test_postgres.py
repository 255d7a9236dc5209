"""The web app over a PostgreSQL clue store: scoping, masking, a workflow step and the dashboard."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from jiancha.clues import ClueStore
from jiancha.clues.seal import AuditSeal
from jiancha.web import create_app
from jiancha.web.config import WebConfig
from web.conftest import ID_NUMBER, XIONG, csrf_of, seed, sign_in

PG_URL = os.environ.get("JIANCHA_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_app(tmp_path) -> Iterator:
    """The app over a PostgreSQL schema of its own, dropped afterwards."""
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            schema = f"web_{uuid.uuid4().hex[:12]}"
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # the server is not there
        if os.environ.get("JIANCHA_REQUIRE_POSTGRES"):
            pytest.fail(f"PostgreSQL at {PG_URL} is not reachable: {exc}")
        pytest.skip(f"PostgreSQL at {PG_URL} is not reachable: {exc.__class__.__name__}")
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        with ClueStore(
            url.render_as_string(hide_password=False),
            clock=lambda: datetime(2025, 6, 1, 9),
            seal=AuditSeal.for_workspace(tmp_path, {}),
        ) as store:
            seed(store)
            yield create_app(WebConfig(store.url, "k"), store=store)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_prosecutor_on_postgres(pg_app):
    with TestClient(pg_app) as client:
        sign_in(client, "xiong_p")
        listed = client.get("/api/clues").json()
        assert listed["total"] == 3 and {c["office"] for c in listed["items"]} == {XIONG}
        clue_id = listed["items"][0]["id"]
        assert client.get(f"/api/clues/{clue_id}").json()["evidence"][0]["values"]["party_id_no"] == ID_NUMBER
        headers = {"X-CSRF-Token": csrf_of(client)}
        done = client.post(f"/api/clues/{clue_id}/actions/triage", json={"reason": "属实"}, headers=headers)
        assert done.json()["status"] == "triaged"
        dashboard = client.get("/api/dashboard").json()
        assert (dashboard["total"], dashboard["by_status"]) == (3, {"new": 2, "triaged": 1})
        assert dashboard["by_office"] == {XIONG: 3}
        assert '<strong id="dash-total">3</strong>' in client.get("/").text
    with TestClient(pg_app) as leader:
        sign_in(leader, "boss")
        assert leader.get("/api/clues").json()["total"] == 6
        assert leader.get("/api/dashboard").json()["by_status"] == {"new": 5, "triaged": 1}
        masked = leader.get(f"/api/clues/{clue_id}").json()["evidence"][0]["values"]["party_id_no"]
        assert masked == "130632********1234"
