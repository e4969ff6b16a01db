"""Coach: the embeddable Python API (sync and async); the CLI is built only on this."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from agent.config import Settings, load_settings
from agent.errors import CoachError, UserInputError
from knowledge.models import IngestReport, SearchResults
from knowledge.store import KnowledgeBase, KnowledgeError, ProgressHook

T = TypeVar("T")


class Coach:
    """One coach over one COACH_HOME: knowledge base, pair records, threads and engines.

    Heavy resources (Chroma, the embedding model, SQLite, the LLM client) open lazily on
    first use, so constructing a Coach is cheap and has no side effects.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        knowledge: KnowledgeBase | None = None,
        http_client: Any = None,
    ) -> None:
        self.settings = settings or load_settings()
        self._knowledge = knowledge
        self._http_client = http_client

    # -- knowledge ---------------------------------------------------------------------
    @property
    def knowledge(self) -> KnowledgeBase:
        """The guide knowledge base (opened on first use)."""
        if self._knowledge is None:
            try:
                self._knowledge = KnowledgeBase.open(
                    self.settings.chroma_path,
                    self.settings.chroma_url,
                    embeddings=self.settings.embeddings,
                    collection=self.settings.collection,
                )
            except KnowledgeError as exc:
                raise CoachError(str(exc)) from exc
        return self._knowledge

    def ingest(
        self, paths: Sequence[str | Path], *, progress: ProgressHook | None = None
    ) -> IngestReport:
        """Add, update or remove guide passages from files and folders."""
        if not paths:
            raise UserInputError("give at least one file or folder to ingest")
        return self._kb_call(lambda: self.knowledge.ingest([Path(p) for p in paths], progress))

    def reindex(self, *, progress: ProgressHook | None = None) -> IngestReport:
        """Rebuild the guide index with the configured embedding model."""
        return self._kb_call(lambda: self.knowledge.reindex(progress))

    def search(
        self, query: str, k: int = 5, *, topic: str | None = None, stage: str | None = None
    ) -> SearchResults:
        """Guide passages nearest in meaning to ``query``."""
        if not query.strip():
            raise UserInputError("the search query is empty")
        if not 1 <= k <= 50:
            raise UserInputError(f"-k must be between 1 and 50, got {k}")
        return SearchResults(
            results=self._kb_call(lambda: self.knowledge.search(query, k, topic=topic, stage=stage))
        )

    async def asearch(
        self, query: str, k: int = 5, *, topic: str | None = None, stage: str | None = None
    ) -> SearchResults:
        """Async :meth:`search`."""
        return await asyncio.to_thread(self.search, query, k, topic=topic, stage=stage)

    async def aingest(self, paths: Sequence[str | Path]) -> IngestReport:
        """Async :meth:`ingest`."""
        return await asyncio.to_thread(self.ingest, paths)

    def _kb_call(self, call: Callable[[], T]) -> T:
        try:
            return call()
        except KnowledgeError as exc:
            raise CoachError(str(exc)) from exc

    def close(self) -> None:
        """Release open stores."""

    def __enter__(self) -> Coach:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
