"""Assessment and comparison reports in JSON, Markdown, self-contained HTML and PDF."""

from __future__ import annotations

import base64
import json
from typing import Any

from advisor.readiness.chart import radar_png
from advisor.readiness.document import Block, Bullets, Heading, Image, Paragraph, Table, to_html, to_markdown, to_pdf
from advisor.readiness.results import Comparison, LocationChoice, Reference, Result, Scores

FORMATS = ("json", "md", "html", "pdf")


def render(result: Result, fmt: str) -> bytes:
    """One assessment's report in the given format."""
    _check(fmt)
    chart = _radar(result)
    title = f"Outsourcing readiness report: {result.assessment.client}"
    if result.scores.provisional:
        title = f"PROVISIONAL {title}"
    if fmt == "json":
        return _json({**result.model_dump(mode="json"), "radar_png_base64": _b64(chart)})
    return _document(_result_blocks(result, chart, title), title, fmt)


def render_comparison(comparison: Comparison, fmt: str) -> bytes:
    """A before/after comparison report with both shapes on one radar chart."""
    _check(fmt)
    before, after = comparison.before, comparison.after
    labels = [d.name for d in after.scores.dimensions]
    chart = radar_png(
        labels,
        {_name("Before", before): _values(before), _name("After", after): _values(after)},
        title=f"Readiness of {comparison.client}",
    )
    title = f"Readiness comparison: {comparison.client}"
    if fmt == "json":
        return _json({**comparison.model_dump(mode="json"), "radar_png_base64": _b64(chart)})
    return _document(_comparison_blocks(comparison, chart, title), title, fmt)


def _check(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} is not supported; use one of {', '.join(FORMATS)}")


def _document(blocks: list[Block], title: str, fmt: str) -> bytes:
    if fmt == "html":
        return to_html(blocks, title).encode("utf-8")
    if fmt == "pdf":
        return to_pdf(blocks, title)
    return to_markdown(blocks).encode("utf-8")


def _result_blocks(result: Result, chart: bytes, title: str) -> list[Block]:
    scores, recs = result.scores, result.recommendations
    names = {d.id: d.name for d in scores.dimensions}
    blocks: list[Block] = [
        Heading(title, 1),
        Paragraph(_meta(result)),
        *_provisional(scores),
        Paragraph(_overall(scores), lead="Overall readiness:"),
        *_knockouts(scores),
        Paragraph(
            f'{scores.confidence:.0f}% of the applicable questions answered (weighted; a "don\'t know" counts half).',
            lead="Confidence:",
        ),
        *_motivation(result),
        Image(chart, "Radar chart of readiness scores by dimension"),
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
            Bullets(risk.mitigations),
            *_sources(risk.citations),
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


def _overall(scores: Scores) -> str:
    text = f"{_num(scores.overall)} / 100, {scores.band_label or 'not scored'}."
    if scores.knockouts and scores.score_band != scores.band:
        text += f" The score alone would be {scores.score_band_label}; knock-outs cap the band (below)."
    return f"{text} {scores.band_summary}"


def _provisional(scores: Scores) -> list[Block]:
    if not scores.provisional:
        return []
    return [
        Paragraph(
            f"{len(scores.missing)} questions that apply have no answer yet ({', '.join(scores.missing)}). "
            "Scores, band and advice may change once they are answered.",
            lead="Provisional result:",
        )
    ]


def _knockouts(scores: Scores) -> list[Block]:
    if not scores.knockouts:
        return [Paragraph("none applied.", lead="Knock-outs:")]
    return [
        Paragraph("each caps the overall band however high the average.", lead="Knock-outs:"),
        Bullets([f"{k.title} (band capped at {k.cap_label}): {k.reason}" for k in scores.knockouts]),
    ]


def _motivation(result: Result) -> list[Block]:
    said = next((r for r in result.answers if r.question_id == "ctx_motivation" and r.status == "answered"), None)
    return [Paragraph(f"\u201c{said.label}\u201d", lead="Why now, in the client's words:")] if said else []


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


def _comparison_blocks(comparison: Comparison, chart: bytes, title: str) -> list[Block]:
    before, after = comparison.before, comparison.after
    rows = [
        [d.name, _num(b.score), _num(d.score), _signed(comparison.deltas.get(d.id))]
        for b, d in zip(before.scores.dimensions, after.scores.dimensions, strict=True)
    ]
    rows.append(["Overall", _num(before.scores.overall), _num(after.scores.overall), _signed(comparison.overall_delta)])
    return [
        Heading(title, 1),
        Paragraph(f"{_name('Before', before)} compared with {_name('After', after)}."),
        Paragraph(f"{before.scores.band_label or '-'} to {after.scores.band_label or '-'}.", lead="Band:"),
        Image(chart, "Radar chart comparing both assessments by dimension"),
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
    rows = [[str(i), r.question, r.label, r.note or ""] for i, r in enumerate(result.answers, 1)]
    return [
        Heading("Appendix: answers and notes"),
        Table(["#", "Question", "Answer", "Note"], rows, widths=(4, 50, 26, 20)),
    ]


def _sources(citations: list[Reference]) -> list[Block]:
    if not citations:
        return []
    return [Paragraph("; ".join(f"{c.title}: {c.section} ({c.source})" for c in citations), lead="Sources:")]


def _meta(result: Result) -> str:
    a = result.assessment
    who = f", interviewer {a.interviewer}" if a.interviewer else ""
    return f"Assessment {a.id} ({a.mode}{who}), {a.status.replace('_', ' ')}, started {a.created_at:%Y-%m-%d}."


def _radar(result: Result) -> bytes:
    labels = [d.name for d in result.scores.dimensions]
    return radar_png(labels, {result.assessment.client: _values(result)}, title="Readiness by dimension")


def _values(result: Result) -> list[float | None]:
    return [d.score for d in result.scores.dimensions]


def _name(prefix: str, result: Result) -> str:
    return f"{prefix}: {result.assessment.name}"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def _signed(value: float | None) -> str:
    return "-" if value is None else f"{value:+.0f}"


def _b64(png: bytes) -> str:
    return base64.b64encode(png).decode("ascii")


def _json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")
