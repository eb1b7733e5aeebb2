"""Start BPO Advisor: the API and the web UI on one server (host and port from settings)."""

import logging
import sys

from advisor.api.server import serve
from advisor.service import Advisor
from advisor.settings import SettingsError, load_settings


def main() -> int:
    """Build the advisor from settings and serve it until stopped."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s %(message)s")
    try:
        return serve(Advisor.from_settings(load_settings()))
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
