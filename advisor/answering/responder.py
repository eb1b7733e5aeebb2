"""One turn of a conversation, from the user's text to a streamed, cited answer or an honest decline.

The `Responder` validates the question once, replies to small talk and readiness requests, declines what it
must (injection, advice it never gives, nothing close enough in the base, names the base lacks), and otherwise
answers from the retrieved passages, extractively or with an LLM whose sentences are checked. It streams
typed events: `Token` pieces of text, then one `Final` with the complete answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage

from advisor import conversation
from advisor.answer import Answer, Event, Final, Hit, Token
from advisor.answering import scope
from advisor.answering.extractive import ExtractiveAnswerer
from advisor.answering.sections import Sections
from advisor.settings import Settings
from advisor.text import question_parts, stream_pieces

if TYPE_CHECKING:
    from advisor.answering.generative import GenerativeAnswerer

Turn = tuple[str, str]
_SECOND_PART_HITS = 2
_SOURCE_SEARCH = 12  # passages searched for the sections an LLM composes from
Search = Callable[[str, int], list[Hit]]


class InvalidQuestion(ValueError):
    """A question that cannot be answered as given (empty, too long, binary)."""


def check_question(question: object, max_chars: int) -> str:
    """The question, stripped, or InvalidQuestion saying what is wrong with it."""
    if not isinstance(question, str):
        raise InvalidQuestion("question must be text")
    text = question.strip()
    if not text:
        raise InvalidQuestion("question is empty")
    if len(text) > max_chars:
        raise InvalidQuestion(f"question is too long ({len(text)} characters; the limit is {max_chars})")
    unprintable = sum(1 for ch in text if not ch.isprintable() and ch not in "\n\t\r")
    if "\x00" in text or unprintable > max(2, len(text) // 20):
        raise InvalidQuestion("question contains binary data, not text")
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        # Lone surrogates (possible in JSON escapes) are not text; the tokenizer would fail on them.
        raise InvalidQuestion("question contains invalid Unicode (an unpaired surrogate)")
    return text


class Responder:
    """Owns a turn: checking, small talk, declining and answering, streamed as `Token`s and a `Final`."""

    def __init__(
        self,
        settings: Settings,
        search: Search,
        extractive: ExtractiveAnswerer,
        vocabulary: Callable[[], set[str]],
        generator: Callable[[], GenerativeAnswerer | None] = lambda: None,
        sections: Callable[[], Sections] | None = None,
    ) -> None:
        self.settings = settings
        self.search = search
        self.extractive = extractive
        self.vocabulary = vocabulary
        self.generator = generator
        self.sections = sections

    def respond(self, question: str, history: Sequence[Turn] | None = None) -> Iterator[Event]:
        """Stream the reply to one user turn; the last event is always the Final answer."""
        text = check_question(question, self.settings.max_question_chars)
        answer = _direct_reply(text)
        if answer is None:
            standalone = conversation.standalone_question(text, history)
            answer = self._policy_decline(text, standalone)
            if answer is None:
                hits = self.search(standalone, self.settings.top_k)
                answer = self._coverage_decline(text, standalone, hits)
                if answer is None:
                    yield from self._answer(standalone, self._with_second_part(standalone, hits), history)
                    return
        yield from _sentence_by_sentence(answer)

    def in_scope(self, question: str, hits: list[Hit]) -> bool:
        """Whether the knowledge base speaks to the question: a close chunk, or failing that a close sentence."""
        if not hits:
            return False
        if max(h.score for h in hits) >= self.settings.min_relevance:
            return True
        return self.extractive.sentence_relevance(question, hits) >= self.settings.min_sentence_relevance

    def _policy_decline(self, text: str, standalone: str) -> Answer | None:
        # Advice the advisor never gives, whatever the base holds: investment, someone's own legal case.
        reason = scope.policy_reason(text)
        return _refusal(scope.decline_message(reason, scope.priced_names(text)), standalone) if reason else None

    def _coverage_decline(self, text: str, standalone: str, hits: list[Hit]) -> Answer | None:
        # Nothing close enough in the base, or a name it lacks: a company's figures, or a close-enough miss.
        if not self.in_scope(standalone, hits):
            return _refusal(conversation.REFUSAL, standalone)
        names = scope.unknown_names(text, self.vocabulary())
        close = bool(hits) and max(h.score for h in hits) >= self.settings.named_relevance
        if names and (scope.asks_for_figures(text) or not close):
            reason = "named" if scope.asks_for_figures(text) else "unknown"
            return _refusal(scope.decline_message(reason, names), standalone)
        return None

    def _with_second_part(self, question: str, hits: list[Hit]) -> list[Hit]:
        # A two-part question also gets the passages closest to its second part.
        parts = question_parts(question)
        if len(parts) < 2:
            return hits
        seen = {(h.source, h.section) for h in hits}
        extra = [h for h in self.search(parts[1], self.settings.top_k) if (h.source, h.section) not in seen]
        return hits + extra[:_SECOND_PART_HITS]

    def _answer(self, question: str, hits: list[Hit], history: Sequence[Turn] | None) -> Iterator[Event]:
        extracted = self.extractive.answer(question, hits)
        generator = self.generator()
        if generator is None:
            yield from _sentence_by_sentence(extracted)
            return
        sources = self.llm_sources(question, extracted) if self.sections else hits
        yield from generator.stream(question, sources, _messages(history), fallback=extracted)

    def llm_sources(self, question: str, extracted: Answer) -> list[Hit]:
        """What an LLM composes from: the sections the extractive answer chose, then the next retrieved ones, whole.

        An outsider's question usually needs points from three to five sections; the extractive answer quotes
        one or two (evals/README.md, round 8).
        """
        assert self.sections is not None
        keys = [(c.source, c.section) for c in extracted.citations]
        keys += [(h.source, h.section) for h in self.search(question, _SOURCE_SEARCH)]
        sections = self.sections()
        found = (sections.hit(source, section) for source, section in dict.fromkeys(keys))
        return [hit for hit in found if hit is not None][: self.settings.llm_sources]


def _sentence_by_sentence(answer: Answer) -> Iterator[Event]:
    # An answer known whole (extractive, a decline) still streams as its sentences, as readers expect.
    for piece in stream_pieces(answer.text):
        yield Token(piece)
    yield Final(answer)


def _direct_reply(text: str) -> Answer | None:
    kind = conversation.classify(text)
    if kind == "question":
        return None
    if kind == "injection":
        return _refusal(conversation.REFUSAL, text)
    if kind == "readiness":
        return Answer(text=conversation.READINESS_OFFER, intent="readiness", question=text)
    return Answer(text=conversation.SMALL_TALK[kind], intent="smalltalk", question=text)


def _refusal(text: str, question: str) -> Answer:
    return Answer(text=text, refused=True, intent="refusal", question=question)


def _messages(history: Sequence[Turn] | None) -> list[BaseMessage]:
    """Earlier turns as chat messages, so an LLM sees the conversation it continues."""
    kinds = {"user": HumanMessage, "assistant": AIMessage}
    return [kinds[role](content=text) for role, text in (history or []) if role in kinds]
