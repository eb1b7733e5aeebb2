"""The errors the readiness engine raises, each with a message fit to show a user."""

from __future__ import annotations


class AssessmentNotFound(LookupError):
    """No assessment with this id belongs to the caller (other owners' assessments look the same)."""


class InvalidAnswer(ValueError):
    """An answer does not fit its question; the message says what is allowed."""


class InvalidAnswers(InvalidAnswer):
    """Several answers in one file are invalid; the message lists every problem, one per line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__(f"{count} in the answers:\n" + "\n".join(f"  - {p}" for p in problems))


class IncompleteAssessment(ValueError):
    """Questions that apply have no response yet, and a provisional result was not asked for."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(
            f"the assessment is incomplete: {len(missing)} question{'s' if len(missing) != 1 else ''} that apply "
            f'have no answer ({", ".join(missing)}); answer, skip or mark them "don\'t know", or ask for a '
            "provisional result (--provisional in the CLI, provisional=true in the API)"
        )


class ParseError(InvalidAnswer):
    """A free-text reply could not be read as an answer; the message lists the allowed answers."""


class DefinitionError(ValueError):
    """The questionnaire or rules file is invalid; the message names the file, item and field."""


class NotComparable(ValueError):
    """Two assessments cannot be compared (for example, they are for different clients)."""


class AskBack(ParseError):
    """A free-text reply was too unclear to read safely; ``prompt`` is the clarifying question to ask."""

    def __init__(self, prompt: str, question_id: str = "") -> None:
        self.prompt = prompt
        super().__init__(f"{question_id}: {prompt}" if question_id else prompt)


class StatusConflict(ValueError):
    """The assessment's status forbids the change: a finished one is reopened first, an open one is finished first."""
