"""How long runs report progress (totals, then passages embedded, files or pairs done) and stop.

A Ctrl-C stops an ingest between two writes of the index, never inside one.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from knowledge.models import IngestReport

# Passages embedded per second by the local MiniLM (int8, ONNX) on this project's reference
# machine, 2 cores shared with other jobs: 334 passages of a 270 KB guide in 48.8 s (6.8/s);
# an idle machine does more, a loaded one less (a trial saw 2.1/s). Used for the estimate an
# ingest prints before a long run; the progress line then shows the rate actually reached.
MEASURED_RATE = 7.0
# An ingest expected to take longer than this says so before it starts.
LONG_INGEST_SECONDS = 60.0


def minutes_text(seconds: float) -> str:
    """A duration as people say it: "40 s", "about 3 min", "about 1 h 20 min"."""
    if seconds < 60:
        return f"{max(1, round(seconds))} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"about {minutes} min"
    return f"about {minutes // 60} h {minutes % 60} min"


def long_ingest_note(files: int, passages: int, rate: float = MEASURED_RATE) -> str | None:
    """What to tell the user before an ingest that will take a while (None if it won't)."""
    seconds = passages / rate
    if seconds <= LONG_INGEST_SECONDS:
        return None
    return (
        f"coach: note: {passages:,} passages from {files:,} file{'' if files == 1 else 's'} to "
        f"embed, {minutes_text(seconds)} at ~{rate:g} passages/s. Ctrl-C stops safely: files "
        "already written stay searchable and the rest are left as they were."
    )


@runtime_checkable
class IngestProgress(Protocol):
    """Callbacks an ingest makes; the CLI draws a bar or prints a summary from them."""

    def start(self, files: int, passages: int) -> None:
        """The work ahead: files to write and passages to embed (known before embedding)."""

    def embedded(self, passages: int) -> None:
        """``passages`` more passages embedded."""

    def file_done(self, path: str) -> None:
        """One more file written (or found unchanged, or skipped)."""


@runtime_checkable
class BatchProgress(Protocol):
    """Progress over a batch of pairs: the total first, then one call per pair."""

    def start(self, total: int) -> None:
        """How many pairs the batch holds."""

    def __call__(self, pair_id: str) -> None:
        """One more pair done."""


class FileCallback:
    """Adapts a plain ``callback(path)`` (the older hook) to :class:`IngestProgress`."""

    def __init__(self, callback: Callable[[str], None]) -> None:
        self.callback = callback

    def start(self, files: int, passages: int) -> None:
        """Totals are of no use to a per-file callback."""

    def embedded(self, passages: int) -> None:
        """Nor are passage counts."""

    def file_done(self, path: str) -> None:
        """Call the callback with the file's path."""
        self.callback(path)


def as_progress(hook: IngestProgress | Callable[[str], None] | None) -> IngestProgress | None:
    """An :class:`IngestProgress` for either kind of hook."""
    if hook is None or isinstance(hook, IngestProgress):
        return hook
    return FileCallback(hook)


class IngestInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped an ingest between two writes; the index holds whole files only.

    ``report`` counts what was written before the stop (those files are searchable);
    ``pending`` are the files whose changes were not written (they are as they were).
    ``kept``: a rebuild (``--reindex``) was stopped and the index is exactly as before it.
    """

    def __init__(self, report: IngestReport, pending: list[str], *, kept: bool = False) -> None:
        super().__init__("ingest interrupted")
        self.report = report
        self.pending = pending
        self.kept = kept


@contextmanager
def whole_write(interrupted: list[bool]) -> Iterator[None]:
    """Hold Ctrl-C while one window is written, so no file is left half replaced.

    Embedding (nearly all the time an ingest takes) stays interruptible at once; a Ctrl-C
    during the write lands when the write is done. Only the main thread can take signals.
    """
    previous = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() or previous is signal.SIG_IGN:
        yield  # no Ctrl-C can arrive here (another thread, or SIGINT ignored)
        return

    def hold(signum: int, frame: Any) -> None:
        interrupted.append(True)

    signal.signal(signal.SIGINT, hold)
    try:
        yield
    finally:
        signal.signal(
            signal.SIGINT, previous if previous is not None else signal.default_int_handler
        )
    if interrupted:
        raise KeyboardInterrupt
