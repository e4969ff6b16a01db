"""How long runs report progress: totals first, then passages embedded, files or pairs done."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable


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
