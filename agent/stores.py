"""Opening the thread checkpointer and the pair store: SQLite by default, PostgreSQL at scale."""

from __future__ import annotations

import sqlite3
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from agent.errors import CoachError, UserInputError
from agent.files import make_private_file


class _Connections:
    """Both connections, closed together."""

    def __init__(self, *conns: sqlite3.Connection) -> None:
        self.conns = conns

    def close(self) -> None:
        for conn in self.conns:
            conn.close()


def _connect(path: Path) -> sqlite3.Connection:
    # Used from worker threads too (async API); saver and store serialise their own access.
    conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA busy_timeout=10000")
    return conn


def open_sqlite(path: Path) -> tuple[Any, Any, _Connections]:
    """A SqliteSaver and a SqliteStore in one database file, each on its own connection.

    They manage transactions differently (the store issues explicit BEGIN/COMMIT), so sharing
    one connection lets one commit the other's transaction.
    """
    from langgraph.checkpoint.sqlite import SqliteSaver
    from langgraph.store.sqlite import SqliteStore

    # Pairs, notes and threads are personal: the database is 0600 before SQLite opens it,
    # and SQLite gives its -wal/-shm files the database's mode.
    make_private_file(path)
    for extra in ("-wal", "-shm"):
        if path.with_name(path.name + extra).exists():
            make_private_file(path.with_name(path.name + extra))
    saver_conn = _connect(path)
    store_conn = _connect(path)
    saver = SqliteSaver(saver_conn)
    saver.setup()
    store = SqliteStore(store_conn)
    store.setup()
    return saver, store, _Connections(saver_conn, store_conn)


def open_postgres(url: str, stack: ExitStack) -> tuple[Any, Any]:
    """A PostgresSaver and PostgresStore for ``COACH_DATABASE_URL``."""
    try:
        from langgraph.checkpoint.postgres import PostgresSaver
        from langgraph.store.postgres import PostgresStore
    except ImportError as exc:
        raise CoachError(
            "COACH_DATABASE_URL needs the postgres extra: pip install 'session-coach[postgres]'"
        ) from exc
    where, database = _postgres_target(url)
    try:
        saver = stack.enter_context(PostgresSaver.from_conn_string(url))
        store = stack.enter_context(PostgresStore.from_conn_string(url))
        saver.setup()
        store.setup()
    except Exception as exc:
        raise CoachError(_postgres_problem(exc, url, where, database)) from None
    return saver, store


_URL_SHAPE = "postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE"


def _postgres_target(url: str) -> tuple[str, str]:
    """``host:port`` and the database name of a PostgreSQL URL; a bad URL is a user error.

    Nothing here echoes the URL itself: it may carry a password.
    """
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url.strip())
        port = parts.port or 5432
    except ValueError:
        raise UserInputError(f"COACH_DATABASE_URL must look like {_URL_SHAPE}") from None
    if parts.scheme not in ("postgresql", "postgres"):
        got = f"{parts.scheme}://" if parts.scheme else "no scheme"
        raise UserInputError(f"COACH_DATABASE_URL must look like {_URL_SHAPE}, got {got}")
    host = parts.hostname or "localhost"
    database = parts.path.lstrip("/") or (parts.username or "")
    return f"{host}:{port}", database


def _postgres_problem(exc: Exception, url: str, where: str, database: str) -> str:
    """One line saying what went wrong, in the user's terms, without the URL's password."""
    from urllib.parse import urlsplit

    text = " ".join(str(exc).split())
    secret = urlsplit(url.strip()).password
    if secret:
        text = text.replace(secret, "***")
    lowered = text.casefold()
    if "does not exist" in lowered and "database" in lowered:
        return f"PostgreSQL database {database!r} does not exist on {where}: create it first"
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        return f"PostgreSQL at {where} refused the login: {text.split(':')[-1].strip() or text}"
    if "resolve host" in lowered or "name or service not known" in lowered:
        return f"cannot connect to PostgreSQL at {where}: the host name is not known"
    if "refused" in lowered or "timeout" in lowered or "connection failed" in lowered:
        return f"cannot connect to PostgreSQL at {where}: is the server running and reachable?"
    first = text[:200] or type(exc).__name__
    return f"cannot open the PostgreSQL database {database!r} on {where}: {first}"


def prune_thread(saver: Any, thread_id: str) -> None:
    """Keep only the latest checkpoint of a thread (with its pending writes).

    Uses the saver's own ``prune`` where it has one (PostgreSQL); SqliteSaver has none, so
    the same is done in SQL. Other savers (in-memory, in tests) are left as they are.
    """
    try:
        saver.prune([thread_id], strategy="keep_latest")
        return
    except (NotImplementedError, AttributeError):
        pass
    from langgraph.checkpoint.sqlite import SqliteSaver

    if not isinstance(saver, SqliteSaver):
        return
    with saver.cursor() as cur:
        cur.execute(
            "DELETE FROM checkpoints WHERE thread_id = ? AND checkpoint_id NOT IN "
            "(SELECT max(checkpoint_id) FROM checkpoints WHERE thread_id = ? "
            "GROUP BY checkpoint_ns)",
            (thread_id, thread_id),
        )
        cur.execute(
            "DELETE FROM writes WHERE thread_id = ? AND checkpoint_id NOT IN "
            "(SELECT checkpoint_id FROM checkpoints WHERE thread_id = ?)",
            (thread_id, thread_id),
        )
