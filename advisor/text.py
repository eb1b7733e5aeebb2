"""The words of questions and passages: content-word tokens with synonyms unified, queries in the base's own
words, and the kind of answer a question asks for."""

from __future__ import annotations

import re

import numpy as np

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "for",
        "from",
        "has",
        "have",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "me",
        "my",
        "of",
        "on",
        "or",
        "our",
        "should",
        "so",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "us",
        "was",
        "we",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "about",
        "also",
        "any",
        "more",
        "most",
        "much",
        "some",
        "such",
    ]
)


# Hedges and auxiliaries: no claim rests on them, so the support check ignores them too (beside STOPWORDS).
_HEDGE_TEXT = "been being but had may might those were very often usually typically many can't via per each other"
HEDGES = frozenset(_HEDGE_TEXT.split())
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9&'’-]*")
_LINE_OR_SENTENCE = re.compile(r"(?<=[.!?:])\s+|\n+")
_PIECE_END = re.compile(r"(?<=[.!?:])(?= )|(?<=\n)(?!\n)")  # before the space after a sentence; after a line
TOKEN_LIKE = re.compile(r"\w+|[^\w\s]")


def words(text: str) -> list[str]:
    """The words of a text as written (case kept), numbers and hyphenated words whole."""
    return _WORD.findall(text.replace("’", "'"))


def split_lines_and_sentences(text: str) -> list[str]:
    """A passage's lines and sentences (split after . ! ? : and at line breaks), stripped, empty ones dropped."""
    return [piece.strip() for piece in _LINE_OR_SENTENCE.split(text) if piece.strip()]


def stream_pieces(text: str) -> list[str]:
    """The text cut after each sentence and line, keeping every character: "".join(pieces) == text."""
    return [piece for piece in _PIECE_END.split(text) if piece]


def estimate_tokens(text: str) -> int:
    """A rough token count: words and punctuation marks (models' tokenizers differ; this is an estimate)."""
    return len(TOKEN_LIKE.findall(text))


def prefix_stem(word: str) -> str:
    """A coarse stem for comparing claims: lower-case, no possessive, at most five letters ("outsourcing": "outso")."""
    word = word.lower().removesuffix("'s")
    return word[:5] if len(word) > 5 else word.removesuffix("s")


# Words outsiders use for what the knowledge base names otherwise, mapped to one form so that "partner",
# "vendor" and "provider" meet in the keyword index (applied after the plural strip, to both sides).
_SYNONYMS = {
    **dict.fromkeys(["vendor", "supplier", "partner", "outsourcer", "contractor", "bpo-provider"], "provider"),
    **dict.fromkeys(["outsource", "outsourced", "outsourcer's"], "outsourcing"),
    **dict.fromkeys(["business", "firm", "organisation", "organization", "enterprise"], "company"),
    **dict.fromkeys(["employee", "worker", "personnel", "workforce", "team", "people"], "staff"),
    **dict.fromkeys(["disadvantage", "drawback", "downside", "con", "pitfall", "danger", "threat"], "risk"),
    **dict.fromkeys(["advantage", "upside", "pro", "gain"], "benefit"),
    **dict.fromkeys(
        ["choose", "choosing", "select", "selecting", "pick", "picking", "evaluate", "evaluating"], "selection"
    ),
    **dict.fromkeys(["agreement", "contractual"], "contract"),
    **dict.fromkeys(["told", "inform", "informing", "notify", "communicate", "announce"], "tell"),
    **dict.fromkeys(["trial"], "pilot"),
    **dict.fromkeys(["step", "phase", "lifecycle", "life-cycle"], "stage"),
    **dict.fromkeys(["cheapest", "cheaper", "inexpensive", "lowest-cost", "low-cost"], "cheap"),
    **dict.fromkeys(["migrate", "migration", "handover", "hand-over", "onboarding"], "transition"),
    **dict.fromkeys(["expense", "spend", "spending"], "cost"),
    **dict.fromkeys(["saving", "save"], "savings"),
    **dict.fromkeys(["terminate", "termination", "end", "ending", "exit"], "exit"),
    **dict.fromkeys(["nearshoring", "nearshored"], "nearshore"),
    **dict.fromkeys(["onshoring", "onshored"], "onshore"),
    **dict.fromkeys(["in-house", "insource", "insourcing", "backsourcing", "reshoring"], "in-house"),
}


# The same unification for the embedding side: outsiders say "outsourcing partner" where the base says "BPO
# provider", and the small embedding model weighs that wording heavily.
_REWRITES = (
    (re.compile(r"\bF&A\b|\bF and A\b", re.I), "finance and accounting"),
    (re.compile(r"\bSMBs?\b|\bSMEs?\b"), "small and medium-sized businesses"),
    (re.compile(r"\bhuman resources?\b", re.I), "HR"),
    (re.compile(r"\bIT outsourcing\b"), "IT services outsourcing (ITO)"),
    (re.compile(r"\b(near|on)shoring\b", re.I), r"\1shore outsourcing"),
    (
        re.compile(
            r"\b(?:outsourcing|outsourced|bpo|third[- ]party) (?:service )?(?:partner|vendor|supplier|provider|"
            r"company|firm|agency)(s?)\b",
            re.I,
        ),
        r"BPO provider\1",
    ),
    (re.compile(r"\b(?:vendor|supplier|partner|outsourcer|contractor)(s?)\b", re.I), r"provider\1"),
    # "hand off to an outsourcer", "contract out", "farm out": the base says "outsource".
    (
        re.compile(r"\b(?:hand(?:ed|ing)? (?:off|over)|contract(?:ed|ing)? out|farm(?:ed|ing)? out)\b", re.I),
        "outsource",
    ),
    (re.compile(r"\b(?:disadvantages|drawbacks|cons|pitfalls)\b", re.I), "downsides"),
    (re.compile(r"\b(?:advantages|pros|upsides)\b", re.I), "benefits"),
)


def canonical_query(text: str) -> str:
    """The question in the knowledge base's own words for the things it names differently."""
    for pattern, replacement in _REWRITES:
        text = pattern.sub(replacement, text)
    return text


def keyword_tokens(text: str) -> list[str]:
    """Lower-cased content words with a light plural strip and synonyms unified, for BM25 and overlap scores."""
    words = re.findall(r"[a-z0-9]+(?:[-'][a-z0-9]+)*", text.lower().replace("’", "'"))
    # "back-office" also counts as "back" and "office", so "back office" finds it.
    parts = (part for w in words for part in ([w, *w.split("-")] if "-" in w else [w]))
    stems = (_stem(w) for w in parts if w not in STOPWORDS and len(w) > 1)
    return [_SYNONYMS.get(w, w) for w in stems]


def _stem(word: str) -> str:
    if word.endswith("sses"):
        return word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


_KINDS = (
    (
        "define",
        re.compile(
            r"^(what(?:'s| is| are| does)\b.*\bmean\b|what(?:'s| is| are) (?:an? |the )?\S+(?: \S+)?\??$|define)"
        ),
    ),
    ("why", re.compile(r"^why\b")),
    ("when", re.compile(r"^(when|is it (?:the )?(?:right )?time)\b")),
    ("quantity", re.compile(r"^how (much|many|long|often|big)\b")),
    ("how", re.compile(r"^how\b")),
    ("which", re.compile(r"^(which|what (?:\w+ )?(?:should|can|to))\b")),
    ("decide", re.compile(r"^(should|is it|do we|do i|can we|can i|would)\b")),
)


def section_heading(section: str) -> str:
    """The innermost heading of a section path ("Costs > What drives the price?": "What drives the price?")."""
    return section.rsplit(" > ", 1)[-1]


def question_kind(text: str) -> str:
    """What kind of answer a question asks for: define, why, when, quantity, how, which, decide, or ''."""
    text = text.strip().lower().replace("’", "'")
    return next((kind for kind, pattern in _KINDS if pattern.search(text)), "")


# What a question or heading is confined to: a business function, an industry, a company size or a region. A
# heading confined to one ("What KPIs matter for outsourced HR and payroll?") answers a narrower question than
# one that names none of them ("What KPIs should you track for outsourced teams?").
_SEGMENTS = (
    (
        "small company",
        re.compile(
            r"\bsmall(?:er)?(?: and medium[- ]sized)? (?:business|compan|firm)|\bSM[BE]s?\b|\bstart-?ups?\b", re.I
        ),
    ),
    ("hr", re.compile(r"\bHR\b|\bhuman resources\b|\bpayroll|\bPEOs?\b|\bemployer of record\b", re.I)),
    (
        "finance",
        re.compile(r"\baccounting\b|\bbookkeep|\bfinanc(?:e|ial)\b|\baccounts (?:payable|receivable)\b|\bF&A\b", re.I),
    ),
    ("it", re.compile(r"\bIT\b|\bITO\b|\bhelp ?desk|\btech(?:nical)? support\b|\bsoftware\b|\bMSPs?\b")),
    (
        "customer service",
        re.compile(r"\b(?:call|contact) cent(?:re|er)s?\b|\bcalls\b|\bcustomer (?:service|support|care)\b", re.I),
    ),
    ("healthcare", re.compile(r"\bmedical\b|\bhealth ?care\b|\bHIPAA\b|\bpatients?\b|\bclinic", re.I)),
    ("insurance", re.compile(r"\binsur(?:ance|er)", re.I)),
    ("moderation", re.compile(r"\bmoderat(?:ion|ors?)\b", re.I)),
    ("marketing", re.compile(r"\bmarketing\b|\bsales\b|\blead generation\b", re.I)),
    ("legal", re.compile(r"\blegal\b|\bLPO\b|\blaw firms?\b", re.I)),
    ("recruitment", re.compile(r"\brecruit|\bRPO\b", re.I)),
    ("philippines", re.compile(r"\bPhilippines\b|\bFilipino", re.I)),
    ("india", re.compile(r"\bIndia(?:n)?\b", re.I)),
    ("latin america", re.compile(r"\bLatin America|\bMexico\b|\bColombia|\bBrazil", re.I)),
    ("europe", re.compile(r"\bEurope|\bCEE\b|\bPoland\b|\bRomania|\bUkrain", re.I)),
)
_EXAMPLES = re.compile(r"\b(?:such as|e\.g\.|for example|for instance|like)\b.*", re.I)
# Whether a question asks about the good side of something or the bad side.
_POLARITY = (
    (
        "bad",
        re.compile(
            r"\b(?:risks?|challenges?|downsides?|disadvantages?|drawbacks?|problems?|pitfalls?|cons|dangers?|"
            r"mistakes?|concerns?|threats?|fail(?:s|ures?)?)\b",
            re.I,
        ),
    ),
    ("good", re.compile(r"\b(?:benefits?|advantages?|pros|upsides?|attractive|attracts?)\b", re.I)),
)


SEGMENTS = tuple(name for name, _ in _SEGMENTS)  # every segment's name, in a fixed order


def segments(text: str) -> frozenset[str]:
    """The functions, industries, company sizes and regions a text names ("payroll": "hr"), not as examples."""
    text = _EXAMPLES.sub("", text)  # "the part that brings in revenue, such as sales" is not confined to sales
    return frozenset(name for name, pattern in _SEGMENTS if pattern.search(text))


def polarity(text: str) -> str:
    """Whether a text asks about problems ("bad") or benefits ("good"); "" for both or neither."""
    found = {name for name, pattern in _POLARITY if pattern.search(text)}
    return found.pop() if len(found) == 1 else ""


# "What is an SLA and why does it matter?", "Which HR activities suit outsourcing? Why?": a second question.
_SECOND_QUESTION = re.compile(
    r"(?:,\s*|\s+)and\s+(?=(?:why|how|what|when|where|which|who)\b)"
    r"|\?\s+(?=(?:why|how|what|when|where|which|who|is|are|do|does|can|should)\b)",
    re.I,
)
_WH = {"why", "how", "what", "when", "where", "which", "who"}
_SUBJECT = re.compile(r"^(?:what|who)(?:'s|\s+is|\s+are)\s+(.+)$", re.I)  # "What is an SLA?": "an SLA"
_LEANS_ON_FIRST = re.compile(r"\b(it|its|they|them|their|this|that|these|those)\b", re.I)


def leans_on_first(text: str) -> bool:
    """Whether a two-part question's second part asks about the first part's subject ("and how does it work?")."""
    found = _SECOND_QUESTION.search(text)
    return found is not None and bool(_LEANS_ON_FIRST.search(text[found.end() :]))


def question_parts(text: str) -> list[str]:
    """A question that asks two things, as two questions that each stand alone; otherwise the question alone.

    The second part takes the first as its context when it leans on it ("why does it matter", "Why?").
    """
    found = _SECOND_QUESTION.search(text)
    if found is None:
        return [text]
    first = text[: found.start()].strip(" ,;?") + "?"
    second = text[found.end() :].strip()
    if len(first.split()) < 3 or not second or first.split()[-1].lower().rstrip("?") in _WH:
        return [text]  # "how do you know what and when to outsource" is one question
    subject = _SUBJECT.match(first)
    if subject and _LEANS_ON_FIRST.search(second):
        second = _LEANS_ON_FIRST.sub(subject.group(1).rstrip("?"), second, count=1)
    elif len(second.split()) < 3 or _LEANS_ON_FIRST.search(second):
        second = f"{second.rstrip('?')}: {first}"
    return [first, second]


# "RPO vs traditional recruitment", "the difference between BPO and KPO", "Eastern Europe or Asia?": two options.
_SIDE = r"((?:[\w&/-]+ ){0,2}[\w&/-]+)"
_ARTICLE = r"(?:an? |the )?"
_COMPARISONS = (
    re.compile(
        rf"\b(?:difference|differences|distinction|compare|comparing|choose|choosing|decide) between "
        rf"{_ARTICLE}{_SIDE} and {_ARTICLE}{_SIDE}\b",
        re.I,
    ),
    re.compile(
        rf"(?:^|[:,] ?|\b(?:is|are|between|choose|use) {_ARTICLE}){_SIDE} "
        rf"(?:vs\.?|versus) {_ARTICLE}{_SIDE}(?=[:?,.]|$| -)",
        re.I,
    ),
    re.compile(rf"(?:: ?|\b(?:needs?|use|choose|hire|pick) {_ARTICLE}){_SIDE} or {_ARTICLE}{_SIDE}\?$", re.I),
)


def comparison_sides(text: str) -> tuple[str, str] | None:
    """The two options a question weighs against each other, or None for a question about one thing."""
    text = text.strip().replace("’", "'")
    for pattern in _COMPARISONS:
        if found := pattern.search(text):
            return found.group(1).strip(), found.group(2).strip()
    return None


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    """The cosine similarity of two vectors (0 when either is zero)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    norm = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(np.dot(a, b)) / norm if norm else 0.0
