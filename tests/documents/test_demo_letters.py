"""On the demo data, a draft for one clue of each built-in model reads as a signed letter would.

One module-scoped workspace (synth seed 1 scale 1, ingest, run: about 30 s) serves every check.
"""

from __future__ import annotations

import re

import pytest
from docx import Document
from typer.testing import CliRunner

from jiancha.cli import app
from jiancha.clues.store import ClueStore
from jiancha.documents import content
from jiancha.documents.suggestion import draft_suggestion
from jiancha.law import builtin_catalogue
from jiancha.models.catalog import Catalog
from jiancha.workspace import Workspace

SNAKE_CASE = re.compile(r"[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+")
CN_NUMBER = "〇一二三四五六七八九十百零"
CITATION = re.compile(rf"《[^》]+》第[{CN_NUMBER}]+条(?:第[{CN_NUMBER}]+款)?(?:第（[{CN_NUMBER}]+）项)?")
#: The detail column that names the subject of each subject type.
NAME_COLUMN = {
    "facility": "facility_name",
    "manifest": "facility_name",
    "penalty": "party_name",
    "transfer": "party_name",
    "case": "fence_name",
    "dealer": "dealer_name",
    "site": "site_name",
}


def _cli(home, *args: str) -> None:
    result = CliRunner().invoke(app, ["--home", str(home), "--lang", "zh", *args])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo workspace: its store's URL."""
    root = tmp_path_factory.mktemp("demo")
    home = root / "home"
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("JIANCHA_DATABASE_URL", raising=False)
        _cli(home, "synth", "--out", str(root / "data"), "--seed", "1", "--scale", "1")
        _cli(home, "ingest", str(root / "data" / "drop"))
        _cli(home, "run")
        return Workspace(home).store_url


@pytest.fixture(scope="module")
def letters(demo, tmp_path_factory):
    """Per built-in model that raised clues: (clue detail, body paragraphs, draft warnings)."""
    out = tmp_path_factory.mktemp("letters")
    drafted = {}
    with ClueStore(demo) as store:
        for clue in store.iter_clues():
            if clue.model_id in drafted:
                continue
            result = draft_suggestion(store, clue.id, "张检察官", out / f"{clue.id}.docx")
            drafted[clue.model_id] = (
                store.get_clue(clue.id, "张检察官"),
                _body(result.path),
                result.warnings,
            )
    return drafted


def _body(path) -> str:
    """The letter's paragraphs up to its attachment (附件), tables left out."""
    lines = []
    for paragraph in Document(str(path)).paragraphs:
        if paragraph.text.startswith("附件"):
            break
        lines.append(paragraph.text)
    return "\n".join(lines)


BUILT_IN = sorted(Catalog.load().models)


def test_every_built_in_model_raised_a_clue_on_the_demo_data(letters):
    assert sorted(letters) == BUILT_IN


@pytest.mark.parametrize("model_id", BUILT_IN)
def test_the_body_has_no_identifiers_and_names_the_subject(letters, model_id):
    detail, body, _ = letters[model_id]
    assert SNAKE_CASE.findall(body) == []
    assert detail.clue.subject_id not in body
    assert detail.clue.id not in body
    assert "待核对" not in body
    assert "None" not in body
    name = detail.details.get(NAME_COLUMN[detail.clue.subject_type])
    assert name, f"{model_id} has no name for its subject"
    assert name in body


@pytest.mark.parametrize("model_id", BUILT_IN)
def test_only_catalogue_provisions_are_cited(letters, model_id):
    _, body, _ = letters[model_id]
    citations = [p.citation for p in builtin_catalogue()]
    cited = CITATION.findall(body)
    assert cited
    assert [c for c in cited if not any(known.startswith(c) for known in citations)] == []


def _kind(model_id: str) -> content.Kind:
    return content.default_kind(Catalog.load().models[model_id].spec.business_line, model_id)


PUBLIC_INTEREST = [m for m in BUILT_IN if _kind(m).name == "public_interest"]


def test_the_water_models_draft_public_interest_letters():
    assert [
        m for m in BUILT_IN if m.startswith("water.") and m != "water.monitoring_data_anomaly"
    ] == PUBLIC_INTEREST


@pytest.mark.parametrize("model_id", PUBLIC_INTEREST)
def test_public_interest_letters_quote_article_25_4_whole(letters, model_id):
    _, body, _ = letters[model_id]
    assert "公益诉讼检察建议" in body
    assert content.kind("public_interest").provisions
    for key in content.kind("public_interest").provisions:
        provision = builtin_catalogue().get(key)
        assert f"{provision.citation}规定：“{provision.text}" in body


def test_the_demo_data_fills_every_template(letters):
    gaps = {model_id: warnings for model_id, (_, _, warnings) in letters.items() if warnings}
    assert gaps == {}
