"""The clue store: schema and migrations, fingerprints, routing, workflow, audit, export.

``ClueStore`` is the entry point; the rest is importable for the web app,
documents and tests (``routing.Router``, ``workflow.ACTIONS``, ``masking``).
The names below are imported on first use (:mod:`jiancha.lazy`), so reading
``jiancha.clues.workflow`` does not load the database layer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jiancha.lazy import lazy_exports

if TYPE_CHECKING:
    from jiancha.clues.detail import ClueNotFound
    from jiancha.clues.store import ClueStore
    from jiancha.clues.views import ClueDetail, ClueFilter, ClueView, Dashboard, Page

__all__ = ["ClueDetail", "ClueFilter", "ClueNotFound", "ClueStore", "ClueView", "Dashboard", "Page"]

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "ClueNotFound": "jiancha.clues.detail",
        "ClueStore": "jiancha.clues.store",
        **dict.fromkeys(("ClueDetail", "ClueFilter", "ClueView", "Dashboard", "Page"), "jiancha.clues.views"),
    },
)
