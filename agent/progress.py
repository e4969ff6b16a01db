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


REPORT_EVERY = 30.0  # seconds between progress lines of a long ingest off a terminal


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
        from knowledge.progress import long_ingest_note

        note = long_ingest_note(files, passages) if self.things == "files" else None
        if note:
            self.progress.console.print(note, highlight=False, markup=False, soft_wrap=True)
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
    """Off a terminal: one line at the end; a long ingest also says so and reports as it goes.

    Quietly counting for 35 minutes looked like a hang: an ingest whose estimate is long
    prints a note first, then a line every ``REPORT_EVERY`` seconds.
    """

    def __init__(self, console: Console | None = None, *, lines: bool = True) -> None:
        self.console = console
        self.lines = lines  # False: the note only (--json keeps stderr for problems)
        self.started = time.monotonic()
        self.reported = self.started
        self.files = 0
        self.files_total = 0
        self.passages = 0
        self.passages_total = 0
        self.long = False

    def start(self, files: int, passages: int) -> None:
        from knowledge.progress import long_ingest_note

        self.files_total, self.passages_total = files, passages
        note = long_ingest_note(files, passages)
        self.long = note is not None
        if note and self.console is not None:
            self.console.print(note, highlight=False, markup=False, soft_wrap=True)

    def embedded(self, passages: int) -> None:
        self.passages += passages
        now = time.monotonic()
        if self.long and self.lines and self.console and now - self.reported >= REPORT_EVERY:
            self.reported = now
            self.console.print(self.progress_line(now), highlight=False, soft_wrap=True)

    def progress_line(self, now: float) -> str:
        """Where a long ingest is: passages and files done, the rate, the time left."""
        from knowledge.progress import minutes_text

        took = max(now - self.started, 1e-9)
        rate = self.passages / took
        left = (self.passages_total - self.passages) / rate if rate else None
        return (
            f"ingesting: {self.passages:,}/{self.passages_total:,} passages, "
            f"{self.files:,}/{self.files_total:,} files, {rate:.1f} passages/s"
            + (f", {minutes_text(left)} left" if left is not None else "")
        )

    def file_done(self, path: str) -> None:
        self.files += 1

    def line(self, verb: str, unit: str, things: str | None) -> str:
        took = time.monotonic() - self.started
        rate = f", {self.passages / took:.1f} {unit}s/s" if self.passages and took > 0 else ""
        files = f"{plural(self.files, things)}, " if things else ""
        return f"{verb}: {files}{plural(self.passages, unit)} in {took:.1f} s{rate}"


@contextmanager
def ingest_progress(console: Console | None = None, *, quiet: bool = False) -> Iterator[Any]:
    """An :class:`knowledge.progress.IngestProgress` drawing to ``console`` (stderr).

    ``quiet`` (``--json``): only the note before a long ingest, no bar and no summary.
    """
    console = console or Console(stderr=True)
    if quiet or not console.is_terminal:
        summary = _Summary(console, lines=not quiet)
        yield summary
        if not quiet:
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
