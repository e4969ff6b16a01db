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


# Questions about what came before the situation or what the situation already holds are
# harmless; the model read past-tense questions as asking for the mentor's response.
@pytest.mark.parametrize(
    ("scenario", "question"),
    [
        ("checkout-incident-2am", "Was this the first time it happened?"),
        ("checkout-incident-2am", "What happened right before this?"),
        ("disagreeing-with-tech-lead", "Was this the first time it happened?"),
        ("harsh-code-review", "What happened right before this?"),
    ],
)
def test_a_harmless_background_question_is_not_refused(scenario: str, question: str) -> None:
    reply = clarify(question, get_starter(scenario))
    assert "give away how" not in reply and "stays hidden" not in reply, reply


@pytest.mark.parametrize(
    "question", ["How did the review turn out?", "What was the final decision?"]
)
def test_outcome_questions_stay_refused(question: str) -> None:
    reply = clarify(question, get_starter("disagreeing-with-tech-lead"))
    assert "give away" in reply
