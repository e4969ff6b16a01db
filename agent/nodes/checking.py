"""check_output: the guardrails every engine's draft passes before the user sees it."""

from __future__ import annotations

import logging
from typing import Any, Literal

from langgraph.types import Command

from agent.guardrails import (
    action_failures,
    citation_failures,
    content_words,
    question_failures,
    reframe_failures,
)
from agent.models import Agenda, AnswerDraft, QuestionsDraft, ReframeDraft
from agent.nodes.common import MAX_LLM_REPAIRS, from_builtin, passages_of, what_of
from agent.nodes.routing import pick_capability
from agent.state import State

log = logging.getLogger(__name__)

Next = Literal[
    "reframe_question",
    "suggest_questions",
    "answer_from_guides",
    "draft_agenda",
    "extract_actions",
    "respond",
]


def draft_failures(state: State) -> list[str]:
    """What is wrong with this turn's draft; empty when it may be shown.

    An LLM draft's text fields were checked when it arrived (instructions, links and blame
    not in the input, length); those findings come first.
    """
    draft = state.get("draft") or {}
    fields = list(draft.get("field_failures") or []) if draft.get("engine") == "llm" else []
    return fields + _content_failures(state, draft)


def _content_failures(state: State, draft: dict[str, Any]) -> list[str]:
    data = draft.get("data") or {}
    passages = passages_of(state)
    intent = state.get("intent")
    if intent == "reframe":
        from agent.offline.language import is_english

        text = state.get("text") or ""
        if not data.get("questions") and not is_english(text):
            return []  # declined plainly as not English: nothing to check
        return reframe_failures(
            ReframeDraft.model_validate(data), state.get("text") or "", passages
        )
    if intent == "agenda":
        from agent.agenda import agenda_failures
        from agent.nodes.agenda import context_of

        agenda = Agenda.model_validate(data)
        failures = agenda_failures(agenda, context_of(state), {p.id for p in passages})
        return failures + [n for n in agenda.notes if "was not retrieved" in n]
    if intent == "actions":
        from agent.nodes.actions import ActionsDraft, notes_input

        actions = ActionsDraft.model_validate(data)
        payload = notes_input(state)
        return action_failures(actions.items, payload["notes"], payload["attendees"])
    if intent == "suggest_questions":
        questions = QuestionsDraft.model_validate(data)
        failures = citation_failures(questions.cited_ids, passages)
        if len(questions.questions) < 3:
            failures.append(f"{len(questions.questions)} questions given, at least 3 needed")
        return failures + question_failures(questions.questions, set())
    answer = AnswerDraft.model_validate(data)
    failures = citation_failures(answer.cited_ids, passages)
    if not answer.answer.strip():
        failures.append("the answer is empty")
    elif len(answer.answer) > 4000:
        failures.append("the answer is longer than 4000 characters")
    if passages and not answer.cited_ids and content_words(answer.answer) & {"guide", "guides"}:
        failures.append("the answer refers to the guides but cites none")
    return failures


def check_output(state: State) -> Command[Next]:
    """Pass the draft on, send LLM output back for one repair, then fall back to offline."""
    failures = draft_failures(state)
    if not failures:
        return Command(update={"failures": []}, goto="respond")
    engine = (state.get("draft") or {}).get("engine")
    notes = list(state.get("notes") or [])
    capability = pick_capability(state)
    if engine == "llm" and (state.get("repairs") or 0) < MAX_LLM_REPAIRS:
        update: dict[str, Any] = {"failures": failures, "repairs": (state.get("repairs") or 0) + 1}
        return Command(update=update, goto=capability)
    what = what_of(capability)
    if engine == "llm":
        # The user gets plain words; the checks' own findings go to the log (--verbose).
        log.info("the model's %s failed the checks after a repair: %s", capability, failures)
        notes.append(f"The model's answer did not pass our checks, so {from_builtin(what)}.")
        return Command(
            update={"failures": [], "force_offline": True, "notes": notes}, goto=capability
        )
    log.info("the built-in coach's %s failed a check: %s", capability, failures)
    them = "them" if what.startswith("these ") else "it"
    notes.append(f"Our checks flagged part of {what}; treat {them} as a starting point.")
    return Command(update={"failures": failures, "notes": notes}, goto="respond")
