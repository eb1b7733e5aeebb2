"""Assessment and comparison reports in JSON, Markdown, self-contained HTML and PDF."""

from __future__ import annotations

import base64
import json
from typing import Any

from advisor.readiness.chart import radar_png
from advisor.readiness.document import (
    Block,
    Bullets,
    Cover,
    Heading,
    Image,
    PageBreak,
    Paragraph,
    Table,
    to_html,
    to_markdown,
    to_pdf,
)
from advisor.readiness.results import Comparison, LocationChoice, Reference, Response, Result
from advisor.readiness.summary import comparison_facts, cover_facts, executive_summary

FORMATS = ("json", "md", "html", "pdf")


def render(result: Result, fmt: str, chart_href: str | None = None, logo: bytes | None = None) -> bytes:
    """One assessment's report in the given format.

    Markdown links the radar chart as ``chart_href`` (a file the caller writes beside it, see ``radar``) and
    embeds it only when no ``chart_href`` is given; ``logo`` (PNG or JPEG) goes on the cover.
    """
    _check(fmt)
    chart = radar(result)
    title = f"Outsourcing readiness report: {result.assessment.client}"
    if result.scores.provisional:
        title = f"PROVISIONAL {title}"
    if fmt == "json":
        return _json({**result.model_dump(mode="json"), "radar_png_base64": _b64(chart)})
    blocks = [Cover(title, cover_facts(result), logo), *_result_blocks(result, Image(chart, _ALT, chart_href))]
    return _document(blocks, title, fmt, footer=f"{result.assessment.name}: outsourcing readiness")


def render_comparison(comparison: Comparison, fmt: str, chart_href: str | None = None) -> bytes:
    """A before/after comparison report: both shapes on one radar, changed answers, risks closed and opened."""
    _check(fmt)
    chart = comparison_radar(comparison)
    title = f"Readiness comparison: {comparison.client}"
    if fmt == "json":
        return _json({**comparison.model_dump(mode="json"), "radar_png_base64": _b64(chart)})
    image = Image(chart, "Radar chart comparing both assessments by dimension", chart_href)
    blocks = [Cover(title, comparison_facts(comparison)), *_comparison_blocks(comparison, image)]
    return _document(blocks, title, fmt, footer=title)


def radar(result: Result) -> bytes:
    """The report's radar chart (PNG) of one assessment."""
    labels = [d.name for d in result.scores.dimensions]
    return radar_png(labels, {result.assessment.name: _values(result)}, title="Readiness by dimension")


def comparison_radar(comparison: Comparison) -> bytes:
    """The comparison's radar chart (PNG): before and after on shared axes."""
    before, after = comparison.before, comparison.after
    labels = [d.name for d in after.scores.dimensions]
    series = {_legend("Before", before): _values(before), _legend("After", after): _values(after)}
    return radar_png(labels, series, title=f"Readiness of {comparison.client}")


_ALT = "Radar chart of readiness scores by dimension"


def _check(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} is not supported; use one of {', '.join(FORMATS)}")


def _document(blocks: list[Block], title: str, fmt: str, footer: str) -> bytes:
    if fmt == "html":
        return to_html(blocks, title).encode("utf-8")
    if fmt == "pdf":
        return to_pdf(blocks, title, footer)
    return to_markdown(blocks).encode("utf-8")


def _result_blocks(result: Result, chart: Image) -> list[Block]:
    scores, recs = result.scores, result.recommendations
    names = {d.id: d.name for d in scores.dimensions}
    blocks: list[Block] = [
        *executive_summary(result),
        chart,
        PageBreak(),
        Heading("Scores by dimension"),
        Table(
            ["Dimension", "Score", "Band", "Answered", "Don't know", "Skipped", "Confidence"],
            [
                [
                    d.name,
                    _num(d.score),
                    d.band_label or "-",
                    f"{d.answered}/{d.questions}",
                    str(d.dont_know),
                    str(d.skipped),
                    f"{d.confidence:.0f}%",
                ]
                for d in scores.dimensions
            ],
            widths=(30, 8, 16, 11, 11, 9, 12),
        ),
        Heading("Risks and mitigations"),
    ]
    if not recs.risks:
        blocks.append(Paragraph("No dimension scores low enough to flag a risk."))
    for risk in recs.risks:
        blocks += [
            Heading(f"{risk.title} ({names.get(risk.dimension, risk.dimension)})", 3),
            Paragraph(risk.why),
            *([Paragraph(_sentence(risk.situation), lead="For this client,")] if risk.situation else []),
            Bullets(risk.mitigations),
            *_evidence(risk.citations),
        ]
    blocks.append(Heading("First candidate functions"))
    for c in recs.first_candidates:
        blocks += [Heading(f"{c.name} ({c.office} office, {c.nature})", 3), Bullets(c.reasons), *_sources(c.citations)]
    blocks += [*_location(recs.location), Heading("Roadmap: next steps")]
    for number, phase in enumerate(recs.roadmap, 1):
        blocks += [
            Heading(f"{number}. {phase.title} ({phase.duration})", 3),
            Bullets(phase.actions),
            *_sources(phase.citations),
        ]
    return [*blocks, *_appendix(result)]


def _location(loc: LocationChoice) -> list[Block]:
    blocks: list[Block] = [
        Heading(f"Recommended location model: {loc.name}"),
        Paragraph(loc.summary),
        Bullets(loc.reasons),
    ]
    if loc.tie_break:
        blocks.append(Paragraph(loc.tie_break, lead="Tie:"))
    if loc.reasons_against:
        blocks += [Paragraph(f"what speaks against {loc.name}:", lead="Against:"), Bullets(loc.reasons_against)]
    rows = [
        [o.name, f"{o.points:g}", f"ruled out: {o.excluded}" if o.excluded else "; ".join(o.reasons_against) or "-"]
        for o in loc.ranking
    ]
    if rows:
        blocks.append(Table(["Model", "Points", "Against it"], rows, widths=(18, 10, 72)))
    return [*blocks, *_sources(loc.citations)]


def _comparison_blocks(comparison: Comparison, chart: Image) -> list[Block]:
    before, after = comparison.before, comparison.after
    rows = [
        [d.name, _num(b.score), _num(d.score), _signed(comparison.deltas.get(d.id))]
        for b, d in zip(before.scores.dimensions, after.scores.dimensions, strict=True)
    ]
    rows.append(["Overall", _num(before.scores.overall), _num(after.scores.overall), _signed(comparison.overall_delta)])
    return [
        Heading("What changed"),
        Paragraph(f"{_name('Before', before)} compared with {_name('After', after)}."),
        Paragraph(f"{before.scores.band_label or '-'} to {after.scores.band_label or '-'}.", lead="Band:"),
        chart,
        Heading("Scores by dimension"),
        Table(["Dimension", "Before", "After", "Change"], rows, widths=(40, 15, 15, 15)),
        *_changes(comparison),
        Heading("Risks closed"),
        Bullets([r.title for r in comparison.risks_closed] or ["None."]),
        Heading("Risks opened"),
        Bullets([r.title for r in comparison.risks_opened] or ["None."]),
        Heading("Risks still open"),
        Bullets([r.title for r in comparison.risks_open] or ["None."]),
    ]


def _changes(comparison: Comparison) -> list[Block]:
    if not comparison.changes:
        return [Heading("Answers changed"), Paragraph("No answer changed.")]
    rows = [[c.question, c.before, c.after] for c in comparison.changes]
    return [Heading("Answers changed"), Table(["Question", "Before", "After"], rows, widths=(46, 27, 27))]


def _appendix(result: Result) -> list[Block]:
    rows = [[str(i), r.question, r.label, _own_words(r), r.note or ""] for i, r in enumerate(result.answers, 1)]
    return [
        PageBreak(),
        Heading("Appendix: the client's answers and notes"),
        Paragraph("Each answer as the scores read it, with the client's own words beside it where they were typed."),
        Table(["#", "Question", "Answer", "In the client's words", "Note"], rows, widths=(4, 38, 20, 22, 16)),
    ]


def _own_words(reply: Response) -> str:
    said = reply.raw_text  # the reply exactly as the client typed it
    return f"\u201c{said}\u201d" if said and said.strip().casefold() != reply.label.casefold() else ""


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?", ".\u201d", "!\u201d", "?\u201d")) else f"{text}."


def _evidence(citations: list[Reference]) -> list[Block]:
    if not any(c.quote for c in citations):
        return _sources(citations)
    items = [f"\u201c{c.quote}\u201d ({_cited(c)})" if c.quote else _cited(c) for c in citations]
    return [Paragraph("what the knowledge base says for this situation:", lead="Evidence,"), Bullets(items)]


def _cited(c: Reference) -> str:
    return f"{c.title}: {c.section}, {c.source}"


def _sources(citations: list[Reference]) -> list[Block]:
    if not citations:
        return []
    return [Paragraph("; ".join(f"{c.title}: {c.section} ({c.source})" for c in citations), lead="Sources:")]


def _values(result: Result) -> list[float | None]:
    return [d.score for d in result.scores.dimensions]


def _name(prefix: str, result: Result) -> str:
    return f"{prefix}: {result.assessment.name}"


def _legend(prefix: str, result: Result) -> str:
    a = result.assessment  # the chart's title names the client
    return f"{prefix}: version {a.version}, {a.created_at.day} {a.created_at:%b %Y}"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def _signed(value: float | None) -> str:
    return "-" if value is None else f"{value:+.0f}"


def _b64(png: bytes) -> str:
    return base64.b64encode(png).decode("ascii")


def _json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")
