"""The offline reframe engine: the judgemental-language detector, reframes and session questions."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from agent.guardrails import question_failures, reframe_failures
from agent.offline.judgement import (
    MARKER_KINDS,
    all_markers,
    detect,
    detect_markers,
    is_judgemental,
    marker_kinds,
)
from agent.offline.reframe import extract_topic, reframe_offline, suggest_questions_offline
from agent.offline.words import gerund, grammar_problems, to_base
from knowledge.models import Passage


def passage(pid: str, score: float, doc_id: str = "", topics: list[str] | None = None) -> Passage:
    return Passage(
        id=pid,
        text="Ask a curious question instead of disapproving." if topics is None else "Text.",
        score=score,
        title=pid,
        section="s",
        source="guides/x.md",
        doc_id=doc_id,
        topics=topics or [],
    )


PASSAGES = [
    passage("graduation#0", 0.71, "graduation-assessment", ["ending", "goals", "evaluation"]),
    passage("curiosity#1", 0.64, "curiosity-over-judgement", ["curiosity", "communication"]),
    passage("pillars#2", 0.52, "partnership-pillars", ["vulnerability", "curiosity", "action"]),
    passage("next-chapter#0", 0.40, "next-chapter-protocol", ["ending", "transition"]),
]

# --------------------------------------------------------------------------------------------
# Detector
# --------------------------------------------------------------------------------------------

JUDGEMENTAL = [
    ("Why didn't you finish the chapter again?", "why didn't you"),
    ("Why didn’t you do the exercises?", "why didn't you"),  # curly apostrophe
    ("WHY WON'T YOU ANSWER MY MESSAGES?", "why won't you"),
    ("Why didnt you tell me?", "why didnt you"),  # no apostrophe, reported as typed
    ("Why haven't you pushed your PR yet?", "why haven't you"),
    ("Why aren't you ready?", "why aren't you"),
    ("Why did you not send the invite?", "why did you not"),
    ("Why is it that you never reply on Slack?", "why is it that you never"),
    ("You never update the ticket, why?", "you never"),
    ("You should have tested it before merging.", "you should have"),
    ("You should’ve asked for help.", "you should've"),
    ("You shouldn't have merged that.", "you shouldn't have"),
    ("You need to take this seriously.", "you need to"),
    ("You always leave it to the last minute.", "you always"),
    ("Never finish anything, do you?", "never finish"),
    ("Late again?", "late again"),
    ("You forgot to update the docs again.", "again"),
    ("Have you even looked at the docs?", "have you even"),
    ("Did you even read my comments?", "did you even"),
    ("What were you thinking when you pushed straight to main?", "what were you thinking"),
    ("How many times do I have to tell you to write tests?", "how many times"),
    ("Seriously? The build is broken.", "seriously"),
    ("I told you to book the meeting room.", "i told you"),
    ("Obviously you didn't read the brief.", "obviously"),
    ("Clearly you weren't listening.", "clearly you"),
    ("You were supposed to send the slides.", "you were supposed to"),
    ("What's wrong with you?", "what's wrong with you"),
    ("Can't you just ask someone?", "can't you"),
    ("Nice of you to finally show up.", "nice of you to"),
    ("Thanks for finally replying.", "thanks for finally"),
    ("Look who decided to join us.", "look who decided"),
    ("Oh, glad you could make it.", "glad you could make it"),
    ("So you finally replied.", "you finally"),
    ("Why didn't Sam book the room?", "why didn't sam"),
    ("You keep forgetting the standup.", "you keep forgetting"),
]

CURIOUS = [
    "What got in the way of finishing the chapter?",
    "How did the week go?",
    "What would make it easier to keep to our plan?",
    "What have you tried so far?",
    "Is there anything I could do differently?",
    "What do you need to get started?",
    "Why did you choose Redis for the cache?",
    "Could we try that again next week?",
    "Glad you could make it, it's great to see you!",
    "What would you have to change to make it work?",
    "How has your week been? Is everything okay?",
    "Why don't we try again next week?",
    "Can you say that again?",
    "If you need to reschedule, just let me know.",
    "What do you feel prevented you from getting around to this task?",
    "Have we overestimated something in our agenda?",
    "What outcome would be ideal for you?",
    "Would another slot suit you better?",
    "When you come on board, what would you like to learn?",
]


@pytest.mark.parametrize(("text", "phrase"), JUDGEMENTAL)
def test_detector_flags_judgemental_language(text: str, phrase: str) -> None:
    markers = detect_markers(text)
    assert phrase in markers
    assert is_judgemental(text)
    # Markers are reported as they appear in the input (lowercased; ’ read as ').
    lowered = text.lower().replace("’", "'")
    assert all(m in lowered for m in markers)


@pytest.mark.parametrize("text", CURIOUS)
def test_detector_leaves_curious_questions_alone(text: str) -> None:
    assert detect_markers(text) == []
    assert not is_judgemental(text)


def test_markers_are_deduped_and_in_order() -> None:
    text = "Seriously? Why didn't you finish it? Why didn't you even start? Seriously."
    assert detect_markers(text) == ["seriously", "why didn't you"]
    assert detect_markers("Obviously you forgot. You always do, obviously.") == [
        "obviously",
        "you always",
    ]


def test_overlapping_phrases_are_one_marker() -> None:
    assert detect_markers("You never update the ticket, why?") == ["you never", "why"]


def test_marker_kinds_classify_the_judgement() -> None:
    assert marker_kinds("Late again? You always do this.") == ["repetition", "absolute"]
    assert marker_kinds("Nice of you to finally show up.") == ["sarcasm"]
    assert set(marker_kinds("I told you. Have you even read it?")) == {"told", "doubt"}


def test_every_marker_catches_its_own_example() -> None:
    """The exposed marker list is what an eval reports coverage against."""
    markers = all_markers()
    assert len({m.name for m in markers}) == len(markers)
    assert {m.kind for m in markers} == set(MARKER_KINDS)
    for marker in markers:
        fired = {hit.marker for hit in detect(marker.example)}
        assert marker.name in fired, (marker.name, marker.example)


# --------------------------------------------------------------------------------------------
# Topics
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Why didn't you finish the chapter again?", "the chapter"),
        ("You never update the ticket, why?", "the ticket"),
        ("Why haven't you pushed your PR yet?", "your PR"),
        ("Your code is sloppy.", "your code"),  # lower-cased determiner, label left out
        ("What were you thinking with this database migration?", "this database migration"),
        ("Why is your PR late?", "your PR"),
        (
            "Why haven't you booked the architecture review yet like I asked?",
            "the architecture review",
        ),
        ("Why hasn't he pushed his PR?", "your PR"),  # about the mentee: asked to them directly
        ("Why can't I ever finish my side project?", "your side project"),  # self-talk
        ("Why didn't you read my comments?", "my comments"),  # the speaker's own thing stays
        ("so u skipped the mock interview agian??", "the mock interview"),  # typo left out
    ],
)
def test_topic_is_a_clean_phrase_from_the_input(text: str, phrase: str) -> None:
    assert extract_topic(text).phrases[0] == phrase
    assert reframe_offline(text, []).topic == phrase


@pytest.mark.parametrize(
    "text",
    [
        "Late again?",
        "Is it really that hard to reply?",
        "Why do you talk like that much?",
        "You did it the way nobody does.",
        "Who told you it was okay to contradict the VP?",  # a person is not a topic
        "¿Por qué no terminaste el informe a tiempo?",  # not English: no slot fill
        "Your sloppy code broke the build.",
    ],
)
def test_no_vague_personal_foreign_or_blaming_phrase_is_taken(text: str) -> None:
    phrases = extract_topic(text).phrases
    assert not any(
        p.lower() in {"that hard", "that much", "the way", "the vp", "por"} for p in phrases
    )
    assert not any("sloppy" in p or p.startswith(("Por", "el ")) for p in phrases), phrases


@pytest.mark.parametrize(
    ("base", "ing"),
    [
        ("write", "writing"),
        ("commit", "committing"),
        ("push", "pushing"),
        ("run", "running"),
        ("review", "reviewing"),
        ("tie", "tying"),
        ("see", "seeing"),
        ("open", "opening"),
        ("debug", "debugging"),
        ("cancel", "cancelling"),
    ],
)
def test_gerunds(base: str, ing: str) -> None:
    assert gerund(base) == ing


@pytest.mark.parametrize(
    ("form", "base"),
    [
        ("pushed", "push"),
        ("merged", "merge"),
        ("committed", "commit"),
        ("tried", "try"),
        ("wrote", "write"),
        ("written", "write"),
        ("updating", "update"),
        ("forgetting", "forget"),
        ("replies", "reply"),
        ("fixes", "fix"),
        ("read", "read"),
        ("automated", "automate"),
        ("cancelling", "cancel"),
        ("travelled", "travel"),
    ],
)
def test_base_forms(form: str, base: str) -> None:
    assert to_base(form) == base


# --------------------------------------------------------------------------------------------
# Reframes
# --------------------------------------------------------------------------------------------

# (input, a word some question must keep; None when the input names no topic)
REFRAMES: list[tuple[str, str | None]] = [
    ("Why didn't you finish the chapter again?", "chapter"),
    ("You never update the ticket, why?", "ticket"),
    ("Why haven't you pushed your PR yet?", "PR"),
    ("Nice of you to finally show up.", None),
    ("You should have tested it before merging.", None),
    ("How many times do I have to tell you to write tests?", None),
    ("Have you even looked at the docs?", "docs"),
    ("What were you thinking when you pushed straight to main?", "main"),
    ("Late again?", None),
    ("You were supposed to send me the slides.", "slides"),
    ("Why is it that you never reply on Slack?", "Slack"),
    ("You always leave it to the last minute.", None),
    ("Seriously? The build is broken.", "build"),
    ("Why would you rewrite the whole module from scratch?", "module"),
    ("I told you to read the RFC before our session.", "RFC"),
    ("Why didn’t you prepare an agenda for today?", "agenda"),
]


def assert_curious(question: str) -> None:
    assert question.endswith("?"), question
    assert not question.lower().startswith("why"), question
    assert detect_markers(question) == [], question
    assert grammar_problems(question) == [], question


@pytest.mark.parametrize(("text", "keyword"), REFRAMES)
def test_reframe_turns_judgement_into_curious_questions(text: str, keyword: str | None) -> None:
    draft = reframe_offline(text, PASSAGES)
    assert draft.judgemental
    assert draft.markers == detect_markers(text)
    assert len(draft.questions) == 3
    for item in draft.questions:
        assert_curious(item.question)
        assert item.rationale.strip()
        assert "\n" not in item.rationale
        assert not any(m in item.question.lower() for m in draft.markers)
    if keyword:
        assert keyword in draft.topic
        assert any(keyword in q.question for q in draft.questions), draft.questions
    # Different frameworks, so different openings and different rationales.
    assert len({" ".join(q.question.lower().split()[:2]) for q in draft.questions}) == 3
    assert len({q.rationale.split(":")[0] for q in draft.questions}) == 3
    # Open questions: at most one without a what/how/which/where/when/who to answer.
    closed = [q for q in draft.questions if not OPEN_WORD.search(q.question)]
    assert len(closed) <= 1, [q.question for q in closed]


OPEN_WORD = re.compile(r"\b(?:what|what's|how|how's|which|where|when|who)\b", re.IGNORECASE)


@pytest.mark.parametrize(("text", "keyword"), REFRAMES)
def test_reframe_passes_the_output_guardrails(text: str, keyword: str | None) -> None:
    draft = reframe_offline(text, PASSAGES)
    assert reframe_failures(draft, text, PASSAGES) == []


def test_different_inputs_get_different_questions_not_one_template() -> None:
    sets = {
        text: tuple(q.question for q in reframe_offline(text, []).questions) for text, _ in REFRAMES
    }
    assert len(set(sets.values())) == len(sets)
    distinct = {q for questions in sets.values() for q in questions}
    assert len(distinct) >= 30


def test_decision_questions_do_not_treat_the_decision_as_a_goal() -> None:
    draft = reframe_offline("What were you thinking when you pushed straight to main?", PASSAGES)
    text = " ".join(q.question for q in draft.questions).lower()
    assert "got in the way of" not in text
    assert "help you push" not in text


def test_attendance_reframes_talk_about_the_sessions() -> None:
    draft = reframe_offline("Late again?", PASSAGES)
    text = " ".join(q.question for q in draft.questions).lower()
    assert "session" in text or "meeting" in text
    assert "right size" not in text


def test_reframe_is_deterministic() -> None:
    text = "Why didn't you finish the chapter again?"
    first = reframe_offline(text, PASSAGES).model_dump()
    assert all(reframe_offline(text, PASSAGES).model_dump() == first for _ in range(3))


def test_reframe_is_deterministic_across_processes() -> None:
    """No dependence on the per-process hash seed (set iteration, hash())."""
    code = (
        "import json; from agent.offline.reframe import reframe_offline; "
        "print(json.dumps([reframe_offline(t, []).model_dump() for t in "
        "['Late again?', 'You never update the ticket, why?', 'How did the week go?']]))"
    )
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
        )
        outputs.append(json.loads(run.stdout))
    assert outputs[0] == outputs[1]


def test_citations_come_only_from_the_retrieved_passages() -> None:
    draft = reframe_offline("Why didn't you finish the chapter again?", PASSAGES)
    ids = {p.id for p in PASSAGES}
    assert draft.cited_ids
    assert set(draft.cited_ids) <= ids
    # The guides behind the chosen questions are cited, not the higher-scored passage about
    # ending a mentorship.
    assert "graduation#0" not in draft.cited_ids
    assert reframe_offline("Late again?", []).cited_ids == []


def test_with_no_relevant_passage_the_top_scored_is_cited() -> None:
    unrelated = [
        passage("a", 0.3, "next-chapter-protocol", ["ending"]),
        passage("b", 0.9, "graduation-assessment", ["evaluation"]),
    ]
    assert reframe_offline("Late again?", unrelated).cited_ids[0] == "b"


def test_empty_input_is_an_error() -> None:
    with pytest.raises(ValueError):
        reframe_offline("   ", PASSAGES)


# --------------------------------------------------------------------------------------------
# Already-curious input
# --------------------------------------------------------------------------------------------


def normalised(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


@pytest.mark.parametrize(
    "text",
    [
        "What got in the way of finishing the chapter?",
        "How did the week go?",
        "What have you tried so far?",
        "Is there anything I could do differently?",
        "Did you finish the design doc?",
        "Why did you choose Redis for the cache?",
        "What would make it easier to keep to our plan?",
        "Are you interested in this mentorship?",
        "Are you enjoying the project?",
    ],
)
def test_curious_input_gets_refinements_not_a_rewrite(text: str) -> None:
    draft = reframe_offline(text, PASSAGES)
    assert not draft.judgemental
    assert draft.markers == []
    assert 1 <= len(draft.questions) <= 3
    for item in draft.questions:
        assert_curious(item.question)
        assert normalised(item.question) != normalised(text)
        assert item.rationale.strip()
        assert "interesting in" not in item.question
    assert reframe_failures(draft, text, PASSAGES) == []


# --------------------------------------------------------------------------------------------
# Questions for an upcoming session
# --------------------------------------------------------------------------------------------


def test_session_questions_come_from_goals_and_open_items() -> None:
    goals = ["Get comfortable reviewing PRs", "Become a tech lead within two years"]
    items = [
        "Sam: write the design doc for the cache (due 2024-05-03)",
        "Read chapter 3 of DDIA by Friday",
    ]
    questions = suggest_questions_offline(goals, items, PASSAGES, mentee="Sam Lee")
    assert 3 <= len(questions) <= 8
    texts = [q.question for q in questions]
    assert texts[0].startswith("Sam, ")
    assert any("writing the design doc for the cache" in t for t in texts)
    assert any("reading chapter 3 of DDIA" in t for t in texts)
    assert any("reviewing PRs" in t for t in texts)
    assert not any("due 2024" in t or "by Friday" in t for t in texts)
    assert question_failures(questions, set()) == []
    assert all(grammar_problems(t.replace("Sam, h", "H")) == [] for t in texts)
    assert suggest_questions_offline(goals, items, PASSAGES, mentee="Sam Lee") == questions


def test_session_questions_vary_with_the_items() -> None:
    one = suggest_questions_offline([], ["write the design doc for the cache"], [])
    two = suggest_questions_offline([], ["fix the flaky tests"], [])
    assert [q.question for q in one] != [q.question for q in two]
    assert any("design doc" in q.question for q in one)
    assert any("flaky tests" in q.question for q in two)


def test_an_item_that_cannot_be_phrased_cleanly_is_not_garbled() -> None:
    questions = suggest_questions_offline([], ["stop being so sloppy with the release notes"], [])
    assert len(questions) >= 3
    assert not any("sloppy" in q.question for q in questions)


def test_session_questions_without_goals_are_first_session_questions() -> None:
    questions = suggest_questions_offline([], [], [], mentee="Priya")
    assert 3 <= len(questions) <= 8
    assert questions[0].question.startswith("Priya, ")
    assert question_failures(questions, set()) == []
    general = suggest_questions_offline([], [], [])
    assert len(general) >= 3
    assert all(not q.question.startswith("Priya") for q in general)


# --------------------------------------------------------------------------------------------
# Regressions reported by a mentor trying the offline engine
# --------------------------------------------------------------------------------------------


def questions_of(text: str) -> list[str]:
    return [q.question for q in reframe_offline(text, []).questions]


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Why is this ticket still not done after two weeks?", "why is this ticket still not"),
        ("Are you actually interested in this mentorship or not?", "are you actually interested"),
        ("Are you actually interested in this mentorship or not?", "or not"),
        ("Do you actually care about code quality?", "do you actually care"),
        ("Why did you approve that PR without reading it?", "why did you approve that pr without"),
        ("Why did you push straight to main?", "why did you push straight to main"),
        ("Why did you merge without a review?", "why did you merge without a review"),
        ("Why is your PR late?", "why is your pr late"),
        ("Why is the design doc still not finished?", "why is the design doc still not finished"),
    ],
)
def test_detector_flags_lapses_ultimatums_and_doubt(text: str, phrase: str) -> None:
    markers = detect_markers(text)
    assert any(m.startswith(phrase) for m in markers), markers
    draft = reframe_offline(text, [])
    assert draft.judgemental
    assert reframe_failures(draft, text, []) == []


@pytest.mark.parametrize(
    "text",
    [
        "Why did you choose Redis?",
        "Why did you decide to go without a framework?",
        "Why did you go straight to the solution?",
        "Whether or not it works, what did you learn?",
        "Why is the release delayed? Is there anything I can help with?",
        "Is the staging deploy still not working?",
        "Are you interested in the platform team?",
        "Are you actually going to the conference?",
    ],
)
def test_genuine_questions_stay_unflagged(text: str) -> None:
    assert detect_markers(text) == []


def test_why_did_you_is_judged_by_the_action_not_the_opening() -> None:
    """A lapse or shortcut is a reproach; a choice is a genuine question."""
    assert is_judgemental("Why did you skip the retro?")
    assert is_judgemental("Why did you push straight to main?")
    assert is_judgemental("Why did you approve that PR without reading it?")
    assert not is_judgemental("Why did you choose Redis?")
    assert not is_judgemental("Why did you pick Postgres over Mongo?")


BRIEF_INPUTS = [
    "Is it really that hard to reply on Slack?",
    "What were you thinking with this database migration?",
    "Why do you keep cancelling our sessions?",
    "Why did you skip our 1:1 without telling me?",
    "Why is your PR late?",
    "Why is your PR late again?",
    "Why don't you ever say anything in standup?",
    "Why are your code review comments so lazy?",
    "Why is this ticket still not done after two weeks?",
    "Are you actually interested in this mentorship or not?",
    "Why did you approve that PR without reading it?",
    "Why did you push straight to main?",
    "Why haven't you booked the architecture review yet like I asked?",
    "Are you going to finish the migration or not?",
    "Why did you deploy without testing it?",
]


# Judgement the learned verdict misses (docs/EVALS.md reports its recall); tracked, not hidden.
KNOWN_MISSES: set[str] = set()


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(t, marks=pytest.mark.xfail(strict=True, reason="a known miss"))
        if t in KNOWN_MISSES
        else t
        for t in BRIEF_INPUTS
    ],
)
def test_every_judgemental_input_gets_at_least_three_good_questions(text: str) -> None:
    draft = reframe_offline(text, PASSAGES)
    assert draft.judgemental
    assert len(draft.questions) == 3
    assert reframe_failures(draft, text, PASSAGES) == []
    for item in draft.questions:
        assert_curious(item.question)
        assert not any(m in item.question.lower() for m in draft.markers)
    joined = " ".join(q.question for q in draft.questions)
    assert not re.search(r"\b\w+inging\b|\binteresting in\b|\bdatabasing\b|\bcancell\b", joined)
    assert "like I asked" not in joined and "without reading it" not in joined
    assert "lazy" not in joined


def test_a_late_piece_of_work_is_not_about_arriving_late() -> None:
    for text in ("Why is your PR late?", "Why is your report late?"):
        questions = " ".join(questions_of(text)).lower()
        assert "arriving" not in questions and "running late" not in questions, text


def test_stock_questions_do_not_recur_across_unrelated_inputs() -> None:
    counts: dict[str, int] = {}
    for text in BRIEF_INPUTS:
        for question in questions_of(text):
            counts[question] = counts.get(question, 0) + 1
    assert max(counts.values()) <= 4, max(counts, key=lambda k: counts[k])


# -- inputs a new-user trial found off topic (issue 10) ------------------------------------------
# Each rewrite stays with what the input is about: no mock interviews for untested code, no
# incident questions for an unread doc, no scheduling questions for an unprepared meeting.
OFF_TOPIC_WORDS = {
    "Why don't you ever run the tests?": ("test", ("interview", "on call", "data", "results")),
    "Why didn't you ask for help?": ("ask", ("interview", "on call", "alert")),
    "Did you even read the doc?": ("doc", ("interview", "on call", "incident")),
    "You came to the meeting unprepared again.": ("prepar", ("what time", "schedule", "cancel")),
}


@pytest.mark.parametrize("text", sorted(OFF_TOPIC_WORDS))
def test_trial_inputs_get_rewrites_about_their_own_topic(text: str) -> None:
    wanted, foreign = OFF_TOPIC_WORDS[text]
    questions = [q.question.lower() for q in reframe_offline(text, PASSAGES).questions]
    assert any(wanted in q for q in questions), questions
    assert not [q for q in questions if any(f in q for f in foreign)], questions


def test_help_and_preparation_have_their_own_situations() -> None:
    assert extract_topic("Why didn't you ask for help?").situation == "asking-for-help"
    assert extract_topic("You came to the meeting unprepared again.").situation == "preparation"


@pytest.mark.parametrize(
    ("text", "phrase", "becomes"),
    [
        ("What would make the next sprint easier?", "the sprint", "easier"),
        ("How do we make the review process smoother?", "the review process", "smoother"),
        ("Can we keep the standup shorter?", "the standup", "shorter"),
        ("What would make the on-call handover less stressful?", "the on-call handover", "less"),
        ("What would make the test runner faster?", "the test runner", "faster"),
        ("Can we make deploys safer?", "deploys", "safer"),
    ],
)
def test_what_a_thing_should_become_is_not_part_of_the_slot(
    text: str, phrase: str, becomes: str
) -> None:
    assert extract_topic(text).phrases[0] == phrase
    noun = phrase.split()[-1]
    for question in reframe_offline(text, PASSAGES).questions:
        assert f"{noun} {becomes}" not in question.question, question.question


@pytest.mark.parametrize(
    ("bad", "good"),
    [
        ("How did an one-on-one go?", "How did a one-on-one go?"),
        ("What did a SLA say?", "What did an SLA say?"),
        ("Is an unit test enough?", "Is a unit test enough?"),
        ("What would help with a interview?", "What would help with an interview?"),
    ],
)
def test_a_and_an_follow_the_sound_of_the_next_word(bad: str, good: str) -> None:
    assert grammar_problems(bad) and not grammar_problems(good)
    assert not grammar_problems("Would you turn down a FAANG offer?")  # said as a word


def test_a_one_on_one_keeps_its_article_in_a_rewrite() -> None:
    draft = reframe_offline("How can you come to a one-on-one without a single topic?", PASSAGES)
    assert "an one-on-one" not in " ".join(q.question for q in draft.questions)


def test_session_questions_ask_about_an_items_first_task_and_skip_unnamed_objects() -> None:
    # "How are things going with adding latency and cost numbers, cut the intro ..." ran two
    # tasks together, and "trying it in the next design review" asked about an unnamed "it".
    items = [
        "Add latency and cost numbers, cut the intro to one paragraph",
        "Try it in the next design review",
        "Write 1-pager on PLAT-2291 approach, share w/ Fatima",
    ]
    questions = [q.question for q in suggest_questions_offline([], items, [], "Mateus Carvalho")]
    text = " ".join(questions)
    assert "latency and cost numbers" in text and "cut the intro" not in text
    assert "trying it" not in text.lower() and "share w/" not in text
    assert all(not grammar_problems(q) for q in questions)
