"""The Alembic migrations build exactly the schema the models describe, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from jiancha.clues.audit import GENESIS_HASH
from jiancha.clues.engine import make_engine, upgrade
from jiancha.clues.schema import AuditHead, Base


def test_upgrade_head_matches_the_models_and_is_repeatable(store_url):
    engine = make_engine(store_url)
    try:
        upgrade(engine)
        upgrade(engine)  # a second open is a no-op
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
            head = connection.execute(select(AuditHead.seq, AuditHead.hash)).all()
            version = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one()
        assert differences == []
        assert head == [(0, GENESIS_HASH)]
        assert version == "0002"
    finally:
        engine.dispose()
