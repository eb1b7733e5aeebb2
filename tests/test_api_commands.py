"""The `advisor keys ...` commands and the serving guard against open binds without keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.api.server import UnsafeBind, check_bind, is_loopback
from advisor.cli import build_parser
from advisor.service import Advisor
from advisor.storage import KEY_PREFIX


def _run(advisor: Advisor, *argv: str) -> int:
    args = build_parser().parse_args(list(argv))
    return int(args.func(args, advisor))


def test_keys_create_prints_the_key_once_and_stores_only_a_hash(advisor: Advisor, capsys) -> None:
    assert _run(advisor, "keys", "create", "crm") == 0
    key = capsys.readouterr().out.strip()
    assert key.startswith(KEY_PREFIX) and len(key) > 40
    assert advisor.keys.verify(key) is not None
    database = Path(advisor.settings.resolved_database_url.removeprefix("sqlite:///"))
    assert key.encode() not in database.read_bytes()
    assert _run(advisor, "keys", "list") == 0
    listing = capsys.readouterr().out
    assert "crm" in listing and "active" in listing and key not in listing


def test_keys_revoke_and_errors(advisor: Advisor, capsys) -> None:
    _run(advisor, "keys", "create", "crm")
    assert _run(advisor, "keys", "create", "crm") == 1
    assert "revoke it first" in capsys.readouterr().err
    assert _run(advisor, "keys", "revoke", "crm") == 0
    assert not advisor.keys.any_active()
    assert _run(advisor, "keys", "revoke", "crm") == 1
    assert "no active key named 'crm'" in capsys.readouterr().err


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_hosts_may_be_served_without_keys(host: str) -> None:
    assert is_loopback(host)
    check_bind(host, has_keys=False, allow_open=False)


def test_open_bind_without_keys_is_refused_unless_allowed() -> None:
    with pytest.raises(UnsafeBind, match="advisor keys create"):
        check_bind("0.0.0.0", has_keys=False, allow_open=False)
    check_bind("0.0.0.0", has_keys=True, allow_open=False)
    check_bind("0.0.0.0", has_keys=False, allow_open=True)
    assert not is_loopback("example.com")
