"""Bar charts as PNG images for reports (matplotlib, a CJK font when one is installed).

Figures are built with ``matplotlib.figure.Figure`` directly, not pyplot, so no GUI
backend or global figure state is involved on a server.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

from matplotlib import font_manager, rc_context
from matplotlib.figure import Figure

CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei")


@cache
def cjk_font() -> str | None:
    """The first installed font that has Chinese glyphs, so labels do not print as boxes."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def grouped_bars(path: Path, title: str, categories: Sequence[str], series: dict[str, Sequence[int]]) -> Path:
    """Horizontal grouped bars: one group per category, one bar per series."""
    font = cjk_font()
    rc = {"font.sans-serif": [font, "DejaVu Sans"], "axes.unicode_minus": False} if font else {}
    with rc_context(rc):
        height = max(2.5, 0.45 * len(categories) * max(1, len(series)) / 2 + 1)
        fig = Figure(figsize=(8, height), dpi=120)
        ax = fig.subplots()
        width = 0.8 / max(1, len(series))
        for index, (label, values) in enumerate(series.items()):
            offsets = [i + index * width for i in range(len(categories))]
            ax.barh(offsets, values, height=width, label=label)
        ax.set_yticks([i + width * (len(series) - 1) / 2 for i in range(len(categories))], categories)
        ax.invert_yaxis()
        ax.set_title(title)
        ax.legend(loc="lower right", fontsize=8)
        ax.xaxis.get_major_locator().set_params(integer=True)
        fig.tight_layout()
        fig.savefig(path)
    return path
