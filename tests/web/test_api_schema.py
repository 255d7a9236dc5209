"""Schemathesis over the app's own OpenAPI spec, in process (ASGI), signed in as each role.

Every operation is fuzzed from its schema — valid input, invalid input, a real clue of the
user's office and one of another office — and each response must hold three things:

- no server error (5xx);
- it conforms to the spec: a documented status, its content type, a body matching the
  response schema (errors in the one error shape);
- nothing of another office: a prosecutor never receives a clue id or subject of the other
  county's clues, and nobody but the clue's own prosecutors receives its personal ID number
  unmasked.

The unmarked test is the time-boxed one CI runs (a few examples per operation and variant);
the ``slow`` one runs many more. schemathesis's own pytest plugin fails to collect under
pytest 9, so the operations' hypothesis strategies are driven directly.
"""

from __future__ import annotations

import io
import json
import os
import zipfile

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from jiancha.web import create_app
from jiancha.web.access import Role
from jiancha.web.config import WebConfig
from jiancha.web.limits import Limit, RateLimits
from jiancha.workspace import Workspace
from web.conftest import ID_NUMBER, PASSWORD, USERS

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
OPERATIONS = 20
#: The fuzzer's hundreds of requests a minute are the point here, not what the limits stop.
UNLIMITED = RateLimits(*(Limit(1_000_000, 60) for _ in range(4)))


@pytest.fixture
def fuzzed_app(store, tmp_path):
    config = WebConfig(
        store_url=store.url, secret_key="test-secret", workspace=Workspace(tmp_path), rate_limits=UNLIMITED
    )
    return create_app(config, store=store)


def token_for(app, name: str) -> dict[str, str]:
    with TestClient(app) as client:
        token = client.post("/api/token", json={"name": name, "password": PASSWORD}).json()["token"]
    return {"Authorization": f"Bearer {token}"}


def clues_by_office(app) -> dict[str, list[dict]]:
    with TestClient(app) as client:
        items = client.get("/api/clues", headers=token_for(app, "root")).json()["items"]
    offices: dict[str, list[dict]] = {}
    for item in items:
        offices.setdefault(item["office"], []).append(item)
    return offices


def home_county(user: str) -> str:
    """The county whose clues are ``user``'s own: a prosecutor's, else Xiong county's (all are visible)."""
    role, office = USERS[user]
    return office[:2] if role is Role.PROSECUTOR else USERS["xiong_p"][1][:2]


def forbidden_for(user: str, offices: dict[str, list[dict]]) -> set[str]:
    """What ``user`` must never get: other offices' clue ids and subjects; ID numbers unless a prosecutor."""
    if USERS[user][0] is not Role.PROSECUTOR:
        return {ID_NUMBER}
    foreign = [c for name, clues in offices.items() if not name.startswith(home_county(user)) for c in clues]
    assert len(foreign) == 3
    return {c["id"] for c in foreign} | {c["subject_id"] for c in foreign}


def readable(response) -> str:
    """The response's text; for a .docx, the XML of its parts (where a leaked subject would be)."""
    if response.headers.get("content-type", [""])[0].startswith("application/json"):
        return response.text
    with zipfile.ZipFile(io.BytesIO(response.content)) as docx:
        return "".join(docx.read(part).decode("utf-8") for part in docx.namelist() if part.endswith(".xml"))


def fuzz(app, user: str, max_examples: int) -> None:
    """Drive every operation's strategies as ``user`` and check each response (see the module docstring)."""
    offices = clues_by_office(app)
    forbidden = forbidden_for(user, offices)
    spelled = forbidden | {json.dumps(s)[1:-1] for s in forbidden}  # as ensure_ascii JSON would write them
    home = home_county(user)
    own = next(c["id"] for name, clues in offices.items() if name.startswith(home) for c in clues)
    other = next(c["id"] for name, clues in offices.items() if not name.startswith(home) for c in clues)
    auth = token_for(app, user)
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == OPERATIONS
    variants = [
        {"generation_mode": GenerationMode.POSITIVE},
        {"generation_mode": GenerationMode.NEGATIVE},
        {"generation_mode": GenerationMode.POSITIVE, "path_parameters": {"clue_id": own}},
        {"generation_mode": GenerationMode.POSITIVE, "path_parameters": {"clue_id": other}},
    ]
    for operation in operations:
        for variant in variants:
            if "path_parameters" in variant and "{clue_id}" not in operation.path:
                continue

            @given(case=operation.as_strategy(**variant))
            @settings(
                max_examples=max_examples,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                database=None,
            )
            def check(case):
                response = case.call(headers=auth)
                where = f"{user}: {case.method} {case.formatted_path} → {response.status_code}"
                case.validate_response(response, checks=CHECKS, headers=auth)
                if response.status_code >= 400:
                    body = response.json()
                    assert body["ok"] is False and set(body["error"]) == {"code", "message"}, where
                leaked = sorted(s for s in spelled if s in readable(response))
                assert not leaked, f"{where} carries another office's data: {leaked}"

            try:
                check()
            except Unsatisfiable:  # an operation without inputs has no invalid form
                assert variant["generation_mode"] is GenerationMode.NEGATIVE, operation.label


@pytest.mark.parametrize("user", list(USERS))
def test_every_operation_as_every_role_conforms_and_keeps_to_the_office(fuzzed_app, user):
    """The time-boxed run (CI): a few examples per operation and variant, for each of the five users."""
    fuzz(fuzzed_app, user, max_examples=3)


@pytest.mark.slow
@pytest.mark.parametrize("user", list(USERS))
def test_every_operation_as_every_role_at_length(fuzzed_app, user):
    """The fuller run: more examples of each (``JIANCHA_FUZZ_EXAMPLES`` asks for more still)."""
    fuzz(fuzzed_app, user, max_examples=int(os.environ.get("JIANCHA_FUZZ_EXAMPLES", "12")))


def test_spec_documents_every_api_route(app):
    paths = set(app.openapi()["paths"])
    assert paths == {
        "/api/token",
        "/api/me",
        "/api/me/password",
        "/api/clues",
        "/api/clues/{clue_id}",
        "/api/clues/{clue_id}/actions/{action}",
        "/api/clues/{clue_id}/assign",
        "/api/clues/{clue_id}/move",
        "/api/clues/{clue_id}/suggestion",
        "/api/clues/{clue_id}/suggestion/draft",
        "/api/clues/{clue_id}/suggestions/{document_no}",
        "/api/dashboard",
        "/api/notifications",
        "/api/runs",
        "/api/datasets",
        "/api/users",
        "/api/users/{name}/active",
        "/api/models",
        "/api/models/{model_id}",
    }
