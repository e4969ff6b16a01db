"""Issue 10's action-item examples and the learned line classifier behind them.

Minutes forms, initials, third people, first-person prose, objects kept.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from agent.cli import run
from agent.models import ActionItem
from agent.offline.actions import ACTION_LINES, classify_lines, extract_actions_offline

WED = date(2026, 11, 18)  # a Wednesday
NEXT = date(2026, 12, 2)
PAIR = ["Rosa Alvarez", "Amir Sadeghi"]


def _only(items: list[ActionItem]) -> ActionItem:
    assert len(items) == 1, [(i.owner, i.action, i.due) for i in items]
    return items[0]


@pytest.mark.parametrize(
    "line",
    [
        "Amir: send Rosa the capacity numbers by Monday",
        "Amir - send Rosa the capacity numbers by Monday",
        "Amir – send Rosa the capacity numbers by Monday",
        "Amir to send Rosa the capacity numbers by Monday",
        "AI Amir: send Rosa the capacity numbers by Monday",
        "ACTION: Amir to send Rosa the capacity numbers by Monday",
        "- [ ] Amir: send Rosa the capacity numbers by Monday",
    ],
)
def test_minutes_forms_give_the_owner_action_and_date(line: str) -> None:
    notes = f"Platform sync\n\nWe went through the Q1 capacity plan.\n\n{line}\n"
    item = _only(extract_actions_offline(notes, PAIR, WED, NEXT))
    assert item.owner == "Amir Sadeghi" and item.owner_known
    assert item.action == "Send Rosa the capacity numbers"
    assert item.due == date(2026, 11, 23)
    assert item.evidence in notes


def test_initials_resolve_to_attendees() -> None:
    notes = "Minutes\nA. to send R. the PRD by Monday\nRA: book the design review room\n"
    items = extract_actions_offline(notes, PAIR, WED, NEXT)
    assert [(i.owner, i.action, i.due) for i in items] == [
        ("Amir Sadeghi", "Send Rosa the PRD", date(2026, 11, 23)),
        ("Rosa Alvarez", "Book the design review room", None),
    ]


def test_any_named_person_can_own_an_item_and_is_flagged() -> None:
    notes = (
        "Action items\n- Amir: draft the on-call proposal by Friday\n"
        "- Priyanka: share the SLO dashboard with Amir\n"
    )
    # Not an attendee: kept, with owner_known False (never dropped).
    items = extract_actions_offline(notes, PAIR, WED, NEXT)
    guest = next(i for i in items if "dashboard" in i.action)
    assert (guest.owner, guest.owner_known) == ("Priyanka", False)
    # Named as an attendee: the full name, known.
    items = extract_actions_offline(notes, [*PAIR, "Priyanka Das"], WED, NEXT)
    guest = next(i for i in items if "dashboard" in i.action)
    assert (guest.owner, guest.owner_known) == ("Priyanka Das", True)
    assert guest.action == "Share the SLO dashboard with Amir"


def test_first_person_prose_by_the_mentee() -> None:
    notes = (
        "Notes from my session with Rosa\n\n"
        "We talked about how I can get more visible outside my team. So my homework is to "
        "write a short internal post about the cache rewrite and send it to Rosa before our "
        "next session. I'm going to rewrite the metrics exporter in Go as a learning project. "
        "My target is 15 December.\n"
    )
    items = extract_actions_offline(notes, PAIR, WED, NEXT, author="Amir Sadeghi")
    post = next(i for i in items if "post" in i.action)
    assert post.owner == "Amir Sadeghi" and post.due == NEXT
    assert post.action == "Write a short internal post about the cache rewrite and send it to Rosa"
    exporter = next(i for i in items if "exporter" in i.action)
    assert exporter.owner == "Amir Sadeghi"
    assert exporter.due == date(2026, 12, 15)
    assert exporter.action.startswith("Rewrite the metrics exporter in Go")
    assert "My target is 15 December." in exporter.evidence
    assert len(items) == 2


def test_vague_action_keeps_its_object() -> None:
    notes = (
        "We looked at Amir's Terraform PR for the staging VPC; it has been open a week.\n"
        "Rosa to review the PR by Friday.\n"
    )
    item = _only(extract_actions_offline(notes, PAIR, WED, NEXT))
    assert item.owner == "Rosa Alvarez"
    assert item.action == "Review the Terraform PR"
    assert item.evidence == "Rosa to review the PR by Friday."


def test_dates_day_first_and_relative_conventions() -> None:
    notes = (
        "- Amir: submit the visa form by 15/12/2026\n- Rosa: renew the licence until 03.12.2026\n"
        "- Amir: tidy the backlog by EOW\n- Rosa: plan the offsite by end of next week\n"
    )
    items = extract_actions_offline(notes, PAIR, WED, NEXT)
    assert [i.due for i in items] == [
        date(2026, 12, 15),
        date(2026, 12, 3),
        date(2026, 11, 20),
        date(2026, 11, 27),
    ]


def test_done_dropped_and_discussion_lines_are_not_items() -> None:
    notes = (
        "Discussion\n- the migration slipped because of the schema change\n\n"
        "Actions\n- [x] Amir: update the runbook\n- ~~Rosa: book the offsite~~\n"
        "- Amir: add alerts for queue depth by Friday\n\n"
        "Parked\n- a talk at the spring meetup\n"
    )
    items = extract_actions_offline(notes, PAIR, WED, NEXT)
    assert [(i.owner, i.action) for i in items] == [("Amir Sadeghi", "Add alerts for queue depth")]


def test_classifier_labels_lines_by_meaning() -> None:
    probs = classify_lines(
        [
            "I'll send you the migration guide tomorrow.",
            "Already sent the migration guide on Monday.",
            "We decided not to bother with the migration guide.",
            "The migration guide is twenty pages long.",
        ]
    )
    best = [max(p, key=lambda k: p[k]) for p in probs]
    assert best == ["commitment", "done", "dropped", "discussion"]
    assert all(abs(sum(p.values()) - 1.0) < 1e-6 for p in probs)


def test_training_rows_are_many_and_varied() -> None:
    rows = ACTION_LINES.rows()
    assert len(rows) >= 800
    labels = {r.label for r in rows}
    assert labels == {"commitment", "done", "dropped", "discussion"}
    assert len({r.text for r in rows}) == len(rows)
    assert min(sum(r.label == label for r in rows) for label in labels) >= 100


def test_cli_attendee_option_keeps_a_third_persons_item(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text(
        "Next steps\n- Amir: draft the rollout plan by Friday\n"
        "- Dana: send Amir the load-test results\n",
        encoding="utf-8",
    )
    base = [
        "actions",
        str(notes),
        "--mentor",
        "Rosa Alvarez",
        "--mentee",
        "Amir Sadeghi",
        "--date",
        "2026-11-18",
        "--json",
    ]
    assert run([*base, "--attendee", "Dana Reyes"]) == 0
    data = json.loads(capsys.readouterr().out)
    dana = next(i for i in data["items"] if "load-test" in i["action"])
    assert (dana["owner"], dana["owner_known"]) == ("Dana Reyes", True)
    # Without --attendee the item is still kept, flagged as someone who did not attend.
    assert run(base) == 0
    data = json.loads(capsys.readouterr().out)
    dana = next(i for i in data["items"] if "load-test" in i["action"])
    assert (dana["owner"], dana["owner_known"]) == ("Dana", False)


@pytest.mark.parametrize(
    ("phrase", "due"),
    [
        ("by 15.12.", date(2026, 12, 15)),
        ("by 12/12.", date(2026, 12, 12)),
        ("by 15.12", date(2026, 12, 15)),
        ("by 3/1", date(2027, 1, 3)),  # day first, rolled into next year
        ("on Wednesday", date(2026, 11, 25)),  # said on a Wednesday: the next one
        ("by end of next week", date(2026, 11, 27)),
        ("in two weeks", date(2026, 12, 2)),
        ("in 2 wks", date(2026, 12, 2)),
        ("early next week", date(2026, 11, 23)),
        ("by end of day Friday", date(2026, 11, 20)),
    ],
)
def test_due_phrases_in_many_forms(phrase: str, due: date) -> None:
    notes = f"Actions\n- Amir: send Rosa the capacity numbers {phrase}\n"
    item = _only(extract_actions_offline(notes, PAIR, WED, NEXT))
    assert (item.action, item.due) == ("Send Rosa the capacity numbers", due)


def test_version_numbers_are_not_dates() -> None:
    notes = "Actions\n- Amir: upgrade the client to version 2.5 and rerun the suite\n"
    assert _only(extract_actions_offline(notes, PAIR, WED, NEXT)).due is None


def test_lowercase_chat_with_a_request_and_a_pronoun() -> None:
    notes = (
        "[00:01:40] Rosa: nice. so for the onsite I'd do two mock interviews\n"
        "[00:01:48] Amir: uh, yes, I can do that. I'll book them with Chen for next week\n"
        "[00:02:30] Rosa: and could you send me the job description?\n"
        "[00:02:33] Amir: sure, I'll send it today\n"
        "[00:03:00] Rosa: great. on my side I'll write up five design questions by Thursday\n"
    )
    items = extract_actions_offline(notes, PAIR, WED, NEXT)
    assert [(i.owner, i.action, i.due) for i in items] == [
        ("Amir Sadeghi", "Book two mock interviews with Chen", date(2026, 11, 27)),
        ("Amir Sadeghi", "Send Rosa the job description", WED),
        ("Rosa Alvarez", "Write up five design questions", date(2026, 11, 19)),
    ]


def test_a_titled_note_with_a_date_is_not_an_item() -> None:
    notes = (
        "Notes 1:1 Rosa / Amir, 18.11.\n\nNext steps:\nAmir -> read the last three postmortems\n"
    )
    items = extract_actions_offline(notes, PAIR, WED, NEXT)
    assert [(i.owner, i.action) for i in items] == [
        ("Amir Sadeghi", "Read the last three postmortems")
    ]
