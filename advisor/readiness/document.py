"""A tiny document model (cover, headings, paragraphs, lists, tables, images) rendered to Markdown, HTML and PDF.

The PDF has a cover page, left-aligned headings kept with what follows, and page numbers in the footer; the
HTML has print styles (A4, the cover on its own page, no table or picture split across pages); Markdown links
each picture that has an ``href`` as a separate file instead of embedding it.
"""

from __future__ import annotations

import base64
import html
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import markdown
import matplotlib
from fpdf import FPDF
from fpdf.enums import XPos, YPos


@dataclass
class Heading:
    """A section heading (level 1-3)."""

    text: str
    level: int = 2


@dataclass
class Paragraph:
    """A paragraph, optionally led by a bold label."""

    text: str
    lead: str = ""


@dataclass
class Bullets:
    """A bulleted (or numbered) list."""

    items: list[str]
    ordered: bool = False


@dataclass
class Table:
    """A table with a header row."""

    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    widths: tuple[int, ...] | None = None


@dataclass
class Image:
    """A PNG picture; Markdown links ``href`` (a file written beside it) when given, else embeds it."""

    png: bytes
    alt: str
    href: str | None = None


@dataclass
class Cover:
    """A title page: the title, labelled facts (client, consultant, date...) and an optional PNG or JPEG logo."""

    title: str
    facts: list[tuple[str, str]]
    logo: bytes | None = None


@dataclass
class PageBreak:
    """Start a new page (PDF and print); nothing in Markdown."""


Block = Heading | Paragraph | Bullets | Table | Image | Cover | PageBreak

_CSS = (
    "body{font-family:system-ui,Segoe UI,Arial,sans-serif;max-width:900px;margin:2em auto;padding:0 1em;"
    "color:#1f2328;line-height:1.5}h1,h2,h3{text-align:left}table{border-collapse:collapse;margin:1em 0}"
    "th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}"
    "th{background:#f6f8fa}img{max-width:100%}.cover{min-height:60vh}.cover img{max-height:80px}"
    "@page{size:A4;margin:18mm 16mm}"
    "@media print{body{max-width:none;margin:0;padding:0;font-size:10.5pt;color:#000}"
    ".cover{page-break-after:always;break-after:page}.page-break{break-after:page;page-break-after:always}"
    "h1,h2,h3{break-after:avoid;page-break-after:avoid}table,img,li{break-inside:avoid;page-break-inside:avoid}"
    "thead{display:table-header-group}a{color:inherit;text-decoration:none}}"
)


def to_markdown(blocks: list[Block], html: bool = False) -> str:
    """Markdown with user text escaped; pictures linked by ``href`` (or, for HTML, embedded as data URIs)."""
    return "\n\n".join(part for b in blocks if (part := _markdown_block(b, html))) + "\n"


def to_html(blocks: list[Block], title: str) -> str:
    """A self-contained HTML page (styles inline with print styles, images as base64)."""
    body = markdown.markdown(to_markdown(blocks, html=True), extensions=["tables", "md_in_html"])
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{_CSS}</style></head><body>\n{body}\n</body></html>\n"
    )


def to_pdf(blocks: list[Block], title: str, footer: str = "") -> bytes:
    """An A4 PDF in a Unicode font: cover page first if given, ``footer`` and "Page n of N" on every other page."""
    pdf = _Pdf(footer or title)
    fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_title(title)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    for block in blocks:
        _pdf_block(pdf, block)
    return bytes(pdf.output())


class _Pdf(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(format="A4")
        self.footer_text = footer_text
        self.cover_pages: set[int] = set()

    def footer(self) -> None:
        if self.page_no() in self.cover_pages:
            return
        self.set_y(-12)
        self.set_font("DejaVu", "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(self.epw * 0.75, 5, self.footer_text[:110], align="L")
        self.cell(self.epw * 0.25, 5, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(0, 0, 0)


def _esc(text: str) -> str:
    # Keep "&" readable in Markdown; escape it only where it would start an HTML entity.
    text = re.sub(r"&(?=#?\w+;)", "&amp;", " ".join(str(text).split()))
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]|#])", r"\\\1", text)


def _markdown_block(block: Block, html: bool) -> str:
    if isinstance(block, Cover):
        return _markdown_cover(block, html)
    if isinstance(block, PageBreak):
        return '<div class="page-break"></div>' if html else ""
    if isinstance(block, Heading):
        return f"{'#' * block.level} {_esc(block.text)}"
    if isinstance(block, Paragraph):
        return f"**{_esc(block.lead)}** {_esc(block.text)}" if block.lead else _esc(block.text)
    if isinstance(block, Bullets):
        return "\n".join(f"{f'{i}.' if block.ordered else '-'} {_esc(t)}" for i, t in enumerate(block.items, 1))
    if isinstance(block, Table):
        lines = [block.headers, ["---"] * len(block.headers), *block.rows]
        return "\n".join("| " + " | ".join(c if c == "---" else _esc(c) for c in row) + " |" for row in lines)
    if block.href and not html:
        return f"![{_esc(block.alt)}]({block.href})"
    return f"![{_esc(block.alt)}]({_data_uri(block.png)})"


def _markdown_cover(cover: Cover, html: bool) -> str:
    facts = "  \n".join(f"**{_esc(label)}:** {_esc(value)}" for label, value in cover.facts)
    text = f"# {_esc(cover.title)}\n\n{facts}"
    if not html:
        return text
    logo = f'<img alt="Logo" src="{_data_uri(cover.logo)}">\n\n' if cover.logo else ""
    return f'<div class="cover" markdown="1">\n\n{logo}{text}\n\n</div>'


def _data_uri(picture: bytes) -> str:
    kind = "jpeg" if picture[:3] == b"\xff\xd8\xff" else "png"
    return f"data:image/{kind};base64,{base64.b64encode(picture).decode('ascii')}"


def _pdf_block(pdf: _Pdf, block: Block) -> None:
    width = pdf.epw
    if isinstance(block, Cover):
        _pdf_cover(pdf, block)
    elif isinstance(block, PageBreak):
        pdf.add_page()
    elif isinstance(block, Heading):
        if pdf.get_y() > pdf.page_break_trigger - 30:  # keep a heading with the text that follows it
            pdf.add_page()
        pdf.ln(2)
        pdf.set_font("DejaVu", "B", {1: 16, 2: 13}.get(block.level, 11))
        pdf.multi_cell(width, 7, block.text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    elif isinstance(block, Paragraph):
        if block.lead:
            pdf.set_font("DejaVu", "B", 10)
            pdf.write(5.5, block.lead + " ")
        pdf.set_font("DejaVu", "", 10)
        pdf.write(5.5, block.text)
        pdf.ln(7)
    elif isinstance(block, Bullets):
        pdf.set_font("DejaVu", "", 10)
        for i, item in enumerate(block.items, 1):
            marker = f"{i}." if block.ordered else "•"
            pdf.multi_cell(width, 5.5, f"{marker} {item}", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)
    elif isinstance(block, Table):
        pdf.set_font("DejaVu", "", 8.5)
        with pdf.table(text_align="LEFT", line_height=4.5, col_widths=block.widths) as table:
            for row in [block.headers, *block.rows]:
                cells = table.row()
                for cell in row:
                    cells.cell(cell)
        pdf.ln(2)
    else:
        pdf.image(io.BytesIO(block.png), w=min(width, 150), x=pdf.l_margin + (width - min(width, 150)) / 2)


def _pdf_cover(pdf: _Pdf, cover: Cover) -> None:
    pdf.cover_pages.add(pdf.page_no())
    if cover.logo:
        pdf.image(io.BytesIO(cover.logo), h=18, x=pdf.l_margin, y=25)
    pdf.set_y(85)
    pdf.set_font("DejaVu", "B", 24)
    pdf.multi_cell(pdf.epw, 11, cover.title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(10)
    for label, value in cover.facts:
        pdf.set_font("DejaVu", "B", 11)
        pdf.cell(40, 8, label)
        pdf.set_font("DejaVu", "", 11)
        pdf.multi_cell(pdf.epw - 40, 8, value, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.add_page()
