"""The HTTP API: `create_app(advisor, settings)` builds a FastAPI app over the shared `Advisor`."""

from advisor.api.app import create_app

__all__ = ["create_app"]
