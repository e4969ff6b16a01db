"""Helpers nodes share: passages in and out of state, and a guarded LLM call."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from langgraph.runtime import Runtime
from pydantic import BaseModel

import prompts
from agent.context import Context
from agent.errors import LLMError
from agent.state import State
from knowledge.models import Passage

T = TypeVar("T", bound=BaseModel)

MAX_LLM_REPAIRS = 1
"""Repairs per task and turn, end to end: the client's format repair and the graph's
guardrail repair draw on this one budget, so a task costs at most two requests."""


@dataclass(frozen=True)
class Drafted(Generic[T]):
    """An LLM draft with the repairs its task has spent this turn and its text findings.

    ``field_failures`` is what :func:`agent.guardrails.text_failures` found in its fields.
    """

    value: T
    repairs: int
    field_failures: list[str]


# What each task (prompt or capability node) produces, as a user-facing note names it.
_WHAT = {
    "reframe": "these questions",
    "reframe_question": "these questions",
    "suggest_questions": "these questions",
    "answer_guide": "this answer",
    "answer_from_guides": "this answer",
    "draft_agenda": "this agenda",
    "extract_actions": "these action items",
}


def what_of(task: str) -> str:
    """The task's output as a note names it ("these questions")."""
    return _WHAT.get(task, "this answer")


def from_builtin(what: str) -> str:
    """The output named by ``what`` said to come from the built-in coach (verb agreeing)."""
    verb = "come" if what.startswith("these ") else "comes"
    return f"{what} {verb} from the built-in coach"


def unavailable_note(exc: Exception, what: str) -> str:
    """The note for output made offline because the endpoint failed."""
    return f"The model could not answer ({exc}), so {from_builtin(what)}."


def passages_of(state: State) -> list[Passage]:
    """The passages retrieved for this turn."""
    return [Passage.model_validate(p) for p in state.get("passages") or []]


def format_passages(passages: Sequence[Passage]) -> str:
    """Passages as delimited data blocks carrying their ids, headed by title and section."""
    return "\n".join(
        prompts.delimit(f"passage {p.id}", f"[{_heading(p)}]\n{p.text}") for p in passages
    )


def _heading(passage: Passage) -> str:
    # Sections are usually stored as a path that starts with the title: say it once.
    if passage.section.startswith(passage.title):
        return passage.section
    return f"{passage.title} › {passage.section}"


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


def repairs_left(state: State) -> int:
    """How many repairs this turn's task may still spend."""
    return max(0, MAX_LLM_REPAIRS - (state.get("repairs") or 0))


def ask_llm(
    runtime: Runtime[Context],
    template: str,
    schema: type[T],
    task: str,
    *,
    max_repairs: int,
    **values: str,
) -> tuple[T, int]:
    """One structured LLM call with a prompt template: (answer, format repairs it took)."""
    chat = runtime.context.chat
    assert chat is not None  # guarded by use_llm
    return chat.structured_counted(
        prompts.render_messages(template, **values), schema, task=task, max_repairs=max_repairs
    )


def llm_draft(
    state: State,
    runtime: Runtime[Context],
    template: str,
    schema: type[T],
    notices: list[str],
    **values: str,
) -> Drafted[T] | None:
    """The LLM's draft when this attempt uses the LLM, else None.

    The draft carries the repairs spent so far, so that a format repair inside the client
    leaves no guardrail repair for the graph. When the endpoint fails (after the client's
    own retries) a note says so and the caller falls back to the offline engine.
    """
    if not use_llm(state, runtime):
        return None
    from agent.guardrails import input_terms, text_failures

    spent = state.get("repairs") or 0
    feedback = feedback_text(state)
    # What the answer may repeat depends on the input only: read it while the request is
    # in flight (the wait releases the GIL) instead of after the answer arrives.
    with ThreadPoolExecutor(max_workers=1) as pool:
        allowed = pool.submit(input_terms, *values.values(), feedback)
        try:
            value, repaired = ask_llm(
                runtime,
                template,
                schema,
                template,
                max_repairs=repairs_left(state),
                feedback=feedback,
                **values,
            )
        except LLMError as exc:
            notices.append(unavailable_note(exc, what_of(template)))
            return None
        return Drafted(value, spent + repaired, text_failures(value, allowed.result()))


def offline_draft(model: BaseModel, notes: list[str]) -> dict[str, Any]:
    """The state update for an offline draft, carrying any notes."""
    return {"draft": {"engine": "offline", "data": dump(model)}, "notes": notes}


def llm_update(drafted: Drafted[Any], model: BaseModel | None = None) -> dict[str, Any]:
    """The state update for an LLM draft (``model`` when the node reshaped the answer)."""
    data = dump(model if model is not None else drafted.value)
    draft = {"engine": "llm", "data": data, "field_failures": drafted.field_failures}
    return {"draft": draft, "repairs": drafted.repairs}


def dump(model: BaseModel) -> dict[str, Any]:
    """A model as JSON-safe state."""
    return model.model_dump(mode="json")
