"""Users keep a session generation, so signing out, a new password or a disabled account ends sessions.

Sessions are signed cookies and bearer tokens held by the client (ASVS 3.3.1 / 3.3.3): the
server could not revoke a copied one before it expired. Each carries the generation it was
issued under; the web app compares it with this column on every request (it reads the user
row anyway), and signing out, changing the password or disabling the account adds one.
Existing rows start at 0, the generation a session issued before this revision is taken to
carry, so an upgrade signs nobody out.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_generation", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_generation")
