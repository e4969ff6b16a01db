"""Readable rich renderings of results for the CLI (the --json path never comes here)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn

from evals.report import Summary
from knowledge.models import IngestReport, SearchResults

STAGES = ("first-session", "regular", "stale-patch", "stalled", "graduation")
COUNT_FIELDS = (
    "files",
    "added",
    "updated",
    "removed",
    "unchanged",
    "chunks_added",
    "chunks_removed",
)


@contextmanager
def file_progress(enabled: bool) -> Iterator[Callable[[str], None] | None]:
    """A spinner-style progress line over files being ingested (stderr, TTY only)."""
    if not enabled:
        yield None
        return
    with Progress(
        TextColumn("[bold]ingesting[/]"),
        BarColumn(bar_width=None),
        TextColumn("{task.completed} files  {task.description}"),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task("", total=None)

        def tick(name: str) -> None:
            progress.update(task, advance=1, description=name[-60:])

        yield tick


def ingest_report(console: Console, report: IngestReport) -> None:
    """One summary line for an ingest."""
    console.print(
        f"{report.files} files: {report.added} added, {report.updated} updated, "
        f"{report.removed} removed, {report.unchanged} unchanged "
        f"({report.chunks_added} passages added, {report.chunks_removed} removed)"
        + (f", {len(report.skipped)} skipped" if report.skipped else "")
    )


def search_results(console: Console, results: SearchResults) -> None:
    """Ranked passages with their title, section and score."""
    if not results.results:
        console.print("No passages found.")
    for rank, passage in enumerate(results.results, start=1):
        title, section = escape(passage.title), escape(passage.section)
        console.print(f"[bold]{rank}. {title}[/] [dim]› {section}  (score {passage.score:.2f})[/]")
        console.print(passage.text.strip(), markup=False)
        console.print(f"[dim]source: {escape(passage.source)}[/]\n")


def eval_summary(console: Console, summary: Summary, out: object) -> None:
    """Per-task metrics and the verdict."""
    for task in summary.tasks:
        parts = [
            f"{name} {metric.mean:.3f}"
            + ("" if metric.ok else f" [red](< {metric.threshold})[/]")
            for name, metric in task.metrics.items()
        ]
        console.print(f"[bold]{task.task}[/] ({task.samples} samples): " + ", ".join(parts))
    verdict = "[green]PASS[/]" if summary.ok else "[red]FAIL[/]"
    console.print(f"{verdict}  report in {out}/summary.md")
