"""Opening the thread checkpointer and the pair store: SQLite by default, PostgreSQL at scale."""

from __future__ import annotations

import sqlite3
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from agent.errors import CoachError


def open_sqlite(path: Path) -> tuple[Any, Any, sqlite3.Connection]:
    """A SqliteSaver and a SqliteStore sharing one database file."""
    from langgraph.checkpoint.sqlite import SqliteSaver
    from langgraph.store.sqlite import SqliteStore

    path.parent.mkdir(parents=True, exist_ok=True)
    # One connection used from worker threads too (async API); the saver serialises access.
    conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA busy_timeout=10000")
    saver = SqliteSaver(conn)
    saver.setup()
    store = SqliteStore(conn)
    store.setup()
    return saver, store, conn


def open_postgres(url: str, stack: ExitStack) -> tuple[Any, Any]:
    """A PostgresSaver and PostgresStore for ``COACH_DATABASE_URL``."""
    try:
        from langgraph.checkpoint.postgres import PostgresSaver
        from langgraph.store.postgres import PostgresStore
    except ImportError as exc:
        raise CoachError(
            "COACH_DATABASE_URL needs the postgres extra: pip install 'session-coach[postgres]'"
        ) from exc
    try:
        saver = stack.enter_context(PostgresSaver.from_conn_string(url))
        store = stack.enter_context(PostgresStore.from_conn_string(url))
        saver.setup()
        store.setup()
    except Exception as exc:
        raise CoachError(f"cannot open the PostgreSQL database: {type(exc).__name__}") from exc
    return saver, store
