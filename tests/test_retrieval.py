"""Hybrid retrieval: dense and keyword rankings fused, spread across documents."""

from __future__ import annotations

from advisor.retrieval import keyword_tokens
from advisor.service import Advisor


def test_search_ranks_the_section_that_answers_first(advisor: Advisor) -> None:
    hits = advisor.search("Which countries are popular offshore destinations?", k=3)
    assert hits[0].source == "offshore.md"
    assert hits[0].section == "Which countries are popular for offshore outsourcing?"
    assert "India" in hits[0].text


def test_keyword_mode_finds_exact_terms_the_dense_model_may_miss(advisor: Advisor) -> None:
    hits = advisor.search("service credits", k=2, mode="keyword")
    assert hits[0].source == "contracts.md"
    assert hits[0].section == "What is a service level agreement?"


def test_no_source_fills_more_slots_than_the_cap(advisor: Advisor) -> None:
    hits = advisor.search("nearshore outsourcing benefits downsides definition", k=4)
    sources = [h.source for h in hits]
    assert sources.count("nearshore.md") <= advisor.settings.max_chunks_per_doc
    assert len(set(sources)) >= 2


def test_topic_filter_keeps_only_that_topic(advisor: Advisor) -> None:
    hits = advisor.search("what does it cost", k=4, topic="contracts")
    assert hits and {h.topic for h in hits} == {"contracts"}


def test_hit_scores_are_cosine_similarities_in_range(advisor: Advisor) -> None:
    hits = advisor.search("How much can outsourcing save?", k=3)
    assert all(-1.0 <= h.score <= 1.0 for h in hits)
    assert hits[0].source == "benefits.md" and hits[0].score > 0.5


def test_keyword_tokens_drop_stopwords_and_plurals() -> None:
    assert keyword_tokens("What are the benefits of the companies?") == ["benefit", "company"]
