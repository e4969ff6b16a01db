"""Benchmark: adding 1,000 pairs through Coach.add_pair (embedded SQLite store), linear or not.

Run from the repo root: python -m bench.bench_pairs [--pairs 1000] [--baseline DIR]
(figures go into docs/BENCHMARKS.md). Every pair shares the first names of the others, the
worst case for the readable-id search and the duplicate check. ``--baseline DIR`` (an
exported older tree) runs the same measure on that tree's code in a child process.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def measure(count: int) -> dict[str, float]:
    """Milliseconds for the first and the last hundred adds (and the whole run)."""
    from agent.api import Coach
    from agent.config import Settings

    with tempfile.TemporaryDirectory() as tmp, Coach(Settings(home=Path(tmp))) as coach:
        times: list[float] = []
        for index in range(count):
            started = time.perf_counter()
            coach.add_pair(mentor=f"Mentor {index}", mentee=f"Mentee {index}")
            times.append(time.perf_counter() - started)
    block = min(100, count)
    return {
        "first_ms": sum(times[:block]) * 1000,
        "last_ms": sum(times[-block:]) * 1000,
        "total_s": sum(times),
    }


def _child(tree: Path, count: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", "--pairs", str(count)],
        cwd=tree,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _line(label: str, figures: dict[str, float], count: int) -> str:
    return (
        f"{label}: {count} pairs in {figures['total_s']:.2f} s; first 100 "
        f"{figures['first_ms']:.0f} ms, last 100 {figures['last_ms']:.0f} ms "
        f"(last/first {figures['last_ms'] / figures['first_ms']:.2f}x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pairs", type=int, default=1000)
    parser.add_argument("--baseline", type=Path)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.pairs)))
        return
    now = _child(Path.cwd(), args.pairs)
    print(_line("now", now, args.pairs))
    if args.baseline is not None:
        base = _child(args.baseline, args.pairs)
        print(_line("baseline", base, args.pairs))
        print(f"now/baseline total {now['total_s'] / base['total_s']:.2f}x")


if __name__ == "__main__":
    main()
