"""Index the knowledge base: `python ingest.py [PATH...] [--json]` (the same as `advisor ingest`)."""

import sys

from advisor.cli import main

if __name__ == "__main__":
    sys.exit(main(["ingest", *sys.argv[1:]]))
