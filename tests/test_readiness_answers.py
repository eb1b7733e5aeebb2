"""Answer validation for every question type, with messages that say what is allowed."""

from __future__ import annotations

from typing import Any

import pytest

from advisor.readiness.answers import validate
from advisor.readiness.errors import InvalidAnswer
from advisor.readiness.questionnaire import Question, load_questionnaire

QUESTIONNAIRE = load_questionnaire()


def _q(question_id: str) -> Question:
    question = QUESTIONNAIRE.question(question_id)
    assert question is not None
    return question


@pytest.mark.parametrize(
    ("question_id", "value", "expected"),
    [
        ("str_objectives", 1, 1),
        ("str_objectives", 5, 5),
        ("str_objectives", 4.0, 4),
        ("str_sponsor", "yes", "yes"),
        ("str_sponsor", " Partly ", "partly"),
        ("str_sponsor", False, "no"),
        ("str_fit", "planned", "planned"),
        ("ctx_functions", ["hr_payroll", "customer_service"], ["customer_service", "hr_payroll"]),
        ("ctx_functions", "it_services", ["it_services"]),
        ("ctx_company_size", 200, 200),
        ("ctx_company_size", 2.5e3, 2500),
        ("ctx_motivation", "  costs are rising  ", "costs are rising"),
    ],
)
def test_valid_answers_are_normalised(question_id: str, value: Any, expected: Any) -> None:
    assert validate(_q(question_id), value) == expected


@pytest.mark.parametrize(
    ("question_id", "value", "allowed"),
    [
        ("str_objectives", 0, "whole number from 1 to 5"),
        ("str_objectives", 6, "whole number from 1 to 5"),
        ("str_objectives", 3.5, "whole number from 1 to 5"),
        ("str_objectives", True, "whole number from 1 to 5"),
        ("str_sponsor", "maybe", "one of: yes (Yes), partly (Partly), no (No)"),
        ("str_fit", "someday", "one of: not_discussed"),
        ("ctx_functions", [], "one or more of: customer_service"),
        ("ctx_functions", ["customer_service", "astrology"], "one or more of"),
        ("ctx_company_size", 0, "a number (1 to 10,000,000 people)"),
        ("ctx_company_size", "many", "a number"),
        ("ctx_motivation", "   ", "free text"),
        ("ctx_company_size", float("nan"), "a number"),
        ("ctx_company_size", float("inf"), "a number"),
        ("str_objectives", float("nan"), "whole number from 1 to 5"),
        ("str_objectives", float("-inf"), "whole number from 1 to 5"),
    ],
)
def test_invalid_answers_raise_with_the_allowed_answers(question_id: str, value: Any, allowed: str) -> None:
    with pytest.raises(InvalidAnswer) as error:
        validate(_q(question_id), value)
    assert question_id in str(error.value) and allowed in str(error.value)
