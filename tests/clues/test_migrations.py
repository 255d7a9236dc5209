"""The Alembic migrations build exactly the schema the models describe, on both backends."""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import select

from jiancha.clues.audit import GENESIS_HASH
from jiancha.clues.engine import make_engine, upgrade
from jiancha.clues.schema import AuditHead, Base, include_object


def _script_head() -> str:
    """The one head of the shipped migrations: parallel work must be re-chained, never left branched."""
    config = Config()
    config.set_main_option("script_location", str(resources.files("jiancha.clues").joinpath("migrations")))
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, f"the migrations have {len(heads)} heads: {heads}"
    return heads[0]


def test_upgrade_head_matches_the_models_and_is_repeatable(store_url):
    engine = make_engine(store_url)
    try:
        upgrade(engine)
        upgrade(engine)  # a second open is a no-op
        with engine.connect() as connection:
            differences = compare_metadata(
                MigrationContext.configure(connection, opts={"include_object": include_object}), Base.metadata
            )
            head = connection.execute(select(AuditHead.seq, AuditHead.hash)).all()
            version = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one()
            trigram = (
                connection.exec_driver_sql(
                    "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_clues_search_trgm'"
                    " AND schemaname = current_schema()"
                ).scalar()
                if connection.dialect.name == "postgresql"
                else connection.exec_driver_sql(
                    "SELECT sql FROM sqlite_master WHERE name = 'clues_search'"
                ).scalar()
            )
        assert differences == []
        assert head == [(0, GENESIS_HASH)]
        assert version == _script_head()
        assert trigram is not None and ("gin_trgm_ops" in trigram or "trigram" in trigram)
    finally:
        engine.dispose()


def test_revision_0012_dates_stored_clues_and_fills_the_summary(store, make_finding):
    """Clues stored before the summary existed: the upgrade dates them by their period and
    fills the summary with the same counts the clues give."""
    store.sync_findings(
        "r1", "water.facility_idle", [make_finding("F1", "2024-02"), make_finding("F2", "2024-03")]
    )
    other = "water.sludge_unaccounted"
    store.sync_findings("r1", other, [make_finding("F3", "2024-Q2", model_id=other)])
    config = Config()
    config.set_main_option("script_location", str(resources.files("jiancha.clues").joinpath("migrations")))
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0006")
        command.upgrade(config, "head")
    d = store.dashboard()
    assert d.by_conduct == {"2024-02": 1, "2024-03": 1, "2024-04": 1}
    assert d == store.dashboard(live=True)


def test_the_heads_read_from_the_files_are_alembics():
    from importlib import resources

    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from jiancha.clues.database import migration_heads

    config = Config()
    config.set_main_option("script_location", str(resources.files("jiancha.clues").joinpath("migrations")))
    assert migration_heads() == set(ScriptDirectory.from_config(config).get_heads())


def test_a_store_at_head_opens_without_alembic(store_url):
    """Opening a store whose schema is current must not pay for Alembic (every CLI command and
    web worker opens one); a store behind head is still upgraded by it."""
    import json
    import subprocess
    import sys

    engine = make_engine(store_url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    script = (
        "import json, sys\n"
        "from jiancha.clues.store import ClueStore\n"
        f"ClueStore({store_url!r}).close()\n"
        "print(json.dumps('alembic' in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) is False
