"""What a generation was built with, and what its ingest reported: an unchanged re-ingest can then stop early.

`fingerprint` is the sha256 of the settings and code that shape chunks and vectors; `report` holds the files that
failed and the sentences left out, so a re-ingest that skips the work still reports them. Generations made before
this revision have neither, so the first ingest after the upgrade does the full pass once.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add fingerprint and report to index_generations."""
    with op.batch_alter_table("index_generations") as table:
        table.add_column(sa.Column("fingerprint", sa.String(64), nullable=True))
        table.add_column(sa.Column("report", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Drop fingerprint and report."""
    with op.batch_alter_table("index_generations") as table:
        table.drop_column("report")
        table.drop_column("fingerprint")
