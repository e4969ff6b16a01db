"""Round fifteen: topics carried by an act, days and months never a topic, people read by a model.

The sentences are written for this test, not taken from a dev or blind set; the dev set's
figure (tests/data/rewrite_round15.jsonl) is held by the ``rewrite_dev15`` eval gate.
"""

from __future__ import annotations

import pytest

from agent.offline.phrases import activity_phrases, model_phrases, topic_phrases
from agent.offline.reframe import extract_topic


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Why on earth did you merge into master right before the demo?", "merging into master"),
        ("You deployed to staging on a Sunday night and told nobody.", "deploying to staging"),
        ("You won't get hired if your portfolio stays empty.", "getting hired"),
        ("Why don't you ever support the new interns?", "supporting the new interns"),
        ("You shipped on a Saturday, really?", "shipping on a Saturday"),
    ],
)
def test_an_act_names_the_topic(text: str, phrase: str) -> None:
    assert extract_topic(text).phrases[0] == phrase


@pytest.mark.parametrize(
    "text",
    [
        "Why do you keep blaming the testers for your bugs?",  # the act is the judgement
        "Your rude answer to the designer was uncalled for.",  # "answer" is a noun here
        "When I joined the platform team the runbooks were empty.",  # the speaker's act
        "Why did you talk to the admin port directly?",  # not people: "the admin port"
    ],
)
def test_no_act_is_taken_where_it_judges_or_is_not_the_listeners(text: str) -> None:
    assert not activity_phrases(text)


@pytest.mark.parametrize(
    "text",
    [
        "Another Wednesday, another red pipeline.",
        "You promised the draft on Monday and it is Friday.",
        "Why are the dashboards always broken in March?",
    ],
)
def test_a_day_or_month_is_never_the_topic(text: str) -> None:
    said = " ".join([*topic_phrases(text), *model_phrases(text)]).lower()
    for day in ("wednesday", "monday", "friday", "march"):
        assert day not in said


def test_what_the_listener_is_called_is_not_the_topic() -> None:
    assert not topic_phrases("You're a complete doormat with stakeholders.")


def test_a_comparative_is_not_the_head_of_a_run() -> None:
    assert "the harder" not in model_phrases("Do you like making onboarding harder?")
