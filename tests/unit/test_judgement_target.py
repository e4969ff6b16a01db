"""Who a sentence judges (agent/offline/judgement_target.py), and what the verdict makes of it.

Product decision (round fourteen): the reframe verdict asks whether the speaker judges the
listener. The mentee's self-criticism ("I'm so lazy, I never finish anything") and a judgement
someone else made that the mentee reports or quotes ("My lead said my code is sloppy") are not
the speaker judging the listener: they are not flagged, and the coach answers them as a question
to work on. Judgement of the listener dressed as a report ("Everyone says you're lazy") is.
Inputs written for these tests, none a training or dev row.
"""

from __future__ import annotations

import pytest

from agent.offline.judgement_model import is_judgemental_utterance
from agent.offline.judgement_target import HINGES, NAME, TARGETS, target_features
from agent.offline.learned import load_model

CASES = {
    "listener": [
        "You clearly skipped the checklist before the rollout.",
        "Your notes from the meeting were useless.",
    ],
    "speaker": [
        "I'm hopeless at code review, I miss everything.",
        "I was a coward in the planning meeting.",
    ],
    "other": [
        "My manager said my proposal was sloppy.",
        'A reviewer commented "this is a hack" on my branch.',
    ],
    "none": [
        "The meeting room is booked until four.",
        "The nightly build takes forty minutes.",
    ],
    "third": [
        "Our release manager is careless and never reads the checklist.",
        "That consultant is a fraud, he bills for work he never does.",
    ],
}


def _predict(texts: list[str]) -> list[str]:
    model = load_model(NAME)
    return [model.labels[int(p.argmax())] for p in model.scores(target_features(texts))]


def test_target_classes_on_new_sentences() -> None:
    texts = [t for rows in CASES.values() for t in rows]
    expected = [label for label, rows in CASES.items() for _ in rows]
    assert set(CASES) == set(TARGETS)
    assert _predict(texts) == expected


def test_the_shift_only_lowers_speaker_and_other() -> None:
    shift = load_model(NAME).meta["shift"]
    assert set(shift) <= {"speaker", "other"} and all(v < 0 for v in shift.values())


def test_the_hinge_is_one_of_the_cross_validated_choices() -> None:
    assert load_model(NAME).meta["hinge"] in HINGES


@pytest.mark.parametrize(
    "text",
    [
        "I'm so useless at deadlines, I always let the team down.",
        "My tech lead said my tests are lazy. How do I improve them?",
    ],
)
def test_self_criticism_and_reported_judgement_are_not_flagged(text: str) -> None:
    assert not is_judgemental_utterance(text)


@pytest.mark.parametrize(
    "text",
    [
        "You're so useless at deadlines, you always let the team down.",
        "Everyone on the team thinks your tests are lazy.",
    ],
)
def test_the_same_words_aimed_at_the_listener_are_flagged(text: str) -> None:
    assert is_judgemental_utterance(text)
