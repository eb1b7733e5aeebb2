"""Answering: turning a question and the retrieved passages into a cited answer, or an honest decline."""

from advisor.answering.extractive import ExtractiveAnswerer, citation
from advisor.answering.sections import Sections
from advisor.answering.units import section_units, split_sentences

__all__ = ["ExtractiveAnswerer", "Sections", "citation", "section_units", "split_sentences"]
