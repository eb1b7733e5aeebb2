"""Recommendations from rule data: risks, first candidate functions, location model and roadmap."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from advisor.answer import Hit
from advisor.readiness.conditions import holds
from advisor.readiness.evidence import Situation, client_query, quote, rank, situation
from advisor.readiness.questionnaire import Questionnaire
from advisor.readiness.results import (
    Candidate,
    LocationChoice,
    LocationOption,
    Recommendations,
    Reference,
    Risk,
    RoadmapPhase,
    Scores,
)
from advisor.readiness.rules import FunctionRule, LocationAdjustment, LocationId, Phase, Rules, Step

logger = logging.getLogger(__name__)

Searcher = Callable[[str, int], list[Hit]]
"""Search the knowledge base: (query, k) -> ranked hits. The composition root passes ``advisor.search``."""

_NO_CONTEXT = "No priorities, data, oversight, time-zone or language answers yet; onshore is the cautious default."


class Recommender:
    """Turns scores and answers into recommendations, citing knowledge-base sections for each."""

    def __init__(
        self,
        rules: Rules,
        searcher: Searcher,
        knowledge_dir: Path | None = None,
        questionnaire: Questionnaire | None = None,
    ) -> None:
        self.rules = rules
        self.searcher = searcher
        self.knowledge_dir = knowledge_dir
        self.questionnaire = questionnaire  # labels for the client's situation; without it, risks use rule queries

    def recommend(self, scores: Scores, answers: dict[str, Any]) -> Recommendations:
        """All recommendations for one assessment's scores and answer values."""
        cache: dict[str, list[Reference]] = {}
        dims = scores.by_id()

        def cite(query: str) -> list[Reference]:
            if query not in cache:
                cache[query] = self._cite(query)
            return cache[query]

        return Recommendations(
            risks=self._risks(answers, dims, cite),
            first_candidates=self._candidates(answers, dims, cite),
            location=self._location(answers, dims, cite),
            roadmap=self._roadmap(answers, dims, cite),
        )

    def _risks(
        self, answers: dict[str, Any], dims: dict[str, float | None], cite: Callable[[str], list[Reference]]
    ) -> list[Risk]:
        risks = [r for r in self.rules.risks if (s := dims.get(r.dimension)) is not None and s < r.below]
        risks.sort(key=lambda r: dims[r.dimension] or 0.0)
        where = situation(self.questionnaire, answers) if self.questionnaire else Situation()
        return [
            Risk(
                id=r.id,
                dimension=r.dimension,
                title=r.title,
                why=r.why,
                mitigations=_steps(r.mitigations, answers, dims),
                citations=self._evidence(r.query, where) if self.questionnaire else cite(r.query),
                situation=where.describe() if self.questionnaire else "",
                query=client_query(r.query, where),
            )
            for r in risks
        ]

    def _evidence(self, base: str, where: Situation) -> list[Reference]:
        """Passages searched for this risk in the client's situation, each with its best sentence quoted."""
        query = client_query(base, where)
        ranked = rank(self._hits(base, 4), self._hits(query, 3), base, where)
        return [
            Reference(source=h.source, title=h.title, section=h.section, quote=quote(h.text, query, base))
            for h in ranked[: self.rules.citations_per_item]
        ]

    def _candidates(
        self, answers: dict[str, Any], dims: dict[str, float | None], cite: Callable[[str], list[Reference]]
    ) -> list[Candidate]:
        wanted = set(answers.get("ctx_functions") or [])
        pool = [f for f in self.rules.functions if not wanted or f.id in wanted]
        ranked = sorted((self._candidate(f, answers, dims) for f in pool), key=lambda c: -c.score)
        chosen = ranked[: self.rules.first_candidates]
        for candidate in chosen:
            candidate.citations = cite(next(f.query for f in pool if f.id == candidate.id))
        return chosen

    def _candidate(self, rule: FunctionRule, answers: dict[str, Any], dims: dict[str, float | None]) -> Candidate:
        traits = self.rules.function_traits
        applied = [a for a in rule.adjust if holds(a.when, answers, dims)]
        return Candidate(
            id=rule.id,
            name=rule.name,
            office=rule.office,
            nature=rule.nature,
            score=rule.base + sum(a.add for a in applied),
            reasons=[traits[rule.office], traits[rule.nature], *(a.reason for a in applied)],
        )

    def _location(
        self, answers: dict[str, Any], dims: dict[str, float | None], cite: Callable[[str], list[Reference]]
    ) -> LocationChoice:
        models = self.rules.location.models
        points: dict[str, float] = {m.id: m.base for m in models}
        excluded: dict[str, str] = {}
        applied = [a for a in self.rules.location.adjust if holds(a.when, answers, dims)]
        for adjustment in applied:
            for model_id, add in adjustment.points.items():
                points[model_id] = points.get(model_id, 0.0) + add
            excluded.update({m: adjustment.reason for m in adjustment.exclude if m not in excluded})
        allowed = [m for m in models if m.id not in excluded] or models
        best = max(allowed, key=lambda m: (points[m.id], -models.index(m)))
        reasons = [a.reason for a in applied if a.points.get(best.id, 0) > 0 or a.exclude]
        tied = [m for m in allowed if m is not best and points[m.id] == points[best.id]]
        ranking = [
            _option(m.id, m.name, points[m.id], applied, excluded.get(m.id))
            for m in sorted(models, key=lambda m: (m.id in excluded, -points[m.id], models.index(m)))
        ]
        return LocationChoice(
            model=best.id,
            name=best.name,
            summary=best.summary,
            reasons=reasons or [_NO_CONTEXT],
            points=points,
            excluded=excluded,
            reasons_against=[a.reason for a in applied if a.points.get(best.id, 0) < 0],
            tied_with=[m.name for m in tied],
            tie_break=_tie_break(best.name, [m.name for m in tied], points[best.id]),
            ranking=ranking,
            citations=cite(best.query),
        )

    def _roadmap(
        self, answers: dict[str, Any], dims: dict[str, float | None], cite: Callable[[str], list[Reference]]
    ) -> list[RoadmapPhase]:
        phases = [_phase(phase, answers, dims) for phase in self.rules.roadmap]
        for phase, rule in zip(phases, self.rules.roadmap, strict=True):
            phase.citations = cite(rule.query) if phase.actions else []
        return [p for p in phases if p.actions]

    def _cite(self, query: str) -> list[Reference]:
        hits = self._hits(query)[: self.rules.citations_per_item]
        return [Reference(source=h.source, title=h.title, section=h.section) for h in hits]

    def _hits(self, query: str, breadth: int = 2) -> list[Hit]:
        """The best distinct sections (``breadth`` times the citations wanted) whose files exist; none on failure."""
        try:
            hits = self.searcher(query, self.rules.citations_per_item * breadth)
        except Exception:  # a broken index must not lose the assessment's report
            logger.exception("citation search failed query=%r", query)
            return []
        found: dict[tuple[str, str], Hit] = {}
        for hit in hits:
            if self.knowledge_dir is not None and not (self.knowledge_dir / hit.source).is_file():
                logger.warning("dropping citation to missing file source=%s", hit.source)
                continue
            found.setdefault((hit.source, hit.section), hit)
        return list(found.values())


def _steps(steps: list[Step], answers: dict[str, Any], dims: dict[str, float | None]) -> list[str]:
    # Steps already done by the client (their condition fails) are left out; {question_id} is filled in.
    return [_fill(s.text, answers) for s in steps if s.when is None or holds(s.when, answers, dims)]


def _fill(text: str, answers: dict[str, Any]) -> str:
    def value(match: re.Match[str]) -> str:
        found = answers.get(match.group(1))
        if found is None:
            return match.group(0)
        if isinstance(found, list):
            return ", ".join(str(v) for v in found)
        return f"{found:g}" if isinstance(found, float) else str(found)

    return re.sub(r"\{([a-z][a-z0-9_]*)\}", value, text)


def _phase(rule: Phase, answers: dict[str, Any], dims: dict[str, float | None]) -> RoadmapPhase:
    variant = next((v for v in rule.variants if holds(v.when, answers, dims)), None)
    return RoadmapPhase(
        id=rule.id,
        title=(variant.title if variant and variant.title else rule.title),
        duration=(variant.duration if variant and variant.duration else rule.duration),
        actions=_steps(rule.actions, answers, dims),
    )


def _option(
    model_id: LocationId, name: str, points: float, applied: list[LocationAdjustment], excluded: str | None
) -> LocationOption:
    return LocationOption(
        model=model_id,
        name=name,
        points=points,
        reasons_for=[a.reason for a in applied if a.points.get(model_id, 0) > 0],
        reasons_against=[a.reason for a in applied if a.points.get(model_id, 0) < 0],
        excluded=excluded,
    )


def _tie_break(best: str, tied: list[str], points: float) -> str:
    if not tied:
        return ""
    return (
        f"{best} ties with {', '.join(tied)} at {points:g} points; on a tie the more cautious model "
        f"(closer to home) is recommended."
    )
