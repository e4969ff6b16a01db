"""Graph state: a TypedDict with explicit reducers, and separate input and output schemas."""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypedDict

Intent = Literal[
    "reframe", "suggest_questions", "agenda", "simulate", "actions", "email", "ask", "other"
]
INTENTS: tuple[Intent, ...] = (
    "reframe",
    "suggest_questions",
    "agenda",
    "simulate",
    "actions",
    "email",
    "ask",
    "other",
)
# Capabilities served outside this graph (the simulation graph, the mail writer): a chat turn
# asking for them is answered with how to start them.
ELSEWHERE: frozenset[str] = frozenset({"simulate", "email"})
# Capabilities that need structured input (a context or notes), not just chat text.
NEEDS_PAYLOAD: frozenset[str] = frozenset({"agenda", "actions"})


class Turn(TypedDict):
    """One line of a conversation."""

    role: Literal["user", "coach"]
    content: str


RECENT_TURNS = 20


def recent_turns(left: list[Turn], right: list[Turn]) -> list[Turn]:
    """Append, keeping only the last RECENT_TURNS lines.

    The full history of a chat is in the store (agent.threads), one row per line; the state
    keeps a window so a checkpoint's size does not grow with the length of the conversation.
    """
    return (list(left or []) + list(right or []))[-RECENT_TURNS:]


class InputState(TypedDict, total=False):
    """What a caller sends: free text, optionally an explicit task and a pair."""

    text: str
    task: Intent | None
    pair_id: str | None
    payload: dict[str, Any] | None  # structured input for a task (agenda context, notes, ...)


class OutputState(TypedDict, total=False):
    """What a caller gets back."""

    intent: Intent
    reply: str
    result: dict[str, Any] | None
    engine: Literal["offline", "llm"]
    notes: list[str]
    retrieved: list[str]


class State(InputState, OutputState, total=False):
    """Everything the nodes share. Per-turn fields are reset by ``route_request``."""

    history: Annotated[list[Turn], recent_turns]
    passages: list[dict[str, Any]]
    draft: dict[str, Any] | None
    failures: list[str]
    repairs: int
    force_offline: bool
