"""Hybrid retrieval: dense and keyword rankings fused, spread across documents."""

from __future__ import annotations

import numpy as np
import pytest

from advisor.index import chunk_key
from advisor.service import Advisor
from advisor.text import (
    canonical_query,
    keyword_tokens,
    leans_on_first,
    polarity,
    question_kind,
    question_parts,
    segments,
)


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


def test_keyword_tokens_unify_the_words_outsiders_use_for_the_same_thing() -> None:
    assert keyword_tokens("outsourcing partner") == keyword_tokens("outsourcing vendor") == ["outsourcing", "provider"]
    assert "office" in keyword_tokens("back-office work")


def test_canonical_query_uses_the_bases_own_words() -> None:
    assert (
        canonical_query("How do I choose the right outsourcing partner?") == "How do I choose the right BPO provider?"
    )
    assert canonical_query("What F&A work can we outsource?") == "What finance and accounting work can we outsource?"


def test_question_kinds_tell_why_from_what_and_should() -> None:
    assert question_kind("Why do companies outsource?") == "why"
    assert question_kind("What does nearshoring mean?") == "define"
    assert question_kind("Should we run a pilot first?") == "decide"
    assert question_kind("How much can we save?") == "quantity"


def test_a_question_matching_a_sections_asked_phrasing_finds_that_section(advisor_on) -> None:  # type: ignore[no-untyped-def]
    advisor = advisor_on(
        {
            "a.md": "---\ntitle: Vendor checks\ntopic: vendor-selection\ntags: [checks]\nsummary: Checks.\n---\n"
            "## How should you check a provider before signing?\n"
            "asked: What should we ask about their disaster recovery arrangements?\n"
            "Due diligence covers finances, references, security audits and continuity plans.\n\n"
            "## What should a contract include?\nA contract covers scope, service levels, price and exit terms.\n"
        }
    )
    hits = advisor.search("What should I ask a vendor about disaster recovery?", k=2)
    assert hits[0].section == "How should you check a provider before signing?"


def test_segments_name_the_function_industry_size_or_region_a_text_is_confined_to() -> None:
    assert segments("What KPIs matter for outsourced HR and payroll?") == {"hr"}
    assert segments("How can a small business protect its financial data?") == {"small company", "finance"}
    assert segments("What KPIs should you track for outsourced teams?") == set()
    assert segments("Should you outsource the part that brings in revenue, such as sales?") == set()


def test_polarity_tells_questions_about_problems_from_questions_about_benefits() -> None:
    assert polarity("What are common challenges when outsourcing to the Philippines?") == "bad"
    assert polarity("What are the benefits of outsourcing to the Philippines?") == "good"
    assert polarity("What are the pros and cons of outsourcing to the Philippines?") == ""


def test_a_general_question_prefers_the_general_section_to_one_confined_to_a_function(advisor_on) -> None:  # type: ignore[no-untyped-def]
    advisor = advisor_on(
        {
            "hr.md": "---\ntitle: HR and payroll outsourcing\ntopic: types\ntags: [hr]\nsummary: HR.\n---\n"
            "## What KPIs matter for outsourced HR and payroll teams?\n"
            "Payroll accuracy, on-time payment and time to hire are the usual KPIs for outsourced teams.\n",
            "kpis.md": "---\ntitle: SLAs and KPIs\ntopic: contracts\ntags: [kpis]\nsummary: KPIs.\n---\n"
            "## Which outsourcing KPIs matter most?\n"
            "Track a few measures tied to business outcomes: quality, timeliness, cost and customer satisfaction.\n",
        }
    )
    hits = advisor.search("What KPIs should you track for outsourced teams?", k=2)
    assert hits[0].source == "kpis.md"


def test_a_question_about_challenges_prefers_the_section_on_downsides_to_the_one_on_benefits(advisor_on) -> None:  # type: ignore[no-untyped-def]
    advisor = advisor_on(
        {
            "ph.md": "---\ntitle: The Philippines\ntopic: locations\ntags: [ph]\nsummary: PH.\n---\n"
            "## What are the benefits of outsourcing customer support to the Philippines?\n"
            "English-speaking agents, lower wages and a large contact-centre industry.\n\n"
            "## What are the risks of outsourcing support to the Philippines?\n"
            "Typhoons, power cuts, attrition and night shifts for Western hours.\n",
        }
    )
    hits = advisor.search("What are common challenges when outsourcing customer support to the Philippines?", k=2)
    assert hits[0].section.endswith("What are the risks of outsourcing support to the Philippines?")


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        (
            "What is a service level agreement (SLA) and why it is important?",
            ["What is a service level agreement (SLA)?", "why a service level agreement (SLA) is important?"],
        ),
        (
            "What Is PCI DSS, and Why Does It Apply to Call Centers?",
            ["What Is PCI DSS?", "Why Does PCI DSS Apply to Call Centers?"],
        ),
        (
            "Which HR activities suit outsourcing? Why?",
            ["Which HR activities suit outsourcing?", "Why: Which HR activities suit outsourcing?"],
        ),
        ("How do you know what and when to outsource?", ["How do you know what and when to outsource?"]),
        ("How do I choose a provider?", ["How do I choose a provider?"]),
    ],
)
def test_a_two_part_question_splits_into_questions_that_stand_alone(question: str, parts: list[str]) -> None:
    assert question_parts(question) == parts


def test_the_keyword_index_scores_every_chunk_as_rank_bm25_does(advisor: Advisor) -> None:
    from rank_bm25 import BM25Okapi

    keywords = advisor.snapshot.keywords
    corpus = [keyword_tokens(f"{d.page_content} {d.metadata.get('asked', '')}") or ["_"] for d in keywords.documents]
    tokens = keyword_tokens("service credits for missed service levels in an offshore contract")
    assert np.allclose(keywords.scores(tokens), BM25Okapi(corpus).get_scores(tokens))


def test_dense_search_in_memory_ranks_chunks_as_the_vector_store_does(advisor: Advisor) -> None:
    query = np.asarray(advisor.embeddings.embed_query("How long does a transition to a provider take?"), np.float32)
    in_memory = advisor.snapshot.matrix.nearest(query, 10)
    stored = advisor.index.vector_store.similarity_search_by_vector(query.tolist(), k=10)
    assert [chunk_key(d.metadata) for d in in_memory] == [chunk_key(d.metadata) for d in stored]
    in_topic = advisor.snapshot.matrix.nearest(query, 10, topic="contracts")
    assert in_topic and {d.metadata["topic"] for d in in_topic} == {"contracts"}


def test_a_second_part_leans_on_the_first_when_it_points_back_at_its_subject() -> None:
    assert leans_on_first("What is RPO and how does it work?")
    assert not leans_on_first("What is an SLA and what should a contract include?")
    assert not leans_on_first("How do I choose a provider?")
