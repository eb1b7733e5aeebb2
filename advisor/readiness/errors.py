"""The errors the readiness engine raises, each with a message fit to show a user."""

from __future__ import annotations


class AssessmentNotFound(LookupError):
    """No assessment with this id belongs to the caller (other owners' assessments look the same)."""


class InvalidAnswer(ValueError):
    """An answer does not fit its question; the message says what is allowed."""


class ParseError(InvalidAnswer):
    """A free-text reply could not be read as an answer; the message lists the allowed answers."""


class DefinitionError(ValueError):
    """The questionnaire or rules file is invalid; the message names the file, item and field."""


class NotComparable(ValueError):
    """Two assessments cannot be compared (for example, they are for different clients)."""
