"""Alembic environment: migrates the connection `advisor.db.migrate` hands over (or the configured URL)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from advisor.db import target_metadata

config = context.config


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata(), render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:  # `alembic -x url=... upgrade head` from a shell
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    with create_engine(str(url)).begin() as fresh:
        _run(fresh)
