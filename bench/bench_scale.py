"""Benchmark at scale: 10,000 pairs and a 100x guide corpus, embedded stores beside servers.

Run from the repo root, once (not part of CI; needs PostgreSQL's server binaries and a store
built by ``python -m bench.bench_knowledge --scale 100 --keep DIR``):

    python -m bench.bench_scale --corpus DIR [--pairs 10000] [--due 300]

The same measures run twice: on the embedded stores (Chroma PersistentClient + SQLite) and on
servers started here on 127.0.0.1 (``chroma run`` over a copy of the same corpus, and a
throwaway PostgreSQL cluster, as tests/integration/conftest.py starts them):

- adding ``--pairs`` pairs through Coach.add_pair (first and last thousand compared);
- uncached search latency, unfiltered and with a stage filter;
- warm Coach.draft_agenda latency over 100 pairs;
- Coach.prep_emails_due for ``--due`` pairs with a session soon (the rest are not due).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bench.bench_knowledge import QUERIES


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def chroma_server(data: Path) -> Iterator[str]:
    """``chroma run`` over ``data`` on loopback."""
    import httpx

    chroma = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    port = _free_port()
    log = (data.parent / "chroma-server.log").open("wb")
    proc = subprocess.Popen(
        [chroma, "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={"ANONYMIZED_TELEMETRY": "False", "PATH": "/usr/bin:/bin"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("chroma run did not start; see chroma-server.log")
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _pg_bin(name: str) -> str:
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / name).exists():
            return str(folder / name)
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"PostgreSQL's {name} is not installed")
    return found


@contextmanager
def postgres() -> Iterator[str]:
    """A throwaway PostgreSQL cluster on loopback (run as postgres when we are root)."""
    import pwd

    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    # Not under /tmp: it may be private to root, and the server runs as postgres.
    base = next((d for d in ("/var/tmp", "/dev/shm") if os.access(d, os.W_OK)), None)
    folder = Path(tempfile.mkdtemp(prefix="coach-bench-pg-", dir=base))
    as_user: list[str] = []
    if os.geteuid() == 0:
        account = pwd.getpwnam("postgres")
        os.chown(folder, account.pw_uid, account.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    data, port = folder / "data", _free_port()
    subprocess.run(
        [*as_user, initdb, "-D", str(data), "-U", "coach", "--auth=trust", "-E", "UTF8"],
        check=True,
        capture_output=True,
    )
    options = f"-h 127.0.0.1 -p {port} -k {folder}"
    subprocess.run(
        [*as_user, pg_ctl, "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w",
         "start"],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://coach@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*as_user, pg_ctl, "-D", str(data), "-m", "fast", "stop"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(folder, ignore_errors=True)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def measure(coach: Any, pairs: int, due: int, out: Path) -> dict[str, float]:
    """Every measure on one Coach; figures in seconds or milliseconds."""
    figures: dict[str, float] = {}
    soon, later = datetime.now() + timedelta(hours=20), datetime.now() + timedelta(days=30)
    block = min(1000, pairs)
    times = []
    for index in range(pairs):
        started = time.perf_counter()
        coach.add_pair(
            mentor=f"Mentor {index}",
            mentee=f"Mentee {index}",
            mentor_email=f"mentor{index}@example.org",
            mentee_email=f"mentee{index}@example.org",
            goals=["Lead a design review", "Get better at estimating work"],
            next_session=soon if index % (pairs // max(due, 1)) == 0 else later,
        )
        times.append(time.perf_counter() - started)
    figures["add_s"] = sum(times)
    figures["add_first_ms"] = sum(times[:block]) * 1000
    figures["add_last_ms"] = sum(times[-block:]) * 1000
    kb = coach.knowledge
    figures["chunks"] = float(kb.count())
    kb.search(QUERIES[0], k=5)
    for label, where in (("search", {}), ("search_stage", {"stage": "regular"})):
        latencies = []
        for _ in range(10):
            for query in QUERIES:
                kb._results.clear()  # uncached: every query does the full work
                started = time.perf_counter()
                kb.search(query, k=5, **where)
                latencies.append((time.perf_counter() - started) * 1000)
        figures[f"{label}_p50"] = statistics.median(latencies)
        figures[f"{label}_p95"] = _pct(latencies, 0.95)
    ids = [p.id for p in coach.list_pairs()[:100]]
    coach.draft_agenda(pair_id=ids[0])
    agenda = []
    for pair_id in ids:
        started = time.perf_counter()
        coach.draft_agenda(pair_id=pair_id)
        agenda.append((time.perf_counter() - started) * 1000)
    figures["agenda_p50"] = statistics.median(agenda)
    figures["agenda_p95"] = _pct(agenda, 0.95)
    started = time.perf_counter()
    batch = coach.prep_emails_due(timedelta(days=2), out_dir=out)
    figures["emails_s"] = time.perf_counter() - started
    figures["emails"] = float(batch.prepared)
    figures["email_failures"] = float(len(batch.failed))
    return figures


def _row(name: str, embedded: dict[str, float], servers: dict[str, float], fmt: str) -> str:
    a, b = embedded, servers
    return f"| {name} | {fmt.format(**a)} | {fmt.format(**b)} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, required=True, help="a store bench_knowledge kept")
    parser.add_argument("--pairs", type=int, default=10_000)
    parser.add_argument("--due", type=int, default=300)
    args = parser.parse_args()
    from agent.api import Coach
    from agent.config import Settings

    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(args.corpus, root / "embedded" / "chroma")
        with Coach(Settings(home=root / "embedded", engine="offline")) as coach:
            results["embedded"] = measure(coach, args.pairs, args.due, root / "out-embedded")
        print("embedded:", {k: round(v, 1) for k, v in results["embedded"].items()}, flush=True)
        shutil.copytree(args.corpus, root / "server-data")
        with chroma_server(root / "server-data") as url, postgres() as database:
            settings = Settings(
                home=root / "servers", engine="offline", chroma_url=url, database_url=database
            )
            with Coach(settings) as coach:
                results["servers"] = measure(coach, args.pairs, args.due, root / "out-servers")
        print("servers:", {k: round(v, 1) for k, v in results["servers"].items()}, flush=True)
    e, s = results["embedded"], results["servers"]
    rows = [
        ("guide chunks", "{chunks:.0f}"),
        (f"add {args.pairs:,} pairs", "{add_s:.1f} s"),
        ("  first / last 1,000 adds", "{add_first_ms:.0f} / {add_last_ms:.0f} ms"),
        ("search p50 / p95 (uncached)", "{search_p50:.1f} / {search_p95:.1f} ms"),
        ("search, stage filter, p50 / p95", "{search_stage_p50:.1f} / {search_stage_p95:.1f} ms"),
        ("warm draft_agenda p50 / p95", "{agenda_p50:.0f} / {agenda_p95:.0f} ms"),
        ("prep emails for the pairs due", "{emails:.0f} in {emails_s:.1f} s"),
    ]
    print("| measure | embedded (Chroma file + SQLite) | servers (chroma run + PostgreSQL) |")
    print("|---|---|---|")
    for name, fmt in rows:
        print(_row(name, e, s, fmt))


if __name__ == "__main__":
    main()
