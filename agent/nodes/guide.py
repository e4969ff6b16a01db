"""answer_from_guides: a grounded answer to a free question about mentoring."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

import prompts
from agent.context import Context
from agent.errors import LLMError
from agent.models import AnswerDraft
from agent.nodes.common import ask_llm, dump, feedback_text, format_passages, passages_of, use_llm
from agent.offline.guide_answer import answer_offline
from agent.state import State


def answer_from_guides(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Answer from the retrieved passages only, citing them."""
    text = state.get("text") or ""
    passages = passages_of(state)
    notes = list(state.get("notes") or [])
    if use_llm(state, runtime):
        try:
            draft = ask_llm(
                runtime,
                "answer_guide",
                AnswerDraft,
                "answer_guide",
                passages=format_passages(passages),
                question=prompts.delimit("question", text),
                feedback=feedback_text(state),
            )
            return {"draft": {"engine": "llm", "data": dump(draft)}}
        except LLMError as exc:
            notes.append(f"LLM unavailable ({exc}); used the offline engine")
    answer, cited = answer_offline(text, passages)
    offline = AnswerDraft(answer=answer, cited_ids=cited)
    return {"draft": {"engine": "offline", "data": dump(offline)}, "notes": notes}
