"""The relational database: one SQLAlchemy declarative base, the engine, and its Alembic migrations."""

from __future__ import annotations

import importlib
import logging
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, MetaData, create_engine, event, inspect, text
from sqlalchemy.orm import DeclarativeBase

log = logging.getLogger(__name__)
# The schema of the last release made with create_all: a database without alembic_version is adopted at it.
BASELINE = "0001"
HEAD = "0005"  # the newest revision in advisor/migrations/versions (a test keeps the two in step)
_MIGRATION_LOCK = 7_262_013  # a PostgreSQL advisory lock id: replicas starting together migrate one at a time


class Base(DeclarativeBase):
    """Declarative base shared by conversations, feedback, API keys, assessments and index generations."""


def make_engine(url: str) -> Engine:
    """Create the engine (and a SQLite file's folder) and migrate the database to the newest schema."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    migrate(engine)
    return engine


def migrate(engine: Engine) -> None:
    """Upgrade the database to the newest Alembic revision (a database made before migrations is adopted)."""
    if _at_head(engine):  # the common start: nothing to do, and Alembic is not even imported
        return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "advisor:migrations")
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK})
        config.attributes["connection"] = connection
        if _made_before_migrations(connection):
            log.info("database_adopted revision=%s", BASELINE)
            command.stamp(config, BASELINE)
        command.upgrade(config, "head")


def target_metadata() -> list[MetaData]:
    """Every table the migrations manage: ours, and the record manager's of LangChain's indexing API."""
    from langchain_classic.indexes._sql_record_manager import Base as RecordManagerBase

    for module in ("advisor.storage", "advisor.readiness.store", "advisor.generations", "advisor.text_vectors"):
        importlib.import_module(module)  # importing a model module registers its tables on Base.metadata
    return [Base.metadata, RecordManagerBase.metadata]


def _at_head(engine: Engine) -> bool:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return False
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [HEAD]


def _made_before_migrations(connection: Connection) -> bool:
    inspector = inspect(connection)
    return inspector.has_table("conversations") and not inspector.has_table("alembic_version")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL keeps readers working while a writer commits; every accepted answer is committed at once.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
