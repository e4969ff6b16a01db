"""Progress for long CLI runs (ingest, batch emails): a rich bar on a terminal, else one line.

On a terminal the bar shows files, passages (or pairs), the rate and the time left; when
stderr is a pipe or a file a bar would only be noise, so a single summary line is printed
when the run ends.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from rich.console import Console

from agent.render import plural

if TYPE_CHECKING:
    from rich.progress import Progress, Task, TaskID
    from rich.text import Text


def _clock(seconds: float) -> str:
    whole = int(seconds + 0.5)
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def _columns(unit: str, things: bool) -> list[Any]:
    from rich.progress import BarColumn, ProgressColumn, TextColumn

    class Rate(ProgressColumn):
        def render(self, task: Task) -> Text:
            from rich.text import Text

            speed = task.finished_speed or task.speed
            return Text(f"{speed:.1f} {unit}/s" if speed else f"-- {unit}/s")

    class Eta(ProgressColumn):
        def render(self, task: Task) -> Text:
            from rich.text import Text

            left = task.time_remaining
            return Text(f"ETA {_clock(left)}" if left is not None else "ETA --:--")

    files = [TextColumn("{task.fields[done]:,}/{task.fields[of]:,} {task.fields[things]}")]
    return [
        TextColumn("[bold]{task.description}[/]"),
        BarColumn(bar_width=30),
        TextColumn("{task.completed:,}/{task.total:,} " + unit),
        *(files if things else []),
        Rate(),
        Eta(),
    ]


class _Bar:
    """The terminal bar: advances on passages (or pairs); the files count rides along."""

    def __init__(self, progress: Progress, label: str, things: str) -> None:
        self.progress = progress
        self.label = label
        self.things = things
        self.task: TaskID | None = None

    def start(self, files: int, passages: int) -> None:
        self.task = self.progress.add_task(
            self.label, total=max(passages, 1), done=0, of=files, things=self.things
        )

    def embedded(self, passages: int) -> None:
        if self.task is not None:
            self.progress.advance(self.task, passages)

    def file_done(self, path: str) -> None:
        if self.task is not None:
            done = int(self.progress.tasks[self.task].fields["done"]) + 1
            self.progress.update(self.task, done=done)


class _Summary:
    """Off a terminal: count quietly, then print one line."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.files = 0
        self.files_total = 0
        self.passages = 0

    def start(self, files: int, passages: int) -> None:
        self.files_total = files

    def embedded(self, passages: int) -> None:
        self.passages += passages

    def file_done(self, path: str) -> None:
        self.files += 1

    def line(self, verb: str, unit: str, things: str | None) -> str:
        took = time.monotonic() - self.started
        rate = f", {self.passages / took:.1f} {unit}s/s" if self.passages and took > 0 else ""
        files = f"{plural(self.files, things)}, " if things else ""
        return f"{verb}: {files}{plural(self.passages, unit)} in {took:.1f} s{rate}"


@contextmanager
def ingest_progress(console: Console | None = None) -> Iterator[Any]:
    """An :class:`knowledge.progress.IngestProgress` drawing to ``console`` (stderr)."""
    console = console or Console(stderr=True)
    if not console.is_terminal:
        summary = _Summary()
        yield summary
        console.print(summary.line("ingested", "passage", "file"), highlight=False)
        return
    from rich.progress import Progress

    with Progress(*_columns("passages", True), console=console, transient=True) as progress:
        yield _Bar(progress, "embedding", "files")


class _PairTicker:
    """Batch emails: one step per pair, so pairs are both the bar and the count."""

    def __init__(self, sink: _Bar | _Summary) -> None:
        self.sink = sink

    def start(self, pairs: int) -> None:
        self.sink.start(pairs, pairs)

    def __call__(self, pair_id: str) -> None:
        self.sink.embedded(1)
        self.sink.file_done(pair_id)


@contextmanager
def pair_progress(console: Console | None = None) -> Iterator[_PairTicker]:
    """Progress over a batch of pairs (``coach email --all``)."""
    console = console or Console(stderr=True)
    if not console.is_terminal:
        summary = _Summary()
        yield _PairTicker(summary)
        console.print(summary.line("prepared", "pair", None), highlight=False)
        return
    from rich.progress import Progress

    with Progress(*_columns("pairs", False), console=console, transient=True) as progress:
        yield _PairTicker(_Bar(progress, "emails", "pairs"))
