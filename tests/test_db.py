"""The database: Alembic migrations build exactly the models' schema, and adopt a database made before them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from loopback import postgres_server
from sqlalchemy import Engine, create_engine, inspect

from advisor.db import BASELINE, HEAD, make_engine, target_metadata
from advisor.storage import ConversationStore, KeyStore


def test_the_migrations_build_exactly_the_schema_the_models_declare(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), target_metadata())
    assert differences == []  # a model changed without a migration: add one under advisor/migrations/versions


def test_a_database_made_by_create_all_is_adopted_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:  # the tables of the baseline, as the last release's create_all made them
        engine = _at_baseline(tmp_path / "model.db")
        for (sql,) in (
            engine.raw_connection()
            .execute(
                "select sql from sqlite_master where type='table' and name not in "
                "('alembic_version', 'index_generations', 'upsertion_record', 'text_vectors')"
            )
            .fetchall()
        ):
            db.execute(sql)
        db.execute("insert into conversations values ('c1', 'local', 'Old', '2026-01-01', '2026-01-01')")

    migrated = make_engine(f"sqlite:///{path}")

    assert {"index_generations", "upsertion_record"} <= set(inspect(migrated).get_table_names())
    assert [c.title for c in ConversationStore(migrated).list("local")] == ["Old"]


def _at_baseline(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}")
    config = Config()
    config.set_main_option("script_location", "advisor:migrations")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, BASELINE)
    return engine


def test_migrating_twice_changes_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'twice.db'}"
    ConversationStore(make_engine(url)).create("local")
    assert len(ConversationStore(make_engine(url)).list("local")) == 1


def test_the_same_migrations_build_the_schema_on_postgresql_and_the_stores_work_there() -> None:
    with postgres_server() as url:
        engine = make_engine(url)
        with engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), target_metadata()) == []
        conversations, keys = ConversationStore(make_engine(url)), KeyStore(engine)  # migrating again is a no-op
        conversation = conversations.create("alice")
        conversations.add_turn(conversation, "alice", "user", "What is nearshore outsourcing?")
        key_id, key = keys.create("alice")

        assert [t.text for t in conversations.get(conversation, "alice").messages] == ["What is nearshore outsourcing?"]
        assert keys.verify(key) == key_id and keys.verify(key + "x") is None


def test_the_head_revision_the_start_up_check_compares_with_is_the_newest_migration() -> None:
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", "advisor:migrations")
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD  # set db.HEAD to the new revision


def test_a_database_one_revision_behind_is_migrated_although_it_has_a_version(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'behind.db'}"
    engine = make_engine(url)
    config = Config()
    config.set_main_option("script_location", "advisor:migrations")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "-1")

    with make_engine(url).connect() as connection:
        assert connection.exec_driver_sql("select version_num from alembic_version").scalar() == HEAD
        assert "fingerprint" in {c["name"] for c in inspect(connection).get_columns("index_generations")}
