"""Command line: ``jiancha``. Importing a group module registers its commands."""

from importlib import import_module

from jiancha.cli.app import app, run_cli

__all__ = ["app", "main"]

#: Command groups in pipeline order, which is the order ``jiancha --help`` lists them in.
COMMAND_GROUPS = (
    "synth",
    "ingest",
    "lake",
    "entities",
    "models",
    "law",
    "run",
    "clues",
    "readings",
    "audit",
    "documents",
    "web",
    "backup",
)

for _group in COMMAND_GROUPS:
    import_module(f"jiancha.cli.{_group}")


def main() -> None:
    """Console-script entry point."""
    run_cli()
