"""The free-text parser: many phrasings per question type, and a re-ask listing the allowed answers."""

from __future__ import annotations

from typing import Any

import pytest

from advisor.readiness.errors import ParseError
from advisor.readiness.parsing import parse_reply
from advisor.readiness.questionnaire import load_questionnaire

QUESTIONNAIRE = load_questionnaire()

CASES: list[tuple[str, str, Any]] = [
    # yes / partly / no
    ("str_sponsor", "yes", "yes"),
    ("str_sponsor", "Yep, definitely", "yes"),
    ("str_sponsor", "of course we do", "yes"),
    ("str_sponsor", "yes, mostly", "partly"),
    ("str_sponsor", "partially", "partly"),
    ("str_sponsor", "sort of", "partly"),
    ("str_sponsor", "yes but only for finance", "partly"),
    ("str_sponsor", "not fully", "partly"),
    ("str_sponsor", "to some extent", "partly"),
    ("str_sponsor", "no", "no"),
    ("str_sponsor", "Nope.", "no"),
    ("str_sponsor", "not yet", "no"),
    ("str_sponsor", "absolutely not", "no"),
    ("str_sponsor", "we don't", "no"),
    # 1-5 scale
    ("proc_documented", "4", 4),
    ("proc_documented", "4 out of 5", 4),
    ("proc_documented", "I'd say 3/5", 3),
    ("proc_documented", "four out of five", 4),
    ("proc_documented", "8 out of 10", 4),
    ("proc_documented", "a solid 2", 2),
    ("proc_documented", "only in people's heads", 1),
    ("proc_documented", "very well", 5),
    ("proc_documented", "poorly", 2),
    ("proc_documented", "somewhat", 3),
    # numbers
    ("ctx_company_size", "about 200 people", 200),
    ("ctx_company_size", "200", 200),
    ("ctx_company_size", "roughly 1,200 staff", 1200),
    ("ctx_company_size", "1.5k", 1500),
    ("ctx_company_size", "between 50 and 60", 55),
    ("ctx_company_size", "40-60 employees", 50),
    ("ctx_company_size", "two hundred", 200),
    ("ctx_company_size", "a dozen", 12),
    ("ctx_company_size", "around three thousand five hundred", 3500),
    # single choice
    ("ctx_industry", "we're a bank", "financial_services"),
    ("ctx_industry", "Healthcare", "healthcare"),
    ("ctx_industry", "e-commerce", "retail_ecommerce"),
    ("ctx_data_sensitivity", "highly sensitive health records", "regulated"),
    ("ctx_oversight", "weekly", "regular"),
    ("ctx_work_nature", "a mix of routine and judgement", "mixed"),
    ("ctx_work_nature", "mostly routine, rule based", "transactional"),
    ("str_fit", "3", "planned"),
    # multiple choice
    ("ctx_functions", "customer service and payroll", ["customer_service", "hr_payroll"]),
    (
        "ctx_functions",
        "help desk, bookkeeping & logistics",
        ["technical_support", "finance_accounting", "procurement_supply_chain"],
    ),
    ("ctx_functions", "sales and marketing", ["sales_marketing"]),
    ("ctx_priorities", "cheaper and 24/7", ["cost", "coverage"]),
    ("ctx_priorities", "all of them", ["cost", "quality", "speed", "control", "coverage"]),
    # free text
    ("ctx_motivation", "Our backlog doubled last year.", "Our backlog doubled last year."),
    # negation, "except", mixed answers, approximate numbers and the scale's own wording (issue 12)
    ("proc_documented", "not good", 2),
    ("proc_documented", "mostly in my head", 2),
    ("proc_documented", "key steps are written down", 3),
    ("str_sponsor", "no, not really", "no"),
    ("str_sponsor", "Yes for payroll, no for AP", "partly"),
    ("proc_stable", "no major changes in a year", "yes"),
    ("proc_stable", "not stable at all", "no"),
    ("ctx_regulated", "we are a bank, supervised by BaFin", "financial"),
    ("ppl_key_person", "just me", "heavily"),
    (
        "ctx_functions",
        "everything except sales",
        [o.value for o in QUESTIONNAIRE.question("ctx_functions").options if o.value != "sales_marketing"],  # type: ignore[union-attr]
    ),
    ("ctx_functions", "Yes for payroll, no for AP", ["hr_payroll"]),
    ("ctx_functions", "not sales, but customer service", ["customer_service"]),
    ("ctx_savings_target", "about 15%", 15),
    ("ctx_savings_target", "ten to fifteen percent", 12.5),
    ("proc_exceptions", "about 15%", "from_10_to_30"),
    ("ctx_company_size", "roughly 200 people", 200),
    ("ctx_company_size", "2k", 2000),
    ("sec_classification", "yse", "yes"),
]


@pytest.mark.parametrize(("question_id", "text", "expected"), CASES)
def test_reply_is_read_as_the_typed_answer(question_id: str, text: str, expected: Any) -> None:
    question = QUESTIONNAIRE.question(question_id)
    assert question is not None
    reply = parse_reply(question, text)
    assert (reply.kind, reply.value) == ("answer", expected)


@pytest.mark.parametrize(
    ("question_id", "text", "asks"),
    [
        ("proc_documented", "3 or 4", "Is it 3 or 4?"),
        ("ctx_company_size", "a few hundred", "Roughly how many?"),
        ("ctx_company_size", "lots", "Roughly how many?"),
        ("str_sponsor", "maybe", "yes, partly or no"),
        ("ctx_industry", "insurance and banking", "Banking and financial services or Insurance"),
        ("ctx_functions", "customer service, maybe tech support", "Shall I include Technical support?"),
    ],
)
def test_unclear_reply_is_asked_back_with_a_clarifying_question(question_id: str, text: str, asks: str) -> None:
    question = QUESTIONNAIRE.question(question_id)
    assert question is not None
    reply = parse_reply(question, text)
    assert reply.kind == "ask_back" and asks in reply.prompt


@pytest.mark.parametrize(
    ("question_id", "text", "reading"),
    [
        ("proc_documented", "key steps are written down", "Read as: 3 of 5, key steps written down"),
        ("proc_documented", "not good", "Read as: 2 of 5, between 'only in people's heads' (1) and"),
        ("ctx_company_size", "roughly 200 people", "Read as: 200 people"),
        ("ctx_savings_target", "ten to fifteen percent", "Read as: 12.5 % (the middle of 10 to 15)"),
        ("str_sponsor", "Yes for payroll, no for AP", "Read as: Partly"),
    ],
)
def test_reply_carries_the_reading_to_show_the_person(question_id: str, text: str, reading: str) -> None:
    question = QUESTIONNAIRE.question(question_id)
    assert question is not None
    assert parse_reply(question, text).reading.startswith(reading)


def test_a_reply_that_answers_despite_not_sure_is_not_a_dont_know() -> None:
    question = QUESTIONNAIRE.question("fin_budget")
    assert question is not None
    assert parse_reply(question, "yes, but not sure it's enough").value == "partly"


@pytest.mark.parametrize("text", ["I don't know", "not sure", "no idea", "dunno", "Don’t know"])
def test_dont_know_phrasings_are_kept_apart_from_answers(text: str) -> None:
    question = QUESTIONNAIRE.question("str_sponsor")
    assert question is not None
    assert parse_reply(question, text).kind == "dont_know"


@pytest.mark.parametrize("text", ["skip", "pass", "skip this one", "rather not say"])
def test_skip_phrasings_are_read_as_a_skip(text: str) -> None:
    question = QUESTIONNAIRE.question("perf_kpis")
    assert question is not None
    assert parse_reply(question, text).kind == "skip"


@pytest.mark.parametrize(
    ("question_id", "text", "allowed"),
    [
        ("str_sponsor", "purple", "yes (Yes), partly (Partly), no (No)"),
        ("proc_documented", "7 out of 5", "whole number from 1 to 5"),
        ("proc_documented", "9", "whole number from 1 to 5"),
        ("ctx_industry", "astrology", "one of: financial_services"),
        ("ctx_functions", "nothing relevant here", "one or more of"),
        ("str_sponsor", "   ", "yes (Yes)"),
    ],
)
def test_unreadable_reply_raises_parse_error_listing_allowed_answers(question_id: str, text: str, allowed: str) -> None:
    question = QUESTIONNAIRE.question(question_id)
    assert question is not None
    with pytest.raises(ParseError) as error:
        parse_reply(question, text)
    assert allowed in str(error.value)
