"""Loading knowledge files and cutting them into heading-aware chunks."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.knowledge import KnowledgeFileError, chunk_body, discover, load_chunks, parse_file


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_markdown_chunks_know_their_title_section_and_front_matter(knowledge_dir: Path) -> None:
    chunks = load_chunks(knowledge_dir / "nearshore.md", knowledge_dir, chunk_size=1200)
    sections = [c.metadata["section"] for c in chunks]
    assert sections == [
        "What is nearshore outsourcing?",
        "Benefits of nearshore outsourcing",
        "Downsides of nearshore outsourcing",
    ]
    first = chunks[0]
    assert first.metadata["title"] == "Nearshore outsourcing"
    assert first.metadata["topic"] == "location-models"
    assert first.metadata["tags"] == "nearshore, location"
    assert first.metadata["source"] == "nearshore.md"
    assert chunk_body(first).startswith("Nearshore outsourcing moves work")


def test_nested_headings_form_a_section_path(tmp_path: Path) -> None:
    text = "# Risks\n\n## Data\n\nIntro to data risk.\n\n### Breaches\n\nBreach text here.\n"
    path = write(tmp_path / "risks.md", text)
    parsed = parse_file(path)
    assert parsed.title == "Risks"
    assert [s.path for s in parsed.sections] == ["Data", "Data > Breaches"]


def test_long_sections_are_split_at_paragraphs_within_the_chunk_size(tmp_path: Path) -> None:
    paragraphs = "\n\n".join(f"Paragraph {i} says something about outsourcing contracts." for i in range(40))
    path = write(tmp_path / "long.md", f"## Long section\n\n{paragraphs}\n")
    chunks = load_chunks(path, tmp_path, chunk_size=300)
    assert len(chunks) > 5
    assert all(len(chunk_body(c)) <= 300 for c in chunks)
    assert {c.metadata["section"] for c in chunks} == {"Long section"}


def test_text_html_and_docx_files_are_loaded(tmp_path: Path) -> None:
    import docx

    write(tmp_path / "note.txt", "Payroll outsourcing is common among small firms.\n")
    write(
        tmp_path / "page.html",
        "<html><head><title>Vendors</title></head><body><h2>Picking a vendor</h2>"
        "<p>Check references before you sign.</p><script>alert(1)</script></body></html>",
    )
    document = docx.Document()
    document.add_heading("Transition", level=1)
    document.add_paragraph("A transition usually takes three to six months.")
    document.save(str(tmp_path / "plan.docx"))

    assert chunk_body(load_chunks(tmp_path / "note.txt", tmp_path, 1200)[0]).startswith("Payroll")
    html = load_chunks(tmp_path / "page.html", tmp_path, 1200)[0]
    assert html.metadata["title"] == "Vendors" and html.metadata["section"] == "Picking a vendor"
    assert "alert" not in html.page_content
    word = load_chunks(tmp_path / "plan.docx", tmp_path, 1200)[0]
    assert word.metadata["section"] == "Transition"
    assert "three to six months" in word.page_content


def test_pdf_text_is_loaded_page_by_page(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(text="Service credits are usually 5 to 15 percent of monthly fees.")
    pdf.output(str(tmp_path / "sla.pdf"))
    chunks = load_chunks(tmp_path / "sla.pdf", tmp_path, 1200)
    assert chunks[0].metadata["section"] == "Page 1"
    assert "Service credits" in chunks[0].page_content


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.md", "", "empty file"),
        ("blank.md", "   \n\n  ", "empty file"),
        ("binary.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        ("latin1.md", "caf\xe9 outsourcing".encode("latin-1"), "not valid UTF-8"),
        ("broken.md", "---\ntitle: [unclosed\ntopic: x\n---\n## A\ntext\n", "broken front matter"),
        ("unclosed.md", "---\ntitle: x\n## A\ntext\n", "no closing"),
        ("listmeta.md", "---\n- a\n- b\n---\n## A\ntext\n", "key: value"),
        ("only-meta.md", "---\ntitle: x\n---\n", "no text"),
        ("corrupt.pdf", b"%PDF-1.4 this is not really a pdf", "PDF"),
        ("corrupt.docx", b"PK\x03\x04 not a zip", "DOCX"),
        ("data.csv", "a,b\n1,2\n", "unsupported file type"),
    ],
)
def test_bad_files_raise_a_readable_reason(tmp_path: Path, name: str, content: str | bytes, reason: str) -> None:
    path = write(tmp_path / name, content)
    with pytest.raises(KnowledgeFileError, match=reason):
        load_chunks(path, tmp_path, 1200)


def test_missing_file_is_reported_not_raised_as_os_error(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeFileError, match="not found"):
        load_chunks(tmp_path / "gone.md", tmp_path, 1200)


def test_discover_finds_supported_files_and_skips_hidden_ones(tmp_path: Path) -> None:
    write(tmp_path / "a.md", "## A\ntext")
    write(tmp_path / ".hidden.md", "## B\ntext")
    write(tmp_path / "image.png", b"\x89PNG")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub" / "b.txt", "text")
    assert [p.name for p in discover(tmp_path)] == ["a.md", "b.txt"]


def test_a_long_list_is_cut_between_items_which_stay_on_their_own_lines(tmp_path: Path) -> None:
    items = "\n".join(f"- **Term {i}**: Term {i} is defined by this sentence about outsourcing." for i in range(30))
    path = write(tmp_path / "glossary.md", f"## Glossary\n\n{items}\n")
    chunks = load_chunks(path, tmp_path, chunk_size=300)
    assert len(chunks) > 3
    for chunk in chunks:
        assert all(line.startswith("- **Term") for line in chunk_body(chunk).splitlines())


def test_asked_lines_are_search_keys_and_never_answer_text(tmp_path: Path) -> None:
    path = tmp_path / "pilot.md"
    path.write_text(
        "---\ntitle: Pilots\n---\n## What is a BPO pilot?\n"
        "asked: Should we test a vendor first? | Is a trial worth it?\n"
        "A pilot is a limited trial of the real work before full commitment.\n"
    )
    [chunk] = load_chunks(path, tmp_path, chunk_size=600)
    assert chunk.metadata["asked"] == "Should we test a vendor first? | Is a trial worth it?"
    assert "asked:" not in chunk.page_content and "trial worth" not in chunk_body(chunk)
