"""Action items a new-user trial lost or worded wrongly (minutes lines, labels, "my").

Each note was written for the test from the trial's report (mentor Priya, mentee Ben and a
guest, Rahul); none comes from a scored set.
"""

from __future__ import annotations

from datetime import date

import pytest

from agent.offline.actions import extract_actions_offline, sentence_kinds

SAT = date(2026, 11, 14)  # a Saturday
NEXT = date(2026, 11, 28)
PEOPLE = ["Priya Nair", "Ben Carter", "Rahul Mehta"]


def _items(
    notes: str,
    author: str | None = None,
    attendees: list[str] | None = None,
    next_session: date | None = NEXT,
) -> list[tuple[str | None, str, date | None]]:
    found = extract_actions_offline(notes, attendees or PEOPLE, SAT, next_session, author)
    return [(i.owner, i.action, i.due) for i in found]


def test_unbulleted_minutes_lines_with_an_owner_are_items_not_titles() -> None:
    notes = (
        "Minutes 14 Nov\n\n"
        "Ben: draft the incident write-up by Friday\n"
        "AI Rahul: share the on-call rota with Ben\n"
        "Rahul - book the call with the SRE team\n"
        "Priya -> send the write-up template\n"
    )
    assert _items(notes) == [
        ("Ben Carter", "Draft the incident write-up", date(2026, 11, 20)),
        ("Rahul Mehta", "Share the on-call rota with Ben", None),
        ("Rahul Mehta", "Book the call with the SRE team", None),
        ("Priya Nair", "Send the write-up template", None),
    ]


@pytest.mark.parametrize(
    "title",
    ["Minutes 14 Nov", "Weekly mentoring call", "Incident write-up review", "On-call sync notes"],
)
def test_a_title_line_is_still_a_title(title: str) -> None:
    notes = f"{title}\nBen will draft the incident write-up by Friday.\n"
    assert [text for text, _ in sentence_kinds(notes)] == [
        "Ben will draft the incident write-up by Friday."
    ]


def test_on_call_is_not_the_word_call() -> None:
    notes = "Rahul shares the on-call rota with Ben\n"
    assert [text for text, _ in sentence_kinds(notes)] == [notes.strip()]


@pytest.mark.parametrize(
    ("line", "author", "owner", "action"),
    [
        (
            "Next step for me: book a mock interview with Priya.",
            "Ben Carter",
            "Ben Carter",
            "Book a mock interview with Priya",
        ),
        (
            "Next step for me: book a mock interview with Priya.",
            None,
            None,
            "Book a mock interview with Priya",
        ),
        (
            "For you: send me the CV draft.",
            "Priya Nair",
            "Ben Carter",
            "Send Priya the CV draft",
        ),
        (
            "Homework for Ben: read the chapter on alerting.",
            "Priya Nair",
            "Ben Carter",
            "Read the chapter on alerting",
        ),
        ("Homework: read the chapter on alerting.", None, None, "Read the chapter on alerting"),
        (
            "My action: ask my manager about the promo timeline.",
            "Ben Carter",
            "Ben Carter",
            "Ask your manager about the promo timeline",
        ),
    ],
)
def test_a_label_before_the_colon_is_never_the_task(
    line: str, author: str | None, owner: str | None, action: str
) -> None:
    attendees = PEOPLE[:2]  # "you" is the other one of a pair
    ((got_owner, got_action, _),) = _items(line, author, attendees)
    assert (got_owner, got_action) == (owner, action)


def test_my_homework_is_the_authors_and_due_at_the_next_session() -> None:
    line = "so my homework is to rewrite the onboarding doc before next session"
    assert _items(line, "Ben Carter") == [("Ben Carter", "Rewrite the onboarding doc", NEXT)]
    assert _items(line, "Ben Carter", next_session=None) == [
        ("Ben Carter", "Rewrite the onboarding doc", None)
    ]


def test_my_is_not_the_owners_when_someone_else_wrote_the_notes() -> None:
    notes = "Priya will review my CV before Friday.\n"
    # Written by Ben (the other one of the pair), whether he says so or not.
    expected = [("Priya Nair", "Review Ben's CV", date(2026, 11, 20))]
    assert _items(notes, "Ben Carter", PEOPLE[:2]) == expected
    assert _items(notes, None, PEOPLE[:2]) == expected
    # A guest in the call does not change whose CV it is: the mentor's "my" is not the mentee's.
    assert _items(notes, None, PEOPLE) == expected
    # A guest's task when nobody says who wrote the notes: somebody's CV, but not "your" CV.
    ((owner, action, _),) = _items("Rahul will review my CV before Friday.\n", None, PEOPLE)
    assert (owner, action) == ("Rahul Mehta", "Review the CV")


def test_a_sign_off_is_not_an_item() -> None:
    notes = (
        "[00:12:01] Priya: ok let's wrap up, I'll see you next week\n"
        "[00:12:05] Ben: see you then, I'll send the draft by Friday\n"
        "[00:12:09] Rahul: I'll catch you both on Slack\n"
    )
    assert _items(notes) == [("Ben Carter", "Send the draft", date(2026, 11, 20))]


def test_thanks_and_goodbye_in_a_caption_run_are_not_part_of_the_task() -> None:
    notes = "Ben  0:20\nsounds good I will send the draft Friday thanks a lot see you next week\n"
    assert _items(notes) == [("Ben Carter", "Send the draft", date(2026, 11, 20))]


def test_a_name_said_before_you_is_who_you_are() -> None:
    notes = "0:04\nok Ben so you'll send me the draft by Friday\n"
    expected = [("Ben Carter", "Send Priya the draft", date(2026, 11, 20))]
    assert _items(notes, attendees=PEOPLE[:2]) == expected
    # Without speakers the answer runs on in the same caption: it is not part of the task.
    answered = notes + "0:08\nyes I'll send it by Friday\n"
    assert _items(answered, attendees=PEOPLE[:2]) == expected


def test_a_caption_answer_restating_an_owned_item_is_that_item() -> None:
    notes = (
        "0:00\nokay so that's everything for today I think\n"
        "0:04\nBen you'll send me the draft by Friday\n"
        "0:08\nyes I'll send it by Friday\n"
        "0:11\ngreat see you next week\n"
    )
    assert _items(notes, attendees=PEOPLE[:2]) == [
        ("Ben Carter", "Send Priya the draft", date(2026, 11, 20))
    ]


def test_minutes_lines_whatever_the_owner_marker_looks_like() -> None:
    notes = (
        "1. Career\n"
        "   Ben (mentee): book a mock interview\n"
        "   BEN: update the CV\n"
        "   Ben — ask for the promo criteria\n"
    )
    assert _items(notes) == [
        ("Ben Carter", "Book a mock interview", None),
        ("Ben Carter", "Update the CV", None),
        ("Ben Carter", "Ask for the promo criteria", None),
    ]


def test_a_speaker_label_before_chat_is_not_a_minutes_marker() -> None:
    notes = "Ben Carter: yes do that no rush\nPriya Nair: ok I booked the room already\n"
    assert _items(notes) == []


@pytest.mark.parametrize("author", ["Ben Carter", None])
def test_asked_me_to_is_the_writers_task(author: str | None) -> None:
    notes = "Priya asked me to send her my portfolio by Monday.\n"
    assert _items(notes, author, PEOPLE[:2]) == [
        ("Ben Carter", "Send her your portfolio", date(2026, 11, 16))
    ]


@pytest.mark.parametrize(
    "line",
    [
        "Priya suggested I rewrite the intro, and I rewrote it on Tuesday.",
        "Priya asked me what I found hardest.",
        "Priya asked me to do the forecast, but I told her no, it's Rahul's now.",
    ],
)
def test_a_request_answered_or_a_question_is_not_the_writers_task(line: str) -> None:
    assert _items(line, "Ben Carter", PEOPLE[:2]) == []


def test_a_yes_to_a_question_that_asks_for_nothing_is_not_an_item() -> None:
    notes = (
        "Speaker 1 (Priya Nair)  00:11\nRight, the, the checkout one?\n\n"
        "Speaker 2 (Ben Carter)  00:13\nYeah. So I was on call and it was kind of a mess.\n"
    )
    assert _items(notes, attendees=PEOPLE[:2]) == []


@pytest.mark.parametrize("author", ["Priya Nair", None])
def test_mentor_and_mentee_labels_name_the_owner(author: str | None) -> None:
    notes = "Mentor: book the room for the mock interview.\nMentee: send the CV draft.\n"
    assert _items(notes, author, PEOPLE[:2]) == [
        ("Priya Nair", "Book the room for the mock interview", None),
        ("Ben Carter", "Send the CV draft", None),
    ]


def test_the_writers_own_i_inside_a_task_reads_as_you() -> None:
    from datetime import date

    from agent.offline.actions import extract_actions_offline

    (item,) = extract_actions_offline(
        "I'll send Tomasz the article on negotiating scope that I mentioned, by Friday.\n",
        ["Priya Raman", "Tomasz Wójcik"],
        date(2026, 12, 8),
        author="Priya Raman",
    )
    assert item.owner == "Priya Raman"
    assert item.action == "Send Tomasz the article on negotiating scope that you mentioned"
