"""`make load` (`python -m bench.load`): 16 clients asking `/v1/ask` against a server this script starts and stops.

Prints, as JSON: asks/s, p50 and p99 latency, errors, the server's RSS before, during and after the load, the
seconds from starting `serve` to its first answer, and the arithmetic of the cores: the CPU time the server and
this load generator spent per ask, and the asks/s those two would allow if they had the cores to themselves.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
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


def cpu_seconds(pid: int) -> float:
    """The user + system CPU seconds a process (all its threads) has used so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    """The CPU seconds this process (the load generator) has used so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(data_dir: Path, port: int) -> tuple[subprocess.Popen[bytes], float]:
    """Ingest, then serve on loopback with the rate limit out of the way; returns once it has answered a question,
    with the seconds from starting `serve` to that first answer."""
    env = {**os.environ, "ADVISOR_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
    env["ADVISOR_RATE_LIMIT_PER_MINUTE"] = "10000000"
    subprocess.run([sys.executable, "-m", "advisor", "ingest"], env=env, cwd=ROOT, check=True, capture_output=True)
    command = [sys.executable, "-m", "advisor", "serve", "--host", "127.0.0.1", "--port", str(port)]
    started = time.monotonic()
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = started + 300
    while time.monotonic() < deadline:
        try:
            answer = httpx.post(f"http://127.0.0.1:{port}/v1/ask", json={"question": "What is BPO?"}, timeout=30)
            if answer.status_code == 200:
                return server, round(time.monotonic() - started, 2)
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
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


async def _sample_rss(pid: int, until: float, every: float, out: list[float]) -> None:
    while time.monotonic() + every < until:
        await asyncio.sleep(every)
        out.append(rss_mb(pid))


async def load(base_url: str, clients: int, seconds: float, server_pid: int) -> dict[str, object]:
    """Run the clients for the given time; asks/s, p50/p99 in ms, errors, RSS samples and CPU per ask."""
    questions = dev_questions()
    results: list[tuple[float, bool]] = []
    samples: list[float] = []
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits) as http:
        until = time.monotonic() + seconds
        started = time.perf_counter()
        server_cpu, client_cpu = cpu_seconds(server_pid), own_cpu_seconds()
        sampler = _sample_rss(server_pid, until, max(5.0, seconds / 20), samples)
        await asyncio.gather(sampler, *(_client(http, questions[c:], until, results) for c in range(clients)))
        elapsed = time.perf_counter() - started
        server_cpu, client_cpu = cpu_seconds(server_pid) - server_cpu, own_cpu_seconds() - client_cpu
    arithmetic = cores_arithmetic(len(results), elapsed, server_cpu, client_cpu)
    latencies = sorted(t for t, _ in results)
    errors = sum(1 for _, ok in results if not ok)
    return {
        "asks": len(results),
        "asks_per_s": round(len(results) / elapsed, 1),
        "p50_ms": _percentile(latencies, 0.5),
        "p99_ms": _percentile(latencies, 0.99),
        "errors": errors,
        "rss_during_mb": samples,
        **arithmetic,
        "share_of_shared_limit": round(len(results) / elapsed / arithmetic["limit_asks_per_s_shared"], 3),
    }


def cores_arithmetic(asks: int, elapsed: float, server_cpu: float, client_cpu: float) -> dict[str, float]:
    """CPU ms per ask of the server and of the load generator, and the asks/s the cores allow for the two together
    (cores / CPU per ask) and for the server alone (what a load generator on another machine could reach)."""
    cores = os.cpu_count() or 1
    per_ask = (server_cpu / max(asks, 1), client_cpu / max(asks, 1))
    return {
        "server_cpu_ms_per_ask": round(per_ask[0] * 1000, 2),
        "loadgen_cpu_ms_per_ask": round(per_ask[1] * 1000, 2),
        "cpu_busy_share": round((server_cpu + client_cpu) / (cores * elapsed), 3),
        "limit_asks_per_s_shared": round(cores / max(sum(per_ask), 1e-9), 1),
        "limit_asks_per_s_server_alone": round(cores / max(per_ask[0], 1e-9), 1),
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
        server, first_answer_s = start_server(args.data_dir or Path(scratch), port)
        try:
            before = rss_mb(server.pid)
            figures = asyncio.run(load(f"http://127.0.0.1:{port}", args.clients, args.seconds, server.pid))
            after = rss_mb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
    report = {
        "serve_first_answer_s": first_answer_s,
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
