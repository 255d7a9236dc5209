"""The clue commands from a shell: list, show, assign, move, act, summary, audit verify, export."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from jiancha.cli import app, run_cli
from jiancha.clues import ClueStore
from jiancha.workspace import Workspace


@pytest.fixture
def home(tmp_path, monkeypatch, make_finding):
    monkeypatch.delenv("JIANCHA_DATABASE_URL", raising=False)
    monkeypatch.setenv("JIANCHA_USER", "zhang")
    ws = Workspace.resolve(tmp_path / "ws")
    with ClueStore(ws.store_url) as store:
        store.sync_findings(
            "r1", "water.facility_idle", [make_finding("F1"), make_finding("F2", lon=116.06, lat=39.05)]
        )
        store.add_user("li", "hash", "prosecutor")
    return ws


def cli(home, *args, stdout_only=False):
    result = CliRunner().invoke(
        app, ["--home", str(home.home), "--lang", "zh", *args], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return result.stdout if stdout_only else result.output


def rows_of(home, *args):
    """A list command's rows, read from standard output alone as a script would."""
    fmt = args[args.index("--format") + 1]
    out = cli(home, *args, stdout_only=True)
    return json.loads(out) if fmt == "json" else list(csv.DictReader(io.StringIO(out)))


def clue_of(home, subject):
    with ClueStore(home.store_url) as store:
        return next(c.id for c in store.list_clues().items if c.subject_id == subject)


#: The title of water.facility_idle, as the tables name it.
IDLE_TITLE = "污水处理设施建而不用"


def test_list_names_models_by_title_and_json_keeps_the_id(home):
    out = cli(home, "clues", "list")
    assert IDLE_TITLE in out and "water.facility_idle" not in out
    first = rows_of(home, "clues", "list", "--format", "json")[0]
    assert (first["model_id"], first["model_title"]) == ("water.facility_idle", IDLE_TITLE)
    assert rows_of(home, "clues", "list", "--format", "csv")[0]["model_title"] == IDLE_TITLE


def test_list_filters_by_short_office_name(home):
    out = cli(home, "clues", "list", "--office", "高铁枢纽检察室")
    assert clue_of(home, "F2") in out
    assert clue_of(home, "F1") not in out
    assert "第 1/1 页，共 1 条线索" in out


def test_list_filters_need_review_and_status(home, make_finding):
    with ClueStore(home.store_url) as store:
        store.sync_findings(
            "r2",
            "water.manifest_unclosed",
            [make_finding("M1", None, model_id="water.manifest_unclosed", lon=None, lat=None)],
        )
    out = cli(home, "clues", "list", "--needs-review")
    assert "M1" in out and "F1" not in out
    assert "共 1 条线索" in cli(
        home, "clues", "list", "--status", "new", "--model", "water.manifest_unclosed"
    )
    result = CliRunner().invoke(app, ["--home", str(home.home), "clues", "list", "--status", "open"])
    assert result.exit_code == 2
    assert "new" in result.output and "closed" in result.output


def test_show_accepts_an_id_prefix(home):
    clue_id = clue_of(home, "F1")
    assert f"线索 {clue_id}" in cli(home, "clues", "show", clue_id[:8])


def test_show_assign_move_act_and_summary(home):
    clue_id = clue_of(home, "F1")
    assert "已分派给 li" in cli(home, "clues", "assign", clue_id, "li")
    assert "已改派至 安新县人民检察院" in cli(
        home, "clues", "move", clue_id, "安新县院", "--reason", "实际位于安新"
    )
    assert "现为“已初核”" in cli(home, "clues", "act", clue_id, "triage", "--reason", "初核完毕")
    out = cli(home, "clues", "show", clue_id)
    assert "zhang 人工改派：实际位于安新" in out
    assert IDLE_TITLE in out and "water.facility_idle" not in out  # the header names the model by title
    assert "初核" in out and "移送其他检察院" in out  # actions in words, never their codes
    assert "workflow.triage" not in out and "clue.moved" not in out
    summary = cli(home, "clues", "summary")
    assert IDLE_TITLE in summary and "water.facility_idle" not in summary
    assert "共 2 条线索；逾期未办 0 条" in summary
    assert "已过期限" not in summary


def test_illegal_action_prints_the_reason_and_exits_1(home, capsys):
    clue_id = clue_of(home, "F1")
    with pytest.raises(SystemExit) as exited:
        run_cli(["--home", str(home.home), "clues", "act", clue_id, "close", "--reason", "x"])
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert "当前状态为“新线索”，不能执行“结案”" in err


def test_audit_verify_passes_then_names_the_edited_entry(home, capsys):
    assert "审计日志完整：3 条记录" in cli(home, "audit", "verify")
    engine = create_engine(home.store_url)
    with engine.begin() as c:
        c.execute(text("UPDATE audit_log SET \"user\" = 'x' WHERE seq = 2"))
    engine.dispose()
    with pytest.raises(SystemExit) as exited:
        run_cli(["--home", str(home.home), "audit", "verify"])
    assert exited.value.code == 1
    captured = capsys.readouterr()
    assert "第 2 条审计记录被改动" in captured.out
    assert "审计日志被篡改：发现 1 处问题（共 3 条记录）；第一处异常在第 2 条记录。" in captured.err


def test_audit_verify_prints_the_signed_head_and_rotate_key_keeps_the_old_key(home, monkeypatch):
    monkeypatch.delenv("JIANCHA_AUDIT_KEY", raising=False)
    out = cli(home, "audit", "verify")
    assert "哈希链无断裂，与 2 个签名链头相符" in out  # the sync and the user added
    assert "签名链头（请另行留存，以后核对）：第 3 条" in out
    old = home.audit_seal().keyring.current_id
    rotated = " ".join(cli(home, "audit", "rotate-key").split())  # undo Rich's wrapping
    keyring = home.audit_seal().keyring
    assert keyring.current_id != old and list(keyring.keys) == [old, keyring.current_id]
    assert f"已启用新审计密钥 {keyring.current_id}" in rotated and "共 2 个密钥" in rotated
    with ClueStore(home.store_url) as store:
        store.add_user("wang", "hash", "prosecutor")
    assert f"密钥 {keyring.current_id}" in " ".join(cli(home, "audit", "verify").split())
    monkeypatch.setenv("JIANCHA_AUDIT_KEY", f"k1:{'ab' * 32}")
    refused = CliRunner().invoke(app, ["--home", str(home.home), "audit", "rotate-key"])
    assert refused.exit_code == 1 and "无法在此轮换" in refused.output


def test_export_clues_csv_and_xlsx(home, tmp_path):
    out = cli(home, "export", "clues", "--format", "csv", "--output", str(tmp_path / "c.csv"))
    assert "已导出 2 条线索（13 列）" in out
    with (tmp_path / "c.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["subject_id"] for r in rows] == ["F1", "F2"]
    assert [r["office"] for r in rows] == ["容城县人民检察院", "高铁枢纽片区检察室"]
    assert {r["model_title"] for r in rows} == {"污水处理设施建而不用"}
    cli(home, "export", "clues", "--format", "xlsx", "--output", str(tmp_path / "c.xlsx"))
    assert (tmp_path / "c.xlsx").stat().st_size > 0


def test_summary_lists_clues_past_their_deadline(home):
    clue_id = clue_of(home, "F1")
    for action in ("triage", "review"):
        cli(home, "clues", "act", clue_id, action, "--reason", "依程序")
    cli(home, "clues", "act", clue_id, "file_case", "--reason", "立案", "--on", "2020-01-02")
    summary = cli(home, "clues", "summary")
    assert "共 2 条线索；逾期未办 1 条" in summary
    assert "已过期限" in summary
    assert summary.count(clue_id) == 1


def test_list_as_json_and_csv_keeps_every_field(home):
    listed = rows_of(home, "clues", "list", "--format", "json")
    assert {c["subject_id"] for c in listed} == {"F1", "F2"}
    first = listed[0]
    assert first["status"] == "new" and first["holds"] is True
    assert first["legal_basis"] and first["clue_id"] == clue_of(home, first["subject_id"])
    rows = rows_of(home, "clues", "list", "--format", "csv")
    assert [r["clue_id"] for r in rows] == [c["clue_id"] for c in listed]
    assert rows[0]["office"] == first["office"] and rows[0]["holds"] == "true"


def test_audit_list_newest_first_and_by_clue(home):
    entries = rows_of(home, "audit", "list", "--format", "json")
    assert [e["seq"] for e in entries] == sorted((e["seq"] for e in entries), reverse=True)
    assert entries[0]["action"] == "user.added" and entries[0]["data"]["name"] == "li"
    one = clue_of(home, "F1")
    about = rows_of(home, "audit", "list", "--clue", one[:8], "--format", "json")
    assert [e["action"] for e in about] == ["clue.created"] and about[0]["clue_id"] == one
    assert not rows_of(home, "audit", "list", "--by", "zhang", "--format", "json")
    assert "clue.created" in cli(home, "audit", "list", "--limit", "5", "--by", "system")


def test_users_list_never_shows_password_hashes(home):
    out = cli(home, "users", "list", "--format", "csv")
    header, row = out.splitlines()
    assert (header, row) == ("name,display_name,role,office,active,locked_until", "li,li,prosecutor,,true,")
    assert "hash" not in cli(home, "users", "list", "--format", "json")


def test_each_built_in_model_title_read_alone_is_the_catalogue_s():
    from jiancha.i18n import use_language
    from jiancha.models.catalog import Catalog
    from jiancha.models.title import builtin_title

    models = Catalog.load().models.values()
    for language in ("zh", "en"):
        with use_language(language):
            assert {m.id: builtin_title(m.id) for m in models} == {m.id: m.spec.title.text() for m in models}
    assert builtin_title("water.no_such_model") is None and builtin_title("water") is None
