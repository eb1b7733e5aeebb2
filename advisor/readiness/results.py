"""The shapes the readiness engine returns: assessments, answers, scores, recommendations."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, computed_field

Status = Literal["answered", "skipped", "dont_know"]
Mode = Literal["self", "consultant"]


class AssessmentSummary(BaseModel):
    """One assessment as listed: who it is for and how far it got."""

    id: str
    client: str
    interviewer: str | None
    mode: Mode
    status: Literal["in_progress", "finished"]
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None = None
    answered: int = 0
    version: int = Field(default=1, description="1 for a client's first assessment, then 2, 3... (per owner)")
    parent_id: str | None = Field(default=None, description="The assessment this one was reopened or cloned from")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def name(self) -> str:
        """How people refer to it: client, date started and version, e.g. "Acme, 3 Dec 2026, version 2"."""
        return f"{self.client}, {self.created_at.day} {self.created_at:%b %Y}, version {self.version}"


class Response(BaseModel):
    """One stored reply to a question: an answer, a skip or a "don't know", with an optional note."""

    question_id: str
    question: str = ""
    dimension: str | None = None
    status: Status
    value: Any = None
    label: str = ""
    note: str | None = None
    raw_text: str | None = Field(default=None, description="The client's own words the value was read from")
    reading: str = Field(default="", description="How the client's words were read ('Read as: ...'), to confirm")


class OptionView(BaseModel):
    """An allowed answer as shown to the person answering."""

    value: str
    label: str
    score: float | None = None


class QuestionView(BaseModel):
    """The next question to ask, with its allowed answers and any earlier reply."""

    id: str
    text: str
    help: str
    type: str
    dimension: str | None
    dimension_name: str | None
    options: list[OptionView] = Field(default_factory=list)
    anchors: dict[int, str] = Field(default_factory=dict)
    unit: str = ""
    allowed: str
    position: int
    total: int
    previous: Response | None = None


class Progress(BaseModel):
    """How far an interview has got, counting only questions that apply."""

    answered: int
    dont_know: int
    skipped: int
    remaining: int
    total: int
    percent: float
    finished: bool


class Reference(BaseModel):
    """A knowledge-base section a recommendation rests on, with the sentence quoted from it (risks only)."""

    source: str
    title: str
    section: str
    quote: str = Field(default="", description="The passage's sentence that best matches the client's situation")


class DimensionScore(BaseModel):
    """A dimension's 0-100 score (None when nothing was answered), band and coverage."""

    id: str
    name: str
    weight: float
    score: float | None
    band: str | None = None
    band_label: str | None = None
    answered: int
    dont_know: int
    skipped: int
    questions: int
    confidence: float


class KnockOutApplied(BaseModel):
    """A knock-out rule that held: it caps the overall band, and says why."""

    id: str
    title: str
    reason: str
    cap: str
    cap_label: str


class Scores(BaseModel):
    """Per-dimension scores, the weighted overall score, its band (after knock-outs) and a confidence percentage.

    ``provisional`` results come from an incomplete assessment (``missing`` lists the questions without a
    response); their band label says so.
    """

    dimensions: list[DimensionScore]
    overall: float | None
    band: str | None
    band_label: str | None
    band_summary: str = ""
    confidence: float
    score_band: str | None = Field(default=None, description="The band of the weighted score before knock-outs")
    score_band_label: str | None = None
    knockouts: list[KnockOutApplied] = Field(default_factory=list)
    provisional: bool = False
    missing: list[str] = Field(default_factory=list)

    def by_id(self) -> dict[str, float | None]:
        """Dimension scores keyed by dimension id."""
        return {d.id: d.score for d in self.dimensions}


class Risk(BaseModel):
    """A risk a low dimension exposes, with concrete mitigations."""

    id: str
    dimension: str
    title: str
    why: str
    mitigations: list[str]
    citations: list[Reference] = Field(default_factory=list)
    situation: str = Field(default="", description="The client's situation the evidence was searched for")
    query: str = Field(default="", description="The search that found the evidence")


class Candidate(BaseModel):
    """A function recommended as a first outsourcing candidate, and why."""

    id: str
    name: str
    office: Literal["front", "back"]
    nature: Literal["transactional", "judgement"]
    score: float
    reasons: list[str]
    citations: list[Reference] = Field(default_factory=list)


class LocationOption(BaseModel):
    """One location model as weighed: its points, the reasons for and against it, and any exclusion."""

    model: str
    name: str
    points: float
    reasons_for: list[str] = Field(default_factory=list)
    reasons_against: list[str] = Field(default_factory=list)
    excluded: str | None = None


class LocationChoice(BaseModel):
    """The recommended location model with its reasons, every model's points and exclusions, ties and objections."""

    model: str
    name: str
    summary: str
    reasons: list[str]
    points: dict[str, float]
    excluded: dict[str, str] = Field(default_factory=dict)
    reasons_against: list[str] = Field(default_factory=list)
    tied_with: list[str] = Field(default_factory=list, description="Models with the same points that lost the tie")
    tie_break: str = ""
    ranking: list[LocationOption] = Field(default_factory=list)
    citations: list[Reference] = Field(default_factory=list)


class RoadmapPhase(BaseModel):
    """One phase of the next-steps roadmap."""

    id: str
    title: str
    duration: str
    actions: list[str]
    citations: list[Reference] = Field(default_factory=list)


class Recommendations(BaseModel):
    """Risks, first candidate functions, location model and roadmap."""

    risks: list[Risk]
    first_candidates: list[Candidate]
    location: LocationChoice
    roadmap: list[RoadmapPhase]


class Result(BaseModel):
    """An assessment's scores and recommendations, with its answers as an appendix."""

    assessment: AssessmentSummary
    scores: Scores
    recommendations: Recommendations
    answers: list[Response]


class AnswerChange(BaseModel):
    """One question answered differently in two versions of an assessment (a missing answer reads "(none)")."""

    question_id: str
    question: str
    dimension: str | None = None
    before: str
    after: str
    before_text: str | None = Field(default=None, description="The client's own words before, when given")
    after_text: str | None = None


class Comparison(BaseModel):
    """Two assessments of the same client side by side: scores, changed answers, risks closed and opened."""

    client: str
    before: Result
    after: Result
    deltas: dict[str, float | None]
    overall_delta: float | None
    changes: list[AnswerChange] = Field(default_factory=list)
    risks_closed: list[Risk] = Field(default_factory=list, description="Flagged before, no longer flagged")
    risks_opened: list[Risk] = Field(default_factory=list, description="Not flagged before, flagged now")
    risks_open: list[Risk] = Field(default_factory=list, description="Flagged in both")
