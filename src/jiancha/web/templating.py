"""The Jinja2 environment pages render with: both languages and the signed-in user in every template."""

from __future__ import annotations

from importlib import resources
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import StrictUndefined

from jiancha.display import NOTHING, show, show_period, show_time
from jiancha.i18n import language, tr
from jiancha.web.csrf import csrf_token


def _common(request: Request) -> dict[str, Any]:
    """What the layout needs on every page, error pages included."""
    return {"user": getattr(request.state, "user", None), "csrf": csrf_token(request), "lang": language()}


templates = Jinja2Templates(
    directory=str(resources.files("jiancha.web").joinpath("templates")), context_processors=[_common]
)
templates.env.undefined = StrictUndefined  # a misspelt field fails the tests instead of rendering blank
templates.env.globals.update(tr=tr, show=show, show_time=show_time, show_period=show_period, NOTHING=NOTHING)
