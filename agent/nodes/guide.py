"""answer_from_guides: a grounded answer to a free question about mentoring."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

import prompts
from agent.context import Context
from agent.models import AnswerDraft
from agent.nodes.common import format_passages, llm_draft, llm_update, offline_draft, passages_of
from agent.offline.guide_answer import answer_offline
from agent.state import State


def answer_from_guides(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Answer from the retrieved passages only, citing them."""
    text = state.get("text") or ""
    passages = passages_of(state)
    notes = list(state.get("notes") or [])
    draft = llm_draft(
        state,
        runtime,
        "answer_guide",
        AnswerDraft,
        notes,
        passages=format_passages(passages),
        question=prompts.delimit("question", text),
    )
    if draft is not None:
        return llm_update(draft)
    answer, cited = answer_offline(text, passages)
    return offline_draft(AnswerDraft(answer=answer, cited_ids=cited), notes)
