"""Initials, owners in parentheses, "Both:" and a named subject with a pronoun (new-user trial).

Priya Raman mentors Wei Zhang: "PR" and "WZ" are their initials, and "PR" is also a pull
request. Initials stand for a person only where a person stands.
"""

from __future__ import annotations

from datetime import date

import pytest

from agent.models import ActionItem
from agent.offline.actions import extract_actions_offline

WED = date(2026, 12, 9)  # a Wednesday
PAIR = ["Priya Raman", "Wei Zhang"]


def _items(notes: str, attendees: list[str] | None = None) -> list[tuple[str | None, str]]:
    found: list[ActionItem] = extract_actions_offline(notes, attendees or PAIR, WED)
    return [(i.owner, i.action) for i in found]


@pytest.mark.parametrize(
    ("line", "action"),
    [
        ("- Wei: raise a PR for the ingress fix by Friday", "Raise a PR for the ingress fix"),
        (
            "@Wei to open the PR for the helm chart refactor by Thu",
            "Open the PR for the helm chart refactor",
        ),
        ("- Wei to ask WZ team about quotas", "Ask WZ team about quotas"),
        ("- Wei: merge this PR after review", "Merge this PR after review"),
    ],
)
def test_initials_after_a_determiner_or_before_a_noun_are_not_a_person(
    line: str, action: str
) -> None:
    assert _items(f"Action items\n{line}\n") == [("Wei Zhang", action)]


@pytest.mark.parametrize(
    ("line", "owner", "action"),
    [
        ("- PR to send WZ the runbook", "Priya Raman", "Send Wei the runbook"),
        (
            "- Wei: pair with PR on the ingress fix",
            "Wei Zhang",
            "Pair with Priya on the ingress fix",
        ),
        ("- Wei: ask PR about the quotas", "Wei Zhang", "Ask Priya about the quotas"),
        ("- Wei: send the notes to PR", "Wei Zhang", "Send the notes to Priya"),
        # A verb of giving: the noun after the initials is what is given, not a modifier.
        (
            "- Wei: give PR read access to the dashboards",
            "Wei Zhang",
            "Give Priya read access to the dashboards",
        ),
    ],
)
def test_initials_where_a_person_stands_still_resolve(line: str, owner: str, action: str) -> None:
    assert _items(f"Action items\n{line}\n") == [(owner, action)]


def _full(
    notes: str, attendees: list[str] | None = None
) -> list[tuple[str | None, str, date | None]]:
    found = extract_actions_offline(notes, attendees or PAIR, WED)
    return [(i.owner, i.action, i.due) for i in found]


def test_re_colon_is_about_not_the_end_of_the_task() -> None:
    notes = "Action items\n- Follow up with Carla re: dry run (Ben) - Fri\n"
    assert _full(notes, [*PAIR, "Ben Okafor"]) == [
        ("Ben Okafor", "Follow up with Carla about the dry run", date(2026, 12, 11))
    ]
    notes = "Action items\n- Wei: ping Carla re: the quota request\n"
    assert _full(notes) == [("Wei Zhang", "Ping Carla about the quota request", None)]


@pytest.mark.parametrize("tail", ["— ASAP", "- high priority", "– urgent"])
def test_owner_in_brackets_before_a_short_note(tail: str) -> None:
    notes = f"Action items\n- Send checklist (Wei) {tail}\n"
    assert _full(notes) == [("Wei Zhang", "Send checklist", None)]
    items = extract_actions_offline(f"Action items\n- Send checklist (Ana) {tail}\n", PAIR, WED)
    assert [(i.owner, i.owner_known, i.action) for i in items] == [("Ana", False, "Send checklist")]


@pytest.mark.parametrize("who", ["Both", "Both of us", "Everyone", "All"])
def test_a_task_for_both_is_shared_like_ben_and_ana(who: str) -> None:
    # A shared item is one item per person, so each carries it forward: "Both: ..." is every
    # attendee's, "Wei & Priya: ..." each named person's.
    notes = f"Action items\n- {who}: agree the review agenda\n- Wei & Priya: book the retro room\n"
    items = extract_actions_offline(notes, PAIR, WED)
    assert [(i.owner, i.owner_known, i.action) for i in items] == [
        ("Priya Raman", True, "Agree the review agenda"),
        ("Wei Zhang", True, "Agree the review agenda"),
        ("Wei Zhang", True, "Book the retro room"),
        ("Priya Raman", True, "Book the retro room"),
    ]


@pytest.mark.parametrize(
    "notes",
    [
        "Priya she will ask to her manager about budget\n",
        "Action items\n- Priya she will ask to her manager about budget\n",
        "We talked budget. Priya, she will ask to her manager about budget.\n",
    ],
)
def test_a_name_restated_as_a_pronoun_is_the_owner(notes: str) -> None:
    # Non-native English: "Priya she will ..." is Priya's task, and "ask to her manager" is
    # "ask her manager" (the owner is addressed as "you", as everywhere in the items).
    for attendees in (PAIR, [*PAIR, "Ben Okafor", "Ana Silva"]):
        assert _items(notes, attendees) == [("Priya Raman", "Ask your manager about budget")]


def test_ask_to_keeps_its_verb_after_to() -> None:
    notes = "Action items\n- Wei: ask to join the platform guild\n- Wei: tell to Priya the plan\n"
    assert _items(notes) == [
        ("Wei Zhang", "Ask to join the platform guild"),
        ("Wei Zhang", "Tell Priya the plan"),
    ]


def test_a_noun_before_to_keeps_it() -> None:
    notes = "Action items\n- Wei: write an email to the platform team about quotas\n"
    assert _items(notes) == [("Wei Zhang", "Write an email to the platform team about quotas")]


def test_a_bullet_task_with_its_owner_in_brackets_is_an_item_anywhere() -> None:
    # No "Action items" heading: the owner in brackets marks the bullet as a task.
    notes = (
        "# 1:1 Priya / Wei\n\n- Talked about the quota review\n"
        "- Follow up with Carla re: dry run (Wei) - Fri\n"
    )
    assert _full(notes) == [
        ("Wei Zhang", "Follow up with Carla about the dry run", date(2026, 12, 11))
    ]


@pytest.mark.parametrize(
    ("line", "action"),
    [
        ("- Wei: raise PR for the ingress fix", "Raise PR for the ingress fix"),
        ("- Wei: review PR 412 before the release", "Review PR 412 before the release"),
        ("- Wei: merge PR after QA signs off", "Merge PR after QA signs off"),
    ],
)
def test_initials_after_a_verb_that_takes_a_thing_are_not_a_person(line: str, action: str) -> None:
    assert _items(f"Action items\n{line}\n") == [("Wei Zhang", action)]


@pytest.mark.parametrize(
    ("line", "action"),
    [
        ("- Wei: check with PR on the quota", "Check with Priya on the quota"),
        ("- Wei: remind PR about the quota", "Remind Priya about the quota"),
        ("- Wei: ping PR", "Ping Priya"),
        ("- Wei: book a call with Ana and PR", "Book a call with Ana and Priya"),
    ],
)
def test_initials_of_someone_talked_to_resolve(line: str, action: str) -> None:
    assert _items(f"Action items\n{line}\n") == [("Wei Zhang", action)]


def test_initials_used_as_an_owner_in_the_notes_are_that_person_after_any_verb() -> None:
    notes = "Action items\n- WZ: draft the quota request\n- Priya: connect WZ with Carla\n"
    assert _items(notes) == [
        ("Wei Zhang", "Draft the quota request"),
        ("Priya Raman", "Connect Wei with Carla"),
    ]
    # Used as a thing elsewhere ("the PR"), a bare "PR" after a verb stays a thing.
    notes = "Action items\n- PR: book the room\n- Wei: open the PR and then raise PR for the fix\n"
    assert _items(notes)[1] == ("Wei Zhang", "Open the PR and then raise PR for the fix")
