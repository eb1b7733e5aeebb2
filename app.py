"""Start BPO Advisor. Until the web service lands, this opens the terminal chat."""

import sys

from advisor.cli import main

if __name__ == "__main__":
    sys.exit(main(["chat"]))
