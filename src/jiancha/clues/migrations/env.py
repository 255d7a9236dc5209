"""Alembic environment: the store hands over its open connection (see ``store.upgrade``)."""

from alembic import context

from jiancha.clues.schema import Base, include_object

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
