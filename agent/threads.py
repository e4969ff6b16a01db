"""Conversation threads: who owns each, what kind it is, its chat history, one writer at a time.

A thread belongs to one pair (or none) and is either a ``chat`` or a ``sim`` (simulation)
thread; using it as anything else is refused. Chat history lives in the store, one row per
line, so a turn costs the same on the thousandth turn as on the first; the checkpointer only
keeps each chat thread's latest checkpoint (see :func:`agent.stores.prune_thread`).
Every scan of the store is paginated: nothing stops working past a fixed number of threads.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agent.errors import CoachError, NotFoundError, UserInputError
from agent.state import Turn

THREADS = ("threads",)
LATEST = ("latest_thread",)
_PAGE = 500
KINDS = {"chat": "conversation", "sim": "simulation"}


class ThreadBusyError(CoachError):
    """Another process is writing to the same thread right now."""


def _all(store: Any, namespace: tuple[str, ...]) -> list[Any]:
    """Every item in ``namespace``, page by page (items are collected before any change)."""
    found: list[Any] = []
    offset = 0
    while True:
        page = store.search(namespace, limit=_PAGE, offset=offset)
        found.extend(page)
        if len(page) < _PAGE:
            return found
        offset += _PAGE


def _history_ns(thread: str) -> tuple[str, ...]:
    return ("history", thread)


def _latest_key(pair_id: str | None, kind: str) -> str:
    return f"{kind}:{pair_id or '-'}"


class Threads:
    """The thread registry over a LangGraph BaseStore, with per-thread process locks."""

    def __init__(self, store: Any, lock_dir: Path) -> None:
        self.store = store
        self.lock_dir = lock_dir

    # -- ownership -----------------------------------------------------------------------
    def record(self, thread: str) -> dict[str, Any] | None:
        """The thread's registry record (pair_id, kind, updated_at, turns), if known."""
        item = self.store.get(THREADS, thread)
        return dict(item.value) if item is not None else None

    def register(self, thread: str, pair_id: str | None, kind: str) -> None:
        """Record a new thread as ``kind`` of ``pair_id`` (None: no pair)."""
        from langgraph.store.base import PutOp

        record = {"pair_id": pair_id, "kind": kind, "updated_at": _now(), "turns": 0}
        # One batch is one transaction (one commit and sync) instead of one per row.
        self.store.batch(
            [
                PutOp(THREADS, thread, record),
                PutOp(LATEST, _latest_key(pair_id, kind), {"thread": thread}),
            ]
        )

    def touch(self, thread: str, **changes: Any) -> None:
        """Mark the thread as the most recently used of its pair and kind."""
        record = self.record(thread)
        if record is None:
            return
        record.update(changes, updated_at=_now())
        self.store.put(THREADS, thread, record)
        latest = _latest_key(record.get("pair_id"), str(record.get("kind")))
        self.store.put(LATEST, latest, {"thread": thread})

    def check(self, thread: str, kind: str, pair_id: str | None = None) -> dict[str, Any]:
        """The record of a thread that exists, is of ``kind`` and (when given) is the pair's.

        Anything else is a one-line user error: an unknown thread, a simulation used as a
        chat (or the reverse), another pair's thread.
        """
        record = self.record(thread)
        if record is None:
            raise NotFoundError(f"no {KINDS[kind]} with thread {thread!r}")
        found = str(record.get("kind"))
        if found != kind:
            raise UserInputError(
                f"thread {thread!r} is a {KINDS.get(found, found)} thread, not a {KINDS[kind]}"
            )
        if pair_id is not None and record.get("pair_id") != pair_id:
            raise UserInputError(f"thread {thread!r} does not belong to pair {pair_id!r}")
        return record

    def latest(self, pair_id: str | None, kind: str) -> str | None:
        """The most recently used thread of this kind for the pair (or with no pair)."""
        pointer = self.store.get(LATEST, _latest_key(pair_id, kind))
        if pointer is not None:
            thread = str(pointer.value.get("thread"))
            if self.record(thread) is not None:
                return thread
        # Stores written before the pointer existed: one paginated scan, then remembered.
        found = [
            item
            for item in _all(self.store, THREADS)
            if item.value.get("pair_id") == pair_id and item.value.get("kind") == kind
        ]
        if not found:
            return None
        newest = str(max(found, key=lambda i: str(i.value.get("updated_at", ""))).key)
        self.store.put(LATEST, _latest_key(pair_id, kind), {"thread": newest})
        return newest

    def forget_pair(self, pair_id: str, known: list[str]) -> list[str]:
        """Remove every thread record and history of the pair; the thread ids removed."""
        threads = set(known)
        threads.update(
            str(item.key)
            for item in _all(self.store, THREADS)
            if item.value.get("pair_id") == pair_id
        )
        for thread in sorted(threads):
            self.clear_history(thread)
            self.store.delete(THREADS, thread)
        for kind in KINDS:
            self.store.delete(LATEST, _latest_key(pair_id, kind))
        return sorted(threads)

    # -- chat history --------------------------------------------------------------------
    def append(self, thread: str, turns: list[Turn]) -> None:
        """Add lines to the thread's history (one store row each) and count them."""
        from langgraph.store.base import PutOp

        record = self.record(thread)
        start = int((record or {}).get("turns") or 0)
        ops = [
            PutOp(_history_ns(thread), f"{number:09d}", dict(turn))
            for number, turn in enumerate(turns, start)
        ]
        if record is not None:
            record.update(turns=start + len(turns), updated_at=_now())
            latest = _latest_key(record.get("pair_id"), str(record.get("kind")))
            ops += [PutOp(THREADS, thread, record), PutOp(LATEST, latest, {"thread": thread})]
        # The lines and the count land together, in one transaction (one commit and sync).
        self.store.batch(ops)

    def history(self, thread: str) -> list[Turn]:
        """Every line of the thread's history, oldest first."""
        rows = sorted(_all(self.store, _history_ns(thread)), key=lambda item: str(item.key))
        return [Turn(role=row.value["role"], content=row.value["content"]) for row in rows]

    def clear_history(self, thread: str) -> None:
        """Delete the thread's stored history."""
        for item in _all(self.store, _history_ns(thread)):
            self.store.delete(_history_ns(thread), item.key)

    # -- one writer per thread -----------------------------------------------------------
    @contextmanager
    def writing(self, thread: str, *, wait: float = 0.0) -> Iterator[None]:
        """Hold the thread for one write; another process gets ThreadBusyError, not a fork."""
        from agent.files import process_lock

        name = hashlib.sha256(thread.encode()).hexdigest()[:24]
        busy = (
            f"thread {thread!r} is being updated by another coach process; "
            "nothing was changed, try again when it has finished"
        )
        with process_lock(self.lock_dir / f"{name}.lock", wait=wait, busy=ThreadBusyError(busy)):
            yield


def _now() -> str:
    return datetime.now(UTC).isoformat()
