"""Adding documents sent from the web UI: checked like `advisor ingest` checks files, then indexed one by one.

A file is staged outside the knowledge dir and read with the same parser the ingest uses (supported type, not
empty, text not binary, instructions planted in it screened out); only a file that passes is copied to
`<knowledge dir>/uploads/` and indexed, so a bad upload never lands among the knowledge files.
"""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from advisor.knowledge import KnowledgeFileError, parse_file
from advisor.service import Advisor

log = logging.getLogger(__name__)

UPLOAD_DIR = "uploads"
SUFFIXES = (".md", ".markdown", ".txt")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class FileOutcome:
    """What happened to one uploaded file: indexed (with its chunks and any planted sentences left out) or not."""

    name: str
    error: str | None = None
    chunks: int = 0
    left_out: list[str] = field(default_factory=list)


def may_upload(advisor: Advisor, owner: str) -> bool:
    """Whether `owner` (a key id, or "local" while no key exists) is in ADVISOR_UPLOADERS by key name."""
    allowed = advisor.settings.uploaders
    name = "local" if owner == "local" else advisor.keys.name_of(owner)
    return name is not None and name in allowed


def add_documents(advisor: Advisor, files: list[Path]) -> list[FileOutcome]:
    """Check and index each file (a path to its uploaded bytes, named as the person named it)."""
    return [_add(advisor, path) for path in files]


def _add(advisor: Advisor, upload: Path) -> FileOutcome:
    name = _safe_name(upload.name)
    outcome = FileOutcome(name)
    try:
        _check(advisor, upload, name)
        with tempfile.TemporaryDirectory() as staging:
            staged = Path(staging) / name
            shutil.copyfile(upload, staged)
            parse_file(staged)  # the ingest's own checks: type, empty, binary, planted instructions
    except KnowledgeFileError as exc:
        outcome.error = str(exc)
        return outcome
    target = advisor.settings.knowledge_dir / UPLOAD_DIR / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(upload, target)
    report = advisor.ingest([target])
    if report.errors:  # the check above passed, so this is rare (e.g. the index refused it): take the file back
        target.unlink(missing_ok=True)
        outcome.error = report.errors[0].reason
        return outcome
    outcome.chunks = report.added + report.updated + report.skipped
    outcome.left_out = [w.reason for w in report.warnings]
    log.info("upload_indexed source=%s chunks=%d left_out=%d", name, outcome.chunks, len(outcome.left_out))
    return outcome


def _check(advisor: Advisor, upload: Path, name: str) -> None:
    if not name.lower().endswith(SUFFIXES):
        raise KnowledgeFileError(f"only {', '.join(SUFFIXES)} files can be added here")
    size = upload.stat().st_size
    if size > advisor.settings.max_upload_bytes:
        raise KnowledgeFileError(f"too large ({size:,} bytes; the limit is {advisor.settings.max_upload_bytes:,})")


def _safe_name(name: str) -> str:
    # Only the base name, in plain characters: an upload can never point outside the uploads folder.
    base = _UNSAFE.sub("-", Path(name).name).strip(".-")
    return base or "document.txt"
