"""Client addresses and schemes behind trusted reverse proxies: X-Forwarded-For/-Proto are believed only from them."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from starlette.types import ASGIApp, Receive, Scope, Send

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class ForwardedClient:
    """ASGI middleware: when the peer is a trusted proxy, the client is the nearest untrusted X-Forwarded-For hop,
    and the scheme is the one X-Forwarded-Proto says the client used (so a TLS-terminating proxy gets Secure cookies).

    With no trusted proxies (the default) the headers are ignored, so a client cannot pick its own address.
    """

    def __init__(self, app: ASGIApp, trusted: Sequence[str]) -> None:
        self.app = app
        self.networks = [ipaddress.ip_network(entry, strict=False) for entry in trusted]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.networks and scope["type"] in ("http", "websocket") and scope.get("client"):
            peer = scope["client"][0]
            client = forwarded_client(peer, _header(scope, b"x-forwarded-for"), self.networks)
            scope = {**scope, "client": (client, scope["client"][1])}
            if (scheme := forwarded_scheme(peer, _header(scope, b"x-forwarded-proto"), self.networks)) is not None:
                scope["scheme"] = scheme if scope["type"] == "http" else {"https": "wss", "http": "ws"}[scheme]
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


def forwarded_scheme(peer: str, forwarded_proto: str | None, networks: Sequence[Network]) -> str | None:
    """The scheme the nearest proxy says the client used ("http" or "https"), if the peer is a trusted proxy."""
    if not forwarded_proto or not is_trusted(peer, networks):
        return None
    nearest = forwarded_proto.split(",")[-1].strip().lower()
    return nearest if nearest in ("http", "https") else None


def is_trusted(address: str, networks: Sequence[Network]) -> bool:
    """Whether an address lies in one of the trusted networks (names and garbage never do)."""
    try:
        ip = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return False
    return any(ip in network for network in networks)


def _header(scope: Scope, header: bytes) -> str | None:
    values = [value.decode("latin-1") for name, value in scope.get("headers", []) if name == header]
    return ",".join(values) or None
