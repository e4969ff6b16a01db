"""State of the two multi-turn exercises: Years of Experience in Months, Feedback Fast-Forward."""

from __future__ import annotations

import operator
from typing import Annotated, Any, Literal, TypedDict

Exercise = Literal["experience", "ffwd"]
Step = Literal[
    "approach",  # waiting for the mentee's approach to the outlined situation
    "upcoming",  # waiting for an upcoming situation of the mentee's
    "skill",  # waiting for the skill to practise (Feedback Fast-Forward)
    "report",  # waiting for the mentee's report on an attempt
    "done",
]


class Reply(TypedDict, total=False):
    """What a human gate resumes with."""

    kind: Literal["answer", "clarify", "skip", "stop"]
    text: str


class GatePayload(TypedDict):
    """What a human gate shows while it waits (the interrupt's typed payload)."""

    step: Step
    prompt: str
    can: list[str]


class SimInput(TypedDict, total=False):
    """How a simulation starts."""

    pair_id: str
    exercise: Exercise
    scenario_id: str | None
    skill: str | None
    # Scenarios this pair has already worked through, chosen again only when nothing else is left.
    exclude: list[str]


class SimState(SimInput, total=False):
    """Everything the exercise nodes share; checkpointed after every step."""

    step: Step
    prompt: str
    engine: Literal["offline", "llm"]
    scenario: dict[str, Any]
    outline: str
    clarifications: Annotated[list[dict[str, str]], operator.add]
    reask: str  # the hint shown when the last answer was not yet an attempt
    first_try: str  # a thin or vague first answer, asked once for more and kept
    approach: str | None
    reveal: str
    comparison: dict[str, Any] | None
    upcoming: str | None
    plan: list[dict[str, Any]]
    item_ids: list[str]
    report: str
    rounds: Annotated[list[dict[str, Any]], operator.add]
    guidance: str
    summary: str
    skipped: Annotated[list[str], operator.add]
    stopped: bool
    done: bool
    notes: Annotated[list[str], operator.add]
