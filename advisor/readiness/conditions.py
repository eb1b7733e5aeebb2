"""Conditions over answers and dimension scores, shared by skip logic and recommendation rules."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

_TESTS = ("equals", "in_", "includes", "includes_any", "min", "max", "below", "at_least")


class Condition(BaseModel):
    """A test on one question's answer or one dimension's score, or a combination of conditions."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    question: str | None = None
    dimension: str | None = None
    equals: Any = None
    in_: list[Any] | None = Field(default=None, alias="in")
    includes: str | None = None
    includes_any: list[str] | None = None
    min: float | None = None
    max: float | None = None
    below: float | None = None
    at_least: float | None = None
    all: list[Condition] | None = None
    any: list[Condition] | None = None
    not_: Condition | None = Field(default=None, alias="not")

    @model_validator(mode="after")
    def _one_shape(self) -> Condition:
        combos = [c for c in (self.all, self.any, self.not_) if c is not None]
        subjects = [s for s in (self.question, self.dimension) if s is not None]
        tests = [t for t in _TESTS if getattr(self, t) is not None]
        if combos and (subjects or tests):
            raise ValueError("use either all/any/not or question/dimension with a test, not both")
        if len(combos) > 1:
            raise ValueError("use only one of all, any, not")
        if not combos:
            if len(subjects) != 1:
                raise ValueError("name exactly one of question or dimension")
            if len(tests) != 1:
                raise ValueError(f"give exactly one test: {', '.join(t.rstrip('_') for t in _TESTS)}")
        return self

    def questions(self) -> set[str]:
        """Every question id this condition (and its parts) refers to."""
        found = {self.question} if self.question else set()
        for part in [*(self.all or []), *(self.any or []), *([self.not_] if self.not_ else [])]:
            found |= part.questions()
        return found

    def dimensions(self) -> set[str]:
        """Every dimension id this condition (and its parts) refers to."""
        found = {self.dimension} if self.dimension else set()
        for part in [*(self.all or []), *(self.any or []), *([self.not_] if self.not_ else [])]:
            found |= part.dimensions()
        return found


def holds(
    condition: Condition,
    answers: Mapping[str, Any],
    dimension_scores: Mapping[str, float | None] | None = None,
) -> bool:
    """Whether the condition holds; a missing answer or score never satisfies a test."""
    if condition.all is not None:
        return all(holds(c, answers, dimension_scores) for c in condition.all)
    if condition.any is not None:
        return any(holds(c, answers, dimension_scores) for c in condition.any)
    if condition.not_ is not None:
        return not holds(condition.not_, answers, dimension_scores)
    if condition.question is not None:
        value = answers.get(condition.question)
    else:
        value = (dimension_scores or {}).get(condition.dimension or "")
    return value is not None and _test(condition, value)


def _test(condition: Condition, value: Any) -> bool:
    if condition.equals is not None:
        return bool(value == condition.equals)
    if condition.in_ is not None:
        return value in condition.in_
    if condition.includes is not None:
        return isinstance(value, list) and condition.includes in value
    if condition.includes_any is not None:
        return isinstance(value, list) and any(v in value for v in condition.includes_any)
    if not isinstance(value, int | float):
        return False
    floor = condition.min if condition.min is not None else condition.at_least
    if floor is not None:
        return bool(value >= floor)
    if condition.max is not None:
        return bool(value <= condition.max)
    return condition.below is not None and value < condition.below
