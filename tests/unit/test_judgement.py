"""The learned judgement verdict on what people say, English-only handling, and the weights."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from agent.offline import train
from agent.offline.judgement_model import (
    is_judgemental_utterance,
    sentences,
    skeleton,
    utterance_score,
)
from agent.offline.language import ENGLISH_ONLY, is_english
from agent.offline.learned import data_dir, load_model, read_labelled
from agent.offline.reframe import reframe_offline

# Quoted in issue 10 as everyday judgement the old rules missed; not in the training data.
ISSUE_EXAMPLES = [
    "You're not really trying, are you?",
    "Isn't it obvious that a schema migration needs a second reviewer?",
    "so u skipped the mock interview agian?? whats even the point",
    "Who told you it was okay to contradict the VP?",
    "Are you really going to spend another month tuning the churn model?",
    "Pick up the pace.",
]

CURIOUS = [
    "Why did you choose Redis?",
    "Can you walk me through it again?",
    "What should I have asked earlier?",
    "What got in the way of finishing the chapter this week?",
    "How did the week go?",
    "What would help you feel ready for the system design interview?",
    "How are you feeling about the on-call rotation?",
    "What part of the design review felt hardest?",
]

# Written before their scores were seen, none a training row (checked below): everyday talk a
# mentoring pair sends (greetings, thanks, praise, sign-offs, logistics) is not judgement, and
# a short jab is, so the model has not learnt "short means fine".
EVERYDAY = [
    "Good morning!",
    "Hey there, how's it going?",
    "Thanks so much for your time.",
    "Cheers, speak Thursday.",
    "Congrats on shipping the release!",
    "Nice work on the quarterly report.",
    "Have a great weekend!",
    "Sounds good to me.",
    "Bye for now.",
    "Could we push our call to 4pm?",
]

SHORT_JABS = [
    "Wow, late again.",
    "Classic you.",
    "Oh sure, blame the compiler.",
    "Brilliant, the build is red again.",
    "Just read the docs, it's not hard.",
    "About time you replied.",
]


# Round seven, written before their scores were seen, none a training row (checked below): warm
# second-person talk and sign-offs the round-six model read as reproaches (the first three are
# the examples of the request; "you've got this" differs from the training row "You've got
# this." only in case and the full stop), and judgement in the styles it missed (rhetorical and
# counsellor-style questions, sarcasm, txt-speak, non-native English, pace pressure).
WARM: list[Any] = [
    "You did really well on that.",
    "Let me know how you get on.",
    "you've got this",
    "You handled the stakeholder questions brilliantly.",
    "You were really patient with the new joiner.",
    "Let me know if the new schedule works for you.",
    "Tell me how the first week goes!",
    "You should be really pleased with that talk.",
    # Flagged until round twelve (0.56 at 0.43); the two-view blend: 0.42 at 0.45.
    "You clearly worked hard on this, and it shows.",
    "Speak soon, and good luck on Monday.",
]

JUDGEMENT_STYLES: list[Any] = [
    "Who said it was alright to merge your own PR?",
    "Are you really going to ignore the reviewer again?",
    # Still missed (0.35 at 0.45; 0.22 in round seven): a rhetorical question, no blame word.
    pytest.param(
        "Is this honestly the best you could come up with?",
        marks=pytest.mark.xfail(strict=True, reason="known miss, docs/EVALS.md"),
    ),
    "Oh fantastic, the pipeline is broken again, thanks to you.",
    "ur always late to standup, wats ur excuse",
    "why you not reply to my messages since three days?",
    "Chop chop, the sprint ends tomorrow.",
    "Whose bright idea was it to drop the index?",
]


def _training_texts() -> set[str]:
    # Every judgement row file, in the fit or kept for a later round (judgement_round*.jsonl).
    files = sorted((data_dir() / "training").glob("judgement*.jsonl"))
    return {row.text for path in files for row in read_labelled(path)}


# Round nine's dev set (tests/data/judgement_round9_dev.jsonl): 118 rows written before the
# round's fit, in styles and domains the training rows cover least, kept out of the fit.
DEV_SET = Path(__file__).parent.parent / "data" / "judgement_round9_dev.jsonl"
# The round-twelve model: 50 of 60 caught, 9 of 58 flagged (round seven: 45 and 12).
DEV_RECALL = 0.83
DEV_FALSE_ALARMS = 0.16
# Round eleven's dev set (tests/data/judgement_round11_dev.jsonl): 124 rows written before the
# round's fit (sarcasm, passive-aggressive email formulae, rhetorical questions, blame, informal
# and non-native English; blunt curious questions, logistics, praise), kept out of the fit.
# The round-twelve model: 57 of 62 caught, 2 of 62 flagged (round seven: 51 and 4).
DEV_SET_11 = Path(__file__).parent.parent / "data" / "judgement_round11_dev.jsonl"
DEV_11_RECALL = 0.91
DEV_11_FALSE_ALARMS = 0.04
# Round twelve's dev set (tests/data/judgement_round12_dev.jsonl): 80 rows written before the
# round's fit (passive-aggressive email formulae, sarcasm with no blame word, counsellor
# confrontation, curt pace commands; sincere thanks, genuine reminders, curious "really"
# questions, logistics), kept out of the fit. The round-twelve model: 39 of 40 caught, 3 of 40
# flagged (round seven: 33 and 5).
DEV_SET_12 = Path(__file__).parent.parent / "data" / "judgement_round12_dev.jsonl"
DEV_12_RECALL = 0.97
DEV_12_FALSE_ALARMS = 0.08
# Round thirteen's dev set (tests/data/judgement_round13_dev.jsonl): 124 rows written before the
# round's fit (polite rhetorical questions, passive-aggressive email, blame in review comments,
# manager-speak, informal and non-native English, counsellor confrontation; blunt but fair
# requests, curious "why" questions, review nits, the mentee's self-criticism, someone else's
# judgement quoted to ask about it), kept out of the fit. The shipped (round-twelve) model: 48
# of 62 caught, 24 of 62 flagged; no refit of round thirteen beat it on every dev set.
DEV_SET_13 = Path(__file__).parent.parent / "data" / "judgement_round13_dev.jsonl"
DEV_13_RECALL = 0.77
# Round fifteen's target shift (judgement_target.py): 19 of 62 flagged (24 before), recall kept.
DEV_13_FALSE_ALARMS = 0.31
# Round fourteen's dev set (tests/data/judgement_round14_dev.jsonl): 150 rows written before the
# round's fit (veiled, sarcastic and reported-as-cover judgement of the listener; the mentee's
# self-criticism, judgement someone else made and the mentee quotes, praise, logistics, curious
# questions, reported facts), kept out of every fit. Main before the round: 63 of 71 caught, 33
# of 79 flagged; with round fifteen's target shift: 63 and 21.
DEV_SET_14 = Path(__file__).parent.parent / "data" / "judgement_round14_dev.jsonl"
DEV_14_RECALL = 0.88
DEV_14_FALSE_ALARMS = 0.27
# Round fifteen's dev set (tests/data/judgement_round15_dev.jsonl): 140 rows written before the
# round's fit (listener judgement in I-statements and reported-as-cover form, sarcasm, txt-speak
# and non-native blame; self-criticism, reported judgement, third-party work described plainly,
# direct-but-fair feedback, curious questions, praise, logistics), kept out of every fit. Main
# before the round: 63 of 70 caught, 18 of 70 flagged; with the target shift: 63 and 16.
DEV_SET_15 = Path(__file__).parent.parent / "data" / "judgement_round15_dev.jsonl"
DEV_15_RECALL = 0.9
DEV_15_FALSE_ALARMS = 0.23

# Round twelve, written before any model of the round scored them, none a training or dev row:
# the same formulae as a reproach and as plain logistics or thanks.
ROUND_TWELVE_JUDGEMENTAL = [
    "As stated in my previous email, the deadline has not moved.",
    "Another gentle nudge on the timesheets, in case the first five got lost.",
    "Thanks for finally answering my question.",
    "Speed up, everyone is waiting on you.",
    "Oh great, the dashboard is empty again.",
    "You keep promising to cut back, and every week it's the same.",
]
ROUND_TWELVE_CURIOUS = [
    "As stated in the invite, lunch is provided.",
    "A gentle nudge that the feedback form closes tomorrow.",
    "Thanks for answering my question so clearly.",
    # Flagged (0.95) while a bare "Really?" was scored as a sentence of its own.
    "Really? The conference moved to Lisbon?",
    "Can we speed up the CI by running tests in parallel?",
    "It sounds like this week has been a lot.",
]


def test_issue_examples_are_not_training_rows() -> None:
    assert not set(ISSUE_EXAMPLES) & _training_texts()


@pytest.mark.parametrize("text", ISSUE_EXAMPLES)
def test_issue_examples_are_judgemental(text: str) -> None:
    assert is_judgemental_utterance(text)
    draft = reframe_offline(text, [])
    assert draft.judgemental and len(draft.questions) == 3
    lowered = text.lower().replace("’", "'")
    assert all(m in lowered for m in draft.markers), draft.markers  # phrases only explain


@pytest.mark.parametrize("text", CURIOUS)
def test_curious_questions_are_not_flagged(text: str) -> None:
    assert not is_judgemental_utterance(text)
    draft = reframe_offline(text, [])
    assert not draft.judgemental and draft.markers == []


def test_everyday_and_jab_examples_are_not_training_rows() -> None:
    assert not set(EVERYDAY + SHORT_JABS) & _training_texts()


@pytest.mark.parametrize("text", EVERYDAY)
def test_everyday_talk_is_not_judgemental(text: str) -> None:
    assert not is_judgemental_utterance(text)
    assert not reframe_offline(text, []).judgemental


@pytest.mark.parametrize("text", SHORT_JABS)
def test_short_jabs_are_judgemental(text: str) -> None:
    assert is_judgemental_utterance(text)
    assert reframe_offline(text, []).judgemental


def test_round_seven_examples_are_not_training_rows() -> None:
    texts = {t if isinstance(t, str) else str(t.values[0]) for t in WARM + JUDGEMENT_STYLES}
    assert len(texts) == 18 and not texts & _training_texts()


@pytest.mark.parametrize("text", WARM)
def test_warm_second_person_talk_is_not_judgemental(text: str) -> None:
    assert not is_judgemental_utterance(text)
    assert not reframe_offline(text, []).judgemental


@pytest.mark.parametrize("text", JUDGEMENT_STYLES)
def test_judgement_in_other_styles_is_flagged(text: str) -> None:
    assert is_judgemental_utterance(text)
    assert reframe_offline(text, []).judgemental


def test_round_nine_dev_set_is_not_training_data() -> None:
    dev = {row.text.lower() for row in read_labelled(DEV_SET)}
    assert len(dev) == 118 and not dev & {t.lower() for t in _training_texts()}


def _dev_figures(path: Path) -> tuple[float, float]:
    rows = read_labelled(path)
    flagged = [is_judgemental_utterance(row.text) for row in rows]
    judgemental = [f for f, row in zip(flagged, rows, strict=True) if row.label == "judgemental"]
    curious = [f for f, row in zip(flagged, rows, strict=True) if row.label == "curious"]
    return sum(judgemental) / len(judgemental), sum(curious) / len(curious)


def test_round_nine_dev_set_figures() -> None:
    """Recall and false alarms on the round-nine dev set stay at their measured floors."""
    recall, false_alarms = _dev_figures(DEV_SET)
    assert recall >= DEV_RECALL
    assert false_alarms <= DEV_FALSE_ALARMS


def test_round_eleven_dev_set_is_not_training_data() -> None:
    dev = {row.text.lower() for row in read_labelled(DEV_SET_11)}
    nine = {row.text.lower() for row in read_labelled(DEV_SET)}
    assert len(dev) == 124 and not dev & ({t.lower() for t in _training_texts()} | nine)


def test_round_eleven_dev_set_figures() -> None:
    """Recall and false alarms on the round-eleven dev set stay at their measured floors."""
    recall, false_alarms = _dev_figures(DEV_SET_11)
    assert recall >= DEV_11_RECALL
    assert false_alarms <= DEV_11_FALSE_ALARMS


def test_round_twelve_dev_set_is_not_training_data() -> None:
    dev = {row.text.lower() for row in read_labelled(DEV_SET_12)}
    other = {row.text.lower() for path in (DEV_SET, DEV_SET_11) for row in read_labelled(path)}
    examples = {t.lower() for t in ROUND_TWELVE_JUDGEMENTAL + ROUND_TWELVE_CURIOUS}
    assert len(dev) == 80 and not dev & ({t.lower() for t in _training_texts()} | other)
    assert not examples & ({t.lower() for t in _training_texts()} | other | dev)


def test_round_twelve_dev_set_figures() -> None:
    """Recall and false alarms on the round-twelve dev set stay at their measured floors."""
    recall, false_alarms = _dev_figures(DEV_SET_12)
    assert recall >= DEV_12_RECALL
    assert false_alarms <= DEV_12_FALSE_ALARMS


def test_round_thirteen_dev_set_is_not_training_data() -> None:
    dev = {row.text.lower() for row in read_labelled(DEV_SET_13)}
    other = {
        row.text.lower()
        for path in (DEV_SET, DEV_SET_11, DEV_SET_12)
        for row in read_labelled(path)
    }
    assert len(dev) == 124 and not dev & ({t.lower() for t in _training_texts()} | other)


def test_round_thirteen_dev_set_figures() -> None:
    """Recall and false alarms on the round-thirteen dev set stay at their measured floors."""
    recall, false_alarms = _dev_figures(DEV_SET_13)
    assert recall >= DEV_13_RECALL
    assert false_alarms <= DEV_13_FALSE_ALARMS


def test_round_fourteen_dev_set_is_not_training_data() -> None:
    dev = {row.text.lower() for row in read_labelled(DEV_SET_14)}
    other = {
        row.text.lower()
        for path in (DEV_SET, DEV_SET_11, DEV_SET_12, DEV_SET_13)
        for row in read_labelled(path)
    }
    assert len(dev) == 150 and not dev & ({t.lower() for t in _training_texts()} | other)


def test_round_fourteen_dev_set_figures() -> None:
    """Recall and false alarms on the round-fourteen dev set stay at their measured floors."""
    recall, false_alarms = _dev_figures(DEV_SET_14)
    assert recall >= DEV_14_RECALL
    assert false_alarms <= DEV_14_FALSE_ALARMS


def test_round_fifteen_dev_set_is_not_training_data() -> None:
    dev = {row.text.lower() for row in read_labelled(DEV_SET_15)}
    other = {
        row.text.lower()
        for path in (DEV_SET, DEV_SET_11, DEV_SET_12, DEV_SET_13, DEV_SET_14)
        for row in read_labelled(path)
    }
    assert len(dev) == 140 and not dev & ({t.lower() for t in _training_texts()} | other)


def test_round_fifteen_dev_set_figures() -> None:
    """Recall and false alarms on the round-fifteen dev set stay at their measured floors."""
    recall, false_alarms = _dev_figures(DEV_SET_15)
    assert recall >= DEV_15_RECALL
    assert false_alarms <= DEV_15_FALSE_ALARMS


@pytest.mark.parametrize("text", ROUND_TWELVE_JUDGEMENTAL)
def test_passive_aggressive_formulae_and_pace_pressure_are_flagged(text: str) -> None:
    assert is_judgemental_utterance(text)


@pytest.mark.parametrize("text", ROUND_TWELVE_CURIOUS)
def test_the_same_words_in_plain_logistics_and_thanks_are_not_flagged(text: str) -> None:
    assert not is_judgemental_utterance(text)


@pytest.mark.parametrize("text", ["?", "...", "!!!", "?!", "…", "🙂", " — "])
def test_text_without_a_word_is_not_judged(text: str) -> None:
    assert not is_judgemental_utterance(text)
    draft = reframe_offline(text, [])  # nothing to judge, and nothing crashes
    assert not draft.judgemental and draft.markers == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Really? The demo moved to Friday.", ["Really? The demo moved to Friday."]),
        ("The build is red. Again.", ["The build is red. Again."]),
        ("Wow. Really? You did that.", ["Wow. Really? You did that."]),
        ("Hi. Thanks.", ["Hi. Thanks."]),
        ("Good call. Ship it.", ["Good call.", "Ship it."]),
    ],
)
def test_one_word_sentences_are_read_with_their_neighbour(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_one_judgemental_sentence_flags_a_longer_text() -> None:
    calm = "Thanks for the update on the migration."
    assert sentences(f"{calm} Honestly, your planning is a joke.") == [
        calm,
        "Honestly, your planning is a joke.",
    ]
    assert is_judgemental_utterance(f"{calm} Honestly, your planning is a joke.")
    assert utterance_score(calm) < utterance_score(f"{calm} Honestly, your planning is a joke.")


def test_skeleton_keeps_the_tone_and_drops_the_topic() -> None:
    assert skeleton("Who told you it was okay to contradict the VP?") == (
        "who something you it was okay to something the something ?"
    )


@pytest.mark.parametrize(
    "text",
    [
        "¿Por qué no terminaste el capítulo otra vez?",
        "Por qué no terminaste el capítulo otra vez",
        "Pourquoi tu n'as pas fini le chapitre encore une fois ?",
        "Warum hast du das Kapitel nicht fertig gemacht?",
        "Почему ты не закончил главу?",
    ],
)
def test_non_english_is_recognised(text: str) -> None:
    assert not is_english(text)


@pytest.mark.parametrize(
    "text",
    [
        "Why did you choose Redis?",
        "so u skipped the mock interview agian??",
        "Update your résumé before the café meetup.",
        "Pick up the pace.",
        "Kafka?",
    ],
)
def test_english_is_recognised(text: str) -> None:
    assert is_english(text)


@pytest.mark.timeout(900)  # embeds ~5,000 texts and fits six models (5-fold CV, then all rows)
def test_shipped_weights_match_the_training_data() -> None:
    """`python -m agent.offline.train judgement --check` passes: the weights are reproducible."""
    assert train.main(["judgement", "--check"]) == 0
    meta = load_model("judgement").meta
    assert meta["cv"]["recall"] >= 0.9
    assert 0.0 < meta["threshold"] < 1.0


def test_cli_reframe_says_english_only(capsys: pytest.CaptureFixture[str]) -> None:
    from agent.cli import run

    text = "¿Por qué no terminaste el capítulo otra vez?"
    assert run(["reframe", text, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["language"] == "non-English"
    assert data["questions"] == [] and data["markers"] == [] and data["judgemental"] is None
    assert ENGLISH_ONLY in data["notes"]
    assert run(["reframe", text]) == 0
    assert "English only" in capsys.readouterr().out
