"""Clarifying questions are read by a small learned model (training/sim_clarify.jsonl)."""

from __future__ import annotations

import pytest

from agent.offline.sim_scenario import clarify
from agent.scenarios import get_starter


@pytest.mark.parametrize(
    "question",
    ["So how did the story end?", "What did Dana end up telling the customer?", "Did you revert?"],
)
def test_a_question_after_the_mentors_move_is_not_answered(question: str) -> None:
    reply = clarify(question, get_starter("checkout-incident-2am"), mentor="Dana")
    assert "give away how the engineer in this starter scenario handled it" in reply


def test_a_proposal_is_the_mentees_call() -> None:
    reply = clarify("Would it be okay to page my lead?", get_starter("checkout-incident-2am"))
    assert reply.startswith("That's yours to decide")


def test_a_question_about_the_situation_is_answered_from_it() -> None:
    reply = clarify("How many users are hit?", get_starter("checkout-incident-2am"))
    assert reply.startswith("From the situation:") and "30%" in reply
