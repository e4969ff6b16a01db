"""retrieve_guides: the passages every answer is grounded in and may cite."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from langgraph.runtime import Runtime

from agent.context import Context
from agent.memory import PairStore
from agent.state import State
from agent.text import mention_pattern

# Retrieval queries lean towards the guide ideas each capability draws on.
_FOCUS = {
    "reframe": "asking curious questions instead of judging when a partner did not do something",
    "suggest_questions": "curious open questions to ask your mentee about goals and progress",
}


_ACTIONS_QUERY = "turning a session into specific next steps and action items with owners"

# The guides' own short forms, which the embedding model has never seen ("what does ffwd mean"
# matched nothing and was refused): spelled out next to the user's words, never replacing them.
_SHORT_FORMS = {
    "ffwd": "Feedback Fast-Forward",
    "sim": "the Years of Experience in Months simulation",
    "yoe": "years of experience",
    "1:1": "one-to-one mentoring session",
    "1-1": "one-to-one mentoring session",
}
_SHORT_FORM = re.compile(
    r"(?<![\w:-])(" + "|".join(re.escape(k) for k in _SHORT_FORMS) + r")(?![\w:-])", re.I
)


def spelled_out(text: str) -> str:
    """``text`` with the guides' short forms followed by their long forms."""
    return _SHORT_FORM.sub(lambda m: f"{m.group(0)} ({_SHORT_FORMS[m.group(0).lower()]})", text)


def _roles_for_names(text: str, pair: Any) -> str:
    """``text`` with the pair's names as their roles, for the search only.

    A name means nothing to the embedding model ("I'm worried about Ines, she seems checked
    out" found no passage close enough; "... about the mentee ..." finds the guide on it).
    """
    for role, name, short in (
        ("the mentee", pair.mentee, pair.mentee_short),
        ("the mentor", pair.mentor, pair.mentor_short),
    ):
        pattern = mention_pattern(name, short)
        if pattern is not None:
            text = pattern.sub(role, text)
    return text


def _merged(runtime: Runtime[Context], queries: list[str], per_query: int, limit: int) -> list[Any]:
    seen: dict[str, Any] = {}
    for query in queries:
        for passage in runtime.context.knowledge.search(query[:2000], k=per_query):
            seen.setdefault(passage.id, passage)
    return list(seen.values())[:limit]


def _current(runtime: Runtime[Context], state: State, passages: list[Any]) -> dict[str, Any]:
    """The passages of guides the index is up to date with, and a note when some are not.

    A guide edited since it was ingested is left out rather than cited as it was (a
    section it no longer has), and the note says how to bring the index up to date.
    """
    stale = runtime.context.knowledge.stale_guides()
    update: dict[str, Any] = {}
    if stale:
        old = {cid for ids in stale.values() for cid in ids}
        passages = [p for p in passages if p.id not in old]
        names = [Path(key).name for key in stale]
        more = f" and {len(names) - 2} more" if len(names) > 2 else ""
        update["notes"] = [
            *(state.get("notes") or []),
            f"Your guides changed after they were indexed ({', '.join(names[:2])}{more}): "
            "run `coach ingest --reindex` so agendas cite them as they are now.",
        ]
    return update | {"passages": [p.model_dump(mode="json") for p in passages]}


def retrieve_guides(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Search the guide corpus for this turn's text (plus the capability's focus)."""
    intent = state.get("intent", "ask")
    text = state.get("text") or ""
    if intent == "agenda":
        from agent.agenda import AgendaContext, retrieval_queries

        ctx = AgendaContext.model_validate((state.get("payload") or {})["context"])
        passages = _merged(runtime, retrieval_queries(ctx), per_query=4, limit=12)
        return _current(runtime, state, passages)
    if intent == "actions":
        passages = runtime.context.knowledge.search(_ACTIONS_QUERY, k=3)
        return _current(runtime, state, passages)
    if state.get("pair_id") and runtime.store is not None:
        pair = PairStore(runtime.store).get(str(state["pair_id"]))
        text = _roles_for_names(text, pair)
        if intent == "suggest_questions":
            text = " ".join([text, *pair.goals])
    query = " ".join(part for part in (spelled_out(text.strip()), _FOCUS.get(intent, "")) if part)
    passages = runtime.context.knowledge.search(query[:2000], k=runtime.context.top_k)
    return _current(runtime, state, passages)
