"""Rewrites never garble: the bank, and every rewrite of 200+ varied judgemental inputs.

The inputs in tests/data/rewrite_inputs.txt were written for this test (code review, deadlines,
career moves, interviews, design, data, on-call, soft skills; informal spelling, non-native
English, sarcasm, rhetorical questions, statements of blame, two non-English lines). None of
them is in the situation classifier's training rows.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest

from agent.models import ReframeDraft
from agent.offline.judgement import detect_markers, is_judgemental
from agent.offline.learned import data_dir
from agent.offline.phrases import BLAME_WORDS, person_phrases, topic_phrases
from agent.offline.questions import load_bank
from agent.offline.reframe import reframe_offline
from agent.offline.words import grammar_problems

INPUTS = [
    line.strip()
    for line in (Path(__file__).parents[1] / "data" / "rewrite_inputs.txt")
    .read_text(encoding="utf-8")
    .splitlines()
    if line.strip() and not line.startswith("#")
]
# Label words chosen here, independently of the engine's own list.
LABELS = set(
    "arrogant sloppy lazy careless useless pathetic naive terrible disaster brutal incompetent "
    "stupid dumb rude defensive hopeless awful embarrassed embarrassing unacceptable".split()
)


@cache
def rewrite(text: str) -> ReframeDraft:
    return reframe_offline(text, [])


def test_there_are_enough_varied_inputs() -> None:
    assert len(INPUTS) >= 300
    assert len(set(INPUTS)) == len(INPUTS)
    training = {
        json.loads(line)["text"].lower()
        for line in (data_dir() / "training" / "situations.jsonl").read_text().splitlines()
    }
    assert not [t for t in INPUTS if t.lower() in training]


@pytest.mark.parametrize("text", INPUTS)
def test_every_rewrite_is_curious_grammatical_and_blame_free(text: str) -> None:
    draft = rewrite(text)
    assert len(draft.questions) >= (3 if draft.judgemental else 2)
    blamed = {w for w in re.findall(r"[a-z-]+", text.lower()) if w in LABELS | BLAME_WORDS}
    for item in draft.questions:
        question = item.question
        assert grammar_problems(question) == [], (question, grammar_problems(question))
        assert detect_markers(question) == [], question
        assert not is_judgemental(question), question
        assert not blamed & set(re.findall(r"[a-z-]+", question.lower())), (question, blamed)
        rationale = item.rationale
        assert rationale[0].isupper() and rationale.endswith("."), rationale
        assert grammar_problems(rationale[:-1] + "?") == [], rationale
        assert not is_judgemental(rationale), rationale
    assert len({q.question for q in draft.questions}) == len(draft.questions)


def test_most_rewrites_name_the_topic_when_the_input_has_one() -> None:
    named = [t for t in INPUTS if topic_phrases(t)]
    kept = [t for t in named if any(rewrite(t).topic in q.question for q in rewrite(t).questions)]
    assert len(named) >= 120
    assert len(kept) / len(named) >= 0.9


# -- the examples quoted in issue 10 --------------------------------------------------------


def texts(text: str) -> str:
    return " ".join(q.question for q in rewrite(text).questions)


def test_shipping_without_tests_is_not_turned_into_not_shipping() -> None:
    joined = texts("Why do you always ship without tests?").lower()
    assert "not to ship" not in joined and "not shipping" not in joined
    assert "easier" not in joined
    assert "test" in joined


def test_your_code_is_sloppy_is_not_copied_with_its_capital() -> None:
    joined = texts("Your code is sloppy.")
    assert "Your code" not in joined.replace("? Your", "?")
    assert "writing Your" not in joined
    assert "sloppy" not in joined.lower()
    assert "code" in joined


def test_a_career_move_stays_on_the_career_move() -> None:
    draft = rewrite("Why on earth would you leave a staff role for a startup?")
    joined = " ".join(q.question for q in draft.questions).lower()
    assert any(word in joined for word in ("role", "startup", "move", "career"))
    assert "how has this week been" not in joined
    assert "earth" not in joined


def test_arrogant_is_never_kept() -> None:
    for text in (
        "Why were you so arrogant in the architecture review?",
        "You were arrogant in the architecture review.",
        "Why are you always so arrogant in architecture reviews?",
    ):
        draft = rewrite(text)
        assert "arrogant" not in " ".join(q.question for q in draft.questions).lower()
        assert "arrogant" not in draft.topic


@pytest.mark.parametrize(
    "text",
    [
        "Is it really that hard to answer a message?",
        "Why do you care about titles that much?",
        "I don't like the way you talk to QA.",
        "¿Por qué no terminaste el informe a tiempo?",
        "Por favor, why didn't you test it?",
    ],
)
def test_no_dangling_or_foreign_slot_fills(text: str) -> None:
    joined = texts(text)
    for bad in ("that much", "the way", "Por", "that hard", "informe"):
        assert bad not in joined, (bad, joined)


def test_labels_the_list_lacks_are_dropped_from_the_topic_not_copied() -> None:
    # "half-baked", "clumsy", "amateurish" are in no list: the learned word check drops them.
    for text, topic, label in (
        ("Who approved this half-baked API?", "this API", "half-baked"),
        ("You wrote an amateurish design doc.", "a design doc", "amateurish"),
        ("Why is your clumsy API design still in main?", "your API design", "clumsy"),
    ):
        draft = rewrite(text)
        assert draft.topic == topic
        assert label not in " ".join(q.question for q in draft.questions).lower()


def test_a_describing_word_after_the_determiner_leaves_the_noun() -> None:
    assert topic_phrases("Why are you still stuck on the same bug after a week?") == ["the bug"]


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Why did a small outage take you all night?", "an outage"),
        ("You froze on such an easy question.", "a question"),
        ("Your playbook falls apart in a real incident.", "an incident"),
    ],
)
def test_the_article_fits_the_noun_left_after_a_describer_is_dropped(
    text: str, phrase: str
) -> None:
    # "a small outage" without "small" is "an outage", never "a outage".
    assert phrase in topic_phrases(text)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Why did you ship such a rushed migration?", "a migration"),
        ("Who is supposed to maintain your convoluted design?", "your design"),
        ("Why did you give such a vague estimate?", "an estimate"),
        ("Why is your unmaintainable script still here?", "your script"),
        ("Why you are not answer the pager last night?", "the pager"),
        ("Your variable names are cryptic nonsense.", "your variable names"),
        ("Another week, another slipped launch date. Shocking.", "the launch date"),
        ("ur PRs r always too big to review lol", "your PRs"),
        ("Why are you wasting your time on a master's degree?", "a master's degree"),
        ("Deadline missed again. Who is surprised?", "the deadline"),
        ("Code reviews from you take forever.", "the code reviews"),
        ("Stop dumping your half-done work on the juniors.", "your work"),
        ("Why do you keep ignoring the linter warnings?", "the linter warnings"),
        ("ok so the `UserService` refactor broke login AGAIN. nice.", "the UserService refactor"),
        ("Explain to me how the cron job ran twice.", "the cron job"),
        ("You seem to have no motivation at all lately.", "motivation"),
        ("Why would you move to management when you love coding?", "management"),
    ],
)
def test_topic_phrases_keep_the_thing_and_drop_how_it_was_judged(text: str, phrase: str) -> None:
    assert topic_phrases(text)[0] == phrase
    assert phrase in texts(text)


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Stop arguing with the product manager.", "the product manager"),
        ("Who told you it was okay to contradict the VP?", "the VP"),
        ("You never listen to the QA team.", "the QA team"),
        ("Why did you go over your manager's head?", "your manager"),
        # "principal" names a kind (the word model scores it clearly neutral), since round 14
        ("You're way too junior to be arguing with principal engineers.", "principal engineers"),
    ],
)
def test_a_person_is_named_when_the_input_names_nothing_else(text: str, person: str) -> None:
    assert person_phrases(text) == [person]
    assert person in texts(text)


@pytest.mark.parametrize(
    "text",
    [
        "Why does your ego get in the way of every review?",
        "Your sprint demo was a farce.",
        "Morning standup was a circus because of you.",
        "Your snarky reply to the PM was out of line.",
    ],
)
def test_a_noun_that_is_the_judgement_is_not_a_topic(text: str) -> None:
    joined = texts(text).lower()
    for word in ("ego", "farce", "circus", "snarky"):
        assert word not in joined


def test_a_verb_after_a_determiner_is_not_a_topic() -> None:
    assert topic_phrases("Do you have any idea how long this took?") == []


def test_a_judging_word_of_the_input_is_not_said_back_by_a_bank_question() -> None:
    for text in ("Just admit the architecture was wrong.", "Your numbers are wrong again."):
        assert "wrong" not in texts(text).lower()


# -- the bank -------------------------------------------------------------------------------

SITUATIONS = set(
    "missed-commitment late-work code-quality career-move interview design-decision data-work "
    "on-call conflict communication learning motivation attendance feedback stuck general "
    "asking-for-help preparation".split()
)
SAMPLE_TOPICS = ["the schema migration", "your unit tests", "a staff role", "Kubernetes"]


def test_the_bank_is_large_tagged_and_grounded_in_the_guides() -> None:
    bank = load_bank()
    assert len(bank) >= 420
    guides = {p.stem for p in (Path(__file__).parents[2] / "knowledge" / "guides").glob("*.md")}
    assert len({q.id for q in bank}) == len(bank)
    rewrites = [q for q in bank if q.situation in SITUATIONS]
    assert len(rewrites) >= 400
    assert {q.situation for q in rewrites} == SITUATIONS
    assert len({q.framework for q in bank}) >= 15
    assert len({q.question for q in rewrites}) == len(rewrites)
    for q in bank:
        assert q.guide in guides, q
        assert q.slot in (None, "{topic}", "{person}"), q
        assert (q.slot is not None) == (str(q.slot) in q.question), q
    assert sum(q.slot is None for q in rewrites) >= 300
    assert sum(q.slot is not None for q in rewrites) >= 80


@pytest.mark.parametrize("topic", SAMPLE_TOPICS)
def test_every_bank_question_reads_well_with_any_clean_topic(topic: str) -> None:
    for q in load_bank():
        question = q.filled(topic if q.slot else None)
        assert grammar_problems(question) == [], (q.id, question)
        assert detect_markers(question) == [], (q.id, question)
        assert not question.lower().startswith("why"), q.id
        assert grammar_problems(q.rationale[:-1] + "?") == [], q.id


def test_a_slot_is_never_the_subject_of_a_verb_that_agrees_with_it() -> None:
    agreeing = re.compile(
        r"(?<!of )(?<!on )(?<!for )(?<!with )(?<!about )"
        r"\{(?:topic|person)\} (?:is|was|has|does|looks|feels|fits|matters|goes|seems|wants)\b"
        r"|\b(?:is|was|has|does) \{(?:topic|person)\}"
    )
    assert not [q.question for q in load_bank() if agreeing.search(q.question)]


# -- the grammar heuristics themselves ------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        "what got in the way?",
        "What got in the way",
        "What got in the the way?",
        "Why do you care that much?",
        "What did you like about the way?",
        "What got you to the point?",
        "What did i say?",
        "What's writing Your code been like?",
        'What did "done" mean?"',
        "What about {topic}?",
        "What would help with a interview?",
        "What happened ?",
    ],
)
def test_grammar_heuristics_catch_garbled_questions(bad: str) -> None:
    assert grammar_problems(bad)


def test_grammar_heuristics_accept_good_questions() -> None:
    for good in (
        "What got in the way this week?",
        "How did the interview feel from your side?",
        "What got in the way?",
        'What does "done" mean for the schema migration?',
        "What would a good outcome for your design doc look like to you?",
    ):
        assert grammar_problems(good) == [], good
