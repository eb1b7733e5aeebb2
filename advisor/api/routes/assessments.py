"""Readiness assessments: start one, answer its questions one by one, go back, and fetch the report."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response, status

from advisor.api.deps import AdvisorDep, OwnerDep
from advisor.api.errors import ApiError
from advisor.api.models import (
    AnswerCreate,
    AnswerPublic,
    AssessmentClone,
    AssessmentCreate,
    AssessmentPublic,
    ErrorPublic,
    NextPublic,
)
from advisor.readiness.results import AssessmentSummary, Result

router = APIRouter(tags=["assessments"])

ReportFormat = Literal["json", "md", "html", "pdf"]
_MEDIA_TYPES = {
    "json": "application/json",
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}
_REPORT_DOC: dict[str, Any] = {
    "content": {
        media: {"schema": {"type": "object" if kind == "json" else "string"}} for kind, media in _MEDIA_TYPES.items()
    },
    "description": "The report in the requested format (JSON: an object with scores and recommendations)",
}


@router.post("/assessments", response_model=AssessmentSummary, status_code=status.HTTP_201_CREATED)
def start_assessment(body: AssessmentCreate, advisor: AdvisorDep, owner: OwnerDep) -> AssessmentSummary:
    """Start a readiness assessment for a client."""
    try:
        summary: AssessmentSummary = advisor.assessments.start(body.client, body.interviewer, body.mode, owner)
    except ValueError as exc:
        raise ApiError(422, str(exc)) from None
    return summary


@router.get("/assessments", response_model=list[AssessmentSummary])
def list_assessments(advisor: AdvisorDep, owner: OwnerDep, client: str | None = None) -> list[AssessmentSummary]:
    """Your assessments, newest first; ?client= keeps those whose client name contains it."""
    summaries: list[AssessmentSummary] = advisor.assessments.list(owner, client)
    return summaries


@router.get("/assessments/{assessment_id}", response_model=AssessmentPublic)
def read_assessment(assessment_id: str, advisor: AdvisorDep, owner: OwnerDep) -> AssessmentPublic:
    """One assessment with its progress and answers so far."""
    service = advisor.assessments
    return AssessmentPublic(
        assessment=service.get(assessment_id, owner),
        progress=service.progress(assessment_id, owner),
        answers=service.responses(assessment_id, owner),
    )


@router.get("/assessments/{assessment_id}/next", response_model=NextPublic)
def next_question(assessment_id: str, advisor: AdvisorDep, owner: OwnerDep) -> NextPublic:
    """The next question to ask, with its allowed answers (question is null when all are done)."""
    service = advisor.assessments
    question = service.next_question(assessment_id, owner)
    return NextPublic(question=question, progress=service.progress(assessment_id, owner))


@router.post("/assessments/{assessment_id}/answers", response_model=AnswerPublic)
def answer_question(assessment_id: str, body: AnswerCreate, advisor: AdvisorDep, owner: OwnerDep) -> AnswerPublic:
    """Answer a question with a typed value, or with free text that the reply parser reads."""
    service = advisor.assessments
    response = service.answer(assessment_id, body.question_id, body.value, body.text, body.note, owner)
    return AnswerPublic(
        response=response,
        next=service.next_question(assessment_id, owner),
        progress=service.progress(assessment_id, owner),
    )


@router.post("/assessments/{assessment_id}/back", response_model=NextPublic)
def go_back(assessment_id: str, advisor: AdvisorDep, owner: OwnerDep) -> NextPublic:
    """Withdraw the most recent answer and return its question to ask again (null if nothing was answered)."""
    service = advisor.assessments
    question = service.back(assessment_id, owner)
    return NextPublic(question=question, progress=service.progress(assessment_id, owner))


@router.get(
    "/assessments/{assessment_id}/report",
    response_class=Response,
    responses={200: _REPORT_DOC, 409: {"model": ErrorPublic, "description": "incomplete, not asked provisional"}},
)
def read_report(
    assessment_id: str,
    advisor: AdvisorDep,
    owner: OwnerDep,
    format: ReportFormat = "json",
    provisional: Annotated[
        bool, Query(description="score an incomplete assessment anyway, labelled provisional (else 409)")
    ] = False,
) -> Response:
    """The assessment's scores, knock-outs and recommendations as JSON, Markdown, HTML or PDF.

    Markdown links its radar chart as `chart.png` beside it (GET /v1/assessments/{id}/chart.png).
    """
    href = _chart_href("chart.png", provisional) if format == "md" else None
    content: bytes = advisor.assessments.report(assessment_id, format, owner, provisional, chart_href=href)
    filename = f"{_file_stem(advisor.assessments.get(assessment_id, owner))}.{format}"
    headers = {} if format == "json" else {"Content-Disposition": f'inline; filename="{filename}"'}
    return Response(content, media_type=_MEDIA_TYPES[format], headers=headers)


@router.post(
    "/assessments/{assessment_id}/finish",
    response_model=Result,
    responses={409: {"model": ErrorPublic, "description": "incomplete (not asked provisional) or already finished"}},
)
def finish_assessment(
    assessment_id: str,
    advisor: AdvisorDep,
    owner: OwnerDep,
    provisional: Annotated[bool, Query(description="finish an incomplete assessment, labelled provisional")] = False,
) -> Result:
    """Finish the assessment (its answers are then kept as they are) and return its result."""
    result: Result = advisor.assessments.finish(assessment_id, owner, provisional)
    return result


@router.post(
    "/assessments/{assessment_id}/reopen",
    response_model=AssessmentSummary,
    status_code=status.HTTP_201_CREATED,
    responses={409: {"model": ErrorPublic, "description": "the assessment is not finished"}},
)
def reopen_assessment(assessment_id: str, advisor: AdvisorDep, owner: OwnerDep) -> AssessmentSummary:
    """Open a finished assessment again as the client's next version, with its answers and notes copied."""
    summary: AssessmentSummary = advisor.assessments.reopen(assessment_id, owner)
    return summary


@router.post("/assessments/{assessment_id}/clone", response_model=AssessmentSummary, status_code=201)
def clone_assessment(
    assessment_id: str, advisor: AdvisorDep, owner: OwnerDep, body: AssessmentClone | None = None
) -> AssessmentSummary:
    """Copy an assessment's answers and notes into a new assessment in progress (optionally for another client)."""
    summary: AssessmentSummary = advisor.assessments.clone(assessment_id, owner, body.client if body else None)
    return summary


@router.get(
    "/assessments/{assessment_id}/compare/{other_id}",
    response_class=Response,
    responses={
        200: _REPORT_DOC,
        409: {"model": ErrorPublic, "description": "incomplete, not asked provisional"},
        422: {"model": ErrorPublic, "description": "different clients, or an unknown format"},
    },
)
def compare_assessments(
    assessment_id: str,
    other_id: str,
    advisor: AdvisorDep,
    owner: OwnerDep,
    format: ReportFormat = "json",
    provisional: Annotated[bool, Query(description="compare incomplete assessments, labelled provisional")] = False,
) -> Response:
    """Compare this assessment (before) with another of the same client (after): scores, answers, risks."""
    href = _chart_href(f"{other_id}/chart.png", provisional) if format == "md" else None
    service = advisor.assessments
    content: bytes = service.compare_report(assessment_id, other_id, format, owner, provisional, chart_href=href)
    after = service.get(other_id, owner)
    to = f"{after.created_at:%Y-%m-%d}-v{after.version}"
    filename = f"comparison-{_file_stem(service.get(assessment_id, owner))}-to-{to}.{format}"
    headers = {} if format == "json" else {"Content-Disposition": f'inline; filename="{filename}"'}
    return Response(content, media_type=_MEDIA_TYPES[format], headers=headers)


@router.get(
    "/assessments/{assessment_id}/chart.png",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}, "description": "The radar chart the report shows"}},
)
def read_chart(
    assessment_id: str,
    advisor: AdvisorDep,
    owner: OwnerDep,
    provisional: Annotated[bool, Query(description="chart an incomplete assessment anyway")] = False,
) -> Response:
    """The report's radar chart as PNG (the Markdown report links it)."""
    return Response(advisor.assessments.chart(assessment_id, owner, provisional), media_type="image/png")


@router.get(
    "/assessments/{assessment_id}/compare/{other_id}/chart.png",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}, "description": "Both assessments on one radar chart"}},
)
def read_comparison_chart(
    assessment_id: str,
    other_id: str,
    advisor: AdvisorDep,
    owner: OwnerDep,
    provisional: Annotated[bool, Query(description="chart incomplete assessments anyway")] = False,
) -> Response:
    """The comparison's radar chart as PNG (the Markdown comparison links it)."""
    png: bytes = advisor.assessments.compare_chart(assessment_id, other_id, owner, provisional)
    return Response(png, media_type="image/png")


def _file_stem(summary: AssessmentSummary) -> str:
    # Named like the assessment (client, date, version), in characters every file system and header accepts.
    client = re.sub(r"[^a-z0-9]+", "-", summary.client.lower()).strip("-") or "assessment"
    return f"{client}-{summary.created_at:%Y-%m-%d}-v{summary.version}"


def _chart_href(path: str, provisional: bool) -> str:
    return f"{path}?provisional=true" if provisional else path


@router.get("/questionnaire")
def read_questionnaire(advisor: AdvisorDep) -> dict[str, Any]:
    """The questionnaire: dimensions and questions in interview order, with their allowed answers."""
    questionnaire = advisor.assessments.questionnaire
    return dict(questionnaire.model_dump(mode="json"))
