"""The recommendation rules (bands, risks, candidate functions, location models, roadmap), validated."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from advisor.readiness.conditions import Condition
from advisor.readiness.datafiles import load_model
from advisor.readiness.questionnaire import Questionnaire

DEFAULT_PATH = Path(__file__).with_name("rules.yaml")
LocationId = Literal["onshore", "nearshore", "offshore", "blended"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Band(_Strict):
    """A readiness band: scores from ``min`` up to the next band's minimum."""

    id: str
    label: str
    min: float = Field(ge=0, le=100)
    summary: str = ""


class ScoringRules(_Strict):
    """How "don't know" answers count: a low score, and part of an answer for confidence."""

    dont_know_score: float = Field(default=25, ge=0, le=100)
    dont_know_confidence: float = Field(default=0.5, ge=0, le=1)


class Step(_Strict):
    """An action (roadmap step or mitigation), shown only when its condition holds (always when it has none).

    ``{question_id}`` in the text is filled with that question's answer.
    """

    text: str
    when: Condition | None = None


class KnockOut(_Strict):
    """A condition that caps the overall band however high the weighted score; ``{score}`` in why is filled."""

    id: str
    when: Condition
    cap: str
    title: str
    why: str


class RiskRule(_Strict):
    """A risk exposed when a dimension scores below a threshold, with its mitigations."""

    id: str
    dimension: str
    below: float = Field(ge=0, le=100)
    title: str
    why: str
    mitigations: list[Step] = Field(min_length=1)
    query: str

    @field_validator("mitigations", mode="before")
    @classmethod
    def _plain_text_is_a_step(cls, value: object) -> object:
        return [{"text": v} if isinstance(v, str) else v for v in value] if isinstance(value, list) else value


class Adjustment(_Strict):
    """Points added to a candidate function when a condition holds, with the reason shown."""

    when: Condition
    add: float
    reason: str


class FunctionRule(_Strict):
    """A function that may be a first outsourcing candidate."""

    id: str
    name: str
    office: Literal["front", "back"]
    nature: Literal["transactional", "judgement"]
    base: float
    query: str
    adjust: list[Adjustment] = Field(default_factory=list)


class LocationModel(_Strict):
    """A location model (onshore, nearshore, offshore, blended)."""

    id: LocationId
    name: str
    base: float = 0
    summary: str
    query: str


class LocationAdjustment(_Strict):
    """Points per location model (and models ruled out) when a condition holds, with the reason."""

    when: Condition
    points: dict[LocationId, float] = Field(default_factory=dict)
    exclude: list[LocationId] = Field(default_factory=list)
    reason: str


class LocationRules(_Strict):
    """The location models in tie-break order (earlier wins a tie) and their adjustments."""

    models: list[LocationModel] = Field(min_length=2)
    adjust: list[LocationAdjustment]


class PhaseVariant(_Strict):
    """Another title and duration for a phase when a condition holds (e.g. a small company)."""

    when: Condition
    title: str | None = None
    duration: str | None = None


class Phase(_Strict):
    """One roadmap phase; the first variant whose condition holds replaces its title and duration."""

    id: str
    title: str
    duration: str
    actions: list[Step] = Field(min_length=1)
    query: str
    variants: list[PhaseVariant] = Field(default_factory=list)


class Rules(_Strict):
    """Everything the recommendations are computed from."""

    bands: list[Band] = Field(min_length=2)
    scoring: ScoringRules = Field(default_factory=ScoringRules)
    knockouts: list[KnockOut] = Field(default_factory=list)
    citations_per_item: int = Field(default=2, ge=1, le=10)
    risks: list[RiskRule]
    function_traits: dict[str, str]
    first_candidates: int = Field(default=3, ge=1)
    functions: list[FunctionRule] = Field(min_length=1)
    location: LocationRules
    roadmap: list[Phase] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Rules:
        mins = [b.min for b in self.bands]
        if mins[0] != 0 or mins != sorted(set(mins)):
            raise ValueError("bands: minimums must start at 0 and increase")
        missing = {"front", "back", "transactional", "judgement"} - set(self.function_traits)
        if missing:
            raise ValueError(f"function_traits: missing {sorted(missing)}")
        bands = {b.id for b in self.bands}
        for knockout in self.knockouts:
            if knockout.cap not in bands:
                raise ValueError(f"knockouts[{knockout.id}]: cap {knockout.cap!r} is not a band")
        questionnaire = (info.context or {}).get("questionnaire")
        if questionnaire is not None:
            _check_references(self, questionnaire)
        return self

    def band(self, score: float) -> Band:
        """The band a 0-100 score falls in."""
        return [b for b in self.bands if score >= b.min][-1]

    def band_by_id(self, band_id: str) -> Band:
        """The band with this id."""
        return next(b for b in self.bands if b.id == band_id)


def load_rules(questionnaire: Questionnaire, path: Path | None = None) -> Rules:
    """Load the rules YAML (the packaged one by default), checking it against the questionnaire."""
    return load_model(path or DEFAULT_PATH, Rules, context={"questionnaire": questionnaire})


def _check_references(rules: Rules, questionnaire: Questionnaire) -> None:
    questions = {q.id for q in questionnaire.questions}
    dimensions = {d.id for d in questionnaire.dimensions}
    conditions: list[tuple[str, Condition]] = [
        *((f"functions[{f.id}]", a.when) for f in rules.functions for a in f.adjust),
        *((f"location.adjust[{i}]", a.when) for i, a in enumerate(rules.location.adjust)),
        *((f"roadmap[{p.id}]", s.when) for p in rules.roadmap for s in p.actions if s.when),
        *((f"roadmap[{p.id}].variants", v.when) for p in rules.roadmap for v in p.variants),
        *((f"risks[{r.id}]", s.when) for r in rules.risks for s in r.mitigations if s.when),
        *((f"knockouts[{k.id}]", k.when) for k in rules.knockouts),
    ]
    for where, condition in conditions:
        if condition.questions() - questions:
            raise ValueError(f"{where}: unknown questions {sorted(condition.questions() - questions)}")
        if condition.dimensions() - dimensions:
            raise ValueError(f"{where}: unknown dimensions {sorted(condition.dimensions() - dimensions)}")
    for risk in rules.risks:
        if risk.dimension not in dimensions:
            raise ValueError(f"risks[{risk.id}]: unknown dimension {risk.dimension!r}")
    offered = questionnaire.question("ctx_functions")
    if offered is not None:
        unknown = {f.id for f in rules.functions} - {o.value for o in offered.options}
        if unknown:
            raise ValueError(f"functions: {sorted(unknown)} are not options of ctx_functions")
