"""Pydantic models for what the knowledge base returns: passages and ingest reports."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Passage(BaseModel):
    """A retrieved guide passage.

    ``score`` is the fused relevance (1.0 = first in both the semantic and the keyword
    ranking); ``similarity`` is the cosine similarity of the passage to the query.
    """

    id: str
    text: str
    score: float
    similarity: float = 0.0
    title: str
    section: str
    source: str
    doc_id: str = ""
    topics: list[str] = Field(default_factory=list)
    stage: list[str] = Field(default_factory=list)


class SearchResults(BaseModel):
    """The answer to ``coach search``."""

    results: list[Passage]


class SkippedFile(BaseModel):
    """A file that was not ingested, and why."""

    path: str
    reason: str


class IngestReport(BaseModel):
    """What one ingest did, counted in files (chunk counts alongside)."""

    files: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    chunks_added: int = 0
    chunks_removed: int = 0
    skipped: list[SkippedFile] = Field(default_factory=list)
