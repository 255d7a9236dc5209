"""Option values several commands parse the same way."""

from __future__ import annotations

from datetime import date

import typer

from jiancha.i18n import tr


def parse_date(text: str | None, option: str) -> date | None:
    """A ``YYYY-MM-DD`` option value (None when not given); a usage error naming ``option`` otherwise."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            tr(
                f"{option} {text!r} 不是日期，应写作 YYYY-MM-DD。",
                f"{option} {text!r} is not a YYYY-MM-DD date.",
            )
        ) from None
