"""Action items from chat exports, captions, multilingual dates and names (issue 10, round 4).

Each note here was written for the test (not taken from a scored set); the 24 dev2 notes another
developer wrote this round are gated in ``test_action_formats``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from agent.offline.actions import extract_actions_offline, sentence_kinds

DATA = Path(__file__).parents[1] / "data"
WED = date(2026, 12, 2)
NEXT = date(2026, 12, 16)
PAIR = ["Rohan Mehta", "Aiko Tanaka"]


def _items(
    notes: str, attendees: list[str] | None = None, author: str | None = None
) -> list[tuple[str | None, str, date | None]]:
    found = extract_actions_offline(notes, attendees or PAIR, WED, NEXT, author)
    return [(i.owner, i.action, i.due) for i in found]


def test_whatsapp_ios_turns_name_their_speaker() -> None:
    notes = (
        "[02/12/2026, 18:03:40] Aiko Tanaka: so I'll send you the draft of my promo doc by Friday\n"
        "[02/12/2026, 18:05:02] Rohan Mehta: great. I'll intro you to Sofia tomorrow\n"
    )
    assert _items(notes) == [
        ("Aiko Tanaka", "Send Rohan the draft of your promo doc", date(2026, 12, 4)),
        ("Rohan Mehta", "Intro Aiko to Sofia", date(2026, 12, 3)),
    ]


def test_discord_handles_and_a_recap_in_the_present_tense() -> None:
    notes = (
        "rohan_m — Today at 6:03 PM\n"
        "ok recap: Aiko writes up the incident timeline by Thursday\n"
        "aikot — Today at 6:04 PM\n"
        "yep on it. also I'll ping Sofia about the on-call swap\n"
    )
    assert _items(notes) == [
        ("Aiko Tanaka", "Write up the incident timeline", date(2026, 12, 3)),
        ("Aiko Tanaka", "Ping Sofia about the on-call swap", None),
    ]


def test_a_capitalised_task_verb_is_not_a_name() -> None:
    _, action, _ = _items("Action items:\n- Finish modules 4 and 5 by Friday\n", author=PAIR[1])[0]
    assert action == "Finish modules 4 and 5"


@pytest.mark.parametrize(
    ("attendees", "line", "owner"),
    [
        (
            ["Ibrahim Diallo", "Amélie Girard"],
            "Amélie will ask Corentin for a database.",
            "Amélie Girard",
        ),
        (
            ["Paweł Zieliński", "Nguyễn Thị Lan"],
            "Lan will send the template to Paweł.",
            "Nguyễn Thị Lan",
        ),
        (["Kim Min-jun", "Park Ji-woo"], "Ji-woo will share the style guide.", "Park Ji-woo"),
        (
            ["Rafael Oliveira", "Mei-Ling Chou"],
            "@Mei-Ling Chou will draft the postmortem.",
            "Mei-Ling Chou",
        ),
    ],
)
def test_names_with_diacritics_hyphens_and_family_names_first(
    attendees: list[str], line: str, owner: str
) -> None:
    assert _items(line, attendees)[0][0] == owner


def test_a_first_name_resolves_to_the_full_name_written_elsewhere() -> None:
    notes = "To: Aiko Tanaka\ncc: Chiara Russo\n\nChiara will confirm the headcount by Friday.\n"
    found = extract_actions_offline(notes, PAIR, WED, NEXT, "Rohan Mehta")
    assert [(i.owner, i.owner_known) for i in found] == [("Chiara Russo", False)]


def test_a_day_first_date_with_a_month_name_is_not_a_sentence_end() -> None:
    notes = "- Aiko: write the onboarding plan, bis 3. Dezember\n"
    assert _items(notes) == [("Aiko Tanaka", "Write the onboarding plan", date(2026, 12, 3))]


def test_next_time_at_the_end_of_a_promise_is_the_next_session() -> None:
    assert _items("Rohan Mehta: I'll bring the book next time.")[0][2] == NEXT


def test_a_subject_after_a_lead_in_owns_the_task() -> None:
    notes = "aikot — Today at 6:05 PM\n👍 and for the talk, I'll leave comments on the abstract\n"
    assert _items(notes) == [("Aiko Tanaka", "Leave comments on the abstract", None)]


def test_a_date_said_alone_in_the_next_turn_dates_the_item() -> None:
    notes = (
        "Rohan Mehta: and i will send you the benchmark numbers from last year\n"
        "Rohan Mehta: probably tomorrow\n"
        "Aiko Tanaka: thanks\n"
    )
    assert _items(notes) == [
        ("Rohan Mehta", "Send Aiko the benchmark numbers from last year", date(2026, 12, 3))
    ]


def test_a_lone_date_in_minutes_is_not_lent_to_an_item() -> None:
    notes = "- [ ] Aiko: set up the replica\n\nNext: Tue 8 Dec\n"
    assert _items(notes) == [("Aiko Tanaka", "Set up the replica", None)]


def test_a_quoted_title_keeps_its_words_and_would_like_to_is_a_plan() -> None:
    notes = (
        "What I'm going to do:\n"
        '- Write a one-page "what I want to own" note by Friday\n'
        "- I'd like to read the estimation book\n"
    )
    assert [a for _, a, _ in _items(notes, author=PAIR[1])] == [
        'Write a one-page "what I want to own" note',
        "Read the estimation book",
    ]


def test_a_heading_noun_is_not_a_task() -> None:
    notes = "## Actions\n- Review of last actions\n- Aiko: book the room\n"
    assert [a for _, a, _ in _items(notes)] == ["Book the room"]


def test_a_slack_reply_dates_an_earlier_item() -> None:
    notes = (
        "Rohan Mehta  4:12 PM\n"
        "• @Aiko Tanaka to confirm whether the migration can start\n\n"
        "Aiko Tanaka  4:31 PM\n"
        ":+1: will confirm the migration question Monday\n"
    )
    assert _items(notes) == [
        ("Aiko Tanaka", "Confirm whether the migration can start", date(2026, 12, 7))
    ]


def test_the_first_line_of_a_chat_turn_is_not_a_title() -> None:
    notes = "rohan_m — Today at 6:13 PM\nnext sync in 2 weeks, bring the updated proposal\n"
    assert [text for text, _ in sentence_kinds(notes)] == [
        "next sync in 2 weeks, bring the updated proposal"
    ]


def test_he_in_third_person_notes_is_the_attendee_named_just_before() -> None:
    notes = "- Aiko wants to try a focus day. He'll block Fridays on the calendar.\n"
    found = [(o, a) for o, a, _ in _items(notes, ["Rohan Mehta", "Aiko Tanaka"])]
    assert ("Aiko Tanaka", "Block Fridays on the calendar") in found


def test_that_names_the_topic_before_a_colon() -> None:
    notes = "- Pairing with Bongani on the feature store: she'll set that up next week.\n"
    action = _items(notes, author="Rohan Mehta")[0][1]
    assert action == "Set up pairing with Bongani on the feature store"


def test_a_subjectless_do_this_dates_the_item_just_before() -> None:
    notes = "- I'll send her the two postings I saw. Do this tomorrow.\n"
    [(owner, action, due)] = _items(notes, author="Rohan Mehta")
    assert (owner, due) == ("Rohan Mehta", date(2026, 12, 3)) and "postings" in action


def test_today_and_tomorrow_in_other_languages() -> None:
    assert _items("Rohan Mehta: I'll ask Corentin for the database, demain.")[0][2] == date(
        2026, 12, 3
    )


def test_a_possessive_week_is_not_a_due_date() -> None:
    [(_, action, due)] = _items("Aiko: prepare a demo of the tracing setup for next week's guild.")
    assert (action, due) == ("Prepare a demo of the tracing setup for next week's guild", None)


def test_a_promise_after_a_colon_and_after_a_short_lead_in() -> None:
    notes = (
        "She wants to get better at presenting: she'll sign up for the Toastmasters club.\n"
        "Either way she'll ask Liam for a handover session.\n"
    )
    found = _items(notes, author="Rohan Mehta")
    assert [(o, a) for o, a, _ in found] == [
        ("Aiko Tanaka", "Sign up for the Toastmasters club"),
        ("Aiko Tanaka", "Ask Liam for a handover session"),
    ]


def test_what_is_brought_is_due_at_the_next_session() -> None:
    assert _items("Aiko will bring the draft of her goals.")[0][2] == NEXT


def test_a_present_tense_summary_and_a_lead_in_with_a_list_number() -> None:
    notes = (
        "02/12/2026, 18:07 - Rohan Mehta: 2) I intro you to Tomás (will do tonight)\n"
        "02/12/2026, 18:16 - Aiko Tanaka: For 1) I think I'll also add the blog post\n"
        "02/12/2026, 18:22 - Aiko Tanaka: I'll send you my CV tomorrow morning so you have it\n"
    )
    assert _items(notes) == [
        ("Rohan Mehta", "Intro Aiko to Tomás", WED),
        ("Aiko Tanaka", "Add the blog post", None),
        ("Aiko Tanaka", "Send Rohan your CV", date(2026, 12, 3)),
    ]


def test_each_chat_line_is_its_own_turn_and_an_emoji_acceptance_counts() -> None:
    notes = (
        "[02/12/2026, 18:05:02] Rohan Mehta: great. I'll intro you to Sofia from the data team\n"
        "[02/12/2026, 18:05:30] Rohan Mehta: and pls book 30 min with your manager\n"
        "[02/12/2026, 18:06:01] Aiko Tanaka: will do 👍\n"
    )
    found = extract_actions_offline(notes, PAIR, WED, NEXT, None)
    assert [(i.owner, i.action) for i in found] == [
        ("Rohan Mehta", "Intro Aiko to Sofia from the data team"),
        ("Aiko Tanaka", "Book 30 min with your manager"),
    ]
    assert "\n" not in found[0].evidence
