"""The built-in supervision models and their reference data.

Models live in family folders (``water/``, ``linkage/``, ``crime/``, ``social/``) as
a YAML spec beside a SQL file of the same stem; ``reference/*.csv`` are registered
for every run as ``ref_<stem>`` tables. :class:`jiancha.models.catalog.Catalog`
finds them here, and a user's ``--models-dir`` with the same layout beside them.
"""

from pathlib import Path

#: The folder the built-in models and reference data live in.
ROOT = Path(__file__).parent

__all__ = ["ROOT"]
