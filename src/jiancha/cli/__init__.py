"""Command line: ``jiancha``. Importing a group module registers its commands."""

from jiancha.cli import clues, documents, entities, ingest, models, run, synth, web  # noqa: F401  (registers the commands)
from jiancha.cli.app import app, run_cli

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    run_cli()
