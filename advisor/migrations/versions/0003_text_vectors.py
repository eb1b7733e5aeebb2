"""The stored vectors of the knowledge's sentences and section questions, in the app database (shared by replicas).

Until now they lived in `text_vectors.sqlite` in each data dir, so a replica with a data dir of its own embedded
them again while answering. That file is no longer read; the next ingest fills this table.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create text_vectors."""
    op.create_table(
        "text_vectors",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("namespace", sa.String(300), nullable=False),
        sa.Column("source", sa.String(1000), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
    )
    op.create_index("ix_text_vectors_namespace_source", "text_vectors", ["namespace", "source"])


def downgrade() -> None:
    """Drop text_vectors."""
    op.drop_table("text_vectors")
