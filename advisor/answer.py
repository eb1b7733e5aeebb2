"""The shapes every surface shares: search hits, citations and answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

Intent = Literal["answer", "refusal", "smalltalk", "readiness"]


class Hit(BaseModel):
    """One ranked passage from the knowledge base."""

    source: str = Field(description="Knowledge file path relative to the knowledge dir")
    title: str
    section: str
    topic: str = ""
    text: str
    score: float


class Citation(BaseModel):
    """A numbered source behind an answer; ``[n]`` in the text refers to ``n``."""

    n: int
    source: str
    title: str
    section: str
    snippet: str
    score: float


class Answer(BaseModel):
    """What the advisor says, with the sources it rests on and how it was made."""

    text: str
    refused: bool = False
    citations: list[Citation] = Field(default_factory=list)
    intent: Intent = "answer"
    question: str = Field(default="", description="The standalone question actually answered")
    backend: str = "extractive"
    grounded: bool = True
    dropped_sentences: list[str] = Field(default_factory=list)
    fell_back: bool = False


@dataclass(frozen=True)
class Token:
    """A piece of an answer's text, sent as soon as it is ready."""

    text: str


@dataclass(frozen=True)
class Final:
    """The complete answer, with its citations: the last event of every response."""

    answer: Answer


Event = Token | Final
