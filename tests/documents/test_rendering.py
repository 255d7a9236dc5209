"""A real office suite renders the documents: LibreOffice → PDF with CJK fonts embedded."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from jiancha.documents.suggestion import issue_suggestion

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "documents"

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"),
    pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) is not installed"),
]


def to_pdf(docx: Path, out_dir: Path, profile: Path) -> Path:
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
    )
    return out_dir / f"{docx.stem}.pdf"


def test_suggestion_renders_in_libreoffice_with_cjk_fonts(store, filed_case, tmp_path):
    issued = issue_suggestion(store, filed_case(), "张检察官", tmp_path / "suggestion.docx")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = to_pdf(issued.path, ARTIFACTS, tmp_path / "lo-profile")
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert any(name in fonts for name in ("CJK", "WenQuanYi", "FangSong", "Song")), fonts
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    compact = "".join(text.split())
    assert "检察建议书" in compact and issued.document_no in compact
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(ARTIFACTS / "suggestion")],
        check=True,
    )
    assert (ARTIFACTS / "suggestion-1.png").stat().st_size > 10_000
