"""Pydantic models for what the knowledge base returns: passages and ingest reports."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Passage(BaseModel):
    """A retrieved guide passage.

    ``score`` is the relevance, 0-1: the rank fusion of the semantic and keyword rankings
    (1.0 = first in both) times how clearly the passage is about the query by meaning (0 at
    the cosine similarity unrelated text reaches, 0.15; 1 from 0.5, where the right guide's
    passages usually are), and never above the passage ranked before it. 1.0 means first in
    both rankings and clearly on the subject; near 0 means no guide is about the query.
    ``similarity`` is the raw cosine similarity.
    """

    id: str
    text: str
    score: float
    similarity: float = 0.0
    title: str
    section: str
    source: str
    url: str = ""  # the source article's address ("" when the guide names none)
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


class FileWarning(BaseModel):
    """A file that was ingested, with something in it the user should fix."""

    path: str
    warning: str


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
    warnings: list[FileWarning] = Field(default_factory=list)
    gone: list[str] = Field(default_factory=list)  # named paths deleted since: now unindexed


def subsection(title: str, section: str) -> str:
    """The section path without the guide title it starts with, so titles print once."""
    parts = [p for p in section.split(" > ") if p.strip()]
    if parts and parts[0].strip().casefold() == title.strip().casefold():
        parts = parts[1:]
    return " > ".join(parts)
