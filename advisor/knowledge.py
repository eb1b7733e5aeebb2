"""Loading knowledge files (Markdown, text, PDF, DOCX, HTML) and cutting them into heading-aware chunks."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import yaml
from langchain_core.documents import Document

from advisor.injection import Planted, screen

SUPPORTED_SUFFIXES = {".md", ".markdown", ".txt", ".pdf", ".docx", ".html", ".htm"}
MAX_FILE_BYTES = 20_000_000
# The fixed set of knowledge topics (front matter `topic`), with the labels people see.
TOPICS = {
    "fundamentals": "BPO fundamentals",
    "functions": "Outsourced functions",
    "location-models": "Location models",
    "benefits-and-risks": "Benefits and risks",
    "decision": "Deciding to outsource",
    "vendor-selection": "Vendor selection",
    "contracts": "Contracts, pricing and SLAs",
    "lifecycle": "Engagement lifecycle",
    "governance": "Governance and people",
    "security-compliance": "Security, compliance and continuity",
    "industries-and-trends": "Industries and trends",
    "reference": "FAQ and glossary",
}
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_BREADCRUMB_SEPARATOR = "\n\n"
_ASKED = re.compile(r"^\s*asked:\s*", re.I)


class KnowledgeFileError(Exception):
    """A knowledge file that cannot be read; the message is the reason shown to the user."""


@dataclass(frozen=True)
class Section:
    """A run of text under one heading path, and other ways people ask the question its heading asks."""

    path: str
    text: str
    asked: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedFile:
    """A knowledge file's metadata and its sections, before chunking."""

    title: str
    topic: str
    tags: tuple[str, ...]
    summary: str
    sections: tuple[Section, ...]
    planted: tuple[Planted, ...] = ()  # instructions to an assistant, removed from the sections


def discover(knowledge_dir: Path, paths: Iterable[Path] = ()) -> list[Path]:
    """The files to ingest: the given paths (folders expanded), or every supported file in the knowledge dir."""
    roots = list(paths) or [knowledge_dir]
    found: list[Path] = []
    for root in roots:
        if root.is_dir():
            found.extend(p for p in sorted(root.rglob("*")) if (p.is_file() or p.is_symlink()) and _is_candidate(p))
        else:
            found.append(root)
    return found


def _is_candidate(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES and not path.name.startswith(".")


def source_name(path: Path, knowledge_dir: Path) -> str:
    """The stable name a chunk cites: the path relative to the knowledge dir, or the absolute path."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(knowledge_dir.resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()


def load_chunks(path: Path, knowledge_dir: Path, chunk_size: int) -> list[Document]:
    """Parse one file and return its chunks; raises KnowledgeFileError with a readable reason."""
    return load_file(path, knowledge_dir, chunk_size)[0]


def load_file(path: Path, knowledge_dir: Path, chunk_size: int) -> tuple[list[Document], tuple[Planted, ...]]:
    """One file's chunks and the planted instructions left out of them; raises KnowledgeFileError."""
    parsed = parse_file(path)
    source = source_name(path, knowledge_dir)
    chunks = [
        _chunk_document(parsed, source, section, body, number)
        for number, (section, body) in enumerate(_split_sections(parsed.sections, chunk_size))
    ]
    if not chunks:
        raise KnowledgeFileError("no text to index")
    return chunks, parsed.planted


def chunk_body(document: Document) -> str:
    """The chunk's own text, without the title breadcrumb that helps retrieval."""
    _, _, body = document.page_content.partition(_BREADCRUMB_SEPARATOR)
    return body or document.page_content


def _chunk_document(parsed: ParsedFile, source: str, section: Section, body: str, number: int) -> Document:
    breadcrumb = f"{parsed.title} — {section.path}" if section.path else parsed.title
    metadata = {
        "source": source,
        "title": parsed.title,
        "section": section.path,
        "asked": " | ".join(section.asked),
        "topic": parsed.topic,
        "tags": ", ".join(parsed.tags),
        "summary": parsed.summary,
        "chunk": number,
    }
    return Document(page_content=f"{breadcrumb}{_BREADCRUMB_SEPARATOR}{body}", metadata=metadata)


def _split_sections(sections: Iterable[Section], chunk_size: int) -> Iterator[tuple[Section, str]]:
    for section in sections:
        for piece in _pack_paragraphs(section.text, chunk_size):
            yield section, piece


def _pack_paragraphs(text: str, chunk_size: int) -> Iterator[str]:
    # Paragraph boundaries keep sentences whole; a single over-long paragraph is cut at sentence ends.
    current = ""
    for paragraph in _paragraphs(text, chunk_size):
        if current and len(current) + len(paragraph) + 2 > chunk_size:
            yield current
            current = ""
        current = f"{current}\n\n{paragraph}" if current else paragraph
    if current.strip():
        yield current


def _paragraphs(text: str, chunk_size: int) -> Iterator[str]:
    for paragraph in re.split(r"\n\s*\n", text):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        if len(paragraph) <= chunk_size:
            yield paragraph
            continue
        # An over-long paragraph is cut between lines (list items stay whole), a long line between sentences.
        yield from _pack(_units(paragraph, chunk_size), chunk_size)


def _units(paragraph: str, chunk_size: int) -> Iterator[str]:
    for line in paragraph.splitlines():
        if len(line) <= chunk_size:
            yield line
        else:
            yield from re.split(r"(?<=[.!?])\s+", line)


def _pack(units: Iterable[str], chunk_size: int) -> Iterator[str]:
    piece = ""
    for unit in units:
        if piece and len(piece) + len(unit) + 1 > chunk_size:
            yield piece
            piece = ""
        piece = f"{piece}\n{unit}" if piece else unit
    if piece.strip():
        yield piece


def parse_file(path: Path) -> ParsedFile:
    """Read a supported file into metadata and sections, instructions planted in its text left out."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise KnowledgeFileError(f"unsupported file type {suffix or '(none)'}")
    data = _read_bytes(path)
    if not data.strip():
        raise KnowledgeFileError("empty file")
    from advisor import documents

    if suffix == ".pdf":
        title, text = documents.pdf_to_markdown(data)
    elif suffix == ".docx":
        title, text = documents.docx_to_markdown(data)
    elif suffix in {".html", ".htm"}:
        title, text = documents.html_to_markdown(_decode(data))
    else:
        title, text = "", _decode(data)
    # Knowledge is data: a sentence that commands an assistant is reported and never reaches a chunk.
    text, planted = screen(text)
    if suffix in {".html", ".htm"}:  # the converter drops comments; report the ones hiding instructions
        planted = [p for p in screen(_decode(data))[1] if p.hidden] + planted
    parsed = parse_markdown(text, default_title=_title_from_name(path))
    return replace(parsed, title=title.strip() or parsed.title, planted=tuple(planted))


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise KnowledgeFileError(f"file too large ({size} bytes, limit {MAX_FILE_BYTES})")
        return path.read_bytes()
    except FileNotFoundError:
        raise KnowledgeFileError("file not found") from None
    except IsADirectoryError:
        raise KnowledgeFileError("is a directory") from None
    except PermissionError:
        raise KnowledgeFileError("permission denied: file is not readable") from None
    except OSError as exc:
        raise KnowledgeFileError(f"cannot read file: {exc.strerror or exc}") from None


def _decode(data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise KnowledgeFileError("binary content, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise KnowledgeFileError("not valid UTF-8 text (binary or wrong encoding)") from None


def _title_from_name(path: Path) -> str:
    return path.stem.replace("-", " ").replace("_", " ").strip().capitalize() or path.name


def parse_markdown(text: str, default_title: str) -> ParsedFile:
    """Split Markdown (with optional YAML front matter) into metadata and sections."""
    meta, body = _front_matter(text)
    sections = tuple(_sections(body))
    if not any(section.text.strip() for section in sections):
        raise KnowledgeFileError("no text besides front matter" if meta else "empty file")
    first_heading = next((s.path for s in sections if s.path), "")
    return ParsedFile(
        title=str(meta.get("title") or _h1(body) or first_heading or default_title).strip(),
        topic=str(meta.get("topic") or "general"),
        tags=_tags(meta.get("tags")),
        summary=str(meta.get("summary") or ""),
        sections=sections,
    )


def _front_matter(text: str) -> tuple[dict, str]:
    if not text.startswith("---"):
        return {}, text
    end = re.search(r"^---\s*$", text[3:], flags=re.MULTILINE)
    if end is None:
        raise KnowledgeFileError("broken front matter: no closing '---' line")
    raw, body = text[3 : 3 + end.start()], text[3 + end.end() :]
    try:
        meta = yaml.safe_load(raw) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        raise KnowledgeFileError(f"broken front matter: invalid YAML{where}") from None
    if not isinstance(meta, dict):
        raise KnowledgeFileError("broken front matter: expected 'key: value' pairs")
    return meta, body


def _tags(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(t.strip() for t in value.split(",") if t.strip())
    if isinstance(value, list):
        return tuple(str(t).strip() for t in value if str(t).strip())
    return ()


def _h1(body: str) -> str:
    match = re.search(r"^#\s+(.+)$", body, flags=re.MULTILINE)
    return match.group(1).strip() if match else ""


def _sections(body: str) -> Iterator[Section]:
    # A level-1 heading is the title; deeper headings form the section path ("Risks > Data security").
    trail: list[tuple[int, str]] = []
    lines: list[str] = []
    for line in body.splitlines():
        match = _HEADING.match(line)
        if not match:
            lines.append(line)
            continue
        yield from _section(trail, lines)
        lines = []
        level, heading = len(match.group(1)), match.group(2).strip()
        if level == 1:
            trail = []
            continue
        trail = [(lvl, name) for lvl, name in trail if lvl < level] + [(level, heading)]
    yield from _section(trail, lines)


def _section(trail: list[tuple[int, str]], lines: list[str]) -> Iterator[Section]:
    # "asked: ... | ..." lines list other phrasings of the heading's question: search keys, never answer text.
    asked = [q.strip() for line in lines if _ASKED.match(line) for q in _ASKED.sub("", line).split("|") if q.strip()]
    text = "\n".join(line for line in lines if not _ASKED.match(line)).strip()
    if text:
        yield Section(path=" > ".join(name for _, name in trail) or "Overview", text=text, asked=tuple(asked))
