"""How long a model query may run: the default every entry point offers.

Kept apart from :mod:`jiancha.models.engine`, which enforces it, so the CLI can show the
default in ``jiancha run --help`` without loading DuckDB and Ibis.
"""

#: Default seconds a single model query may run.
DEFAULT_TIME_LIMIT = 60.0
