"""Alembic migrations of the relational database (`advisor.db.migrate` runs them at start-up)."""
