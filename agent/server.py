"""The graphs and pair store for LangGraph Server (`langgraph dev`, Studio), from Settings.

``langgraph.json`` names the factories here. The server calls a graph factory per run and
passes the run's context as JSON; the coaching nodes need live clients (the knowledge base,
the chat client), which JSON cannot carry. So each factory compiles the graph with a context
class whose JSON fields are what a caller may choose (``engine``, ``top_k``) and whose
clients come from resources opened once per server process from ``COACH_*`` settings. A run
that sends no context gets the configured engine. Pair records live in the same store as the
CLI's (``COACH_HOME`` or ``COACH_DATABASE_URL``), through :func:`pair_store`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from langgraph.store.base import BaseStore, Op, Result

from agent.config import Settings, load_settings

if TYPE_CHECKING:
    from agent.llm import ChatClient
    from knowledge.store import KnowledgeBase


class _Resources:
    """The clients a server process shares between runs, opened on first use."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._knowledge: KnowledgeBase | None = None
        self._chat: ChatClient | None = None

    @property
    def knowledge(self) -> KnowledgeBase:
        if self._knowledge is None:
            from knowledge.store import KnowledgeBase

            self._knowledge = KnowledgeBase.open(
                self.settings.chroma_path,
                self.settings.chroma_url,
                embeddings=self.settings.embeddings,
                collection=self.settings.collection,
            )
        return self._knowledge

    @property
    def chat(self) -> ChatClient | None:
        if self._chat is None and self.settings.resolved_engine == "llm":
            from agent.llm import ChatClient

            self._chat = ChatClient.from_settings(self.settings)
        return self._chat


@lru_cache(maxsize=4)
def _resources(settings: Settings) -> _Resources:
    # One set per settings value: the server calls the factories for every run.
    return _Resources(settings)


def server_context(settings: Settings | None = None) -> type[Any]:
    """A context class for server runs: JSON fields a caller may set, clients from Settings.

    It offers what :class:`agent.context.Context` offers (``knowledge``, ``engine``, ``chat``,
    ``top_k``), so the same nodes run unchanged; an empty context means the configured engine.
    """
    resources = _resources(settings or load_settings())
    configured = resources.settings.resolved_engine

    @dataclass(frozen=True)
    class ServerContext:
        """Run context: ``engine`` (offline or llm; default: the configured one), ``top_k``."""

        engine: Literal["offline", "llm"] = configured
        top_k: int = 5

        def __post_init__(self) -> None:
            if self.engine not in ("offline", "llm"):
                raise ValueError(f"engine must be offline or llm, got {self.engine!r}")
            if self.engine == "llm" and configured != "llm":
                raise ValueError("engine llm needs OPENAI_API_KEY or OPENAI_BASE_URL")
            if not 1 <= self.top_k <= 20:
                raise ValueError(f"top_k must be between 1 and 20, got {self.top_k}")

        @property
        def knowledge(self) -> KnowledgeBase:
            return resources.knowledge

        @property
        def chat(self) -> ChatClient | None:
            return resources.chat if self.engine == "llm" else None

    return ServerContext


def coach_graph() -> Any:
    """The coaching graph for the server (it adds its own checkpointer and our store)."""
    from agent.graph import build_graph

    return build_graph(context_schema=server_context()).compile(name="session-coach")


def simulation_graph() -> Any:
    """The simulation graph (Years of Experience in Months, Feedback Fast-Forward)."""
    from agent.sim_graph import build_simulation_graph

    return build_simulation_graph(context_schema=server_context()).compile(
        name="session-coach-simulation"
    )


class ThreadedStore(BaseStore):
    """A synchronous store (SqliteStore, PostgresStore) with async calls run on a thread.

    The server calls the async API; the nodes (sync functions) call the sync one.
    """

    def __init__(self, inner: BaseStore) -> None:
        self.inner = inner

    def batch(self, ops: Iterable[Op]) -> list[Result]:
        """Run the operations on the wrapped store."""
        return self.inner.batch(ops)

    async def abatch(self, ops: Iterable[Op]) -> list[Result]:
        """Run the operations on the wrapped store, off the event loop."""
        return await asyncio.to_thread(self.inner.batch, list(ops))


@contextmanager
def pair_store() -> Iterator[BaseStore]:
    """The CLI's pair store (COACH_HOME's SQLite, or COACH_DATABASE_URL) for the server."""
    settings = load_settings()
    with ExitStack() as stack:
        if settings.database_url:
            from agent.stores import open_postgres

            _, store = open_postgres(settings.database_url, stack)
        else:
            from agent.stores import open_sqlite

            _, store, conns = open_sqlite(settings.sqlite_path)
            stack.callback(conns.close)
        yield ThreadedStore(store)
