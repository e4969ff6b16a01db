"""Pydantic domain and output models shared by the engines, the graph, the API and the CLI."""

from __future__ import annotations

from datetime import date
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
    url: str = ""  # the source article's address, when known

    @classmethod
    def of(cls, passage: Passage) -> Citation:
        """The citation for a retrieved passage."""
        return cls(
            id=passage.id,
            title=passage.title,
            section=passage.section,
            source=passage.source,
            url=passage.url,
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
    # None when the input was not judged (the offline engine declined non-English text).
    judgemental: bool | None
    markers: list[str]
    topic: str
    questions: list[CuriousQuestion]
    citations: list[Citation]
    engine: EngineName
    notes: list[str] = Field(default_factory=list)
    # "non-English" when the offline engine declined the input (it works in English only).
    language: Literal["English", "non-English"] = "English"


class QuestionsDraft(BaseModel):
    """What an engine proposes as questions for a session."""

    questions: list[CuriousQuestion]
    cited_ids: list[str] = Field(default_factory=list)


class QuestionSuggestions(BaseModel):
    """The answer to ``Coach.suggest_questions``."""

    pair_id: str | None
    questions: list[CuriousQuestion]
    citations: list[Citation]
    engine: EngineName
    notes: list[str] = Field(default_factory=list)


class AnswerDraft(BaseModel):
    """What an engine proposes as an answer grounded in guide passages."""

    answer: str
    cited_ids: list[str] = Field(default_factory=list)


class GuideAnswer(BaseModel):
    """An answer to a free question about mentoring, with its citations."""

    question: str
    answer: str
    citations: list[Citation]
    engine: EngineName
    notes: list[str] = Field(default_factory=list)


class NotAvailable(BaseModel):
    """A capability this chat turn cannot run by itself: says how to run it, never faked."""

    intent: str
    message: str


class ChatReply(BaseModel):
    """One turn of ``coach chat`` / ``Coach.chat``."""

    thread: str
    intent: str
    reply: str
    engine: EngineName
    result: dict[str, object] | None = None
    notes: list[str] = Field(default_factory=list)


# -- action items (issue 5) --------------------------------------------------------------
class ActionItem(BaseModel):
    """A commitment from session notes: who, what, by when, and the quote that shows it."""

    owner: str | None
    action: str
    due: date | None = None
    evidence: str
    # False when the owner is someone named in the notes who is not an attendee: kept, flagged.
    owner_known: bool = True


class WisdomRatio(BaseModel):
    """Share of a session's notes spent on insight, concrete action and relationship."""

    insight: float
    action: float
    relationship: float
    verdict: str


class ItemReference(BaseModel):
    """A notes line or a new item tied to an item already open on the pair."""

    item_id: str
    item: str  # the open item's wording
    text: str  # the notes line that says it is done, or the new item not stored


class ActionExtraction(BaseModel):
    """The answer to ``coach actions``."""

    items: list[ActionItem]
    ratio: WisdomRatio | None = None
    citations: list[Citation] = Field(default_factory=list)
    engine: EngineName = "offline"
    notes: list[str] = Field(default_factory=list)
    # On save: open items the notes say are done (to mark done), and new items not stored
    # because they repeat an open item of the same owner.
    done_in_notes: list[ItemReference] = Field(default_factory=list)
    repeats: list[ItemReference] = Field(default_factory=list)


# -- agendas (issue 5) -------------------------------------------------------------------
Stage = Literal["first-session", "regular", "stale-patch", "stalled", "graduation"]
#: Each stage as a person says it ("Agenda (a regular session, 60 minutes)").
STAGE_NAMES: dict[Stage, str] = {
    "first-session": "a first session",
    "regular": "a regular session",
    "stale-patch": "a session to reconnect",
    "stalled": "a session on what is holding progress up",
    "graduation": "a graduation session",
}


class AgendaBlock(BaseModel):
    """One time-boxed block of a session."""

    name: str
    minutes: int
    items: list[str]
    citations: list[Citation] = Field(default_factory=list)


class Agenda(BaseModel):
    """The answer to ``coach agenda``."""

    stage: Stage
    minutes: int
    blocks: list[AgendaBlock]
    prep_checklist: list[str] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    engine: EngineName = "offline"
    notes: list[str] = Field(default_factory=list)


# -- simulation (issue 6) ----------------------------------------------------------------
class SimulationTurn(BaseModel):
    """Where a simulation stands after a step: what to show and what the user can do."""

    thread: str
    exercise: str
    step: str
    prompt: str
    done: bool
    can: list[str] = Field(default_factory=list)
    engine: EngineName = "offline"
    notes: list[str] = Field(default_factory=list)


class SimulationView(BaseModel):
    """Everything a simulation thread holds so far (``coach simulate show``)."""

    thread: str
    pair_id: str
    exercise: str
    step: str
    done: bool
    stopped: bool = False
    scenario: dict[str, object] | None = None
    outline: str | None = None
    clarifications: list[dict[str, str]] = Field(default_factory=list)
    approach: str | None = None
    reveal: str | None = None
    comparison: dict[str, object] | None = None
    upcoming: str | None = None
    plan: list[dict[str, object]] = Field(default_factory=list)
    item_ids: list[str] = Field(default_factory=list)
    skill: str | None = None
    rounds: list[dict[str, object]] = Field(default_factory=list)
    summary: str | None = None
    skipped: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


# -- prep emails (issue 7) ---------------------------------------------------------------
class EmailResult(BaseModel):
    """The answer to ``coach email --pair``: drafts written and, with --send, what was sent."""

    pair_id: str
    session: int
    # "cancellation" when the session was removed and these messages cancel its invitation.
    kind: Literal["prep", "cancellation"] = "prep"
    recipients: list[str]
    drafts: list[str] = Field(default_factory=list)
    sent: list[dict[str, object]] = Field(default_factory=list)
    skipped_roles: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


def failed_deliveries(result: EmailResult) -> str:
    """The recipients a send did not reach, with the server's reason ("" when none failed)."""
    return "; ".join(
        f"{o.get('recipient')}: {o.get('error') or 'not delivered'}"
        for o in result.sent
        if o.get("status") == "failed"
    )


class EmailBatch(BaseModel):
    """The answer to ``coach email --all``."""

    pairs: int
    prepared: int
    sent: int
    already_sent: int = 0  # messages sent by an earlier run, unchanged: not sent again
    results: list[EmailResult] = Field(default_factory=list)
    failed: list[dict[str, str]] = Field(default_factory=list)
    # Pairs due with no email address at all: nothing to send, and nothing went wrong.
    skipped: list[dict[str, str]] = Field(default_factory=list)
