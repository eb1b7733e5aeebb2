"""Citations in the chat: `[n]` links open their source, whose cited passage is marked."""

from __future__ import annotations

from advisor.answer import Citation
from advisor.ui.citations import highlighted, linked, sources_html

SNIPPET = (
    "Nearshore outsourcing moves work to a provider in a neighbouring country. Canada and Mexico are the usual "
    "nearshore destinations for companies based in the United States. see: offshore.md"
)
CITATION = Citation(n=1, source="nearshore.md", title="Nearshore", section="What is it?", snippet=SNIPPET, score=0.9)
ANSWER = "Canada and Mexico are the usual nearshore destinations for US companies [1]. Costs vary [2]."


def test_marks_of_known_sources_become_links_to_them_and_unknown_ones_stay_text() -> None:
    text = linked(ANSWER, [CITATION])
    assert '<a class="cite" href="#source-1"' in text
    assert "[2]" in text and "#source-2" not in text


def test_the_sentence_the_answer_draws_on_is_marked_and_the_rest_is_not() -> None:
    shown = highlighted(SNIPPET, ["Canada and Mexico are the usual nearshore destinations for US companies."])
    assert "<mark>Canada and Mexico are the usual nearshore destinations" in shown
    assert "<mark>Nearshore outsourcing moves" not in shown and "see:" not in shown


def test_each_source_opens_by_its_number_and_marks_what_the_answer_cites() -> None:
    block = sources_html([CITATION], ANSWER)
    assert '<details class="source" id="source-1"><summary><span class="source-n">1</span>' in block
    assert block.count("<mark>") == 1


def test_a_snippet_is_escaped_before_marking() -> None:
    assert "&lt;script&gt;" in highlighted("Use <script> tags. Never.", ["Use script tags"])
