"""The web app: server-rendered pages and a JSON API over the clue store (never the lake)."""

from jiancha.web.app import create_app

__all__ = ["create_app"]
