"""Readiness interviews: questionnaire, scoring, recommendations, reports and persistence."""

from advisor.readiness.errors import (
    AssessmentNotFound,
    DefinitionError,
    IncompleteAssessment,
    InvalidAnswer,
    InvalidAnswers,
    NotComparable,
    ParseError,
)

__all__ = [
    "AssessmentNotFound",
    "DefinitionError",
    "IncompleteAssessment",
    "InvalidAnswer",
    "InvalidAnswers",
    "NotComparable",
    "ParseError",
]
