"""Client addresses behind trusted reverse proxies: X-Forwarded-For is believed only from them."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from starlette.types import ASGIApp, Receive, Scope, Send

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class ForwardedClient:
    """ASGI middleware: when the peer is a trusted proxy, the client is the nearest untrusted X-Forwarded-For hop.

    With no trusted proxies (the default) the header is ignored, so a client cannot pick its own address.
    """

    def __init__(self, app: ASGIApp, trusted: Sequence[str]) -> None:
        self.app = app
        self.networks = [ipaddress.ip_network(entry, strict=False) for entry in trusted]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.networks and scope["type"] in ("http", "websocket") and scope.get("client"):
            client = forwarded_client(scope["client"][0], _forwarded_for(scope), self.networks)
            scope = {**scope, "client": (client, scope["client"][1])}
        await self.app(scope, receive, send)


def forwarded_client(peer: str, forwarded_for: str | None, networks: Sequence[Network]) -> str:
    """The client address: walk X-Forwarded-For from the right while the hops are trusted proxies."""
    if not forwarded_for or not is_trusted(peer, networks):
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    address = peer
    for hop in reversed(hops):
        address = hop
        if not is_trusted(hop, networks):
            break
    return address


def is_trusted(address: str, networks: Sequence[Network]) -> bool:
    """Whether an address lies in one of the trusted networks (names and garbage never do)."""
    try:
        ip = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return False
    return any(ip in network for network in networks)


def _forwarded_for(scope: Scope) -> str | None:
    values = [value.decode("latin-1") for name, value in scope.get("headers", []) if name == b"x-forwarded-for"]
    return ",".join(values) or None
