"""Assessment results as shown in the page: score card, radar chart, dimension bars and recommendations."""

from __future__ import annotations

import html
import re
from typing import Any

from advisor.readiness.chart import radar_png
from advisor.readiness.results import Comparison, Reference, Result
from advisor.ui.downloads import write_file

FORMATS = {"pdf": "PDF", "html": "HTML", "md": "Markdown"}


def score_card(result: Result) -> str:
    """The overall score, band, summary and confidence as an HTML card; an unscored result says what is missing."""
    s, a = result.scores, result.assessment
    who = f" · interviewer {html.escape(a.interviewer)}" if a.interviewer else ""
    number = "" if s.overall is None else f'<div class="score-number">{s.overall:.0f}<span>/100</span></div>'
    band = s.band_label or "Not scored yet"
    lacking = f'<p class="score-missing">{html.escape(missing_text(result))}</p>' if missing_text(result) else ""
    return (
        f'<div class="score-card band-{html.escape(s.band or "none")}">{number}'
        f'<div class="score-text"><div class="score-band">{html.escape(band)}</div>'
        f"<p>{html.escape(s.band_summary)}</p>{lacking}"
        f'<p class="muted">{html.escape(a.client)} · assessment <code>{a.id}</code>{who} · '
        f"confidence {s.confidence:.0f}%</p></div></div>"
    )


def missing_text(result: Result) -> str:
    """What an unscored or provisional result lacks, in plain words ("" for a complete result)."""
    if result.scores.overall is None:
        return f"Not scored: no scored question has an answer yet ({_open(result)}). Answer some to see a score."
    if not result.scores.provisional:
        return ""
    return f"Provisional: {_gaps(result)}. Scores and advice may change once they are answered."


def _open(result: Result) -> str:
    count = len(result.scores.missing)
    return f"{count} question{'s' if count != 1 else ''} still without an answer"


def _gaps(result: Result) -> str:
    unscored = [d.name for d in result.scores.dimensions if d.score is None]
    return _open(result) + (f"; no answers yet for {', '.join(unscored)}" if unscored else "")


def has_scores(result: Result) -> bool:
    """Whether any dimension has a score (so a chart would show something)."""
    return any(d.score is not None for d in result.scores.dimensions)


def dimension_bars(result: Result) -> str:
    """Per-dimension scores as labelled horizontal bars ("no answers" where a dimension has none)."""
    rows = []
    for d in result.scores.dimensions:
        width = 0 if d.score is None else d.score
        shown = '<span class="dim-none">no answers</span>' if d.score is None else f"{d.score:.0f}"
        rows.append(
            f'<div class="dim-row"><div class="dim-name">{html.escape(d.name)}</div>'
            f'<div class="dim-bar"><div style="width:{width:.0f}%"></div></div>'
            f'<div class="dim-score">{shown}</div></div>'
        )
    return f'<div class="dims">{"".join(rows)}</div>'


def recommendations_markdown(result: Result) -> str:
    """Risks with mitigations, first candidates, location model and roadmap, each with its sources."""
    recs = result.recommendations
    if result.scores.overall is None:
        return f"### Nothing to recommend yet\n{missing_text(result)}"
    names = {d.id: d.name for d in result.scores.dimensions}
    lines = ["### Risks and how to mitigate them"]
    if not recs.risks:
        lines.append(_no_risks(result))
    for risk in recs.risks:
        lines += [f"**{risk.title}** ({names.get(risk.dimension, risk.dimension)}): {risk.why}", ""]
        lines += [f"- {m}" for m in risk.mitigations] + [_sources(risk.citations), ""]
    lines.append("### Good first candidates")
    for c in recs.first_candidates:
        lines += [f"**{c.name}** ({c.office} office, {c.nature}): {' '.join(c.reasons)}", _sources(c.citations), ""]
    loc = recs.location
    lines += [f"### Location model: {loc.name}", loc.summary, ""]
    lines += [f"- {r}" for r in loc.reasons] + [_sources(loc.citations), "", "### Next steps"]
    for n, phase in enumerate(recs.roadmap, 1):
        lines += [f"{n}. **{phase.title}** ({phase.duration}): {' '.join(phase.actions)}"]
        lines += [f"   {_sources(phase.citations)}"] if phase.citations else []
    return "\n".join(lines)


def _no_risks(result: Result) -> str:
    if result.scores.provisional:
        return f"None flagged by the answers so far, but this is not a clean bill of health: {_gaps(result)}."
    return "No dimension scores low enough to flag a risk."


def radar_file(result: Result) -> str:
    """A PNG radar chart of the dimension scores, written to a temporary file."""
    labels = [d.name for d in result.scores.dimensions]
    png = radar_png(labels, {result.assessment.client: [d.score for d in result.scores.dimensions]})
    return write_file(png, f"radar-{result.assessment.id}.png")


def comparison_radar_file(comparison: Comparison) -> str:
    """Both assessments' shapes on one radar chart, written to a temporary file."""
    before, after = comparison.before, comparison.after
    labels = [d.name for d in after.scores.dimensions]
    series = {
        _label("Before", before): [d.score for d in before.scores.dimensions],
        _label("After", after): [d.score for d in after.scores.dimensions],
    }
    png = radar_png(labels, series, title=f"Readiness of {comparison.client}")
    return write_file(png, f"compare-{before.assessment.id}-{after.assessment.id}.png")


def comparison_markdown(comparison: Comparison) -> str:
    """A before/after table of dimension scores with the change."""
    before, after = comparison.before, comparison.after
    rows = ["| Dimension | Before | After | Change |", "|---|---:|---:|---:|"]
    for b, a in zip(before.scores.dimensions, after.scores.dimensions, strict=True):
        rows.append(f"| {a.name} | {_num(b.score)} | {_num(a.score)} | {_signed(comparison.deltas.get(a.id))} |")
    rows.append(
        f"| **Overall** | **{_num(before.scores.overall)}** | **{_num(after.scores.overall)}** "
        f"| **{_signed(comparison.overall_delta)}** |"
    )
    head = (
        f"**{comparison.client}**: {_label('Before', before)} → {_label('After', after)}. "
        f"Band: {before.scores.band_label or '–'} → {after.scores.band_label or '–'}."
    )
    return head + "\n\n" + "\n".join(rows)


def report_name(result: Result, fmt: str) -> str:
    """A download name such as `readiness-acme-1a2b3c.pdf`."""
    client = re.sub(r"[^a-z0-9]+", "-", result.assessment.client.lower()).strip("-") or "client"
    return f"readiness-{client}-{result.assessment.id}.{fmt}"


def report_files(result: Result, formats: tuple[str, ...]) -> dict[str, str]:
    """The report in each format, written to temporary files for download buttons, keyed by format."""
    from advisor.readiness import report  # matplotlib and fpdf load only when reporting

    # Render every format from the one result: recomputing it per format repeats the knowledge searches.
    return {fmt: write_file(report.render(result, fmt), report_name(result, fmt)) for fmt in formats}


def summary_text(result: Result) -> str:
    """A short Markdown summary of a result for the chat."""
    s, recs = result.scores, result.recommendations
    if s.overall is None:
        return f"I cannot score your readiness yet. {missing_text(result)}"
    lines = [f"Your readiness: **{s.overall:.0f}/100**, *{s.band_label}*. {s.band_summary}", missing_text(result)]
    low = sorted((d for d in s.dimensions if d.score is not None), key=lambda d: d.score or 0)[:3]
    if low:
        lines.append("Weakest areas: " + ", ".join(f"{d.name} ({d.score:.0f})" for d in low) + ".")
    if recs.risks:
        lines.append("Top risk: **" + recs.risks[0].title + "**: " + "; ".join(recs.risks[0].mitigations[:2]) + ".")
    lines.append(f"Suggested location model: **{recs.location.name}**.")
    return "\n\n".join(line for line in lines if line)


def _sources(citations: list[Reference]) -> str:
    if not citations:
        return ""
    return (
        "<small>Sources: "
        + "; ".join(f"{html.escape(c.title)} · {html.escape(c.section)}" for c in citations)
        + "</small>"
    )


def _label(prefix: str, result: Result) -> str:
    return f"{prefix} ({result.assessment.created_at:%d %b %Y}, {result.assessment.id[:6]})"


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def _signed(value: float | None) -> str:
    return "–" if value is None else f"{value:+.0f}"


def as_rows(items: list[Any]) -> list[list[str]]:
    """Assessment summaries as table rows: id, client, interviewer, mode, status, answered, updated."""
    return [
        [
            a.id,
            a.client,
            a.interviewer or "",
            a.mode,
            a.status.replace("_", " "),
            str(a.answered),
            f"{a.updated_at:%Y-%m-%d %H:%M}",
        ]
        for a in items
    ]
