"""Reading a chat turn: small talk, readiness requests, prompt injection, and follow-ups resolved from history."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from advisor.text import keyword_tokens

Turn = tuple[str, str]
TurnKind = Literal["question", "greeting", "thanks", "identity", "capabilities", "goodbye", "readiness", "injection"]

COVERAGE = (
    "I can help with business process outsourcing: what BPO is and which functions companies outsource, "
    "onshore, nearshore, offshore and blended location models, benefits, risks and how to mitigate them, "
    "when (and when not) to outsource, choosing a vendor and running an RFP, contracts, pricing and SLAs, "
    "transition, governance, data security and compliance, and checking whether you are ready to outsource."
)
SMALL_TALK = {
    "greeting": "Hello! I'm BPO Advisor. " + COVERAGE + " What would you like to know?",
    "thanks": "You're welcome. Ask me anything else about outsourcing whenever you like.",
    "identity": "I'm BPO Advisor, an assistant that answers from a curated knowledge base and cites its "
    "sources. " + COVERAGE,
    "capabilities": COVERAGE + " You can also ask me to run a readiness interview.",
    "goodbye": "Goodbye, and good luck with your outsourcing plans.",
}
READINESS_OFFER = (
    "I can run a readiness interview with you: about 35 short questions on strategy, processes, "
    "measurement, data security, governance, people, finances and technology. At the end you get a score "
    "per area, a readiness band, and recommendations with sources. Would you like to start?"
)
REFUSAL = "That is outside what I cover. " + COVERAGE

_PATTERNS: list[tuple[TurnKind, re.Pattern[str]]] = [
    (
        "injection",
        re.compile(
            r"\b(ignore|disregard|forget|override|bypass)\b.{0,40}\b(instructions?|rules|prompts?|guidelines|"
            r"previous|above|system)\b|\bsystem prompt\b|\bjailbreak\b|\bdeveloper mode\b|\bDAN\b|"
            r"\byou are now\b|\bpretend (to be|you are)\b|\breveal\b.{0,30}\b(prompt|instructions)\b",
            re.I,
        ),
    ),
    (
        "readiness",
        re.compile(
            r"\b(are|is) (we|i|my (company|business|firm)|our (company|business|firm)) ready\b|"
            r"\bready (for|to) outsourc|\b(assess|check|evaluate|score|test)\b.{0,20}\breadiness\b|"
            r"\breadiness (assessment|check|interview|test|questionnaire)\b|\bstart (the )?interview\b",
            re.I,
        ),
    ),
]
_SMALL_TALK_PATTERNS: list[tuple[TurnKind, re.Pattern[str]]] = [
    (
        "greeting",
        re.compile(r"^(hi|hello|hey|hiya|howdy|good (morning|afternoon|evening)|greetings)\b", re.I),
    ),
    ("thanks", re.compile(r"^(thanks|thank you|thx|cheers|great,? thanks|much appreciated)\b", re.I)),
    (
        "identity",
        re.compile(r"^(who|what) are you\b|^what is your name\b|^are you (a bot|human|an ai)\b", re.I),
    ),
    (
        "capabilities",
        re.compile(r"^(what can you (do|help)|how can you help|what do you (cover|know|do)|help$|what topics)", re.I),
    ),
    ("goodbye", re.compile(r"^(bye|goodbye|see you|that's all|that is all)\b", re.I)),
]
_FILLER = set(
    [
        "hi",
        "hello",
        "hey",
        "there",
        "thanks",
        "thank",
        "you",
        "good",
        "morning",
        "afternoon",
        "evening",
        "bot",
        "please",
        "so",
        "much",
        "lot",
        "much",
        "appreciated",
        "cheers",
        "again",
        "ok",
        "okay",
        "great",
    ]
)
_GENERIC = set(keyword_tokens("tell explain describe give list name"))
# Verbs that carry no subject: "What should an outsourcing contract include?" is about the contract.
_VERB_TEXT = """include includes use uses using need needs do does did make makes get gets work works start happen
happens mean means cover covers look looks run runs help helps go goes take takes come comes be been being is are can
could should would will may might must have has had and but also so what about how which who why when where whom whose
typical typically usually really actually"""
_VERBS = frozenset(_VERB_TEXT.split())
_FOLLOW_UP_START = re.compile(r"^(and|but|also|what about|how about|which|what of|so)\b", re.I)
_WHAT_IS = re.compile(
    r"^(?:what|who)(?: is|'s| are) (?:an? |the )?([^?]{3,60}?)\s*\??$"
    r"|^tell me about (?:an? |the )?([^?]{3,60}?)\s*[.?]?$",
    re.I,
)
_PRONOUN = re.compile(r"\b(it|its|they|them|their|this|those|these)\b", re.I)
_ASPECT = set(
    keyword_tokens(
        "benefits advantages downsides disadvantages drawbacks risks challenges pros cons cost costs price "
        "countries country examples example kpis metrics mean means work works tell explain describe more detail "
        "details typical main key best list name give important big biggest usual when why how much many long "
        "fit suit suits good bad compare compared versus vs difference matter matters kpi kpis measure "
        "target targets definition step steps"
    )
)


# "Why evaluate readiness before outsourcing?" asks about readiness; it does not ask to be assessed.
_ABOUT_READINESS = re.compile(r"^\s*(why|what(?:'s| is| are| does)|what kind)\b", re.I)


def classify(text: str) -> TurnKind:
    """What kind of turn this is; domain questions are 'question'."""
    for kind, pattern in _PATTERNS:
        if pattern.search(text):
            return "question" if kind == "readiness" and _ABOUT_READINESS.search(text) else kind
    stripped = text.strip().lower()
    for kind, pattern in _SMALL_TALK_PATTERNS:
        if pattern.search(stripped) and _only_filler(stripped, pattern):
            return kind
    return "question"


def _only_filler(text: str, pattern: re.Pattern[str]) -> bool:
    # "Hi, what is BPO?" is a question with a greeting, not small talk.
    rest = pattern.sub("", text, count=1)
    words = re.findall(r"[a-z']+", rest)
    return len([w for w in words if w not in _FILLER]) <= 2 and len(words) <= 6


def standalone_question(question: str, history: Sequence[Turn] | None) -> str:
    """The question with what it leaves out taken from the conversation, when it is a follow-up.

    "And the downsides?" after "What are the benefits of nearshore outsourcing?" becomes "And the downsides of
    nearshore outsourcing?"; "What does it need?" names the subject in place of "it"; "What about technical
    support?" has a subject of its own and borrows the previous aspect instead ("KPIs"). Earlier follow-ups are
    resolved first, so a subject carries through several turns.
    """
    resolved = ""
    for text in (t for role, t in (history or []) if role == "user" and classify(t) == "question"):
        resolved = _resolve(text, resolved)
    return _resolve(question, resolved)


def _resolve(question: str, previous: str) -> str:
    if not previous or not is_follow_up(question):
        return question
    has_subject = bool(_content_words(question, aspects=False)) and not _PRONOUN.search(question)
    if has_subject:
        aspects = [w for w in _content_words(previous, aspects=True) if w.lower() not in question.lower()]
        return f"{question.rstrip(' ?')} ({' '.join(aspects)})?" if aspects else question
    subject = _subject(previous, question)
    if not subject:
        return question
    if _PRONOUN.search(question):
        return _PRONOUN.sub(lambda m: _as_pronoun(m.group(0), subject), question, count=1)
    return f"{question.rstrip(' ?')} of {subject}?"


def _subject(previous: str, question: str) -> str:
    # "What is an exit plan in outsourcing?" names its subject whole; otherwise its content words do.
    named = _WHAT_IS.match(previous.strip())
    if named:
        subject = named.group(1) or named.group(2)
        # "the benefits of nearshore outsourcing": the aspect is the earlier question's, not the subject.
        head, joint, rest = subject.partition(" of ")
        aspect = joint and all(not t or t[0] in _ASPECT for t in map(keyword_tokens, head.split()))
        return rest if aspect else subject
    return " ".join(w for w in _content_words(previous, aspects=False) if w.lower() not in question.lower())


def _as_pronoun(pronoun: str, subject: str) -> str:
    return f"{subject}'s" if pronoun.lower() in ("its", "their") else subject


def _content_words(text: str, aspects: bool) -> list[str]:
    """The question's own words that name its subject (aspects=False) or what it asks about it (True)."""
    words = re.findall(r"[A-Za-z0-9][A-Za-z0-9'’-]*", text)
    kept = []
    for word in words:
        tokens = keyword_tokens(word)
        if not tokens or tokens[0] in _GENERIC or word.lower() in _VERBS or _PRONOUN.fullmatch(word):
            continue
        if (tokens[0] in _ASPECT) == aspects:
            kept.append(word)
    return list(dict.fromkeys(kept))


def is_follow_up(question: str) -> bool:
    """Whether a question leans on the conversation for its subject."""
    content = [t for t in keyword_tokens(question) if t not in _ASPECT]
    return bool(_FOLLOW_UP_START.search(question.strip()) or _PRONOUN.search(question) or not content)
