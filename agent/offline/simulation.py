"""The offline "Years of Experience in Months" simulation and "Feedback Fast-Forward" loop.

Deterministic and local (MiniLM embeddings and small learned models, never a network call).
The public API, by step of Years of Experience in Months:

1. :func:`choose_scenario` picks the scenario closest to the pair's goals and what's coming up.
2. :func:`present_situation` outlines it without the mentor's response (:func:`leak_failures`
   guards any outline); :func:`clarify` answers questions from the situation only.
3. The mentee commits to an approach: :func:`assess_answer` is the gate (a real attempt, or
   :func:`reask_prompt` asks again); :func:`compare_approach` then aligns it with what was
   actually done, by meaning.
4. :func:`application_plan` turns the principles into 2-4 steps for the mentee's own week.

Feedback Fast-Forward lives in :mod:`agent.offline.ffwd`. The parts: :mod:`.sim_text`
(steps, quoting, voice, text checks), :mod:`.sim_attempt`, :mod:`.sim_match`,
:mod:`.sim_scenario`, :mod:`.sim_compare`, :mod:`.sim_plan`.
"""

from __future__ import annotations

from agent.offline.ffwd import (
    MAX_ROUNDS,
    MIN_ROUNDS,
    RoundRecord,
    ffwd_guidance,
    ffwd_observe,
    ffwd_summary,
)
from agent.offline.sim_attempt import Assessment, assess_answer
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
    "split_sentences",
    "text_failures",
]
