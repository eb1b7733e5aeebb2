"""Benchmark a generative backend: latency, throughput and how often verification had to step in."""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterable

from advisor.answer import Answer, Hit
from advisor.answering.generative import GenerativeAnswerer, build_messages, split_generated


def bench_backend(answerer: GenerativeAnswerer, questions_with_hits: Iterable[tuple[str, list[Hit]]]) -> dict:
    """Stream each question; report time to first token, tokens/s, drop rate and fallback rate.

    Tokens are counted as streamed chunks (one per token for llama.cpp, OpenAI and Ollama).
    ``drop_rate`` is the share of answers that lost at least one sentence to verification;
    ``dropped_sentence_rate`` the share of generated sentences that were unsupported.
    """
    first_token: list[float] = []
    rates: list[float] = []
    answers: list[Answer] = []
    tokens_total = 0
    for question, hits in questions_with_hits:
        # Time the model's own tokens, then verify the whole text as the answerer does.
        start = time.perf_counter()
        first: float | None = None
        tokens, generated = 0, ""
        for chunk in answerer.chat_model.stream(build_messages(question, hits)):
            if chunk.text:
                tokens += 1
                generated += chunk.text
                first = time.perf_counter() if first is None else first
        end = time.perf_counter()
        answers.append(answerer.verify(question, hits, generated))
        tokens_total += tokens
        if first is not None:
            first_token.append(first - start)
            if tokens > 1 and end > first:
                rates.append((tokens - 1) / (end - first))
    count = len(answers)
    dropped = sum(len(a.dropped_sentences) for a in answers)
    kept = sum(len(split_generated(a.text)) for a in answers if not a.fell_back)
    return {
        "backend": answerer.backend,
        "questions": count,
        "tokens": tokens_total,
        "ttft_s_median": _round(statistics.median(first_token)) if first_token else None,
        "ttft_s_max": _round(max(first_token)) if first_token else None,
        "tokens_per_s": _round(statistics.mean(rates)) if rates else None,
        "drop_rate": _round(sum(bool(a.dropped_sentences) for a in answers) / count) if count else None,
        "dropped_sentence_rate": _round(dropped / (dropped + kept)) if dropped + kept else None,
        "fallback_rate": _round(sum(a.fell_back for a in answers) / count) if count else None,
    }


def _round(value: float) -> float:
    return round(value, 3)
