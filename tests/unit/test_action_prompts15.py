"""Action items, round fifteen: a standup bot's or template's repeated prompts.

"What will you do next?" asked of each person in turn is answered by the person whose turn it
is, so the bare task after it is theirs; the same question asked once in a chat, followed by
"Send me the slides", is a request to the listener. Invented notes (dev material).
"""

from __future__ import annotations

from tests.action_notes import item_tuples

PEOPLE = ["Ana Souza", "Ben Walker"]


def test_standup_answers_belong_to_whoever_answers_the_prompt() -> None:
    notes = (
        "Standup bot — mentoring channel\n\n"
        "Ben Walker\n"
        "  What did you do since last time? Finished the load test report.\n"
        "  What will you do next? Draft the capacity plan by Friday.\n"
        "  Anything blocking? Waiting on staging access.\n\n"
        "Ana Souza\n"
        "  What did you do since last time? Reviewed the report.\n"
        "  What will you do next? Introduce Ben to the SRE lead.\n"
        "  Anything blocking? No\n"
    )
    items = item_tuples(notes, PEOPLE)
    assert [(o, a) for o, a, _ in items] == [
        ("Ben Walker", "Draft the capacity plan"),
        ("Ana Souza", "Introduce Ben to the SRE lead"),
    ]
    assert items[0][2] is not None and items[0][2].weekday() == 4


def test_a_plan_question_asked_once_in_a_chat_leaves_the_request_to_the_listener() -> None:
    notes = (
        "Ana Souza 10:02 AM\n"
        "What will you show at the demo next week? Send me the slides by Friday.\n"
        "Ben Walker 10:05 AM\n"
        "ok will do\n"
    )
    assert [(o, a) for o, a, _ in item_tuples(notes, PEOPLE)] == [
        ("Ben Walker", "Send Ana the slides")
    ]


def test_a_date_mention_leaves_no_at_sign_in_the_action() -> None:
    """Notion and Confluence write a date as a mention ("by @March 21, 2027", "@tomorrow")."""
    notes = (
        "Action items\n"
        "- [ ] @Ben Walker calibrate the weight sensors by @January 21, 2027\n"
        "- [ ] @Ana Souza send the paper @tomorrow\n"
    )
    items = item_tuples(notes, PEOPLE)
    assert [(o, a) for o, a, _ in items] == [
        ("Ben Walker", "Calibrate the weight sensors"),
        ("Ana Souza", "Send the paper"),
    ]
    assert all(d is not None for _, _, d in items)
