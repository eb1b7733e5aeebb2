"""What the advisor declines even when the knowledge base has passages on the subject, and how it says so.

A guide to outsourcing can explain how service credits work; it cannot tell one reader whether to sue their
vendor, which BPO shares to buy, or what a named company charges today. Those questions get an honest decline
that says what the advisor can help with instead.
"""

from __future__ import annotations

import re

from advisor.conversation import COVERAGE

_INVESTMENT = re.compile(
    r"\b(stocks?|dividends?|share price|shares? (?:of|in)|buy,? hold|hold,? or sell|invest(?:ing)? (?:in|my|our)|"
    r"investors?|portfolio|market cap\w*|price target|undervalued|overvalued|ipo|better placed|outperform\w*|"
    r"etfs?|exchange[- ]traded funds?|(?:mutual|index) funds?|fair (?:price|value) of|future cash flows?)\b",
    re.I,
)
_LEGAL_CASE = re.compile(
    r"\b(sue|suing|lawsuit|take (?:them|it|him|her) to court|legal action against|small claims|"
    r"am i (?:legally )?(?:obligated|obliged|liable|entitled|allowed)|can (?:i|we) (?:legally )?(?:refuse|withhold|"
    r"keep)|wrongful(?:ly)? (?:dismiss|terminat)\w*|laid me off|fired me|my (?:lawyer|attorney|employer|boss))\b|"
    r"\b(?:our|my) (?:vendor|provider|supplier|outsourcer|client|employer|company)\b[^.?!]{0,80}\b(?:refuses?|refused|"
    r"won't|will not|didn't|did not|failed to|hasn't|has not) (?:to )?(?:pay|return|give|hand over|honou?r|refund)",
    re.I,
)
# A legal point about one reader's own contract or a particular provision: which article of a named law, whether
# clause 18.2 of our MSA lets us terminate, whether the clause in my agreement is enforceable. How such clauses
# usually work is a general question the base covers ("Are non-solicitation clauses common in BPO contracts?").
_PROVISION = re.compile(
    r"\b(?i:which|what) (?i:article|section|clause|provision|paragraph) of (?:the )?[^?]{0,40}"
    r"\b(?:Act|Code|Law|Regulation|Directive|Constitution|Ordinance|GDPR)\b|"
    r"\b(?i:clause|section|article|paragraph) \d+(?:\.\d+)*\b"
)
_OWN_CONTRACT_LAW = re.compile(
    r"\b(?:my|our) (?:agreement|contract|msa|sow|clause)\b[^?]*\b(?:enforceable|valid|binding|void|legal)\b|"
    r"\b(?:enforceable|valid|binding|void)\b[^?]*\b(?:my|our) (?:agreement|contract|msa|sow)\b",
    re.I,
)
# Someone's own situation told in the first person, asking who is liable or owes what: a case for a lawyer.
# General questions on liability ("Is the employer still liable if its payroll provider files late?") are not.
_LIABILITY = re.compile(
    r"\b(liable|liability|reimburs\w*|compensate \w+|penalt(?:y|ies)|disputed?|unlawful\w*|court|tribunal|"
    r"property of|entitled to)\b",
    re.I,
)
_OWN_SITUATION = re.compile(r"\b(my|our|we|we're|we've|i'm|i've|i|us|me)\b", re.I)
_SITUATION_WORDS = 12  # a question this long tells a story, not a topic
# Figures and news that change from month to month: no guide can give today's value. "Our current provider"
# is not such a question, so only a request for the present value counts.
_NOW = re.compile(
    r"\b(what(?:'s| is| are| was) (?:the |their |its )?(?:current|latest)|right now|today'?s|at the moment|"
    r"as of (?:now|today))\b",
    re.I,
)
_FIGURE = re.compile(
    r"\b(wages?|salar(?:y|ies)|pay|exchange rates?|rates?|prices?|costs?|fees?|charges?|attrition|turnover|"
    r"headcount|employees|staff|how many|how much|share price)\b",
    re.I,
)
_NEWS = re.compile(
    r"\b(this (?:year|month|week)|recently|yet)\b.*\b(pass(?:ed)?|law|act|bill|announced?)\b|"
    r"\b(pass(?:ed)?|announced?)\b.*\b(this (?:year|month|week)|recently|yet)\b",
    re.I,
)
# A headline about a named company's plans ("Is Teleperformance set to make India its centrepiece?") is news.
_HEADLINE = re.compile(
    r"\b(?i:is|are) (?!(?:BPO|KPO|ITO|AI|RPA|It|This|That|Outsourcing|Offshoring|Nearshoring)\b)"
    r"[A-Z][\w&.-]+(?: [A-Z][\w&.-]+){0,2} (?i:set|poised|about|on track|expected|planning|preparing) to\b"
)
# A forecast for a named year is news too: "how big will the market be in 2030?".
_FORECAST = re.compile(
    r"\b(?:will|going to|forecast\w*|predict\w*)\b[^?]*\b20[2-9]\d\b|"
    r"\b(?:forecast\w*|predict\w*|outlook)\b[^?]*\b(?:exchange rates?|(?:dollar|euro|pound|peso|rupee)\b[^?]*\brate)",
    re.I,
)
# A directory request: a guide explains how to choose a provider, it does not name or rank real companies.
_DIRECTORY = re.compile(
    r"\b(?:phone numbers?|email address(?:es)?|contact details)\b|"
    r"\b(?:which|what|name|recommend)\b[^?]{0,40}\b(?:compan(?:y|ies)|firms?|providers?|vendors?|call cent(?:re|er)s?)"
    r" (?:in|from|based in) (?-i:[A-Z][a-z]+)\b[^?]*\b(?:best|top|to hire|recommend\w*)\b",
    re.I,
)
# A worker's own job, or a personal writing task: this is an adviser to companies deciding on outsourcing.
_PERSONAL = re.compile(
    r"\b(cover letter|resum[eé]|my cv|job interview|(?:i|we) (?:just )?got hired|my (?:team leader|accent|"
    r"vacation|night shift|first shift|shift schedule)|(?:write|draft) (?:me )?(?:a|an|my) (?:toast|poem|speech|"
    r"essay|story|cover letter|resum[eé]))\b",
    re.I,
)
# A job seeker's or agent's question about working in a BPO ("Who can join BPO?", "Is a call center job good?"),
# asked as a person, not by a company ("How do we make our BPO jobs attractive?" is a company's question).
_WORKER = re.compile(
    r"\b(?:join(?:ing)?|apply(?:ing)? for|get (?:a job )?in(?:to)?|career in|(?<!of )work in|working in) (?:a |the )?"
    r"(?:bpo|call cent(?:er|re)|contact cent(?:er|re))s?\b|"
    r"\b(?:bpo|call cent(?:er|re)|contact cent(?:er|re)) (?:job|career|agents?'? salar(?:y|ies))\b|"
    r"\bjob (?:like )?(?:at|in) a (?:bpo|call cent(?:er|re)|contact cent(?:er|re))\b|"
    r"\b(?:applicants?|freshers?|age limit|why do you want to work)\b|\bmy (?:accent|english)\b",
    re.I,
)
# A question put to the advisor as if it were a provider selling a service: it has no prices or policies.
_AS_PROVIDER = re.compile(
    r"\b(?:what(?:'s| is| are)|tell me) your (?:refund|cancellation|returns?|payment|pricing) polic(?:y|ies)\b|"
    r"\bwhat (?:are|is) your (?:prices?|rates?|fees?|charges?|pricing)\b|\bhow much do you charge\b",
    re.I,
)
_COMPANY_VOICE = re.compile(r"\b(?:we|our|us|my (?:company|business|firm|team|staff|employees))\b", re.I)
# A worker's own rights when their job is outsourced: severance, an offer they must accept. A company asking
# what it owes its staff ("Do we have to pay severance?") is a general question the base covers.
_MY_RIGHTS = re.compile(r"\bmy rights\b", re.I)
_OWN_JOB = re.compile(
    r"\b(?:i|i'm|am i|shouldn't i be|should i be)\b[^?]{0,60}\b(?:severance|eligible|entitled)\b|"
    r"\bseverance\b[^?]{0,80}\b(?:i|me|my)\b",
    re.I,
)
# Wages that change by law or market every year: a minimum wage, or what a job pays in a named place.
_WAGE_NOW = re.compile(
    r"\bminimum wages?\b|\b(?:how much|what)\b[^?]{0,40}\b(?:paid|salar(?:y|ies)|wages?)\b[^?]{0,30}"
    r"\bin (?-i:[A-Z][a-z]+)",
    re.I,
)
# Errands for someone's own household are not business processes.
_HOUSEHOLD = re.compile(r"\bfor (?:my|our) (?:family|kids|children|household|home|wedding)\b", re.I)
_PRICE_OF = re.compile(
    r"\b(charges?|charging|cost|price[sd]?|pricing|rates?|fees?|revenue|profits?|earnings|financials?|stats|"
    r"ratings?|reviews?|salar(?:y|ies)|wages?|headcount|valuation|how much|cheaper|(?:more|less) expensive|"
    r"per (?:hour|month|year|user|seat|agent|employee))\b",
    re.I,
)
# A named company's own price or quote ("How much does Genpact charge ...?", "Acme's monthly fee"): the base may
# name the company as an example, but never holds its current prices. The domain's own acronyms are not names.
_NAMED_PRICE = re.compile(
    r"\b(?i:how much (?:does|do|would|will|did|might)) (?P<a>(?:[A-Z][\w&.-]*\s+){1,3})(?:\w+\s+)?"
    r"(?:charge|quote|cost|bill|ask)\b|"
    r"\b(?!(?:What|Who|Where|When|How|Why|Which|That|It|There|Here|Today|Everyone)'s)"
    r"(?P<b>[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,2})'s (?:\w+\s+){0,3}(?:fees?|prices?|pricing|rates?|quotes?)\b"
)
_DOMAIN_ACRONYMS = frozenset(
    {"BPO", "ITO", "KPO", "LPO", "RPO", "FTE", "SLA", "SLAs", "KPI", "KPIs", "HR", "IT", "AP", "AR", "US", "UK"}
    | {"EU", "MSP", "PEO", "EOR", "CX", "AI", "RPA", "F&A", "PCI"}
)
_SPELLING = ((re.compile(r"er$"), "re"), (re.compile(r"ize"), "ise"), (re.compile(r"or$"), "our"))

MESSAGES = {
    "investment": "I can't give investment advice, such as which outsourcing companies' shares to buy or sell. ",
    "legal-case": "I can't advise on your own legal dispute or case, or say what a particular law or clause means "
    "for you: a lawyer who can read your contract and the facts should. I can explain how outsourcing contracts "
    "usually handle service credits, disputes, termination and exit in general. ",
    "current": "I have no current figures, forecasts or news, such as today's wages, exchange rates, a "
    "company's headcount, a market's future size or a law's latest status, so I can't answer that without "
    "guessing. ",
    "directory": "I don't name, rank or give contact details for real outsourcing companies. I can explain "
    "how to shortlist and compare providers yourself. ",
    "personal": "That is outside what I do: I advise companies deciding whether, what and how to outsource, "
    "not individual workers' jobs or personal writing. ",
    "named": "My knowledge base has no current prices, revenues, ratings or other figures about {names}, so I "
    "can't answer that without guessing. ",
    "named-price": "I have no current prices or quotes of {names}, so I can't answer that without guessing. I can "
    "explain the pricing models providers use and what drives a quote. ",
    "provider": "I'm an advisory assistant, not an outsourcing provider, so I have no services, prices or policies "
    "of my own. I can explain what to ask a provider about its prices and terms, and how to compare the answers. ",
    "unknown": "My knowledge base has nothing on {names}, so I can't answer that without guessing. ",
}


def policy_reason(question: str) -> str | None:
    """Why the advisor never answers this question (investment, legal case, current, directory, personal, a named
    company's price, the advisor's own prices as if it were a provider), or None."""
    if _INVESTMENT.search(question):
        return "investment"
    if _LEGAL_CASE.search(question) or _own_liability_case(question) or _own_provision(question):
        return "legal-case"
    if _MY_RIGHTS.search(question) or (_OWN_JOB.search(question) and not _COMPANY_VOICE.search(question)):
        return "legal-case"
    if _is_current(question):
        return "current"
    if _DIRECTORY.search(question):
        return "directory"
    if _PERSONAL.search(question) or _HOUSEHOLD.search(question) or _is_workers_question(question):
        return "personal"
    if priced_names(question):
        return "named-price"
    if _AS_PROVIDER.search(question):
        return "provider"
    return None


def _is_current(question: str) -> bool:
    return bool(
        (_NOW.search(question) and _FIGURE.search(question))
        or _NEWS.search(question)
        or _HEADLINE.search(question)
        or _FORECAST.search(question)
        or _WAGE_NOW.search(question)
    )


def _is_workers_question(question: str) -> bool:
    return bool(_WORKER.search(question)) and not _COMPANY_VOICE.search(question)


def _own_provision(question: str) -> bool:
    # A provision by number only counts in the reader's own contract; "which article of <Law>" always does.
    found = _PROVISION.search(question)
    if found and (not any(ch.isdigit() for ch in found.group(0)) or _OWN_SITUATION.search(question)):
        return True
    return bool(_OWN_CONTRACT_LAW.search(question))


def _own_liability_case(question: str) -> bool:
    return bool(
        _LIABILITY.search(question) and _OWN_SITUATION.search(question) and len(question.split()) >= _SITUATION_WORDS
    )


def priced_names(question: str) -> list[str]:
    """The companies whose own price or quote the question asks for ("How much does Acme charge?")."""
    names = []
    for found in _NAMED_PRICE.finditer(question):
        name = (found.group("a") or found.group("b") or "").split()
        if name and not all(word in _DOMAIN_ACRONYMS for word in name):
            names.append(" ".join(name))
    return names


def unknown_names(question: str, vocabulary: set[str]) -> list[str]:
    """Names and years in the question (capitalised words past the first, four-digit numbers) the base never uses.

    A capitalised common word ("a captive Center") is not a name: it counts as known when the base uses it in
    any spelling (center/centre, organize/organise, labor/labour).
    """
    words = re.findall(r"\b[A-Z][A-Za-z]+\b|\b(?:19|20)\d{2}\b", question)
    first = re.match(r"\W*(\w+)", question)
    names = [w for w in words if not (first and w == first.group(1) and not w.isdigit())]
    return [w for w in dict.fromkeys(names) if not _known(w, vocabulary)]


def _known(word: str, vocabulary: set[str]) -> bool:
    # An all-capitals word ("TASK") is a ticker or acronym: known only if the base uses it in capitals too.
    if word.isupper() and len(word) > 2:
        return word in vocabulary
    word = word.lower()
    variants = {word, word.rstrip("s")} | {pattern.sub(repl, word) for pattern, repl in _SPELLING}
    return bool(variants & vocabulary)


def asks_for_figures(question: str) -> bool:
    """Whether the question asks for a price, revenue, rating or similar figure (of whatever it names)."""
    return bool(_PRICE_OF.search(question))


def decline_message(reason: str, names: list[str] | None = None) -> str:
    """The decline text for a reason, followed by what the advisor can help with instead."""
    return MESSAGES[reason].format(names=", ".join(names or [])) + COVERAGE
