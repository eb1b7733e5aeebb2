"""Feedback: thumbs up or down on an answer, listed for the key that gave it."""

from __future__ import annotations

from fastapi import APIRouter, status

from advisor.api.deps import AdvisorDep, OwnerDep
from advisor.api.errors import ApiError
from advisor.api.models import FeedbackCreate
from advisor.storage import Feedback

router = APIRouter(prefix="/feedback", tags=["feedback"])


@router.post("", response_model=Feedback, status_code=status.HTTP_201_CREATED)
def add_feedback(body: FeedbackCreate, advisor: AdvisorDep, owner: OwnerDep) -> Feedback:
    """Rate an answer (by the message_id it came with) up or down, with an optional comment."""
    try:
        feedback: Feedback = advisor.feedback.add(body.message_id, owner, body.rating, body.comment)
    except ValueError as exc:
        raise ApiError(422, f"message_id: {exc}") from None
    return feedback


@router.get("", response_model=list[Feedback])
def list_feedback(advisor: AdvisorDep, owner: OwnerDep) -> list[Feedback]:
    """Your ratings, newest first."""
    feedback: list[Feedback] = advisor.feedback.list(owner)
    return feedback
