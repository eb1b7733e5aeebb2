"""The questionnaire definition: dimensions, questions and their options, validated at load."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from advisor.readiness.conditions import Condition
from advisor.readiness.datafiles import load_model

DEFAULT_PATH = Path(__file__).with_name("questionnaire.yaml")

QuestionType = Literal["scale", "yes_partly_no", "single", "multi", "number", "text"]
_ID = r"^[a-z][a-z0-9_]*$"
_YES_PARTLY_NO = {"yes": ("Yes", 100.0), "partly": ("Partly", 50.0), "no": ("No", 0.0)}


class Option(BaseModel):
    """One allowed answer of a choice question, with its score (0-100) when the question is scored."""

    model_config = ConfigDict(extra="forbid")

    value: str = Field(pattern=_ID)
    label: str
    score: float | None = Field(default=None, ge=0, le=100)
    aliases: list[str] = Field(default_factory=list, description="Other phrasings the parser accepts")


class Dimension(BaseModel):
    """One readiness dimension that questions are scored into."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=_ID)
    name: str
    weight: float = Field(default=1.0, gt=0)
    description: str = ""


class Question(BaseModel):
    """One question; unscored (context) questions have no dimension."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=_ID)
    text: str = Field(min_length=5)
    help: str = Field(min_length=5, description="Why we ask")
    type: QuestionType
    dimension: str | None = None
    weight: float = Field(default=1.0, ge=0)
    options: list[Option] = Field(default_factory=list)
    anchors: dict[int, str] = Field(default_factory=dict, description="Scale labels, keyed 1-5")
    min: float | None = None
    max: float | None = None
    unit: str = ""
    condition: Condition | None = None
    optional: bool = Field(default=False, description="An answers file may leave it out and still be complete")
    topics: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _fits_type(self) -> Question:
        if self.type == "yes_partly_no":
            self._default_yes_partly_no()
        if self.type == "scale":
            if self.options:
                raise ValueError("a scale question takes anchors, not options")
            if not {1, 5} <= set(self.anchors) or not set(self.anchors) <= {1, 2, 3, 4, 5}:
                raise ValueError("anchors must label 1 and 5 (and optionally 2-4)")
        elif self.type in ("single", "multi", "yes_partly_no"):
            self._check_options()
        elif self.options or self.anchors:
            raise ValueError(f"a {self.type} question takes no options or anchors")
        if self.dimension and self.type in ("number", "text"):
            raise ValueError(f"a {self.type} question cannot be scored; remove its dimension")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min must not exceed max")
        return self

    def _default_yes_partly_no(self) -> None:
        if not self.options:
            self.options = [Option(value=v, label=lab, score=s) for v, (lab, s) in _YES_PARTLY_NO.items()]
        if [o.value for o in self.options] != list(_YES_PARTLY_NO):
            raise ValueError("yes_partly_no options must be exactly yes, partly, no (in that order)")

    def _check_options(self) -> None:
        values = [o.value for o in self.options]
        if len(values) < 2:
            raise ValueError("needs at least two options")
        if len(set(values)) != len(values):
            raise ValueError("option values must be unique")
        if self.dimension and any(o.score is None for o in self.options):
            missing = ", ".join(o.value for o in self.options if o.score is None)
            raise ValueError(f"scored question: every option needs a score (missing: {missing})")

    @property
    def scored(self) -> bool:
        """Whether the answer counts towards a dimension score."""
        return self.dimension is not None

    def option(self, value: str) -> Option | None:
        """The option with this value, if any."""
        return next((o for o in self.options if o.value == value), None)


class Questionnaire(BaseModel):
    """The whole questionnaire: dimensions and questions in interview order."""

    model_config = ConfigDict(extra="forbid")

    version: int = 1
    title: str = "Outsourcing readiness assessment"
    dimensions: list[Dimension]
    questions: list[Question]

    @model_validator(mode="after")
    def _references_resolve(self) -> Questionnaire:
        _unique("dimension", [d.id for d in self.dimensions])
        _unique("question", [q.id for q in self.questions])
        dims = {d.id for d in self.dimensions}
        seen: set[str] = set()
        for q in self.questions:
            if q.dimension and q.dimension not in dims:
                raise ValueError(f"question {q.id}: dimension {q.dimension!r} is not defined")
            unknown = (q.condition.questions() - seen) if q.condition else set()
            if unknown:
                raise ValueError(f"question {q.id}: condition refers to {sorted(unknown)}, not asked before it")
            if q.condition and q.condition.dimensions():
                raise ValueError(f"question {q.id}: a condition for showing a question cannot use dimensions")
            seen.add(q.id)
        empty = dims - {q.dimension for q in self.questions}
        if empty:
            raise ValueError(f"dimensions without questions: {sorted(empty)}")
        return self

    def question(self, question_id: str) -> Question | None:
        """The question with this id, if any."""
        return next((q for q in self.questions if q.id == question_id), None)

    def dimension(self, dimension_id: str) -> Dimension:
        """The dimension with this id."""
        return next(d for d in self.dimensions if d.id == dimension_id)


def load_questionnaire(path: Path | None = None) -> Questionnaire:
    """Load and validate the questionnaire YAML (the packaged one by default)."""
    return load_model(path or DEFAULT_PATH, Questionnaire)


def _unique(kind: str, ids: list[str]) -> None:
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ValueError(f"duplicate {kind} ids: {dupes}")
