"""reframe_question and suggest_questions: curious questions, from either engine."""

from __future__ import annotations

import re
from typing import Any

from langgraph.runtime import Runtime

import prompts
from agent.context import Context
from agent.memory import PairStore
from agent.models import QuestionsDraft, ReframeDraft
from agent.nodes.common import format_passages, llm_draft, llm_update, offline_draft, passages_of
from agent.offline.language import ENGLISH_ONLY, is_english
from agent.offline.reframe import reframe_offline, suggest_questions_offline
from agent.state import State
from agent.text import names_person


def reframe_question(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Draft curious alternatives to the user's question."""
    text = state.get("text") or ""
    passages = passages_of(state)
    notes = list(state.get("notes") or [])
    draft = llm_draft(
        state,
        runtime,
        "reframe",
        ReframeDraft,
        notes,
        passages=format_passages(passages),
        question=prompts.delimit("question", text),
    )
    if draft is not None:
        return llm_update(draft)
    if not is_english(text):
        # Say so plainly rather than guess at a language the detector was not trained on.
        empty = ReframeDraft(judgemental=False, markers=[], topic="", questions=[])
        return offline_draft(empty, [*notes, ENGLISH_ONLY])
    return offline_draft(reframe_offline(text, passages), notes)


def _pair_material(
    state: State, runtime: Runtime[Context]
) -> tuple[str | None, list[str], list[str]]:
    pair_id = state.get("pair_id")
    if not pair_id or runtime.store is None:
        return None, [], []
    pairs = PairStore(runtime.store)
    pair = pairs.get(str(pair_id))
    mentee = pair.called("mentee")
    items = [
        item.action
        for item in pairs.items(pair.id, status="open")
        if _asks_the_mentee(item.owner, item.action, pair.mentor, pair.mentor_short, mentee)
    ]
    return mentee, list(pair.goals), items


def _asks_the_mentee(
    owner: str | None, action: str, mentor: str, mentor_short: str | None, mentee: str
) -> bool:
    """Whether the questions (put to the mentee) may be about this item.

    The mentee's and unowned items, yes. The mentor's own task is the mentor's to report on,
    not the mentee's (their email lists it under "Yours"), unless it is something owed to the
    mentee ("Send Tomasz two example docs"): asking what they want from it is theirs to answer.
    """
    if not owner or not names_person(owner, mentor, mentor_short):
        return True
    return bool(re.search(rf"\b{re.escape(mentee)}\b", action, re.IGNORECASE))


def suggest_questions(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Curious questions for the pair's next session from its goals and open items."""
    passages = passages_of(state)
    mentee, goals, items = _pair_material(state, runtime)
    notes = list(state.get("notes") or [])
    draft = llm_draft(
        state,
        runtime,
        "suggest_questions",
        QuestionsDraft,
        notes,
        passages=format_passages(passages),
        mentee=prompts.delimit("mentee", mentee or "unknown"),
        goals=prompts.delimit("goals", "\n".join(goals) or "none recorded"),
        items=prompts.delimit("items", "\n".join(items) or "none open"),
    )
    if draft is not None:
        return llm_update(draft)
    # The offline questions address the mentee by one word ("Minh, how ..."): a name kept
    # whole ("Đặng Minh", no short name stored) must not be cut to its family name, so the
    # questions then address nobody by name.
    one_word = mentee if mentee and len(mentee.split()) == 1 else None
    questions = suggest_questions_offline(goals, items, passages, mentee=one_word)
    cited = [p.id for p in passages[:2]]
    return offline_draft(QuestionsDraft(questions=questions, cited_ids=cited), notes)
