"""Readiness interviews: questionnaire, scoring, recommendations, reports and persistence."""

from advisor.readiness.errors import (
    AssessmentNotFound,
    DefinitionError,
    InvalidAnswer,
    NotComparable,
    ParseError,
)

__all__ = [
    "AssessmentNotFound",
    "DefinitionError",
    "InvalidAnswer",
    "NotComparable",
    "ParseError",
]
