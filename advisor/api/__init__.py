"""The HTTP API: `create_app(advisor, settings)` builds a FastAPI app over the shared `Advisor`.

FastAPI is imported on first use of `create_app`, so the CLI's other commands start without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from advisor.api.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from advisor.api.app import create_app

        return create_app
    raise AttributeError(f"module 'advisor.api' has no attribute {name!r}")
