"""Files the UI hands out (reports, exports, charts): named after what they show, served only to its owner."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from advisor.service import Advisor

_CONVERSATION = r"[0-9a-f]{16}"
_ASSESSMENT = r"[0-9a-f]{12}"
# Every file the UI writes matches one of these; the ids in a name say whose data the file holds.
_NAMES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"conversation-({_CONVERSATION})\.md"), "conversation"),
    (re.compile(rf"readiness-[a-z0-9-]*?-?({_ASSESSMENT})\.(?:pdf|html|md)"), "assessment"),
    (re.compile(rf"radar-({_ASSESSMENT})\.png"), "assessment"),
    (re.compile(rf"compar(?:e|ison)-({_ASSESSMENT})-({_ASSESSMENT})\.(?:pdf|png)"), "assessment"),
]


def write_file(data: bytes, name: str) -> str:
    """Write bytes to a fresh temporary folder under `name`; returns the path for download.

    The name must be one of `_NAMES`, so that `owned_by` can check every later request for the file.
    """
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name)
    if _parse(safe) is None:
        raise ValueError(f"{safe!r} is not a name the UI may hand out")
    path = Path(tempfile.mkdtemp(prefix="bpo-advisor-")) / safe
    path.write_bytes(data)
    return str(path)


def is_ours(name: str) -> bool:
    """Whether a file name is one the UI writes (then `owned_by` decides who may fetch it)."""
    return _parse(name) is not None


def owned_by(advisor: Advisor, name: str, owner: str) -> bool:
    """Whether everything the named file shows belongs to `owner`."""
    parsed = _parse(name)
    if parsed is None:
        return False
    kind, ids = parsed
    try:
        for item in ids:
            if kind == "conversation":
                advisor.conversations.get(item, owner)
            else:
                advisor.assessments.get(item, owner)
    except LookupError:
        return False
    return True


def _parse(name: str) -> tuple[str, tuple[str, ...]] | None:
    for pattern, kind in _NAMES:
        if match := pattern.fullmatch(name):
            return kind, match.groups()
    return None
