"""Converting PDF, DOCX and HTML files to Markdown-like text whose headings the chunker follows."""

from __future__ import annotations

import io
import re

from advisor.knowledge import KnowledgeFileError


def pdf_to_markdown(data: bytes) -> tuple[str, str]:
    """Return (title, text) of a PDF, one section per page."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
        title = str(reader.metadata.get("/Title") or "") if reader.metadata else ""
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise KnowledgeFileError(f"corrupt or unreadable PDF: {type(exc).__name__}") from None
    text = "\n\n".join(f"## Page {n}\n\n{page.strip()}" for n, page in enumerate(pages, 1) if page.strip())
    if not text:
        raise KnowledgeFileError("PDF has no extractable text (scanned images are not supported)")
    return title, text


def docx_to_markdown(data: bytes) -> tuple[str, str]:
    """Return (title, text) of a Word document, its 'Heading N' paragraphs turned into headings."""
    import zipfile

    from docx import Document as open_docx

    try:
        document = open_docx(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise KnowledgeFileError(f"corrupt or unreadable DOCX: {type(exc).__name__}") from None
    lines = []
    for paragraph in document.paragraphs:
        style = paragraph.style.name if paragraph.style is not None else ""
        level = re.match(r"Heading (\d)", style or "")
        text = paragraph.text.strip()
        if level and text:
            lines.append(f"{'#' * (int(level.group(1)) + 1)} {text}")
        elif style == "Title" and text:
            lines.append(f"# {text}")
        else:
            lines.append(text)
    return document.core_properties.title or "", "\n\n".join(lines)


def html_to_markdown(html: str) -> tuple[str, str]:
    """Return (title, text) of an HTML page, h1-h4 kept as headings, scripts and navigation dropped."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    title = soup.title.get_text(strip=True) if soup.title else ""
    for tag in soup(["script", "style", "nav", "header", "footer", "noscript"]):
        tag.decompose()
    lines = []
    for element in soup.find_all(["h1", "h2", "h3", "h4", "p", "li", "td", "pre"]):
        text = element.get_text(" ", strip=True)
        if not text:
            continue
        if element.name in {"h1", "h2", "h3", "h4"}:
            lines.append(f"{'#' * int(element.name[1])} {text}")
        else:
            lines.append(f"- {text}" if element.name == "li" else text)
    return title, "\n\n".join(lines)
