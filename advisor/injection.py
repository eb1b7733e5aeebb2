"""Finding instructions planted in knowledge text: commands to an assistant that must never reach an answer."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Planted:
    """A planted instruction: the line it starts on, its text and why it was flagged."""

    line: int
    text: str
    reason: str
    hidden: bool = False  # inside an HTML comment


def _any(*alternatives: str, flags: int = re.I) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{a})" for a in alternatives), flags)


_AI = (
    r"(?:answer(?:ing)? (?:system|engine)|AI|A\.I\.|LLMs?|(?:large )?language models?|"
    r"AI (?:assistants?|models?|systems?|agents?)|assistants?|chatbots?|bots?|GPT|ChatGPT|Claude|Copilot|Gemini)"
)
_SECRET = (
    r"(?:api[ -]?keys?|passwords?|passcodes?|pass ?phrases?|credentials|secret keys?|access keys?|private keys?|"
    r"(?:access|auth|authentication|bearer|session|security) tokens?|tokens?|pins?|one-time (?:codes?|passwords?)|"
    r"otps?|2fa codes?|mfa codes?|verification codes?|recovery (?:codes?|phrases?|keys?)|seed phrases?|"
    r"credit card(?: numbers?| details)?|card (?:numbers?|details)|cvv|cvc|bank (?:details|account numbers?)|"
    r"social security numbers?|ssns?|login details|sign-in details|log-in details|secrets?)"
)
_URL = (
    r"(?:https?://\S+|www\.\S+|\b[\w-]+(?:\.[\w-]+)*\."
    r"(?:com|net|org|io|co|xyz|ru|info|biz|app|dev|ly|me|site|online|top|link|click)\b(?:/\S*)?)"
)
_EMAIL = r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"
_NEGATION = _any(r"\b(?:not|never|don't|do not|no|avoid|nobody|no one|mustn't|shouldn't|can't)\W+(?:\w+\W+){,2}$")
_SEND = (  # handing a secret to someone: wrong whoever owns it
    r"(?:send|e-?mail|forward|share|post|reveal|disclose|paste|leak|transmit|upload|submit|dm|text|message|read out|"
    r"hand over|reply with|respond with|ask (?:for|them for|(?:the )?users? for|customers? for|the caller for))"
    r"(?:s|es|ed|ing)?"
)
_SHOW = (  # writing a secret down: wrong only when it goes to an outside address or into the answer
    r"(?:give|provide|include|type|enter|confirm|write|print|output|show|display|repeat|tell|copy|export|supply)"
    r"(?:s|es|ed|ing)?"
)
_EARLIER = (
    r"(?:previous|prior|above|earlier|preceding|original|initial|former|old|existing|system|developer|safety|default|"
    r"standing|other|usual|normal)"
)

# Each rule is one way a sentence speaks to the assistant; any one match flags the sentence.
_STRONG: list[tuple[str, re.Pattern[str]]] = [
    (
        "overrides earlier instructions",
        _any(
            r"\b(?:ignore|disregard|forget|override|overrule|bypass|discard|set aside|abandon|skip)\s+"
            r"(?:(?:all|any|of|the|your|my|these|those|its|everything|anything)\s+){0,3}(?:" + _EARLIER + r"\s+)+"
            r"(?:\w+\s+)?(?:instructions?|prompts?|rules|guidelines|directions|directives|programming|guardrails|"
            r"constraints|context|messages|policies|restrictions|training)\b",
            r"\b(?:ignore|disregard|forget|override|bypass|discard)\s+(?:all|any|your)\s+(?:\w+\s+)?"
            r"(?:instructions?|prompts?|guidelines|rules|programming|training|guardrails|restrictions)\b",
            r"\b(?:ignore|disregard|forget|override|bypass)\s+(?:the|your|all|these|those)\s+"
            r"(?:instructions?|prompts?|guidelines|rules|directions)\s+"
            r"(?:above|before|given|you (?:were|have been) given|earlier|so far)\b",
            r"\b(?:ignore|disregard|forget)\s+(?:everything|anything|all|what)\s+"
            r"(?:above|before|previously|else|you (?:were|have been) told)",
            r"\b(?:previous|prior|above|earlier|old|original) instructions (?:are|is|were) "
            r"(?:void|cancelled|canceled|overridden|replaced|obsolete|no longer)",
            r"\bnew instructions?\s*[:\-]",
            r"\binstructions? (?:for|to) (?:the |any |all )?" + _AI + r"\b",
            r"\b(?:do not|don't|no longer|stop) (?:follow|obey)(?:ing)? (?:your|the|any|previous|prior) "
            r"(?:\w+ )?(?:instructions|rules|guidelines|prompt)",
        ),
    ),
    (
        "system-prompt style",
        _any(
            r"\bsystem\s*(?:prompts?|instructions?|messages?|override|directives?|commands?)\b",
            r"^\W*(?:system|assistant|developer|ai|admin)\s*:",
            r"\[/?(?:system|inst|admin)\]|<\|?/?(?:system|im_start|im_end)\|?>|###\s*(?:system|instruction)",
            r"\bbegin (?:system|admin|hidden|secret) (?:prompt|instructions?)\b|\badmin(?:istrator)? override\b",
            r"\b(?:developer|god|sudo|jailbreak|unrestricted|dan) mode\b|\bjailbreak\b",
        ),
    ),
    ("persona switch", _any(r"\bDAN\b", r"\bDo Anything Now\b", flags=0)),
    (
        "addressed to an AI",
        _any(
            r"\b(?:note|message|attention|reminder|notice|dear|hey|hello|hi|memo)\s*(?:to|for)?\s*"
            r"(?:all |any |the |every )?" + _AI + r"\b(?!\s+(?:agents?|tools?|vendors?|adoption|platforms?))",
            r"\b(?:if|when|whenever|since) you are (?:an?|the) (?:\w+ )?" + _AI + r"\b",
            r"\byou are (?:an?|the) (?:helpful |friendly |new )?"
            r"(?:AI|LLM|large language model|language model|AI assistant|chatbot|assistant|bot)\b",
            r"\b" + _AI + r"s?\s+(?:reading|processing|summari[sz]ing|parsing|indexing|answering from|retrieving|"
            r"ingesting|quoting) (?:this|these)\b",
            r"\bas an? (?:AI|LLM|language model|AI assistant|chatbot|assistant)\b[^.]{0,20}\byou\b",
            r"\bto (?:any|all|every) (?:\w+ )?" + _AI + r"\b",
        ),
    ),
    (
        "persona switch",
        _any(
            r"\byou are now\b|\bfrom now on\b[^.]{0,30}\b(?:you|act|respond|answer|reply|behave|speak|talk)\b",
            r"\bpretend (?:to be|you are|that you|you're)\b|\brole-?play as\b|\blet'?s role-?play\b",
            r"\b(?:act|behave|respond|answer|speak|reply) as (?:if|though) you\b",
            r"\b(?:act|behave|respond|answer|speak) as (?:an? |the )?(?:unrestricted|unfiltered|uncensored|different|"
            r"new|evil|rogue|hacker|jailbroken|malicious|unhelpful|rude)\b",
            r"\byour (?:new )?(?:name|persona|identity|role|personality) is now\b",
            r"\byour new (?:name|persona|identity|role|instructions|task|goal|objective|purpose|personality)\b",
            r"\byou (?:will|shall|must|should) now "
            r"(?:act|respond|behave|be|answer|reply|speak|ignore|follow|obey|only)\b",
            r"\bstay in character\b|\bno longer (?:bound|restricted|limited|constrained) by\b",
            r"\b(?:enter|switch (?:in)?to|activate|enable) (?:\w+ )?mode\b[^.]{0,40}\byou\b",
        ),
    ),
    (
        "reveals the prompt or conversation",
        _any(
            r"\b(?:reveal|print|output|repeat|show|display|disclose|leak|dump|recite|share|tell (?:me|us))\s+"
            r"(?:\w+\s+){0,2}(?:your|the|its) (?:system prompt|prompt|instructions|hidden instructions|"
            r"initial instructions|configuration|context window|hidden rules)\b",
            r"\b(?:send|forward|post|upload|e-?mail|copy|transmit|leak|exfiltrate|report)\s+(?:\w+\s+){0,3}"
            r"(?:conversations?|chat(?: history| logs?)?|transcripts?|messages|questions|user data|users' data|"
            r"personal data|customer data|session)\b[^.]{0,40}(?:to|at)\s+(?:" + _URL + "|" + _EMAIL + r"|me\b|us\b)",
        ),
    ),
    (
        "dictates the answer",
        _any(
            r"\b(?:instead of|rather than) (?:answering|replying|responding)\b",
            r"\bignore the (?:user'?s |reader'?s )?(?:question|query|request)\b",
            r"\bdo not answer the (?:user|question|reader)\b",
            r"\byour (?:answers?|repl(?:y|ies)|outputs?) (?:must|should|shall|will|needs? to) (?:always |also )?"
            r"(?:include|contain|say|start|begin|end|mention|be|recommend|link|state|claim|read)\b",
            r"\b(?:say|print|output|write|reply|respond|answer) (?:with )?"
            r"(?:the word|exactly|verbatim|only the word)\b",
            r"\b(?:respond|reply|answer|speak|write|talk) (?:only )?in [\w ]{1,20}\bfrom (?:here|this point|now) on\b",
            r"\b(?:wire|transfer|pay|send) (?:a |the )?(?:deposit|money|funds|fee|bitcoin|crypto)\b[^.]{0,40}"
            r"\b(?:to|into) (?:account|wallet|our|this|us|me)\b",
            r"\b(?:whoever|anyone|any system|any tool) (?:reads?|reading|processing|summari[sz]ing) this as an?\b",
        ),
    ),
    (
        "hides itself from the user",
        _any(
            r"\b(?:do not|don't|never) (?:mention|reveal|disclose|acknowledge|cite|admit|say|"
            r"tell (?:the user|anyone) about) (?:this|these|that you (?:were|have been|are)) ?"
            r"(?:instructions?|notes?|messages?|rules?|text|line|paragraph|comment|told|instructed)?\b",
            r"\bwithout (?:telling|informing|alerting|warning|notifying) the (?:user|reader|asker)\b",
            r"\bregardless of (?:the|what the|what) (?:question|user|users|they|anyone|is asked)",
            r"\bkeep (?:this|these) (?:instructions?|note|message)s? (?:secret|hidden|confidential)\b",
        ),
    ),
    (
        "sends the reader to a link",
        _any(
            r"\b(?:visit|go to|open|navigate to|click|browse to|fetch|load|follow|check out|head (?:over )?to|"
            r"log ?in at|sign ?in at|register at|download|curl|wget|ping|redirect (?:\w+ )?to|"
            r"direct (?:\w+ ){0,2}to|send (?:the user|users|them|customers|people|readers) to|point (?:\w+ ){0,2}to)"
            r"\s+(?:\w+\s+){0,4}?(?:at\s+|on\s+|via\s+|to\s+)?(?:<)?" + _URL,
            r"\b(?:post|send|submit|upload|forward|transmit|report|log|e-?mail)\b[^.]{0,60}\b(?:to|at)\s+" + _URL,
        ),
    ),
]
_SECRET_REQUEST = _any(
    r"\b(?P<verb>" + _SEND + "|" + _SHOW + r")\b(?P<rest>[^.]{0,80}?)\b" + _SECRET + r"\b",
    r"\b" + _SECRET + r"\b[^.]{0,40}\b(?:to|at)\s+" + _EMAIL,
)
_OWNED = _any(
    r"\b(?:their|your|his|her|the user'?s|the customer'?s|users'|customers'|the caller'?s)\s+(?:[\w-]+\s+){0,2}"
    + _SECRET
)
_OUTSIDE = _any(
    _EMAIL,
    _URL,
    r"\b(?:to|with) (?:me|us|the author|this address|the following|our (?:team|support|desk|admin|address))\b",
    r"\bin (?:your|the|every|each) (?:answer|reply|response)s?\b",
    r"\bask (?:the user|users|them|the customer|customers|the caller|the reader|the person asking)\b",
)
# Weak signals: two of them together mark a sentence that talks to the assistant about its answers.
_WEAK: list[tuple[str, re.Pattern[str]]] = [
    ("an AI", _any(r"\b(?:LLM|language model|AI assistant|chatbot|assistant)\b")),
    ("the user", _any(r"\b(?:the user|the reader|the asker|the person asking|whoever asks|the questioner)\b")),
    (
        "its answers",
        _any(
            r"\byour (?:answers?|repl(?:y|ies)|outputs?)\b",
            r"\b(?:every|each|all) (?:answers?|repl(?:y|ies))\b",
            r"\b(?:begin|start|end|prefix|finish|append to) (?:your|every|each|all) "
            r"(?:answers?|responses?|repl(?:y|ies))",
        ),
    ),
    (
        "when asked",
        _any(
            r"\b(?:if|when|whenever) (?:the user|a user|anyone|someone|somebody|the reader|you are) (?:\w+ )?"
            r"(?:asks?|asked|questions?|mentions?|types?)\b",
            r"\bwhen (?:answering|responding|replying)\b",
        ),
    ),
    ("urgency", _any(r"\b(?:IMPORTANT|URGENT|ATTENTION|NOTICE|WARNING|OVERRIDE|CRITICAL)\b\s*[:!]", flags=0)),
    (
        "relay",
        _any(
            r"\b(?:tell|inform|instruct|advise|remind|convince|persuade|urge) (?:the |every |each |all )?"
            r"(?:user|users|reader|readers|asker|person asking)s? (?:that|to)\b",
            r"\b(?:always|only) (?:say|answer|respond|reply|recommend|mention|claim|state)\b",
            r"\b(?:say|answer|respond|reply) (?:only )?with\b",
        ),
    ),
    ("secrecy", _any(r"\b(?:secretly|covertly|quietly|silently)\b", r"\bhidden instructions?\b")),
]
_EMPHASIS = re.compile(r"[*`]+|(?<!\w)_+|_+(?!\w)")
_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
_BLOCK_START = re.compile(r"^\s*(?:[-*+•]|\d+[.)]|#{1,6}|\||>)\s", re.M)
_EMPTIED = re.compile(r"\s*(?:[-*+•>]|\d+[.)])?\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)|\s\|\s|\n\s*\n")


def reason(sentence: str, hidden: bool = False) -> str | None:
    """Why this sentence is an instruction to an assistant, or None when it is ordinary text."""
    text = " ".join(_EMPHASIS.sub(" ", sentence).split())
    for why, pattern in _STRONG:
        if pattern.search(text):
            return why
    if _secret_request(text):
        return "asks for secrets"
    weak = [why for why, pattern in _WEAK if pattern.search(text)]
    if hidden and weak:
        return "hidden instruction: " + ", ".join(weak)
    return "speaks to the assistant: " + ", ".join(weak) if len(weak) >= 2 else None


def _secret_request(text: str) -> bool:
    for match in _SECRET_REQUEST.finditer(text):
        if _NEGATION.search(text[: match.start()]) or _NEGATION.search(match.group("rest") or ""):
            continue
        handed = match.group("verb") and re.fullmatch(_SEND, match.group("verb"), re.I)
        if _OUTSIDE.search(text) or (handed and _OWNED.search(text)):
            return True
    return False


def screen(text: str) -> tuple[str, list[Planted]]:
    """The text with planted instructions removed (line numbers kept), and what was removed, by line."""
    found: list[Planted] = []
    spans: list[tuple[int, int]] = []
    for start, end, hidden in _segments(text):
        why = reason(text[start:end], hidden)
        if why is None:
            continue
        if hidden:  # a flagged HTML comment goes whole: none of it is meant for a reader
            start, end = _enclosing_comment(text, start)
        found.append(Planted(text.count("\n", 0, start) + 1, " ".join(text[start:end].split()), why, hidden))
        spans.append((start, end))
    return _cut(text, spans), found


def _segments(text: str) -> Iterator[tuple[int, int, bool]]:
    comments = [(m.start(), m.end()) for m in _COMMENT.finditer(text)]
    for start, end in comments:
        yield from _sentences(text, start + 4, end - 3, hidden=True)
    cursor = 0
    for start, end in [*comments, (len(text), len(text))]:
        yield from _sentences(text, cursor, start, hidden=False)
        cursor = end


def _sentences(text: str, start: int, end: int, hidden: bool) -> Iterator[tuple[int, int, bool]]:
    # Blocks start at list items, headings, table rows and quotes; sentences split at full stops and blank lines.
    cuts = sorted({start, end, *(start + m.start() for m in _BLOCK_START.finditer(text[start:end]))})
    for block_start, block_end in itertools.pairwise(cuts):
        piece = text[block_start:block_end]
        offset = 0
        for match in [*_SENTENCE_END.finditer(piece), None]:
            stop = match.start() if match else len(piece)
            sentence = piece[offset:stop]
            if sentence.strip():
                lead = len(sentence) - len(sentence.lstrip())
                yield block_start + offset + lead, block_start + stop, hidden
            offset = match.end() if match else stop


def _enclosing_comment(text: str, position: int) -> tuple[int, int]:
    for match in _COMMENT.finditer(text):
        if match.start() <= position < match.end():
            return match.start(), match.end()
    return position, position


def _cut(text: str, spans: list[tuple[int, int]]) -> str:
    # Newlines inside a cut stay, so later lines keep their numbers; a list item a cut leaves empty is dropped.
    kept = list(text)
    touched: set[int] = set()
    for start, end in spans:
        touched.update(range(text.count("\n", 0, start), text.count("\n", 0, end) + 1))
        for i in range(start, end):
            if kept[i] != "\n":
                kept[i] = ""
    lines = "".join(kept).split("\n")
    return "\n".join("" if n in touched and _EMPTIED.fullmatch(line) else line for n, line in enumerate(lines))
