"""What the advisor declines even with passages on the subject: investment advice, legal cases, named figures."""

from __future__ import annotations

import pytest

from advisor.answering.scope import asks_for_figures, decline_message, policy_reason, unknown_names
from advisor.service import Advisor


def test_unknown_names_are_the_capitalised_words_and_years_the_base_never_mentions() -> None:
    vocabulary = {"india", "bpo", "BPO", "revenue", "what", "was", "how", "big", "is", "in"}
    assert unknown_names("What was Teleperformance's revenue in 2024?", vocabulary) == ["Teleperformance", "2024"]
    assert unknown_names("How big is BPO in India?", vocabulary) == []
    assert unknown_names("Teleperformance revenue?", vocabulary) == []  # a first word is not taken as a name


def test_a_capitalised_common_word_in_another_spelling_is_not_a_name() -> None:
    vocabulary = {"captive", "centre", "labour", "organise"}
    assert unknown_names("Should we build a captive Center or a Labor Organize team?", vocabulary) == []


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("Which BPO stocks should I buy this year?", "investment"),
        ("Taskus Inc Buy, Hold or Sell?", "investment"),
        ("Can I sue my company for laying me off?", "legal-case"),
        ("Our vendor missed the SLA and now refuses to pay the service credits", "legal-case"),
        ("What is the current daily minimum wage in Cebu?", "current"),
        ("What is today's USD to INR exchange rate?", "current"),
        ("Can you write me a cover letter for a support role at a BPO?", "personal"),
        ("How big will the global BPO market be in 2030?", "current"),
        ("Which BPO company in Poland is the best one to hire?", "directory"),
        ("Can you give me the phone number of a good call centre in Mexico?", "directory"),
        ("Which provider is best for a small business, onshore or offshore?", None),
        ("What are service credits?", None),
        ("What are the latest trends in BPO?", None),
        ("How much does offshore outsourcing cost compared with onshore?", None),
        ("Our current provider charges too much: how do we renegotiate?", None),
        ("We currently have five staff on payroll: should we outsource it?", None),
        ("Did the Keep Call Centers in America Act pass Congress this year?", "current"),
        ("My manager wants to outsource payroll: what should I check first?", None),
        ("How do shared service centres work?", None),
        ("Is now a good time to buy an ETF that tracks outsourcing companies?", "investment"),
        ("How much does ADP charge per employee per month for payroll?", "named-price"),
        ("How much would Genpact quote to take over our accounts payable?", "named-price"),
        ("What is Virtual Employee's monthly fee for a bookkeeper?", "named-price"),
        ("How much does a BPO charge per hour?", None),
        ("How much does an FTE cost in the Philippines?", None),
        ("How much does outsourcing payroll cost a small business?", None),
        ("What is the provider's fee for change requests?", None),
        ("What's the perfect order rate?", None),
        ("What should an outsourcing contract say about disputes?", None),
        (
            "Our bureau filed the payroll late and we got a tax penalty. Are they liable to reimburse us for it?",
            "legal-case",
        ),
        ("Is the employer still liable for payroll taxes if its payroll provider files them late?", None),
        ("How big can GDPR fines get if our outsourcer leaks customer data?", None),
        ("What is the age limit to join BPO?", "personal"),
        ("Is a call center job good for a fresher?", "personal"),
        ("How do we make our call center jobs attractive to agents?", None),
        ("Is AI replacing BPO jobs completely?", None),
        ("What Is PCI DSS, and Why Does It Apply to Call Centers?", None),
        ("What is a Statement of Work in a contact center outsourcing contract?", None),
        ("What are my rights if my job is outsourced?", "legal-case"),
        ("Shouldn't I be eligible for severance if I refuse the vendor's offer?", "legal-case"),
        ("Do we have to pay severance to staff whose work we outsource?", None),
        ("What is the Minimum Wage in India?", "current"),
        ("How much is a call centre agent paid in Manila?", "current"),
        ("How much cheaper is an agent in India than in the US?", None),
        ("What is the forecast for the US dollar to peso rate?", "current"),
        ("What is the fair price of TASK given its future cash flows?", "investment"),
        ("Who could I hire to plan meals and shop for my family?", "personal"),
        ("Pros and cons of working in a BPO?", "personal"),
        ("Can we terminate tomorrow without paying the fee under clause 18.2 of our MSA?", "legal-case"),
        ("Is the non-solicitation clause in my agreement enforceable if I hire the VA directly?", "legal-case"),
        ("Which article of the Philippine Labor Code sets the night-shift differential?", "legal-case"),
        ("Are non-solicitation clauses enforceable?", None),
        ("Which clause of an SLA defines service credits?", None),
        ("What does section 5 of a typical MSA cover?", None),
        ("Is Teleperformance Set to Make India the Centerpiece of Its Operations?", "current"),
        ("Is BPO set to be replaced by AI?", None),
        ("What is your refund policy?", "provider"),
        ("How much do you charge?", "provider"),
        ("What should a provider's refund policy cover?", None),
        ("Do you have the resources to manage the outsourcing engagement?", None),
    ],
)
def test_policy_reason_names_advice_the_advisor_never_gives(question: str, reason: str | None) -> None:
    assert policy_reason(question) == reason


def test_a_figure_question_is_told_apart_from_a_how_to_question() -> None:
    assert asks_for_figures("How much does Concentrix charge per agent hour?")
    assert not asks_for_figures("How do I choose a provider?")
    assert asks_for_figures("How much is Boldly per hour?")
    assert asks_for_figures("Is MyOutDesk cheaper than hiring locally?")


def test_every_decline_says_what_the_advisor_can_help_with_instead() -> None:
    for reason in ("investment", "legal-case", "current", "directory", "personal", "named-price"):
        assert "I can help with business process outsourcing" in decline_message(reason)
    assert "Acme" in decline_message("named", ["Acme"])


def test_a_named_vendors_price_is_declined_even_when_pricing_passages_are_close(advisor: Advisor) -> None:
    answer = advisor.ask("How much does Concentrix charge for offshore outsourcing?")
    assert answer.refused and "Concentrix" in answer.text and answer.citations == []


def test_investment_questions_are_declined_before_retrieval(advisor: Advisor) -> None:
    answer = advisor.ask("Should I buy shares of an offshore outsourcing company?")
    assert answer.refused and "investment advice" in answer.text


def test_an_all_capitals_word_is_a_name_unless_the_base_writes_it_so() -> None:
    vocabulary = {"task", "stats", "BPO", "bpo"}
    assert unknown_names("What are the financial stats of TASK and BPO?", vocabulary) == ["TASK"]
