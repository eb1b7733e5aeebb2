"""Answering: turning a question and the retrieved passages into a cited answer, or an honest decline."""

from advisor.answering.extractive import ExtractiveAnswerer, citation, split_sentences
from advisor.answering.sections import Sections

__all__ = ["ExtractiveAnswerer", "Sections", "citation", "split_sentences"]
