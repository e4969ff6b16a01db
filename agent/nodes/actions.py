"""extract_actions: commitments from session notes, with verbatim evidence, from either engine."""

from __future__ import annotations

from datetime import date
from typing import Any

from langgraph.runtime import Runtime
from pydantic import BaseModel

import prompts
from agent.context import Context
from agent.models import ActionItem
from agent.nodes.common import llm_draft, llm_update, offline_draft, passages_of
from agent.state import State

# The offline engine's notes reader is English-only: say so rather than "no items".
NOT_ENGLISH = (
    "these notes do not read as English: the offline engine reads English notes only, so it "
    "took no items from them (an LLM endpoint, --engine llm, reads other languages)"
)


class ActionsDraft(BaseModel):
    """What an engine proposes as the notes' action items."""

    items: list[ActionItem]
    cited_ids: list[str] = []


def notes_input(state: State) -> dict[str, Any]:
    """The notes, attendees and dates this turn carries."""
    return dict(state.get("payload") or {})


def _canonical_owners(items: list[ActionItem], attendees: list[str]) -> list[ActionItem]:
    by_name = {a.casefold(): a for a in attendees}
    for attendee in attendees:
        by_name.setdefault(attendee.split()[0].casefold(), attendee)
    out = []
    for item in items:
        owner = by_name.get((item.owner or "").casefold(), item.owner)
        known = owner is None or owner in attendees
        out.append(item.model_copy(update={"owner": owner, "owner_known": known}))
    return out


def extract_actions(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Find who committed to what, by when, quoting the notes."""
    data = notes_input(state)
    notes_text: str = data["notes"]
    attendees: list[str] = list(data["attendees"])
    session_date = date.fromisoformat(data["session_date"])
    next_session = date.fromisoformat(data["next_session"]) if data.get("next_session") else None
    notes = list(state.get("notes") or [])
    draft = llm_draft(
        state,
        runtime,
        "extract_actions",
        ActionsDraft,
        notes,
        notes=prompts.delimit("notes", notes_text),
        attendees=", ".join(attendees),
        session_date=session_date.isoformat(),
        next_session=next_session.isoformat() if next_session else "not known",
        author=str(data.get("author") or "not known"),
    )
    if draft is not None:
        items = _canonical_owners(draft.value.items, attendees)
        return llm_update(draft, ActionsDraft(items=items))
    # Imported here: the notes parser (dates, segments, learned cues) only serves this node.
    from agent.offline.actions import extract_actions_offline, notes_in_english
    from agent.offline.people import People

    items = extract_actions_offline(
        notes_text, attendees, session_date, next_session, author=data.get("author")
    )
    # Notes that are not English give no items: only then is the reason worth a second look.
    if (
        not items
        and notes_text.strip()
        and not notes_in_english(notes_text, People(attendees, data.get("author"), notes_text))
    ):
        notes.append(NOT_ENGLISH)
    cited = [p.id for p in passages_of(state)[:1]]
    return offline_draft(ActionsDraft(items=items, cited_ids=cited), notes)
