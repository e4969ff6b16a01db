"""Run summaries: per-scorer means with 95% confidence intervals, thresholds, Markdown."""

from __future__ import annotations

import math
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from evals.scorers import Score


class SampleResult(BaseModel):
    """What one sample produced and how it scored (judge scores kept apart)."""

    task: str
    sample_id: str
    output: Any
    scores: list[Score]
    latency_s: float
    error: str | None = None
    judge: list[Score] = Field(default_factory=list)


class Metric(BaseModel):
    """Aggregate of one scorer over one task."""

    mean: float
    ci95: tuple[float, float]
    pass_rate: float
    n: int
    threshold: float | None = None
    ok: bool = True


class TaskSummary(BaseModel):
    """One task's aggregates."""

    task: str
    engine: str
    samples: int
    errors: int
    metrics: dict[str, Metric]
    latency_p50_s: float
    tokens: dict[str, int] = Field(default_factory=dict)
    judge: dict[str, Metric] = Field(default_factory=dict)
    baseline_of: str | None = None
    # What a plain ReAct agent with one retrieval tool would send for the same samples
    # (evals.react), all calls together; None when the task has no such comparison.
    react_prompt_chars: int | None = None


class Summary(BaseModel):
    """The whole run."""

    engine: str
    model: str | None
    git_revision: str | None
    prompt_hashes: dict[str, str]
    tasks: list[TaskSummary]
    failures: list[str]

    @property
    def ok(self) -> bool:
        """Whether every metric met its threshold."""
        return not self.failures


def mean_ci(values: list[float]) -> tuple[float, tuple[float, float]]:
    """Mean and a normal-approximation 95% interval (clipped to [0, 1] for rates)."""
    n = len(values)
    if n == 0:
        return 0.0, (0.0, 0.0)
    mean = sum(values) / n
    if n == 1:
        return mean, (mean, mean)
    variance = sum((v - mean) ** 2 for v in values) / (n - 1)
    half = 1.96 * math.sqrt(variance / n)
    return mean, (max(0.0, mean - half), min(1.0, mean + half))


class PooledGate(BaseModel):
    """Minimum means over the samples of several tasks taken together."""

    tasks: list[str]
    thresholds: dict[str, float]


class Gates(BaseModel):
    """Everything ``thresholds.toml`` gates: per task (margins applied) and pooled."""

    tasks: dict[str, dict[str, float]]
    pooled: dict[str, PooledGate] = Field(default_factory=dict)


def is_blind(task: str) -> bool:
    """A task scoring a set written blind to the engines (``actions_blind3``, ...)."""
    return "_blind" in task


def load_gates(path: Path | None = None) -> Gates:
    """Read thresholds.toml: the per-task minimum means and the pooled gates.

    A blind set's floor is its measured figure, and ``[gates] blind_margin`` is taken off
    every such floor under 1.0 (an invariant gated at 1.0 stays at 1.0): one or two rows
    on a 30-70-row set then cannot veto a change that the pooled gates show is no worse.
    """
    source = path or Path(str(resources.files("evals") / "thresholds.toml"))
    data: dict[str, Any] = tomllib.loads(source.read_text(encoding="utf-8"))
    margin = float(data.pop("gates", {}).get("blind_margin", 0.0))
    pooled = {
        name: PooledGate(
            tasks=list(table["tasks"]),
            thresholds={k: float(v) for k, v in table.items() if k != "tasks"},
        )
        for name, table in data.pop("pooled", {}).items()
    }
    tasks = {
        task: {
            k: round(float(v) - margin, 4) if is_blind(task) and float(v) < 1.0 else float(v)
            for k, v in metrics.items()
        }
        for task, metrics in data.items()
    }
    return Gates(tasks=tasks, pooled=pooled)


def _metrics(
    results: list[SampleResult], thresholds: dict[str, float], judge: bool = False
) -> dict[str, Metric]:
    by_metric: dict[str, list[Score]] = {}
    for result in results:
        for score in result.judge if judge else result.scores:
            by_metric.setdefault(score.name, []).append(score)
    metrics: dict[str, Metric] = {}
    for name, scores in sorted(by_metric.items()):
        mean, ci = mean_ci([s.value for s in scores])
        threshold = thresholds.get(name)
        metrics[name] = Metric(
            mean=round(mean, 4),
            ci95=(round(ci[0], 4), round(ci[1], 4)),
            pass_rate=round(sum(s.passed for s in scores) / len(scores), 4),
            n=len(scores),
            threshold=threshold,
            ok=threshold is None or mean >= threshold,
        )
    return metrics


def summarise(
    task: str,
    engine: str,
    results: list[SampleResult],
    thresholds: dict[str, float],
    *,
    baseline_of: str | None = None,
    tokens: dict[str, int] | None = None,
    react_prompt_chars: int | None = None,
) -> TaskSummary:
    """Aggregate one task's results and check them against its thresholds."""
    metrics = _metrics(results, thresholds)
    for name, threshold in thresholds.items():
        if name not in metrics:
            metrics[name] = Metric(
                mean=0.0, ci95=(0.0, 0.0), pass_rate=0.0, n=0, threshold=threshold, ok=False
            )
    latencies = sorted(r.latency_s for r in results)
    return TaskSummary(
        task=task,
        engine=engine,
        samples=len(results),
        errors=sum(r.error is not None for r in results),
        metrics=metrics,
        latency_p50_s=round(latencies[len(latencies) // 2], 4) if latencies else 0.0,
        tokens=tokens or {},
        judge=_metrics(results, {}, judge=True),
        baseline_of=baseline_of,
        react_prompt_chars=react_prompt_chars,
    )


def prompt_size(task: TaskSummary) -> str:
    """Mean characters the task itself sent per LLM call (not the judge's), or n/a."""
    calls, chars = task.tokens.get("own_calls", 0), task.tokens.get("prompt_chars", 0)
    return f"{chars / calls:,.0f}" if calls else "n/a"


def task_prompt_size(task: TaskSummary) -> str:
    """Mean characters the task sent per sample (all its calls), or n/a without calls."""
    calls, chars = task.tokens.get("own_calls", 0), task.tokens.get("prompt_chars", 0)
    return f"{chars / task.samples:,.0f}" if calls and task.samples else "n/a"


def react_size(task: TaskSummary) -> str:
    """Mean characters a plain ReAct agent would send per sample, and our share of it."""
    if task.react_prompt_chars is None or not task.samples:
        return "n/a | n/a"
    react = task.react_prompt_chars / task.samples
    chars = task.tokens.get("prompt_chars", 0) / task.samples
    ratio = f"{chars / react:.2f}x" if react and task.tokens.get("own_calls") else "n/a"
    return f"{react:,.0f} | {ratio}"


def to_markdown(summary: Summary) -> str:
    """A readable report."""
    lines = [
        f"# Eval report ({summary.engine} engine)",
        "",
        f"- model: {summary.model or 'n/a'}",
        f"- git revision: {summary.git_revision or 'unknown'}",
        f"- prompts: {', '.join(f'{k}={v}' for k, v in summary.prompt_hashes.items()) or 'n/a'}",
        f"- verdict: {'PASS' if summary.ok else 'FAIL'}",
        "",
        "| task | metric | mean | 95% CI | pass rate | n | threshold | ok |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for task in summary.tasks:
        for name, metric in task.metrics.items():
            lines.append(
                f"| {task.task} | {name} | {metric.mean:.3f} | {metric.ci95[0]:.3f}–"
                f"{metric.ci95[1]:.3f} | {metric.pass_rate:.2f} | {metric.n} | "
                f"{'' if metric.threshold is None else metric.threshold} | "
                f"{'yes' if metric.ok else '**no**'} |"
            )
    lines += [
        "",
        "| task | samples | errors | p50 latency (s) | prompt chars per call | "
        "prompt chars per task | ReAct chars per task | vs ReAct | tokens |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for task in summary.tasks:
        tokens = ", ".join(
            f"{k}={v}" for k, v in task.tokens.items() if k not in ("prompt_chars", "own_calls")
        )
        lines.append(
            f"| {task.task} | {task.samples} | {task.errors} | {task.latency_p50_s} | "
            f"{prompt_size(task)} | {task_prompt_size(task)} | {react_size(task)} | "
            f"{tokens or '0'} |"
        )
    judged = [t for t in summary.tasks if t.judge]
    if judged:
        lines += [
            "",
            "## LLM judge (reported apart, not gated)",
            "",
            "| task | criterion | pass rate | n |",
            "|---|---|---|---|",
        ]
        for task in judged:
            for name, metric in task.judge.items():
                lines.append(f"| {task.task} | {name} | {metric.pass_rate:.2f} | {metric.n} |")
    baselines = [t for t in summary.tasks if t.baseline_of]
    if baselines:
        lines += [
            "",
            "## Graph vs no-retrieval baseline",
            "",
            "| task | metric | graph | baseline |",
            "|---|---|---|---|",
        ]
        by_name = {t.task: t for t in summary.tasks}
        for base in baselines:
            graph = by_name.get(base.baseline_of or "")
            for name, metric in base.metrics.items():
                ours = graph.metrics[name].mean if graph and name in graph.metrics else None
                shown = "n/a" if ours is None else f"{ours:.3f}"
                lines.append(f"| {base.baseline_of} | {name} | {shown} | {metric.mean:.3f} |")
    for title, prefixes, metrics in _AREAS:
        lines += _side_by_side(summary, title, prefixes, metrics)
    if summary.failures:
        lines += ["", "## Under threshold", *[f"- {f}" for f in summary.failures]]
    return "\n".join(lines) + "\n"


# The areas whose dev and blind figures are shown side by side: (title, task-name prefixes,
# metrics).
_AREAS = (
    ("Action items", ("actions",), ("precision", "recall", "f1")),
    ("Judgement detection", ("judgement",), ("recall", "no_false_alarm")),
    ("Rewrites", ("reframe", "rewrite"), ("on_topic_grammatical", "on_topic", "grammatical")),
)


def _side_by_side(
    summary: Summary, title: str, prefixes: tuple[str, ...], metrics: tuple[str, ...]
) -> list[str]:
    """One area's dev, blind and pooled blind figures in one table (means per sample)."""
    shown = [
        t
        for t in summary.tasks
        if not t.baseline_of and t.task.removeprefix("pooled:").startswith(prefixes)
    ]
    if len(shown) < 2:
        return []
    lines = [
        "",
        f"## {title}: dev and blind side by side (means per sample)",
        "",
        f"| set | kind | samples | {' | '.join(metrics)} |",
        "|---|---|---|" + "---|" * len(metrics),
    ]
    for task in shown:
        kind = (
            "pooled blind"
            if task.task.startswith("pooled:")
            else "blind"
            if is_blind(task.task)
            else "dev"
        )
        cells = [f"{task.metrics[m].mean:.3f}" if m in task.metrics else "n/a" for m in metrics]
        lines.append(f"| {task.task} | {kind} | {task.samples} | {' | '.join(cells)} |")
    return lines
