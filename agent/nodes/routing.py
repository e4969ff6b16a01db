"""Entry routing: an explicit task or the intent of free chat text decides the path."""

from __future__ import annotations

import re
from typing import Literal

from langgraph.runtime import Runtime
from langgraph.types import Command

from agent.context import Context
from agent.offline.intent import classify_intent
from agent.state import ELSEWHERE, NEEDS_PAYLOAD, State
from agent.text import clean_text

_QUESTION = re.compile(r"\?\s*$|^(?:how|what|why|when|which|should|is|are|do|does|can)\b", re.I)


def route_request(
    state: State, runtime: Runtime[Context]
) -> Command[Literal["retrieve_guides", "respond"]]:
    """Record the user's turn, decide the intent and reset this turn's working fields."""
    # Callers of the graph itself (LangGraph Server) skip the Coach API: normalise here too.
    text = clean_text(state.get("text") or "").strip()
    intent = state.get("task") or classify_intent(text)
    if (
        not state.get("task")
        and intent == "agenda"
        and not state.get("payload")
        and not state.get("pair_id")
        and _QUESTION.search(text)
    ):
        # "how do we split the hour?" with no pair: a question about sessions is answered from
        # the guides, not with how to ask for an agenda (the classifier reads it as either).
        intent = "ask"
    update = {
        "text": text,
        "intent": intent,
        "history": [{"role": "user", "content": text}],
        "passages": [],
        "draft": None,
        "result": None,
        "failures": [],
        "repairs": 0,
        "force_offline": False,
        "notes": [],
        "retrieved": [],
        "engine": runtime.context.engine,
    }
    if intent in ELSEWHERE or intent == "other":
        return Command(update=update, goto="respond")
    if intent in NEEDS_PAYLOAD and not state.get("payload"):
        # Chat text alone cannot carry notes or an agenda context: explain how to ask.
        return Command(update=update | {"intent": intent}, goto="respond")
    return Command(update=update, goto="retrieve_guides")


Capability = Literal[
    "reframe_question", "suggest_questions", "answer_from_guides", "draft_agenda", "extract_actions"
]


def pick_capability(state: State) -> Capability:
    """The capability node for this turn's intent."""
    intent = state.get("intent")
    if intent == "reframe":
        return "reframe_question"
    if intent == "suggest_questions":
        return "suggest_questions"
    if intent == "agenda":
        return "draft_agenda"
    if intent == "actions":
        return "extract_actions"
    return "answer_from_guides"
