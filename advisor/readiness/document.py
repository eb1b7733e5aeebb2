"""A tiny document model (headings, paragraphs, lists, tables, images) rendered to Markdown, HTML and PDF."""

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
    """A PNG picture."""

    png: bytes
    alt: str


Block = Heading | Paragraph | Bullets | Table | Image

_CSS = (
    "body{font-family:system-ui,Segoe UI,Arial,sans-serif;max-width:900px;margin:2em auto;padding:0 1em;"
    "color:#1f2328;line-height:1.5}table{border-collapse:collapse;margin:1em 0}"
    "th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}"
    "th{background:#f6f8fa}img{max-width:100%}"
)


def to_markdown(blocks: list[Block]) -> str:
    """Markdown with user text escaped and images embedded as data URIs."""
    return "\n\n".join(_markdown_block(b) for b in blocks) + "\n"


def to_html(blocks: list[Block], title: str) -> str:
    """A self-contained HTML page (styles inline, images as base64)."""
    body = markdown.markdown(to_markdown(blocks), extensions=["tables"])
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{_CSS}</style></head><body>\n{body}\n</body></html>\n"
    )


def to_pdf(blocks: list[Block], title: str) -> bytes:
    """A PDF with the text and pictures, in a Unicode font."""
    pdf = FPDF(format="A4")
    fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_title(title)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    for block in blocks:
        _pdf_block(pdf, block)
    return bytes(pdf.output())


def _esc(text: str) -> str:
    # Keep "&" readable in Markdown; escape it only where it would start an HTML entity.
    text = re.sub(r"&(?=#?\w+;)", "&amp;", " ".join(str(text).split()))
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]|#])", r"\\\1", text)


def _markdown_block(block: Block) -> str:
    if isinstance(block, Heading):
        return f"{'#' * block.level} {_esc(block.text)}"
    if isinstance(block, Paragraph):
        return f"**{_esc(block.lead)}** {_esc(block.text)}" if block.lead else _esc(block.text)
    if isinstance(block, Bullets):
        return "\n".join(f"{f'{i}.' if block.ordered else '-'} {_esc(t)}" for i, t in enumerate(block.items, 1))
    if isinstance(block, Table):
        lines = [block.headers, ["---"] * len(block.headers), *block.rows]
        return "\n".join("| " + " | ".join(c if c == "---" else _esc(c) for c in row) + " |" for row in lines)
    data = base64.b64encode(block.png).decode("ascii")
    return f"![{_esc(block.alt)}](data:image/png;base64,{data})"


def _pdf_block(pdf: FPDF, block: Block) -> None:
    width = pdf.epw
    if isinstance(block, Heading):
        pdf.ln(2)
        pdf.set_font("DejaVu", "B", {1: 16, 2: 13}.get(block.level, 11))
        pdf.multi_cell(width, 7, block.text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
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
            pdf.multi_cell(width, 5.5, f"{marker} {item}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
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
        pdf.image(io.BytesIO(block.png), w=min(width, 140), x=pdf.l_margin + (width - min(width, 140)) / 2)
