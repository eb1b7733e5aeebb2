"""Sentence support checking against cited passages, and the checker's measured quality."""

from __future__ import annotations

from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings

from advisor.answering.support import SupportChecker
from evals.support_calibration import calibrate, evaluate_checker, load_pairs

SAVINGS = (
    "Industry reports frequently cite that companies can achieve cost reductions of 20% to 60% by outsourcing "
    "certain processes, allowing them to reinvest these savings into core business areas."
)
RATES = (
    "As a typical range for a fully loaded contact-centre agent, a US company might pay about $25-45 per hour "
    "onshore, $12-25 per hour nearshore in Latin America, and $8-15 per hour offshore in India or the Philippines."
)
ONSHORE = (
    "Onshore outsourcing is the most expensive location model, because the provider pays domestic wages, "
    "rents and taxes. A German insurer using a claims processor in Leipzig is an example of onshore outsourcing."
)

# Measured on evals/data/support_pairs.jsonl with the shipped weight, threshold and paraphrase rule (`python -m
# evals.support_calibration`): accuracy 0.956, precision 0.932, recall 0.965; two-fold 0.934 / 0.900 / 0.947.
# Before the paraphrase rule: 0.964 / 0.948 / 0.965; on support_pairs_composed.jsonl it lifted recall 0.41 -> 0.66.
# The floors leave a small margin for numeric noise across CPUs.
MIN_ACCURACY, MIN_PRECISION, MIN_RECALL = 0.94, 0.92, 0.93


@pytest.fixture(scope="module")
def checker(embeddings: Embeddings) -> SupportChecker:
    return SupportChecker(embeddings)


@pytest.mark.parametrize(
    "sentence, passage",
    [
        ("Outsourcing certain processes can cut costs by 20-60%, according to industry reports.", SAVINGS),
        ("Offshore agents in India or the Philippines cost a US company about $8-15 per hour.", RATES),
        ("Onshore providers cost the most because they pay domestic wages, rent and taxes.", ONSHORE),
        ("A German insurer using a claims processor in Leipzig is an example of onshore outsourcing.", ONSHORE),
    ],
)
def test_paraphrases_and_quotes_of_the_passage_are_supported(
    checker: SupportChecker, sentence: str, passage: str
) -> None:
    assert checker.check(sentence, [passage]).supported


def test_a_range_that_differs_from_the_source_is_unsupported(checker: SupportChecker) -> None:
    support = checker.check("Outsourcing can cut costs by 30-70%, according to industry reports.", [SAVINGS])
    assert not support.supported
    assert "number" in support.reasons


def test_a_number_missing_from_the_source_is_unsupported(checker: SupportChecker) -> None:
    assert not checker.check("Offshore agents cost about $5-10 per hour in India.", [RATES]).supported
    assert not checker.check("Companies can cut costs by up to 80% by outsourcing.", [SAVINGS]).supported


@pytest.mark.parametrize(
    "sentence",
    [
        "A German insurer using a claims processor in Manila is an example of onshore outsourcing.",
        "A French insurer using a claims processor in Leipzig is an example of onshore outsourcing.",
        "Offshore outsourcing is the most expensive location model, because the provider pays domestic wages.",
    ],
)
def test_a_swapped_name_or_location_model_is_unsupported(checker: SupportChecker, sentence: str) -> None:
    assert not checker.check(sentence, [ONSHORE]).supported


def test_a_negated_claim_is_unsupported(checker: SupportChecker) -> None:
    assert not checker.check("Onshore outsourcing is not the most expensive location model.", [ONSHORE]).supported


def test_a_sentence_about_another_topic_is_unsupported(checker: SupportChecker) -> None:
    assert not checker.check("Offshore agents cost about $8-15 per hour.", [ONSHORE]).supported


def test_support_from_any_cited_passage_counts_and_names_it(checker: SupportChecker) -> None:
    support = checker.check("Onshore outsourcing is the most expensive location model [2].", [SAVINGS, ONSHORE])
    assert support.supported
    assert support.best == 1


def test_no_passages_means_no_support(checker: SupportChecker) -> None:
    assert not checker.check("Onshore outsourcing is the most expensive location model.", []).supported


def test_labelled_set_is_large_and_rich_in_hard_negatives() -> None:
    pairs = load_pairs()
    kinds = {p.kind for p in pairs}
    assert len(pairs) >= 90
    assert {"wrong_number", "wrong_entity", "negation", "same_topic_unsupported"} <= kinds
    assert sum(not p.supported for p in pairs) > sum(p.supported for p in pairs)


def test_checker_quality_on_the_labelled_set_stays_above_the_measured_floor(checker: SupportChecker) -> None:
    metrics = evaluate_checker(checker)
    assert metrics.accuracy >= MIN_ACCURACY, metrics.errors
    assert metrics.precision >= MIN_PRECISION, metrics.errors
    assert metrics.recall >= MIN_RECALL, metrics.errors
    assert metrics.accuracy_by_kind["wrong_number"] == 1.0


def test_calibration_is_reproducible(checker: SupportChecker) -> None:
    pairs = load_pairs()[:40]
    assert calibrate(checker, pairs) == calibrate(checker, pairs)


def test_a_full_cache_is_emptied_without_losing_the_texts_being_checked(
    embeddings: Embeddings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from advisor.answering import support

    checker = SupportChecker(embeddings)
    checker.prefetch([ONSHORE])  # the passage, its sentences and clauses are now cached
    monkeypatch.setattr(support, "_CACHE_LIMIT", len(checker._cache))  # full: the next new text empties it
    assert checker.check("Onshore providers cost the most because they pay domestic wages.", [ONSHORE]).supported


def test_a_sentence_naming_one_item_of_an_inline_list_is_supported_and_a_missing_item_is_not(
    checker: SupportChecker,
) -> None:
    legal = (
        "Commonly outsourced legal work includes document review for litigation and e-discovery, contract review "
        "and abstraction, due diligence support, legal research and first drafts of standard documents."
    )
    assert checker.check("First drafts of standard documents.", [legal]).supported
    assert not checker.check("Courtroom advocacy before judges.", [legal]).supported


def test_a_capable_models_supported_summaries_mostly_pass_and_its_unsupported_ones_mostly_do_not(
    checker: SupportChecker,
) -> None:
    # Blind labels of sentences a capable writer composed from whole sections (pool4 and dev, never test).
    pairs = load_pairs(Path(__file__).resolve().parent.parent / "evals" / "data" / "support_pairs_composed.jsonl")
    measured = evaluate_checker(checker, pairs)
    # Measured 0.700 / 0.988; 0.658 before negation was compared with the near units, 0.41 before the paraphrase rule.
    assert measured.recall >= 0.68 and measured.precision >= 0.97


def test_a_flipped_claim_stays_unsupported_beside_a_negated_sentence_of_the_same_passage(
    checker: SupportChecker,
) -> None:
    passage = (
        "Outsourcing payroll reduces the time owners spend on pay runs. It does not remove the employer's "
        "liability for payroll taxes. A provider files the returns on the employer's behalf."
    )
    assert not checker.check(
        "Outsourcing payroll does not reduce the time owners spend on pay runs.", [passage]
    ).supported
    assert not checker.check(
        "Outsourcing payroll removes the employer's liability for payroll taxes.", [passage]
    ).supported
    assert checker.check(
        "The employer stays liable for payroll taxes; outsourcing does not remove that.", [passage]
    ).supported
