"""The offline "Years of Experience in Months" simulation and "Feedback Fast-Forward" loop.

Deterministic and local (MiniLM embeddings and small learned models). The steps:
:func:`choose_scenario` and :func:`present_situation` (:mod:`.sim_scenario`); the attempt gate
:func:`assess_answer` (:mod:`.sim_attempt`); :func:`compare_approach` (:mod:`.sim_compare`,
matching by :mod:`.sim_match`); :func:`application_plan` (:mod:`.sim_plan`). Feedback
Fast-Forward lives in :mod:`.ffwd`; shared text helpers in :mod:`.sim_text`.
"""

from __future__ import annotations

from agent.offline.ffwd import (
    MAX_ROUNDS,
    MIN_ROUNDS,
    RoundRecord,
    ffwd_guidance,
    ffwd_observe,
    ffwd_summary,
    skill_problem,
)
from agent.offline.sim_attempt import TRYING, Assessment, assess_answer
from agent.offline.sim_compare import ApproachComparison, compare_approach, comparison_failures
from agent.offline.sim_plan import PlanStep, application_plan, plan_failures
from agent.offline.sim_scenario import (
    choose_scenario,
    clarify,
    leak_failures,
    present_situation,
    reask_prompt,
)
from agent.offline.sim_text import VERBS, Voice, split_sentences, text_failures

__all__ = [
    "MAX_ROUNDS",
    "MIN_ROUNDS",
    "TRYING",
    "VERBS",
    "ApproachComparison",
    "Assessment",
    "PlanStep",
    "RoundRecord",
    "Voice",
    "application_plan",
    "assess_answer",
    "choose_scenario",
    "clarify",
    "compare_approach",
    "comparison_failures",
    "ffwd_guidance",
    "ffwd_observe",
    "ffwd_summary",
    "leak_failures",
    "plan_failures",
    "present_situation",
    "reask_prompt",
    "skill_problem",
    "split_sentences",
    "text_failures",
]
