"""Searching the knowledge base and listing its documents by topic."""

from __future__ import annotations

from fastapi import APIRouter

from advisor.answering.responder import InvalidQuestion
from advisor.api.deps import AdvisorDep
from advisor.api.errors import ApiError
from advisor.api.models import DocumentPublic, HitPublic, SearchCreate, SearchPublic, TopicsPublic
from advisor.snippets import snippet

router = APIRouter(tags=["search"])


@router.post("/search", response_model=SearchPublic)
def search(body: SearchCreate, advisor: AdvisorDep) -> SearchPublic:
    """Ranked passages of the knowledge base for a query, best first."""
    if body.topic is not None and body.topic not in advisor.topics():
        raise ApiError(422, f"topic: unknown topic {body.topic!r}; GET /v1/topics lists them")
    try:
        hits = advisor.search(body.query, k=body.k, topic=body.topic, mode=body.mode)
    except InvalidQuestion as exc:
        raise ApiError(422, f"query: {str(exc).replace('question', 'query')}", "invalid_question") from None
    return SearchPublic(hits=[HitPublic(**h.model_dump(), snippet=snippet(h.text)) for h in hits])


@router.get("/topics", response_model=TopicsPublic)
def topics(advisor: AdvisorDep) -> TopicsPublic:
    """The knowledge documents, grouped by topic."""
    grouped = advisor.topics()
    return TopicsPublic(topics={t: [DocumentPublic(**d) for d in docs] for t, docs in grouped.items()})
