"""Snippets: plain text from Markdown passages, cut at a sentence or a word, never mid-word."""

from __future__ import annotations

import pytest

from advisor.snippets import ELLIPSIS, plain, snippet

PASSAGE = """## How much can we save?
asked: Does outsourcing really cut costs? | How much could we save?

**Providers** often quote savings of *20% to 60%*, but [independent studies](https://example.com) report
lower net figures. Savings come from lower wages, economies of scale and `shared` tools.
- Real savings shrink if hidden costs are ignored.
see: building-the-business-case.md, risks-and-mitigations.md
"""


def test_annotations_run_into_one_line_are_dropped_too() -> None:
    text = plain("asked: Is it cheap? | Does it pay? Nearshore costs more. see: offshore.md, costs.md")
    assert text == "Nearshore costs more."


def test_plain_drops_markdown_annotation_lines_and_headings() -> None:
    text = plain(PASSAGE)
    assert text.startswith("Providers often quote savings of 20% to 60%, but independent studies report lower")
    for leftover in ("**", "*20", "`", "see:", ".md", "asked:", "##", "](", "- Real"):
        assert leftover not in text


def test_a_short_passage_is_kept_whole() -> None:
    assert snippet("Nearshore keeps **time zones** close.") == "Nearshore keeps time zones close."


def test_a_long_passage_ends_at_the_last_whole_sentence_that_fits() -> None:
    cut = snippet(PASSAGE, 150)
    assert cut == "Providers often quote savings of 20% to 60%, but independent studies report lower net figures."


@pytest.mark.parametrize("limit", [20, 33, 47, 61])
def test_a_first_sentence_too_long_for_the_limit_is_cut_at_a_word_with_an_ellipsis(limit: int) -> None:
    cut = snippet(PASSAGE, limit)
    assert cut.endswith(ELLIPSIS) and len(cut) <= limit
    head, whole = cut.removesuffix(ELLIPSIS), plain(PASSAGE)
    assert whole.startswith(head) and not whole[len(head)].isalnum()
