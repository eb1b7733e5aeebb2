"""The `advisor keys ...` and `advisor serve` sub-commands."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from advisor.service import Advisor
from advisor.storage import NotFound


def add_parsers(sub: Any) -> None:
    """Register `keys create|revoke|list` and `serve` on the CLI's sub-parsers."""
    keys = sub.add_parser("keys", help="manage API keys (when any exists, the API requires one)")
    actions = keys.add_subparsers(dest="keys_command", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="create a key and print it (shown only this once)")
    create.add_argument("name", help="a name to recognise the key by, e.g. the client product")
    create.set_defaults(func=_create)
    revoke = actions.add_parser("revoke", help="revoke the key with this name")
    revoke.add_argument("name", help="the key's name")
    revoke.set_defaults(func=_revoke)
    listing = actions.add_parser("list", help="list keys (names and first characters, never the keys)")
    listing.set_defaults(func=_list)

    serve = sub.add_parser("serve", help="run the API and web UI (the same as `python app.py`)")
    serve.add_argument("--host", help="address to bind (default: settings.host, 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default: settings.port, 7860)")
    serve.set_defaults(func=_serve)


def _create(args: argparse.Namespace, advisor: Advisor) -> int:
    try:
        key_id, plaintext = advisor.keys.create(args.name)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(plaintext)
    print(f"created key {args.name!r} (id {key_id}); store it now, it is not shown again", file=sys.stderr)
    return 0


def _revoke(args: argparse.Namespace, advisor: Advisor) -> int:
    try:
        advisor.keys.revoke(args.name)
    except NotFound as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"revoked key {args.name!r}")
    return 0


def _list(_args: argparse.Namespace, advisor: Advisor) -> int:
    keys = advisor.keys.list()
    if not keys:
        print("no keys; the API is open to this machine only (loopback)")
    for key in keys:
        state = "active" if key.active else f"revoked {key.revoked_at:%Y-%m-%d %H:%M}"
        print(f"{key.name}\t{key.hint}…\t{key.id}\tcreated {key.created_at:%Y-%m-%d %H:%M}\t{state}")
    return 0


def _serve(args: argparse.Namespace, advisor: Advisor) -> int:
    from advisor.api.server import serve

    return serve(advisor, host=args.host, port=args.port)
