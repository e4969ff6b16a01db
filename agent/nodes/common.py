"""Helpers nodes share: passages in and out of state, and a guarded LLM call."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from langgraph.runtime import Runtime
from pydantic import BaseModel

import prompts
from agent.context import Context
from agent.errors import LLMError
from agent.state import State
from knowledge.models import Passage

T = TypeVar("T", bound=BaseModel)


def passages_of(state: State) -> list[Passage]:
    """The passages retrieved for this turn."""
    return [Passage.model_validate(p) for p in state.get("passages") or []]


def format_passages(passages: Sequence[Passage]) -> str:
    """Passages as delimited data blocks carrying their ids."""
    return "\n".join(
        prompts.delimit(f"passage {p.id}", f"[{p.title} › {p.section}]\n{p.text}") for p in passages
    )


def feedback_text(state: State) -> str:
    """The guardrail findings a repair attempt must fix (empty on a first attempt)."""
    failures = state.get("failures") or []
    if not failures:
        return ""
    lines = "\n".join(f"- {f}" for f in failures)
    return f"\nYour previous answer failed these checks; fix every one:\n{lines}\n"


def use_llm(state: State, runtime: Runtime[Context]) -> bool:
    """Whether this attempt goes to the LLM (not after a fallback to offline)."""
    return (
        runtime.context.engine == "llm"
        and runtime.context.chat is not None
        and not state.get("force_offline")
    )


def ask_llm(
    runtime: Runtime[Context], template: str, schema: type[T], task: str, **values: str
) -> T:
    """One structured LLM call with a prompt template (the client retries and repairs JSON)."""
    chat = runtime.context.chat
    assert chat is not None  # guarded by use_llm
    return chat.structured(prompts.render_messages(template, **values), schema, task=task)


def llm_draft(
    state: State,
    runtime: Runtime[Context],
    template: str,
    schema: type[T],
    notices: list[str],
    **values: str,
) -> T | None:
    """The LLM's draft when this attempt uses the LLM, else None.

    When the endpoint fails (after the client's own retries) a note says so and the caller
    falls back to the offline engine.
    """
    if not use_llm(state, runtime):
        return None
    try:
        return ask_llm(runtime, template, schema, template, feedback=feedback_text(state), **values)
    except LLMError as exc:
        notices.append(f"LLM unavailable ({exc}); used the offline engine")
        return None


def offline_draft(model: BaseModel, notes: list[str]) -> dict[str, Any]:
    """The state update for an offline draft, carrying any notes."""
    return {"draft": {"engine": "offline", "data": dump(model)}, "notes": notes}


def llm_update(model: BaseModel) -> dict[str, Any]:
    """The state update for an LLM draft."""
    return {"draft": {"engine": "llm", "data": dump(model)}}


def dump(model: BaseModel) -> dict[str, Any]:
    """A model as JSON-safe state."""
    return model.model_dump(mode="json")
