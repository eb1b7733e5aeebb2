"""Versions of an assessment: each assessment of a client has a version number and the one it was copied from.

Reopening a finished assessment (or cloning one) makes a new assessment with the answers copied; the old one
stays as it was, so two versions of one client can be compared.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add version and parent_id to readiness_assessments (existing assessments are version 1)."""
    with op.batch_alter_table("readiness_assessments") as table:
        table.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        table.add_column(sa.Column("parent_id", sa.String(32), nullable=True))


def downgrade() -> None:
    """Drop version and parent_id."""
    with op.batch_alter_table("readiness_assessments") as table:
        table.drop_column("parent_id")
        table.drop_column("version")
