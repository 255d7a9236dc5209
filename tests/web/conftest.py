"""Fixtures for the web app: a seeded clue store, users of every role, and signed-in clients."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest
from fastapi.testclient import TestClient

from jiancha.clues import ClueStore
from jiancha.findings import EvidenceRow, Finding, Location
from jiancha.web import create_app
from jiancha.web.access import Role
from jiancha.web.config import WebConfig
from jiancha.web.users import add_user
from jiancha.workspace import Workspace

PASSWORD = "correct-horse-9"
XIONG = "雄县人民检察院"
RONGCHENG = "容城县人民检察院"
#: Points inside the shipped county polygons (routing sends them to these offices).
POINTS = {XIONG: (116.10, 38.99), RONGCHENG: (115.86, 39.05)}
USERS = {
    "xiong_p": (Role.PROSECUTOR, "雄县院"),
    "rong_p": (Role.PROSECUTOR, "容城县院"),
    "boss": (Role.LEADERSHIP, "雄安分院"),
    "data": (Role.DATA_OFFICER, "雄安分院"),
    "root": (Role.ADMIN, "雄安分院"),
}
ID_NUMBER = "130632198001011234"


def finding(i: int, office: str) -> Finding:
    """A penalty clue located in ``office``'s county, resting on one row with a personal ID number."""
    lon, lat = POINTS[office]
    return Finding(
        model_id="linkage.penalty_not_transferred",
        subject_type="penalty",
        subject_id=f"雄环罚〔2025〕{i}号",
        period=None,
        severity="high" if i % 2 else "medium",
        target_agency="雄县生态环境分局",
        legal_basis="行政执法机关移送涉嫌犯罪案件的规定 第三条",
        evidence=(
            EvidenceRow(
                "admin_penalties",
                "penalties_2025.xlsx",
                i + 1,
                {"decision_no": f"雄环罚〔2025〕{i}号", "party_name": "张三", "party_id_no": ID_NUMBER},
            ),
        ),
        location=Location(lon, lat, None),
        conduct_month="2025-03",  # as the runner dates it from decision_date
        details={
            "fine_yuan": 60000.0 + i,
            "party_id_no": ID_NUMBER,
            "concealed_pipe": True,
            "decision_date": "2025-03-0" + str(1 + i % 9),
            "other_farmland_mu": None,
        },
    )


def seed(store: ClueStore, per_office: int = 3) -> None:
    findings = [finding(i, XIONG) for i in range(per_office)]
    findings += [finding(100 + i, RONGCHENG) for i in range(per_office)]
    store.sync_findings("run-1", "linkage.penalty_not_transferred", findings)
    for name, (role, office) in USERS.items():
        add_user(store, name, role, office, PASSWORD)


@pytest.fixture
def store(tmp_path) -> Iterator[ClueStore]:
    fixed = datetime(2025, 6, 1, 9, 0)
    with ClueStore(f"sqlite:///{tmp_path / 'store.sqlite'}", clock=lambda: fixed) as s:
        seed(s)
        yield s


@pytest.fixture
def app(store, tmp_path):
    """The app over the seeded store, with a workspace in ``tmp_path`` to keep documents in."""
    config = WebConfig(store_url=store.url, secret_key="test-secret", workspace=Workspace(tmp_path))
    return create_app(config, store=store)


def sign_in(client: TestClient, name: str) -> TestClient:
    """Sign ``client`` in through the real login form (CSRF token included)."""
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(
        "/login",
        data={"name": name, "password": PASSWORD, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client


@pytest.fixture
def client_for(app) -> Iterator:
    clients: list[TestClient] = []

    def make(name: str | None = None) -> TestClient:
        client = TestClient(app)
        clients.append(client)
        return sign_in(client, name) if name else client

    yield make
    for c in clients:
        c.close()


def csrf_of(client: TestClient, path: str = "/clues") -> str:
    html = client.get(path).text
    return html.split('name="csrf_token" value="')[1].split('"')[0]


TODAY = date(2025, 6, 1)
