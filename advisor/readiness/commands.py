"""The readiness sub-commands: `interview`, `questionnaire`, `assessments`, `reopen`, `clone` and `compare`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from advisor.readiness.errors import AssessmentNotFound, DefinitionError, NotComparable
from advisor.readiness.results import AssessmentSummary
from advisor.readiness.service import AssessmentService
from advisor.readiness.terminal import describe_comparison, run_interview, summarise

OWNER = "local"
FORMATS = ("json", "md", "html", "pdf")
_BAD_INPUT = (AssessmentNotFound, NotComparable, DefinitionError, ValueError, OSError)


def add_parsers(subparsers: Any) -> None:
    """Register the readiness sub-commands on the CLI's sub-parsers."""
    interview = subparsers.add_parser("interview", help="run a readiness interview, or score a file of answers")
    interview.add_argument("--resume", metavar="ID", help="continue the assessment with this id")
    interview.add_argument("--client", help="client name for a new assessment")
    interview.add_argument("--interviewer", help="consultant running the interview (sets consultant mode)")
    interview.add_argument("--answers", type=Path, metavar="FILE.json", help="score these answers without prompting")
    interview.add_argument("--report", type=Path, metavar="OUT", help="write the report to this file")
    interview.add_argument("--format", choices=FORMATS, help="report format (default: from OUT's suffix, else json)")
    interview.add_argument(
        "--provisional", action="store_true", help="score an incomplete assessment anyway, labelled provisional"
    )
    interview.add_argument("--logo", type=Path, metavar="FILE", help="a PNG or JPEG logo for the report's cover")
    interview.set_defaults(func=interview_command)

    questionnaire = subparsers.add_parser("questionnaire", help="show the readiness questionnaire")
    questionnaire.add_argument("--json", action="store_true", help="print the full definition (with scores) as JSON")
    questionnaire.set_defaults(func=questionnaire_command)

    assessments = subparsers.add_parser("assessments", help="list readiness assessments")
    assessments.add_argument("--client", help="only clients whose name contains this")
    assessments.add_argument("--json", action="store_true", help="print the list as JSON")
    assessments.set_defaults(func=assessments_command)

    reopen = subparsers.add_parser("reopen", help="open a finished assessment again as the client's next version")
    reopen.add_argument("id", help="the finished assessment's id")
    reopen.add_argument("--answers", type=Path, metavar="FILE.json", help="apply these changed answers, then finish")
    reopen.add_argument("--provisional", action="store_true", help="finish even if questions are left unanswered")
    reopen.add_argument("--json", action="store_true", help="print the new version (or its result) as JSON")
    reopen.set_defaults(func=reopen_command)

    clone = subparsers.add_parser("clone", help="copy an assessment's answers into a new one in progress")
    clone.add_argument("id", help="the assessment to copy")
    clone.add_argument("--client", help="the copy's client (default: the same client, as its next version)")
    clone.add_argument("--json", action="store_true", help="print the copy as JSON")
    clone.set_defaults(func=clone_command)

    compare = subparsers.add_parser("compare", help="compare two assessments of one client (before, after)")
    compare.add_argument("before", help="the earlier assessment's id")
    compare.add_argument("after", help="the later assessment's id")
    compare.add_argument("--report", type=Path, metavar="OUT", help="write the comparison report to this file")
    compare.add_argument("--format", choices=FORMATS, help="report format (default: from OUT's suffix, else json)")
    compare.add_argument("--provisional", action="store_true", help="compare incomplete assessments anyway")
    compare.add_argument("--json", action="store_true", help="print the comparison as JSON")
    compare.set_defaults(func=compare_command)


def interview_command(args: argparse.Namespace, advisor: Any) -> int:
    """Run, resume or import an interview, then optionally write its report."""
    service: AssessmentService = advisor.assessments
    try:
        if args.answers:
            result = _import(service, args)
            print(summarise(result))
            assessment_id = result.assessment.id
        else:
            assessment_id = args.resume or _start(service, args)
            run_interview(service, assessment_id, OWNER)
        if args.report:
            _write_report(service, assessment_id, args)
        return 0
    except _BAD_INPUT as exc:
        return _fail(exc)


def questionnaire_command(args: argparse.Namespace, advisor: Any) -> int:
    """Print the questionnaire, as JSON (with each option's score) or as text."""
    service: AssessmentService = advisor.assessments
    if args.json:
        print(json.dumps(service.questionnaire.model_dump(mode="json", by_alias=True, exclude_none=True), indent=2))
        return 0
    for number, q in enumerate(service.questionnaire.questions, 1):
        where = q.dimension or "context"
        print(f"{number}. [{where}] {q.id}: {q.text}")
        for option in q.options:
            print(f"     {option.value}: {option.label}" + ("" if option.score is None else f" ({option.score:g})"))
    return 0


def assessments_command(args: argparse.Namespace, advisor: Any) -> int:
    """List the local assessments, optionally filtered by client."""
    service: AssessmentService = advisor.assessments
    found = service.list(OWNER, client=args.client)
    if args.json:
        print(json.dumps([a.model_dump(mode="json") for a in found], indent=2))
        return 0
    if not found:
        print("No assessments yet. Start one with: advisor interview --client NAME")
    for a in found:
        print(f"{a.id}  {a.name}  {a.status.replace('_', ' ')}  {a.answered} answered  {a.updated_at:%Y-%m-%d %H:%M}")
    return 0


def reopen_command(args: argparse.Namespace, advisor: Any) -> int:
    """Reopen a finished assessment as a new version; with --answers, apply the changes and finish it."""
    service: AssessmentService = advisor.assessments
    try:
        version = service.reopen(args.id, OWNER)
        if not args.answers:
            return _print_summary(version, args.json, f"Reopened as {version.name} (id {version.id}).")
        changes = _entries(_answers_of(args.answers), args.answers)
        result = service.revise(version.id, changes, OWNER, provisional=args.provisional)
    except _BAD_INPUT as exc:
        return _fail(exc)
    print(json.dumps(result.model_dump(mode="json"), indent=2) if args.json else summarise(result))
    return 0


def clone_command(args: argparse.Namespace, advisor: Any) -> int:
    """Copy an assessment's answers into a new one in progress."""
    service: AssessmentService = advisor.assessments
    try:
        copy = service.clone(args.id, OWNER, client=args.client)
    except _BAD_INPUT as exc:
        return _fail(exc)
    return _print_summary(copy, args.json, f"Copied into {copy.name} (id {copy.id}).")


def compare_command(args: argparse.Namespace, advisor: Any) -> int:
    """Print what changed between two assessments of one client, and optionally write the comparison report."""
    service: AssessmentService = advisor.assessments
    try:
        comparison = service.compare(args.before, args.after, OWNER, provisional=args.provisional)
        if args.report:
            fmt = args.format or _format_of(args.report)
            chart = _chart_path(args.report) if fmt == "md" else None
            href = chart.name if chart else None
            report = service.compare_report(args.before, args.after, fmt, OWNER, args.provisional, chart_href=href)
            args.report.write_bytes(report)
            if chart:
                chart.write_bytes(service.compare_chart(args.before, args.after, OWNER, args.provisional))
    except _BAD_INPUT as exc:
        return _fail(exc)
    print(json.dumps(comparison.model_dump(mode="json"), indent=2) if args.json else describe_comparison(comparison))
    if args.report and not args.json:
        print(f"Report written to {args.report}")
    return 0


def _write_report(service: AssessmentService, assessment_id: str, args: argparse.Namespace) -> None:
    fmt = args.format or _format_of(args.report)
    chart = _chart_path(args.report) if fmt == "md" else None
    logo = args.logo.read_bytes() if args.logo else None
    report = service.report(
        assessment_id, fmt, OWNER, args.provisional, chart_href=chart.name if chart else None, logo=logo
    )
    args.report.write_bytes(report)
    if chart:
        chart.write_bytes(service.chart(assessment_id, OWNER, args.provisional))
        print(f"Chart written to {chart}")
    print(f"Report written to {args.report}")


def _chart_path(report: Path) -> Path:
    # Markdown links its chart as a file beside it rather than embedding the picture.
    return report.with_name(f"{report.stem}-radar.png")


def _print_summary(summary: AssessmentSummary, as_json: bool, text: str) -> int:
    if as_json:
        print(json.dumps(summary.model_dump(mode="json"), indent=2))
    else:
        print(f"{text} Change answers with: advisor interview --resume {summary.id}")
    return 0


def _start(service: AssessmentService, args: argparse.Namespace) -> str:
    client = args.client or input("Client name: ").strip()
    mode = "consultant" if args.interviewer else "self"
    return service.start(client, interviewer=args.interviewer, mode=mode, owner=OWNER).id


def _answers_of(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a JSON object of answers")
    return data


def _import(service: AssessmentService, args: argparse.Namespace) -> Any:
    data = _answers_of(args.answers)
    answers = _entries(data, args.answers)
    client = args.client or data.get("client")
    if not client:
        raise ValueError(f'{args.answers}: give the client with --client or a "client" field')
    interviewer = args.interviewer or data.get("interviewer")
    return service.import_answers(client, answers, owner=OWNER, interviewer=interviewer, provisional=args.provisional)


def _entries(data: dict[str, Any], path: Path) -> dict[str, Any]:
    # A file holds {"client": ..., "answers": {...}} or the answers at the top level beside the metadata.
    meta = ("client", "interviewer", "description")
    answers = data["answers"] if "answers" in data else {k: v for k, v in data.items() if k not in meta}
    if not isinstance(answers, dict):
        raise ValueError(f'{path}: "answers" must be a JSON object of question ids and answers')
    return answers


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    return {"markdown": "md", "htm": "html"}.get(suffix, suffix) if suffix in (*FORMATS, "markdown", "htm") else "json"


def _fail(exc: Exception) -> int:
    message = exc.args[0] if isinstance(exc, LookupError) and exc.args else str(exc)
    print(f"error: {message}", file=sys.stderr)
    return 2
