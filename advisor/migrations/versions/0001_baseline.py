"""Baseline: conversations, messages, feedback, API keys and readiness assessments (the create_all schema).

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create the tables of the stores."""
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, index=True),
        sa.Column("hint", sa.String(20), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("revoked_at", _WHEN, nullable=True),
    )
    op.create_table(
        "conversations",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("owner", sa.String(200), nullable=False, index=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("updated_at", _WHEN, nullable=False),
    )
    op.create_table(
        "messages",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column(
            "conversation_id",
            sa.String(32),
            sa.ForeignKey("conversations.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("citations", sa.JSON(), nullable=False),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
    )
    op.create_table(
        "feedback",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column(
            "message_id", sa.String(32), sa.ForeignKey("messages.id", ondelete="CASCADE"), nullable=False, index=True
        ),
        sa.Column("owner", sa.String(200), nullable=False, index=True),
        sa.Column("rating", sa.String(10), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("created_at", _WHEN, nullable=False),
    )
    _create_readiness_tables()


def _create_readiness_tables() -> None:
    op.create_table(
        "readiness_assessments",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("owner", sa.String(200), nullable=False, index=True),
        sa.Column("client", sa.String(200), nullable=False, index=True),
        sa.Column("interviewer", sa.String(200), nullable=True),
        sa.Column("mode", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("questionnaire_version", sa.Integer(), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("updated_at", _WHEN, nullable=False),
        sa.Column("finished_at", _WHEN, nullable=True),
    )
    op.create_table(
        "readiness_responses",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "assessment_id",
            sa.String(32),
            sa.ForeignKey("readiness_assessments.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("question_id", sa.String(100), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        sa.Column("answered_at", _WHEN, nullable=False),
        sa.UniqueConstraint("assessment_id", "question_id"),
    )


def downgrade() -> None:
    """Drop the tables of the stores."""
    for table in ("readiness_responses", "readiness_assessments", "feedback", "messages", "conversations", "api_keys"):
        op.drop_table(table)
