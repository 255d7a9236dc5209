"""One built-in model's title, read from its own YAML without loading the catalogue.

``jiancha clues show`` heads a clue with its model's title; loading every model to find
one title (importing the spec machinery and parsing fifteen files) costs that command
about 0.1 s of a start-up it tries to keep under 0.4 s. A built-in model lives at
``<family>/<stem>.yaml`` for the id ``family.stem`` (:mod:`jiancha.library`), so its file
is found by name and only its ``id`` and ``title`` are read.
"""

from __future__ import annotations

from jiancha import library
from jiancha.i18n import tr
from jiancha.yaml_data import load_yaml


def builtin_title(model_id: str) -> str | None:
    """The built-in model's title in the active language; None when no built-in model has the id."""
    family, _, stem = model_id.partition(".")
    path = library.ROOT / family / f"{stem}.yaml"
    if not stem or not path.is_file():
        return None
    raw = load_yaml(path.read_text("utf-8"))
    title = raw.get("title") if isinstance(raw, dict) and raw.get("id") == model_id else None
    if not isinstance(title, dict) or not title.get("zh"):
        return None
    return tr(title["zh"], title.get("en") or title["zh"])
