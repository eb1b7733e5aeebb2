"""Liveness and readiness probes (no key needed)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from advisor.api.deps import AdvisorDep
from advisor.api.errors import error_response
from advisor.api.models import ErrorPublic, StatusPublic

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=StatusPublic)
def healthz() -> StatusPublic:
    """The process is up."""
    return StatusPublic(status="ok")


@router.get("/readyz", response_model=StatusPublic, responses={503: {"model": ErrorPublic}})
def readyz(advisor: AdvisorDep) -> StatusPublic | JSONResponse:
    """The last ingest finished and the index answers a query (503 until then); a stale index is reported."""
    index = advisor.index.status()
    if index.state in ("empty", "incomplete"):
        return error_response(503, "not_ready", index.describe())
    if not advisor.ready():
        return error_response(503, "not_ready", "the knowledge index is empty or not answering; run ingest")
    detail = index.describe() if index.state == "stale" else None
    return StatusPublic(
        status="ready", chunks=len(advisor.documents), index=index.state, generation=index.generation, detail=detail
    )
