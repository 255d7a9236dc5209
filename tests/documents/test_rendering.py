"""A real office suite renders the documents: LibreOffice → PDF, checked with poppler's tools.

The letter is set as a 公文 (GB/T 9704): the Chinese text in CJK fonts, 22 lines a page, the
letter itself two or three pages with the evidence list on the pages after it. LibreOffice runs
once with the machine's own fontconfig and once with the project's font substitutions
(``jiancha documents fontconfig``), which put 仿宋/宋体 in Noto Serif CJK and 黑体 in Noto Sans CJK.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import statistics
import subprocess
from dataclasses import replace
from importlib import resources
from pathlib import Path

import pytest
from tests.documents.conftest import idle_finding, run_record

from jiancha.documents.suggestion import issue_suggestion
from jiancha.findings import EvidenceRow

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "documents"
#: Fonts LibreOffice may use for digits and Latin letters (the runs' Times New Roman, substituted).
LATIN = ("DejaVuSerif", "LiberationSerif", "TimesNewRoman", "Tinos")
CJK = re.compile(r"CJK|WenQuanYi|FangSong|SimSun|SimHei|FZ|Song|Hei", re.IGNORECASE)
EVIDENCE_ROWS = 12  # a typical clue: a facility's month of readings, power and register rows

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"),
    pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) is not installed"),
]


def to_pdf(docx: Path, out_dir: Path, profile: Path, env: dict[str, str] | None = None) -> Path:
    """Convert with a private LibreOffice profile, as a headless server would."""
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{profile}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, **(env or {})},
    )
    return out_dir / f"{docx.stem}.pdf"


def font_names(pdf: Path) -> list[str]:
    """The embedded fonts' names (pdffonts), subset prefixes removed."""
    lines = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    return sorted({line.split()[0].split("+")[-1] for line in lines.splitlines()[2:] if line.strip()})


def page_text(pdf: Path, page: int) -> str:
    out = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return "".join(out.split())


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])


def line_tops(pdf: Path, page: int) -> list[float]:
    """The top of every text line on a page (pdftotext -bbox-layout), page number excluded."""
    out = subprocess.run(
        ["pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    tops = sorted({round(float(y), 1) for y in re.findall(r'<line xMin="[\d.]+" yMin="([\d.]+)"', out)})
    type_area_bottom = (297 - 35) / 25.4 * 72
    return [y for y in tops if y < type_area_bottom]


@pytest.fixture(scope="module")
def noto_fonts() -> None:
    listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    if "Noto Serif CJK SC" not in listed or "Noto Sans CJK SC" not in listed:
        pytest.skip("fonts-noto-cjk (Noto Serif/Sans CJK SC) is not installed")


@pytest.fixture
def letter(store, filed_case, tmp_path) -> Path:
    """A letter for a facility_idle clue resting on a dozen rows, issued and written as .docx."""
    store.sync_findings("run-typical", "water.facility_idle", [_typical()])
    store.record_run(run_record("run-typical"))
    clue_id = next(c.id for c in store.iter_clues() if c.subject_id == "AX-020")
    for action in ("triage", "review", "file_case"):
        store.transition(clue_id, action, "张检察官", "经初核属实")
    return issue_suggestion(store, clue_id, "张检察官", tmp_path / "suggestion.docx").path


def _typical():
    base = idle_finding("AX-020")
    readings = tuple(
        EvidenceRow("power_daily", "power_daily.csv", 4400 + day, {"date": f"2024-08-{day:02d}", "kwh": 0.1})
        for day in range(1, EVIDENCE_ROWS - 1)
    )
    return replace(base, evidence=(*base.evidence, *readings))


def project_fontconfig(tmp_path: Path) -> dict[str, str]:
    """FONTCONFIG_FILE for the project's substitutions on top of the machine's own configuration."""
    ours = tmp_path / "60-jiancha-fonts.conf"
    ours.write_text(
        resources.files("jiancha.documents").joinpath("data/fonts.conf").read_text("utf-8"), "utf-8"
    )
    top = tmp_path / "fonts.conf"
    top.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f"<fontconfig><include>{ours}</include><include>/etc/fonts/fonts.conf</include></fontconfig>\n",
        "utf-8",
    )
    return {"FONTCONFIG_FILE": str(top)}


def test_the_letter_is_a_two_to_three_page_official_document_with_its_evidence_attached(
    letter, tmp_path, noto_fonts
):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = to_pdf(letter, ARTIFACTS, tmp_path / "lo-profile", project_fontconfig(tmp_path))
    fonts = font_names(pdf)
    assert all(CJK.search(name) or name.startswith(LATIN) for name in fonts), fonts
    assert any(name.startswith("NotoSerifCJK") for name in fonts), fonts  # 仿宋 / 小标宋 stand-ins
    assert any(name.startswith("NotoSansCJK") for name in fonts), fonts  # 黑体 headings
    assert not any(name.startswith(("DejaVuSans", "WenQuanYi")) for name in fonts), fonts

    pages = page_count(pdf)
    first_attachment = next(p for p in range(1, pages + 1) if "附件：证据清单" in page_text(pdf, p))
    assert 2 <= first_attachment - 1 <= 3, f"the letter runs to {first_attachment - 1} pages"
    assert pages - first_attachment + 1 <= 3
    assert "检察建议书" in page_text(pdf, 1) and "—1—" in page_text(pdf, 1)
    assert "安新县人民检察院2024年10月8日" in page_text(pdf, first_attachment - 1)
    assert f"{EVIDENCE_ROWS}．" in page_text(pdf, pages)

    tops = line_tops(pdf, 2)  # a full page of body text
    assert len(tops) <= 22
    pitch = statistics.median(b - a for a, b in itertools.pairwise(tops))
    assert abs(pitch - 28.95) < 0.5, pitch  # 225 mm / 22 lines
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(ARTIFACTS / "suggestion")],
        check=True,
    )
    assert (ARTIFACTS / "suggestion-1.png").stat().st_size > 10_000


def test_without_the_projects_fontconfig_the_chinese_text_still_gets_a_cjk_font(letter, tmp_path):
    pdf = to_pdf(letter, tmp_path, tmp_path / "lo-profile")
    fonts = font_names(pdf)
    assert any(CJK.search(name) for name in fonts), fonts
    assert "检察建议书" in page_text(pdf, 1)
