"""Pydantic domain and output models shared by the engines, the graph, the API and the CLI."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from knowledge.models import Passage

EngineName = Literal["offline", "llm"]


class Citation(BaseModel):
    """A guide passage an answer used; always one that retrieval returned."""

    id: str
    title: str
    section: str
    source: str

    @classmethod
    def of(cls, passage: Passage) -> Citation:
        """The citation for a retrieved passage."""
        return cls(
            id=passage.id, title=passage.title, section=passage.section, source=passage.source
        )


class CuriousQuestion(BaseModel):
    """An open, blame-free question and why it helps."""

    question: str
    rationale: str


class ReframeDraft(BaseModel):
    """What an engine proposes for a reframe, before the guardrails check it."""

    judgemental: bool
    markers: list[str] = Field(default_factory=list)
    topic: str
    questions: list[CuriousQuestion]
    cited_ids: list[str] = Field(default_factory=list)


class ReframeResult(BaseModel):
    """The answer to ``coach reframe``."""

    input: str
    judgemental: bool
    markers: list[str]
    topic: str
    questions: list[CuriousQuestion]
    citations: list[Citation]
    engine: EngineName
    notes: list[str] = Field(default_factory=list)
