"""Prep sentences are read by a small learned model (training/prep_sentences.jsonl)."""

from __future__ import annotations

from agent.offline.agenda import main_topic


def test_the_challenge_is_the_topic_and_an_apology_is_never_quoted() -> None:
    topic, others = main_topic(
        "Apologies for missing last week. The launch went fine in the end. Not sure how to "
        "handle the on-call handover next week though.",
        ["Lead a design review"],
    )
    assert topic == "Not sure how to handle the on-call handover next week though."
    assert others == ["The launch went fine in the end."]


def test_a_question_after_a_mistake_is_a_challenge_not_self_blame() -> None:
    topic, _ = main_topic(
        "My bad, I didn't finish the course. Also, how do I tell my lead the estimate was too "
        "optimistic?"
    )
    assert topic == "How do I tell my lead the estimate was too optimistic?"
