"""Run eval tasks against a Coach, write per-sample results and a summary, apply thresholds."""

from __future__ import annotations

import hashlib
import subprocess
import time
from importlib import resources
from pathlib import Path

from agent.api import Coach
from evals.dataset import load_dataset
from evals.report import SampleResult, Summary, load_thresholds, summarise, to_markdown
from evals.tasks import TASKS, Task


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
    return [task for task in TASKS.values() if engine in task.engines]


def run_task(coach: Coach, task: Task, epochs: int = 1) -> list[SampleResult]:
    """Solve and score every sample of a task."""
    results: list[SampleResult] = []
    for _ in range(epochs):
        for sample in load_dataset(task.dataset):
            started = time.perf_counter()
            try:
                output = task.solve(coach, sample)
                scores = task.score(sample, output)
                error = None
            except Exception as exc:  # a crash is a failed sample, not a crashed run
                output, scores, error = None, [], f"{type(exc).__name__}: {exc}"
            results.append(
                SampleResult(
                    task=task.name,
                    sample_id=sample.id,
                    output=output,
                    scores=scores,
                    latency_s=round(time.perf_counter() - started, 4),
                    error=error,
                )
            )
    return results


def run_eval(
    coach: Coach,
    *,
    engine: str,
    tasks: list[str] | None = None,
    out_dir: Path,
    epochs: int = 1,
    thresholds_path: Path | None = None,
) -> Summary:
    """Run, write ``results.jsonl``, ``summary.json`` and ``summary.md`` to ``out_dir``."""
    thresholds = load_thresholds(thresholds_path)
    out_dir.mkdir(parents=True, exist_ok=True)
    summaries = []
    failures: list[str] = []
    with (out_dir / "results.jsonl").open("w", encoding="utf-8") as handle:
        for task in select_tasks(tasks, engine):
            results = run_task(coach, task, epochs)
            for result in results:
                handle.write(result.model_dump_json() + "\n")
            summary = summarise(task.name, engine, results, thresholds.get(task.name, {}))
            summaries.append(summary)
            failures += [
                f"{task.name}.{name}: {metric.mean:.3f} < {metric.threshold}"
                for name, metric in summary.metrics.items()
                if not metric.ok
            ]
            failures += [f"{task.name}: {summary.errors} samples raised"] if summary.errors else []
    report = Summary(
        engine=engine,
        model=coach.settings.model if engine == "llm" else None,
        git_revision=git_revision(),
        prompt_hashes=prompt_hashes(),
        tasks=summaries,
        failures=failures,
    )
    (out_dir / "summary.json").write_text(report.model_dump_json(indent=2), encoding="utf-8")
    (out_dir / "summary.md").write_text(to_markdown(report), encoding="utf-8")
    return report


def main(argv: list[str] | None = None) -> int:
    """``python -m evals``: the same as ``coach eval``."""
    from agent.cli import run

    return int(run(["eval", *(argv or [])]))
