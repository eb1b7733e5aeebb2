"""BPO Advisor: grounded answers and readiness assessments for business process outsourcing."""

from advisor.answer import Answer, Citation, Hit
from advisor.answering.responder import InvalidQuestion
from advisor.service import Advisor
from advisor.settings import Settings, SettingsError, load_settings

__all__ = ["Advisor", "Answer", "Citation", "Hit", "InvalidQuestion", "Settings", "SettingsError", "load_settings"]
