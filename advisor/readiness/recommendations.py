"""Recommendations from rule data: risks, first candidate functions, location model and roadmap."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from advisor.answer import Hit
from advisor.readiness.conditions import holds
from advisor.readiness.results import (
    Candidate,
    LocationChoice,
    Recommendations,
    Reference,
    Risk,
    RoadmapPhase,
    Scores,
)
from advisor.readiness.rules import FunctionRule, Rules

logger = logging.getLogger(__name__)

Searcher = Callable[[str, int], list[Hit]]
"""Search the knowledge base: (query, k) -> ranked hits. The composition root passes ``advisor.search``."""

_NO_CONTEXT = "No priorities, data, oversight, time-zone or language answers yet; onshore is the cautious default."


class Recommender:
    """Turns scores and answers into recommendations, citing knowledge-base sections for each."""

    def __init__(self, rules: Rules, searcher: Searcher, knowledge_dir: Path | None = None) -> None:
        self.rules = rules
        self.searcher = searcher
        self.knowledge_dir = knowledge_dir

    def recommend(self, scores: Scores, answers: dict[str, Any]) -> Recommendations:
        """All recommendations for one assessment's scores and answer values."""
        cache: dict[str, list[Reference]] = {}
        dims = scores.by_id()

        def cite(query: str) -> list[Reference]:
            if query not in cache:
                cache[query] = self._cite(query)
            return cache[query]

        return Recommendations(
            risks=self._risks(dims, cite),
            first_candidates=self._candidates(answers, dims, cite),
            location=self._location(answers, dims, cite),
            roadmap=self._roadmap(answers, dims, cite),
        )

    def _risks(self, dims: dict[str, float | None], cite: Callable[[str], list[Reference]]) -> list[Risk]:
        risks = [r for r in self.rules.risks if (s := dims.get(r.dimension)) is not None and s < r.below]
        risks.sort(key=lambda r: dims[r.dimension] or 0.0)
        return [
            Risk(
                id=r.id,
                dimension=r.dimension,
                title=r.title,
                why=r.why,
                mitigations=r.mitigations,
                citations=cite(r.query),
            )
            for r in risks
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
        return LocationChoice(
            model=best.id,
            name=best.name,
            summary=best.summary,
            reasons=reasons or [_NO_CONTEXT],
            points=points,
            excluded=excluded,
            citations=cite(best.query),
        )

    def _roadmap(
        self, answers: dict[str, Any], dims: dict[str, float | None], cite: Callable[[str], list[Reference]]
    ) -> list[RoadmapPhase]:
        return [
            RoadmapPhase(
                id=phase.id,
                title=phase.title,
                duration=phase.duration,
                actions=[s.text for s in phase.actions if s.when is None or holds(s.when, answers, dims)],
                citations=cite(phase.query),
            )
            for phase in self.rules.roadmap
        ]

    def _cite(self, query: str) -> list[Reference]:
        try:
            hits = self.searcher(query, self.rules.citations_per_item * 2)
        except Exception:  # a broken index must not lose the assessment's report
            logger.exception("citation search failed query=%r", query)
            return []
        found: dict[tuple[str, str], Reference] = {}
        for hit in hits:
            if self.knowledge_dir is not None and not (self.knowledge_dir / hit.source).is_file():
                logger.warning("dropping citation to missing file source=%s", hit.source)
                continue
            found.setdefault(
                (hit.source, hit.section), Reference(source=hit.source, title=hit.title, section=hit.section)
            )
        return list(found.values())[: self.rules.citations_per_item]
