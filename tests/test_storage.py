"""Conversations, feedback and API keys in a real SQLite database."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.answer import Citation
from advisor.db import make_engine
from advisor.storage import ConversationStore, FeedbackStore, KeyStore, NotFound


@pytest.fixture
def engine(tmp_path: Path):  # type: ignore[no-untyped-def]
    return make_engine(f"sqlite:///{tmp_path / 'advisor.db'}")


def _cite() -> Citation:
    return Citation(n=1, source="offshore.md", title="Offshore", section="Countries", snippet="India", score=0.7)


def test_conversation_keeps_turns_in_order_with_citations(engine) -> None:
    store = ConversationStore(engine)
    cid = store.create("alice")
    store.add_turn(cid, "alice", "user", "Where do companies offshore?")
    mid = store.add_turn(cid, "alice", "assistant", "India [1].", citations=[_cite()], meta={"refused": False})
    conversation = store.get(cid, "alice")
    assert conversation.title == "Where do companies offshore?" and conversation.turns == 2
    assert conversation.messages[1].id == mid and conversation.messages[1].citations == [_cite()]
    assert store.history(cid, "alice") == [("user", "Where do companies offshore?"), ("assistant", "India [1].")]
    assert [c.id for c in store.list("alice")] == [cid] and store.list("bob") == []
    assert "1. Offshore — Countries (`offshore.md`)" in store.to_markdown(cid, "alice")


def test_other_owners_and_unknown_ids_are_not_found(engine) -> None:
    store = ConversationStore(engine)
    cid = store.create("alice")
    for call in (lambda: store.get(cid, "bob"), lambda: store.get("nope", "alice"),
                 lambda: store.add_turn(cid, "bob", "user", "hi"), lambda: store.to_markdown(cid, "bob")):  # fmt: skip
        with pytest.raises(NotFound):
            call()


def test_an_exchange_starts_a_conversation_then_appends_both_turns_after_the_earlier_ones(engine) -> None:
    store = ConversationStore(engine)
    cid, first = store.add_exchange(None, "alice", "What is BPO?", "Outsourcing a process [1].", [_cite()])
    same, second = store.add_exchange(cid, "alice", "And nearshore?", "A nearby country.")

    conversation = store.get(cid, "alice")
    assert same == cid and conversation.title == "What is BPO?"
    assert [(m.role, m.text) for m in conversation.messages] == [
        ("user", "What is BPO?"),
        ("assistant", "Outsourcing a process [1]."),
        ("user", "And nearshore?"),
        ("assistant", "A nearby country."),
    ]
    assert [m.id for m in conversation.messages if m.role == "assistant"] == [first, second]


def test_an_exchange_in_someone_elses_conversation_is_not_found_and_stores_nothing(engine) -> None:
    store = ConversationStore(engine)
    cid, _ = store.add_exchange(None, "alice", "What is BPO?", "Outsourcing a process.")
    with pytest.raises(NotFound):
        store.add_exchange(cid, "bob", "Mine now?", "No.")
    assert store.get(cid, "alice").turns == 2 and store.list("bob") == []


def test_feedback_is_per_owner_and_only_on_answers(engine) -> None:
    conversations, feedback = ConversationStore(engine), FeedbackStore(engine)
    cid = conversations.create("alice")
    question = conversations.add_turn(cid, "alice", "user", "Why outsource?")
    answer = conversations.add_turn(cid, "alice", "assistant", "To save money.")
    stored = feedback.add(answer, "alice", "down", "too short")
    assert [(f.id, f.conversation_id) for f in feedback.list("alice")] == [(stored.id, cid)]
    with pytest.raises(NotFound):
        feedback.add(answer, "bob", "up")
    with pytest.raises(ValueError, match="rate the answer"):
        feedback.add(question, "alice", "up")
    with pytest.raises(ValueError, match="'up' or 'down'"):
        feedback.add(answer, "alice", "meh")  # type: ignore[arg-type]
    assert feedback.list("bob") == []


def test_keys_verify_revoke_and_list(engine) -> None:
    keys = KeyStore(engine)
    assert not keys.any_active()
    key_id, plaintext = keys.create("crm")
    assert keys.any_active() and keys.verify(plaintext) == key_id
    assert keys.verify(plaintext + "x") is None and keys.verify("") is None
    assert keys.list()[0].hint == plaintext[:8] and keys.list()[0].active
    assert keys.revoke("crm") == 1
    assert keys.verify(plaintext) is None and not keys.any_active() and not keys.list()[0].active
    new_id, _ = keys.create("crm")  # the name is free again once revoked
    assert new_id != key_id
    with pytest.raises(NotFound):
        keys.revoke("unknown")
    with pytest.raises(ValueError, match="needs a name"):
        keys.create("  ")
