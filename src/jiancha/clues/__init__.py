"""The clue store: schema and migrations, fingerprints, routing, workflow, audit, export.

``ClueStore`` is the entry point; the rest is importable for the web app,
documents and tests (``routing.Router``, ``workflow.ACTIONS``, ``masking``).
"""

from jiancha.clues.store import ClueNotFound, ClueStore
from jiancha.clues.views import ClueDetail, ClueFilter, ClueView, Dashboard, Page

__all__ = ["ClueDetail", "ClueFilter", "ClueNotFound", "ClueStore", "ClueView", "Dashboard", "Page"]
