"""Round fourteen: a topic named through the word model's noun runs when no determiner marks one.

The sentences are written for this test, not taken from a dev or blind set; the dev set's
figure (tests/data/rewrite_round14.jsonl) is held by the ``rewrite_dev14`` eval gate.
"""

from __future__ import annotations

import pytest

from agent.offline.phrases import model_phrases, topic_phrases
from agent.offline.reframe import extract_topic


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("You clearly don't get how database indexes work.", "database indexes"),
        ("How can you keep sending unreadable status emails?", "status emails"),
        ("You left 12 idle containers running all night.", "containers"),
    ],
)
def test_a_bare_noun_run_names_the_topic(text: str, phrase: str) -> None:
    assert phrase in model_phrases(text)


@pytest.mark.parametrize(
    "text",
    [
        "You keep writing stale tickets nobody can act on.",  # "stale" judges
        "Stop pushing sloppy code to the shared branch.",
        "Enough drama, just ship it.",  # a lone noun near the labels
        "You're not really trying, are you?",  # a verb after an adverb
        "Why did you freeze when they asked you?",  # a verb after its subject
        "You push broken builds every Friday, typical.",  # a day is a time
    ],
)
def test_no_judging_word_and_no_verb_is_taken(text: str) -> None:
    said = " ".join(model_phrases(text)).lower()
    for word in ("stale", "sloppy", "drama", "trying", "freeze", "friday", "running"):
        assert word not in said


def test_the_fallback_is_used_only_when_no_determiner_phrase_is_safe() -> None:
    text = "Why are there no unit tests in your pull request?"
    assert extract_topic(text).phrases[0] == topic_phrases(text)[0]
    assert extract_topic("Stop ignoring flaky alerts on weekends.").phrases


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Your estimate reads like a wish, not like a plan.", "a wish"),  # what it is called
        ("Another 3,000-line diff to review, great.", "the 3"),  # a count is no head
    ],
)
def test_what_a_thing_is_likened_to_and_bare_numbers_are_not_topics(text: str, absent: str) -> None:
    assert absent not in topic_phrases(text)


def test_a_clearly_neutral_describer_names_a_kind() -> None:
    assert topic_phrases("You skipped the final review again.")[0] == "the final review"
