"""Benchmark: storage of one long chat thread, offline: database size per turn over 1,000 turns.

Run from the repo root: python -m bench.bench_chat_growth [--turns 1000]
(figures go into docs/BENCHMARKS.md)

One thread on a fresh COACH_HOME (SQLite), the shipped guide corpus, the offline engine.
Every fourth message is a mentoring question (retrieval, a cited guide answer of a few
hundred words, passages in the state); the others are short chat lines. The database size
is read with the WAL folded in (``wal_checkpoint(TRUNCATE)``), so it is what the thread
leaves on disk. Before issue 11 every checkpoint repeated the whole history: 500 turns made
615 MB. The bound: 1,000 turns under 50 MB, and the last 100 turns cost no more per turn
than the first 100.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from agent.api import Coach
from agent.config import Settings

QUESTIONS = [
    "my mentee nods along but nothing sticks",
    "how do I run a first session with a new mentee?",
    "our sessions feel like a chore lately",
    "how do I give feedback without sounding judgemental?",
]
CHATTER = ["thanks, that helps", "ok", "what else could I try?"]
LIMIT_MB = 50.0


def db_bytes(path: Path) -> int:
    """The database with its WAL folded in."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=1000)
    args = parser.parse_args(argv)
    marks = sorted({100, args.turns // 4, args.turns // 2, args.turns - 100, args.turns})
    with tempfile.TemporaryDirectory() as root:
        settings = Settings(home=Path(root) / "home", engine="offline")
        with Coach(settings) as coach:
            coach.knowledge.ensure_corpus()
            start_bytes = db_bytes(settings.sqlite_path) if settings.sqlite_path.exists() else 0
            thread = None
            sizes: dict[int, int] = {0: start_bytes}
            started = time.perf_counter()
            for turn in range(1, args.turns + 1):
                text = (
                    QUESTIONS[(turn // 4) % len(QUESTIONS)]
                    if turn % 4 == 0
                    else CHATTER[turn % len(CHATTER)]
                )
                thread = coach.chat(text, thread=thread).thread
                if turn in marks:
                    sizes[turn] = db_bytes(settings.sqlite_path)
                    print(
                        f"turn {turn:5d}: {sizes[turn] / 1_048_576:7.2f} MB",
                        file=sys.stderr,
                        flush=True,
                    )
            elapsed = time.perf_counter() - started
            lines = len(coach.history(thread or ""))
    first = (sizes[100] - sizes[0]) / 100
    last = (sizes[args.turns] - sizes[args.turns - 100]) / 100
    total_mb = sizes[args.turns] / 1_048_576
    per_turn_ms = elapsed / args.turns * 1000
    print(f"turns: {args.turns}, history lines kept: {lines}, {per_turn_ms:.0f} ms/turn")
    for turn in sorted(sizes):
        print(f"  after {turn:5d} turns: {sizes[turn] / 1_048_576:.2f} MB")
    print(f"growth per turn: first 100 {first / 1024:.1f} KB, last 100 {last / 1024:.1f} KB")
    ok = total_mb < LIMIT_MB and last <= 1.5 * first + 4096
    print(f"bound (< {LIMIT_MB:.0f} MB, flat growth): {'ok' if ok else 'EXCEEDED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
