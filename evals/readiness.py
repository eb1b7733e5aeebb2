"""Readiness-profile cases: import a complete answer set and check the band and location model it produces."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from evals.dataset import Case

ROOT = Path(__file__).resolve().parent.parent
PROFILE_DIRS = (ROOT / "evals" / "data" / "profiles", ROOT / "advisor" / "readiness" / "profiles")


class ProfileJudge:
    """Runs profile cases through the advisor's assessment service."""

    def __init__(self, advisor: Any, profile_dirs: tuple[Path, ...] = PROFILE_DIRS) -> None:
        self.advisor = advisor
        self.profile_dirs = profile_dirs

    def judge(self, case: Case) -> dict[str, Any]:
        """The case's result: expected and produced band and location model, and whether both match."""
        result: dict[str, Any] = {
            "id": case.id,
            "kind": case.kind,
            "tags": list(case.tags),
            "question": f"profile {case.profile}",
            "history": [],
            "expected_band": case.band,
            "expected_location": case.location,
            "metrics": {},
            "retrieved": [],
            "refused": False,
            "latency_ms": None,
        }
        started = time.perf_counter()
        try:
            produced = self._produce(case)
        except Exception as exc:  # a broken profile is a failed case, not a crashed run
            result.update(passed=False, error=f"{type(exc).__name__}: {exc}")
            return result
        result["latency_ms"] = round((time.perf_counter() - started) * 1000, 1)
        result.update(produced)
        result["passed"] = produced["band"] == case.band and (
            case.location is None or produced["location"] == case.location
        )
        result["answer"] = f"band={produced['band']} location={produced['location']}"
        return result

    def _produce(self, case: Case) -> dict[str, Any]:
        data = json.loads(self._path(str(case.profile)).read_text(encoding="utf-8"))
        answers = data.get("answers", data) if isinstance(data, dict) else data
        client = str(data.get("client") or case.profile) if isinstance(data, dict) else str(case.profile)
        outcome = self.advisor.assessments.import_answers(client, answers, owner="evals")
        return {
            "band": outcome.scores.band,
            "overall": outcome.scores.overall,
            "location": outcome.recommendations.location.model,
        }

    def _path(self, profile: str) -> Path:
        for folder in self.profile_dirs:
            if (folder / f"{profile}.json").exists():
                return folder / f"{profile}.json"
        raise FileNotFoundError(f"no profile {profile}.json in {', '.join(str(d) for d in self.profile_dirs)}")
