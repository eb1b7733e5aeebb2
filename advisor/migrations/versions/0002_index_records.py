"""The index's records in the app database: generations of ingests, and the LangChain record manager's table.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create index_generations and upsertion_record."""
    op.create_table(
        "index_generations",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("namespace", sa.String(300), nullable=False, index=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("chunks", sa.Integer(), nullable=True),
        sa.Column("files", sa.JSON(), nullable=False),
    )
    # As langchain_classic.indexes.SQLRecordManager declares it (its create_schema is not called).
    op.create_table(
        "upsertion_record",
        sa.Column("uuid", sa.String(), primary_key=True, index=True),
        sa.Column("key", sa.String(), nullable=True, index=True),
        sa.Column("namespace", sa.String(), nullable=False, index=True),
        sa.Column("group_id", sa.String(), nullable=True, index=True),
        sa.Column("updated_at", sa.Float(), nullable=True, index=True),
        sa.UniqueConstraint("key", "namespace", name="uix_key_namespace"),
    )
    op.create_index("ix_key_namespace", "upsertion_record", ["key", "namespace"])


def downgrade() -> None:
    """Drop index_generations and upsertion_record."""
    op.drop_table("upsertion_record")
    op.drop_table("index_generations")
