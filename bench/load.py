"""`make load` (`python -m bench.load`): 16 clients asking `/v1/ask` against a server this script starts and stops.

Prints, as JSON: asks/s, p50 and p99 latency, errors, and the server's RSS before and after the load.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench.latency import dev_questions

ROOT = Path(__file__).resolve().parents[1]


def rss_mb(pid: int) -> float:
    """The resident memory of a process, in MiB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    """Ingest, then serve on loopback with the rate limit out of the way; returns once /readyz answers."""
    env = {**os.environ, "ADVISOR_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
    env["ADVISOR_RATE_LIMIT_PER_MINUTE"] = "10000000"
    subprocess.run([sys.executable, "-m", "advisor", "ingest"], env=env, cwd=ROOT, check=True, capture_output=True)
    command = [sys.executable, "-m", "advisor", "serve", "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("the server did not become ready within 300 s")


async def _client(http: httpx.AsyncClient, questions: list[str], until: float, out: list[tuple[float, bool]]) -> None:
    i = 0
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            response = await http.post("/v1/ask", json={"question": questions[i % len(questions)]})
            ok = response.status_code == 200
        except httpx.HTTPError:
            ok = False
        out.append((time.perf_counter() - started, ok))
        i += 7


async def load(base_url: str, clients: int, seconds: float) -> dict[str, float]:
    """Run the clients for the given time; asks/s, p50/p99 in ms and errors."""
    questions = dev_questions()
    results: list[tuple[float, bool]] = []
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits) as http:
        until = time.monotonic() + seconds
        started = time.perf_counter()
        await asyncio.gather(*(_client(http, questions[c:], until, results) for c in range(clients)))
        elapsed = time.perf_counter() - started
    latencies = sorted(t for t, _ in results)
    errors = sum(1 for _, ok in results if not ok)
    return {
        "asks": len(results),
        "asks_per_s": round(len(results) / elapsed, 1),
        "p50_ms": _percentile(latencies, 0.5),
        "p99_ms": _percentile(latencies, 0.99),
        "errors": errors,
    }


def _percentile(ordered: list[float], q: float) -> float:
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 1) if ordered else 0.0


def main(argv: list[str] | None = None) -> None:
    """Start a server on a throw-away data dir, measure, stop it, print the figures."""
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__)
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (default 16)")
    parser.add_argument("--seconds", type=float, default=30, help="how long to load (default 30)")
    parser.add_argument("--data-dir", type=Path, help="an existing data dir (default: a throw-away one)")
    args = parser.parse_args(argv)
    port = _free_port()
    with tempfile.TemporaryDirectory() as scratch:
        server = start_server(args.data_dir or Path(scratch), port)
        try:
            before = rss_mb(server.pid)
            figures = asyncio.run(load(f"http://127.0.0.1:{port}", args.clients, args.seconds))
            after = rss_mb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
    report = {
        "clients": args.clients,
        "seconds": args.seconds,
        **figures,
        "rss_before_mb": before,
        "rss_after_mb": after,
        "cpus": os.cpu_count(),
        "load_average": [round(x, 1) for x in os.getloadavg()],
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
