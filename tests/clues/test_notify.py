"""Delivering digests: a local SMTP server and a webhook receive each office's own news only."""

from __future__ import annotations

import email
import hashlib
import hmac
import http.server
import json
import socketserver
import threading
from datetime import date, datetime
from email.policy import default

import pytest
from typer.testing import CliRunner

from jiancha.cli import app
from jiancha.clues import ClueStore
from jiancha.errors import WorkspaceError
from jiancha.notify import SIGNATURE_HEADER, deliver
from jiancha.workspace import Workspace


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: greet, accept one envelope per message, keep the data."""

    def reply(self, text: str) -> None:
        self.wfile.write(f"{text}\r\n".encode())

    def handle(self) -> None:
        self.reply("220 test ready")
        while line := self.rfile.readline():
            verb = line.decode().strip().split(" ")[0].upper()
            if verb == "DATA":
                self.reply("354 go ahead")
                body = b"".join(iter(lambda: self.rfile.readline(), b".\r\n"))
                self.server.messages.append(email.message_from_bytes(body, policy=default))
                self.reply("250 stored")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


class _HookHandler(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.posts.append((self.headers[SIGNATURE_HEADER], body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def _serve(server):
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def smtp():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.messages = []
    yield _serve(server)
    server.shutdown()
    server.server_close()


@pytest.fixture
def hook():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _HookHandler)
    server.posts = []
    yield _serve(server)
    server.shutdown()
    server.server_close()


@pytest.fixture
def home(tmp_path, monkeypatch, make_finding):
    monkeypatch.delenv("JIANCHA_DATABASE_URL", raising=False)
    monkeypatch.setenv("HOOK_SECRET", "s3cret")
    ws = Workspace.resolve(tmp_path / "ws")
    with ClueStore(ws.store_url) as store:
        store.sync_findings(
            "r1", "water.facility_idle", [make_finding("F1"), make_finding("F2", lon=116.06, lat=39.05)]
        )
    return ws


def offices(ws):
    with ClueStore(ws.store_url) as store:
        return {c.subject_id: c.office for c in store.list_clues().items}


def configure(ws, smtp, hook, f1_office):
    ws.config_path.write_text(
        f"""[notify.smtp]
host = "127.0.0.1"
port = {smtp.server_address[1]}
sender = "jiancha@test"

[[notify.email]]
to = "f1@test"
office = "{f1_office}"

[[notify.email]]
to = "lead@test"
office = "*"

[[notify.webhook]]
url = "http://127.0.0.1:{hook.server_address[1]}/hook"
office = "{f1_office}"
secret_env = "HOOK_SECRET"
""",
        "utf-8",
    )


def test_digests_reach_smtp_and_a_signed_webhook_cut_by_office(home, smtp, hook):
    office = offices(home)
    configure(home, smtp, hook, office["F1"])
    result = CliRunner().invoke(
        app, ["--home", str(home.home), "--lang", "zh", "notify", "--since", "2024-04-01", "--send"]
    )
    assert result.exit_code == 0, result.output
    assert (
        "已发送 1 份摘要：email f1@test" in result.output
        and "已发送 2 份摘要：email lead@test" in result.output
    )
    mail = {m["To"]: m for m in smtp.messages}
    assert set(mail) == {"f1@test", "lead@test"}
    own = mail["f1@test"].get_content()
    assert "F1" in own and "F2" not in own and office["F2"] not in own  # nobody hears of another office
    assert "F1" in mail["lead@test"].get_content() and "F2" in mail["lead@test"].get_content()
    assert mail["f1@test"]["Subject"] == "检察监督线索动态（自 2024-04-01 起）"
    ((signature, body),) = hook.posts
    assert signature == "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    payload = json.loads(body)
    assert [d["office"] for d in payload["digests"]] == [office["F1"]]
    assert [c["subject_id"] for c in payload["digests"][0]["new"]] == ["F1"]


def test_a_recipient_without_an_office_is_refused(home):
    with ClueStore(home.store_url) as store:
        digests = store.digests(datetime(2024, 4, 1))
        with pytest.raises(WorkspaceError, match="没有 office"):
            deliver(
                digests,
                {"notify": {"email": [{"to": "x@test"}]}},
                date(2024, 4, 1),
                {},
                store.router.office_named,
            )


def test_notify_prints_the_digest_without_sending(home):
    out = CliRunner().invoke(app, ["--home", str(home.home), "notify", "--since", "2024-04-01"]).output
    assert "污水处理设施建而不用：新增线索 1" in out and "F2" in out


def test_a_bad_later_recipient_stops_the_send_before_anyone_is_told(home, smtp):
    """Settings are checked for every recipient first: a re-run after the fix tells no one twice."""
    config = {
        "notify": {
            "smtp": {"host": "127.0.0.1", "port": smtp.server_address[1]},
            "email": [{"to": "lead@test", "office": "*"}],
            "webhook": [{"url": "http://127.0.0.1:9/", "office": "*", "secret_env": "NO_SUCH_SECRET_ENV"}],
        }
    }
    with ClueStore(home.store_url) as store:
        digests = store.digests(datetime(2024, 4, 1))
        with pytest.raises(WorkspaceError):
            deliver(digests, config, date(2024, 4, 1), {}, store.router.office_named)
    assert smtp.messages == []


def test_an_unreachable_server_is_a_sentence_naming_the_recipient(home):
    recipient = {"to": "lead@test", "office": "*"}
    config = {"notify": {"smtp": {"host": "127.0.0.1", "port": 9}, "email": [recipient]}}
    with ClueStore(home.store_url) as store:
        digests = store.digests(datetime(2024, 4, 1))
        with pytest.raises(WorkspaceError, match=r"通知未能送达 lead@test.*已送达：无"):
            deliver(digests, config, date(2024, 4, 1), {}, store.router.office_named)
