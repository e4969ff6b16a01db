"""Run eval tasks against a Coach, write per-sample results and a summary, apply thresholds."""

from __future__ import annotations

import hashlib
import os
import subprocess
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from pydantic import BaseModel

from agent.api import Coach
from agent.errors import LLMError, UserInputError
from evals.dataset import Sample, datasets_dir, load_dataset
from evals.judge import judge
from evals.report import (
    Gates,
    SampleResult,
    Summary,
    TaskSummary,
    load_gates,
    summarise,
    to_markdown,
)
from evals.tasks import TASKS, Task


class MetricDelta(BaseModel):
    """One metric before and after."""

    task: str
    metric: str
    old: float | None
    new: float


class SampleChange(BaseModel):
    """A sample whose pass/fail verdict differs between two runs."""

    task: str
    sample_id: str
    old: bool | None
    new: bool


class Comparison(BaseModel):
    """The answer to ``coach eval --compare OLD NEW``."""

    old: str
    new: str
    metrics: list[MetricDelta]
    changed: list[SampleChange]


def prompt_hashes() -> dict[str, str]:
    """Short hashes of every prompt template, so a report names the prompts it ran."""
    folder = Path(str(resources.files("prompts")))
    return {
        path.stem: hashlib.sha256(path.read_bytes()).hexdigest()[:10]
        for path in sorted(folder.glob("*.md"))
    }


def git_revision() -> str | None:
    """The current commit, when run from a checkout."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            cwd=Path(__file__).parent,
            check=False,
        )
    except OSError:
        return None
    return out.stdout.strip() or None


def select_tasks(names: list[str] | None, engine: str) -> list[Task]:
    """The tasks to run; unknown names are an error listing the known ones."""
    if names:
        unknown = [n for n in names if n not in TASKS]
        if unknown:
            raise ValueError(f"unknown task {unknown[0]!r}; known: {', '.join(TASKS)}")
        return [TASKS[n] for n in names]
    # A set that is not in this checkout (a blind set still being written) is skipped, and
    # so is a sealed one.
    return [
        task
        for task in TASKS.values()
        if engine in task.engines
        and not task.sealed
        and (datasets_dir() / f"{task.dataset}.jsonl").exists()
    ]


def _solve_all(
    coach: Coach, task: Task, solve: Callable[[Coach, Sample], Any], epochs: int, label: str
) -> list[SampleResult]:
    results: list[SampleResult] = []
    for _ in range(epochs):
        for sample in load_dataset(task.dataset):
            started = time.perf_counter()
            try:
                output = solve(coach, sample)
                scores = task.score(sample, output)
                error = None
            except Exception as exc:  # a crash is a failed sample, not a crashed run
                output, scores, error = None, [], f"{type(exc).__name__}: {exc}"
            results.append(
                SampleResult(
                    task=label,
                    sample_id=sample.id,
                    output=output,
                    scores=scores,
                    latency_s=round(time.perf_counter() - started, 4),
                    error=error,
                )
            )
    return results


def _judge_all(coach: Coach, task: Task, results: list[SampleResult]) -> None:
    samples = {s.id: s for s in load_dataset(task.dataset)}
    for result in results:
        sample = samples[result.sample_id]
        criteria = tuple(sample.criteria) or task.criteria
        if result.error or result.output is None or not criteria:
            continue
        for index, criterion in enumerate(criteria, start=1):
            try:
                result.judge.append(
                    judge(coach.chat_client, criterion, sample.input, result.output, index)
                )
            except LLMError as exc:
                result.error = f"judge: {exc}"
                break


def _tokens(coach: Coach) -> dict[str, int]:
    chat = coach.chat_client if coach.engine == "llm" else None
    if chat is None:
        return {}
    summary = chat.usage_summary()
    usage = summary.values()
    # The prompt size is the task's own: the judge's calls grade it and are not part of it.
    own = [u for task, u in summary.items() if task != "judge"]
    return {
        "prompt_chars": sum(u.prompt_chars for u in own),
        "own_calls": sum(u.calls for u in own),
        "prompt": sum(u.prompt_tokens for u in usage),
        "completion": sum(u.completion_tokens for u in usage),
        "calls": sum(u.calls for u in usage),
    }


def _react_chars(coach: Coach, task: Task, results: list[SampleResult]) -> int | None:
    """Prompt characters a plain ReAct agent would send for these samples (evals.react)."""
    if task.react_request is None:
        return None
    from evals.react import QUERY_LIMIT, TOP_K, react_chars

    samples = {s.id: s for s in load_dataset(task.dataset)}
    total = 0
    for result in results:
        request = task.react_request(samples[result.sample_id])
        found = coach.knowledge.search(request[:QUERY_LIMIT], k=TOP_K)
        total += react_chars(request, found)
    return total


def _delta(after: dict[str, int], before: dict[str, int]) -> dict[str, int]:
    return {key: value - before.get(key, 0) for key, value in after.items()}


def run_eval(
    coach: Coach,
    *,
    engine: str,
    tasks: list[str] | None = None,
    out_dir: Path,
    epochs: int = 1,
    thresholds_path: Path | None = None,
) -> Summary:
    """Run, write ``results.jsonl``, ``summary.json`` and ``summary.md`` to ``out_dir``.

    With the llm engine each task with a baseline is also answered by the plain-prompt
    baseline, and LLM-judge criteria are graded; both are reported, neither is gated.
    """
    gates = load_gates(thresholds_path)
    chosen = select_tasks(tasks, engine)  # unknown names fail before anything is written
    out_dir.mkdir(parents=True, exist_ok=True)
    busy = UserInputError(
        f"another coach eval is writing {out_dir}; wait for it or give --out another folder"
    )
    # One run per folder, and the earlier report stays whole until this one is complete: a
    # run that fails (no endpoint, Ctrl-C) leaves it as it was.
    try:  # a plain lock file: process_lock would also make the user's folder private
        with FileLock(str(out_dir / ".eval.lock"), timeout=0):
            return _run_into(coach, engine, chosen, out_dir, epochs, gates)
    except Timeout:
        raise busy from None


def _run_into(
    coach: Coach,
    engine: str,
    chosen: list[Task],
    out_dir: Path,
    epochs: int,
    gates: Gates,
) -> Summary:
    summaries: list[TaskSummary] = []
    ran: dict[str, list[SampleResult]] = {}
    failures: list[str] = []
    llm = engine == "llm"
    partial = out_dir / ".results.jsonl.partial"
    with partial.open("w", encoding="utf-8") as handle:
        for task in chosen:
            runs: list[tuple[str, Callable[[Coach, Sample], Any], str | None]] = [
                (task.name, task.solve, None)
            ]
            if llm and task.baseline is not None:
                runs.append((f"{task.name}/baseline", task.baseline, task.name))
            for label, solve, baseline_of in runs:
                before = _tokens(coach)
                results = _solve_all(coach, task, solve, epochs, label)
                if llm:
                    _judge_all(coach, task, results)
                for result in results:
                    handle.write(result.model_dump_json() + "\n")
                if not baseline_of:
                    ran[label] = results
                gate = {} if baseline_of else gates.tasks.get(task.name, {})
                react = _react_chars(coach, task, results) if llm and not baseline_of else None
                summary = summarise(
                    label,
                    engine,
                    results,
                    gate,
                    baseline_of=baseline_of,
                    tokens=_delta(_tokens(coach), before),
                    react_prompt_chars=react,
                )
                summaries.append(summary)
                if baseline_of:
                    continue
                failures += _shortfalls(summary)
                if summary.errors:
                    failures.append(f"{label}: {summary.errors} samples raised")
    for pooled in _pooled(engine, gates, ran):
        summaries.append(pooled)
        failures += _shortfalls(pooled)
    report = Summary(
        engine=engine,
        model=coach.settings.model if llm else None,
        git_revision=git_revision(),
        prompt_hashes=prompt_hashes(),
        tasks=summaries,
        failures=failures,
    )
    for name, text in (
        ("summary.json", report.model_dump_json(indent=2)),
        ("summary.md", to_markdown(report)),
    ):
        (out_dir / f".{name}.partial").write_text(text, encoding="utf-8")
    # Moved into place last, results first: a report folder never mixes two runs for long.
    for name in ("results.jsonl", "summary.json", "summary.md"):
        os.replace(out_dir / f".{name}.partial", out_dir / name)
    return report


def _shortfalls(summary: TaskSummary) -> list[str]:
    """The metrics of a task (or a pool) under their thresholds, a line each."""
    return [
        f"{summary.task}.{name}: {metric.mean:.3f} < {metric.threshold}"
        for name, metric in summary.metrics.items()
        if not metric.ok
    ]


def _pooled(engine: str, gates: Gates, ran: dict[str, list[SampleResult]]) -> list[TaskSummary]:
    """The pooled gates whose tasks all ran: their samples scored together."""
    return [
        summarise(
            f"pooled:{name}",
            engine,
            [result for task in gate.tasks for result in ran[task]],
            gate.thresholds,
        )
        for name, gate in gates.pooled.items()
        if all(task in ran for task in gate.tasks)
    ]


def compare_runs(old_dir: Path, new_dir: Path) -> Comparison:
    """What changed between two runs: metric deltas and the samples whose verdict flipped."""

    def load(folder: Path) -> tuple[Summary, dict[tuple[str, str], bool]]:
        try:
            summary = Summary.model_validate_json((folder / "summary.json").read_text())
            rows = [
                SampleResult.model_validate_json(line)
                for line in (folder / "results.jsonl").read_text().splitlines()
                if line.strip()
            ]
        except (OSError, ValueError) as exc:
            raise ValueError(f"{folder} is not an eval report: {str(exc).splitlines()[0]}") from exc
        passed = {
            (r.task, r.sample_id): not r.error and all(s.passed for s in r.scores) for r in rows
        }
        return summary, passed

    old, old_passed = load(old_dir)
    new, new_passed = load(new_dir)
    deltas: list[MetricDelta] = []
    old_tasks = {t.task: t for t in old.tasks}
    for task in new.tasks:
        previous = old_tasks.get(task.task)
        for name, metric in task.metrics.items():
            before = previous.metrics[name].mean if previous and name in previous.metrics else None
            deltas.append(MetricDelta(task=task.task, metric=name, old=before, new=metric.mean))
    changed = [
        SampleChange(task=key[0], sample_id=key[1], old=old_passed.get(key), new=value)
        for key, value in sorted(new_passed.items())
        if old_passed.get(key) != value
    ]
    return Comparison(
        old=f"{old.engine} {old.model or ''} @{old.git_revision}".strip(),
        new=f"{new.engine} {new.model or ''} @{new.git_revision}".strip(),
        metrics=deltas,
        changed=changed,
    )
