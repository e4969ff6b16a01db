"""Benchmark: warm Coach.reframe() (offline), `coach reframe` cold start, graph overhead.

Run from the repo root: python -m bench.bench_coach  (figures go into docs/BENCHMARKS.md)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from agent.api import Coach
from agent.config import Settings
from tests.scripted_llm import ScriptedLLM
from tests.unit.test_graph import good_reframe

QUESTIONS = [
    "Why didn't you finish the chapter again?",
    "You never update the ticket, why?",
    "Why haven't you pushed your PR yet?",
    "Nice of you to finally show up.",
    "What got in the way of the design doc this week?",
    "Did you even read the feedback I gave you?",
]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def warm_reframe(home: Path, rounds: int = 10) -> None:
    with Coach(Settings(home=home, engine="offline")) as coach:
        coach.reframe(QUESTIONS[0])  # index and load once
        times = []
        for _ in range(rounds):
            for question in QUESTIONS:
                started = time.perf_counter()
                coach.reframe(question)
                times.append((time.perf_counter() - started) * 1000)
    print(f"warm Coach.reframe() offline: p50 {statistics.median(times):.1f} ms, "
          f"p95 {pct(times, 0.95):.1f} ms over {len(times)} calls")


def cold_start(home: Path, runs: int = 5) -> None:
    env = {**os.environ, "COACH_HOME": str(home)}
    env.pop("OPENAI_API_KEY", None)
    env.pop("OPENAI_BASE_URL", None)
    command = [sys.executable, "-m", "agent.cli", "reframe", QUESTIONS[0], "--json"]
    subprocess.run(command, env=env, check=True, capture_output=True)  # first use indexes
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    print(f"`coach reframe` cold start (process, index built): median "
          f"{statistics.median(times):.2f} s, max {max(times):.2f} s over {runs} runs")


def graph_overhead(home: Path, delay: float = 0.2, rounds: int = 20) -> None:
    llm = ScriptedLLM([good_reframe] * (rounds + 1), delay=delay)
    settings = Settings(home=home, engine="llm", openai_api_key="sk-bench-not-real")
    with Coach(settings, http_client=llm.http_client()) as coach:
        coach.reframe(QUESTIONS[0])
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            result = coach.reframe(QUESTIONS[0])
            times.append(time.perf_counter() - started - delay)
            assert result.engine == "llm"
    print(f"graph overhead around one LLM call ({delay * 1000:.0f} ms scripted endpoint): "
          f"p50 {statistics.median(times) * 1000:.1f} ms, p95 {pct(times, 0.95) * 1000:.1f} ms")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        warm_reframe(home / "warm")
        cold_start(home / "cold")
        graph_overhead(home / "llm")


if __name__ == "__main__":
    main()
