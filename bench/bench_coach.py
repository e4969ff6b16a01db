"""Benchmark: warm Coach.reframe() (offline), `coach reframe` cold start, graph overhead.

Run from the repo root: python -m bench.bench_coach  (figures go into docs/BENCHMARKS.md)
``--baseline DIR`` (an exported older checkout, e.g. ``git archive REV | tar -x -C DIR``)
times that tree's cold starts in the same run, interleaved, so the ratio is fair on a busy
machine; ``--only cold`` skips the in-process measures.
"""

from __future__ import annotations

import argparse
import os
import resource
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


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed_runs(
    command: list[str], env: dict[str, str], cwd: Path | None, runs: int
) -> list[float]:
    """Wall times; each run's CPU time (user + system) goes into ``_CPU`` by command."""
    times = []
    for _ in range(runs):
        cpu = _children_cpu()
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True, capture_output=True, cwd=cwd)
        times.append(time.perf_counter() - started)
        _CPU.setdefault(tuple(command), []).append(_children_cpu() - cpu)
    return times


def cold_start(home: Path, runs: int = 5, baseline: Path | None = None) -> None:
    """`coach --help` and `coach reframe` as fresh processes (index already built)."""
    env = {**os.environ, "COACH_HOME": str(home)}
    env.pop("OPENAI_API_KEY", None)
    env.pop("OPENAI_BASE_URL", None)
    commands = {
        "--help": [sys.executable, "-m", "agent.cli", "--help"],
        "reframe": [sys.executable, "-m", "agent.cli", "reframe", QUESTIONS[0], "--json"],
    }
    trees: dict[str, Path | None] = {"now": None}
    if baseline is not None:
        trees["baseline"] = baseline
    for tree in trees.values():  # first use indexes (each tree its own home), then a warm-up
        tree_env = {**env, "COACH_HOME": str(home / ("base" if tree else "now"))}
        tree_env["PYTHONPATH"] = str(tree or Path.cwd())
        for _ in range(2):
            subprocess.run(
                commands["reframe"], env=tree_env, check=True, capture_output=True, cwd=tree
            )
    print(f"load average at the start: {os.getloadavg()[0]:.2f}")
    for name, command in commands.items():
        for _ in range(runs):  # interleaved, one run each, so both trees see the same load
            for label, tree in trees.items():
                tree_env = {
                    **env,
                    "COACH_HOME": str(home / ("base" if tree else "now")),
                    "PYTHONPATH": str(tree or Path.cwd()),
                }
                took = _timed_runs(command, tree_env, tree, 1)[0]
                _TIMES.setdefault((name, label), []).append(took)
                cpu = _CPU[tuple(command)].pop()
                _TIMES.setdefault((name, label + " cpu"), []).append(cpu)
        line = ", ".join(
            f"{label} median {statistics.median(_TIMES[(name, label)]):.2f} s "
            f"(max {max(_TIMES[(name, label)]):.2f})"
            for label in trees
        )
        line += "; CPU " + ", ".join(
            f"{label} median {statistics.median(_TIMES[(name, label + ' cpu')]):.2f} s"
            for label in trees
        )
        if baseline is not None:
            for kind, suffix in (("wall", ""), ("CPU", " cpu")):
                ratio = statistics.median(_TIMES[(name, "now" + suffix)]) / statistics.median(
                    _TIMES[(name, "baseline" + suffix)]
                )
                line += f"; now/baseline {kind} {ratio:.2f}x"
        print(f"`coach {name}` cold start over {runs} runs: {line}")
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


_TIMES: dict[tuple[str, str], list[float]] = {}
_CPU: dict[tuple[str, ...], list[float]] = {}


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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--baseline", type=Path, help="an older tree to time cold starts against")
    parser.add_argument("--only", choices=["cold"], help="only the cold-start measures")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        if args.only is None:
            warm_reframe(home / "warm")
        cold_start(home / "cold", runs=args.runs, baseline=args.baseline)
        if args.only is None:
            graph_overhead(home / "llm")


if __name__ == "__main__":
    main()
