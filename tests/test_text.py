"""Text helpers used when streaming: cutting an answer into sentences, estimating token counts."""

from __future__ import annotations

from advisor.text import estimate_tokens, stream_pieces

ANSWER = "Offshore costs less [1]. India leads [2].\n\n- Scope: what is done;\n- Price, e.g. 2.5% a year.\nEnd"


def test_stream_pieces_end_after_sentences_and_lines_and_keep_every_character() -> None:
    pieces = stream_pieces(ANSWER)
    assert "".join(pieces) == ANSWER
    assert pieces == [
        "Offshore costs less [1].", " India leads [2].\n\n", "- Scope:", " what is done;\n",
        "- Price, e.g.", " 2.5% a year.\n", "End",
    ]  # fmt: skip
    assert stream_pieces("") == [] and stream_pieces("One.") == ["One."]


def test_estimate_tokens_counts_words_and_punctuation_marks() -> None:
    assert estimate_tokens("What is BPO?") == 4
    assert estimate_tokens("") == 0
    assert estimate_tokens("Savings of 20% to 60% [1].") == 11
