"""Answers survive a killed process: each accepted answer is committed at once."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from readiness_support import make_service

INTERVIEWER = textwrap.dedent(
    """
    import sys, time
    from advisor.db import make_engine
    from advisor.readiness.questionnaire import load_questionnaire
    from advisor.readiness.rules import load_rules
    from advisor.readiness.service import AssessmentService

    questionnaire = load_questionnaire()
    engine = make_engine(sys.argv[1])
    service = AssessmentService(engine, questionnaire, load_rules(questionnaire), lambda query, k: [])
    assessment = service.start("Crashy Corp", owner="key-a")
    service.answer(assessment.id, "ctx_company_size", text="about 200 people", owner="key-a")
    service.dont_know(assessment.id, "ctx_industry", note="check with finance", owner="key-a")
    service.answer(assessment.id, "ctx_functions", text="payroll and bookkeeping", owner="key-a")
    print(assessment.id, flush=True)
    time.sleep(600)
    """
)


def test_answers_survive_a_killed_process_and_the_interview_resumes(tmp_path: Path) -> None:
    database = tmp_path / "advisor.db"
    with subprocess.Popen(
        [sys.executable, "-c", INTERVIEWER, f"sqlite:///{database}"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parent.parent,
    ) as process:
        try:
            assert process.stdout is not None
            assessment_id = process.stdout.readline().strip()
        finally:
            process.kill()  # SIGKILL: no chance to flush or commit anything more
            process.wait(timeout=30)
    assert assessment_id, "the interviewing process did not get to answer"

    service = make_service(tmp_path)
    replies = {r.question_id: r for r in service.responses(assessment_id, owner="key-a")}
    assert replies["ctx_company_size"].value == 200
    assert (replies["ctx_industry"].status, replies["ctx_industry"].note) == ("dont_know", "check with finance")
    assert replies["ctx_functions"].value == ["hr_payroll", "finance_accounting"]
    following = service.next_question(assessment_id, owner="key-a")
    assert following is not None and following.id == "ctx_work_nature"
