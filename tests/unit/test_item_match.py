"""Saved notes against open items: done lines suggest closing an item; repeats are not stored."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from agent.api import Coach
from agent.config import Settings
from agent.item_match import OpenItem, closed_by, repeats

PEOPLE = [("Dana Whitlock", None), ("Lena Brandt", None)]

# Hand-written item pairs (invented): rewordings of one task, and two tasks on one object.
SAME = [
    (
        "Ask the platform lead whether Lena can run the Q3 capacity review",
        "Check with the platform lead if Lena may run the Q3 capacity review",
    ),
    ("Book a room for the handover review", "Book the room for handover review in January"),
    ("Draft the promotion packet outline", "Write a first outline of the promotion packet"),
    ("Read the chapter on incident reviews", "Finish reading the incident review chapter"),
]
DIFFERENT = [
    ("Start a brag document", "Bring the first five brag-document entries"),
    ("Finish the handover doc draft", "Send handover draft to SRE team for review"),
    ("Ask Marek whether the alert list is current", "Update the alert list"),
    ("Review design doc 2", "Fix the articles in design doc 2"),
]


@pytest.mark.parametrize(("old", "new"), SAME)
def test_a_reworded_item_of_the_same_owner_is_a_repeat(old: str, new: str) -> None:
    item = OpenItem("a1", "Lena Brandt", old)
    assert repeats([("Lena Brandt", new)], [item], PEOPLE) == [item]
    # The owner's first name, as an edit may have stored it, is the same person.
    assert repeats([("lena", new)], [item], PEOPLE) == [item]
    # Another owner's item is never a repeat.
    assert repeats([("Dana Whitlock", new)], [item], PEOPLE) == [None]


# One item, once spelt out and once abbreviated as tech notes do (invented wordings).
ABBREVIATED = [
    ("Review the Terraform PR for the staging cluster", "Review the TF PR for staging cluster"),
    ("Book the mock system design interview", "Book the mock SD interview"),
    ("Send Priya the architecture decision record on caching", "Send the ADR on caching to Priya"),
    ("Answer the open pull requests on the billing service", "Answer open PRs on billing service"),
]
# An abbreviation the other wording does not spell out leaves the two items apart.
NOT_ABBREVIATED = [
    ("Raise the quota for the release", "Run QA on the release"),
    ("Write the Terraform module tests", "Open a PR for the TF module"),
]


@pytest.mark.parametrize(("old", "new"), ABBREVIATED)
def test_an_abbreviated_wording_of_an_open_item_is_a_repeat(old: str, new: str) -> None:
    item = OpenItem("a1", "Lena Brandt", old)
    assert repeats([("Lena Brandt", new)], [item], PEOPLE) == [item]


@pytest.mark.parametrize(("old", "new"), NOT_ABBREVIATED)
def test_an_abbreviation_that_spells_out_nothing_there_is_not_a_repeat(old: str, new: str) -> None:
    assert repeats([("Lena Brandt", new)], [OpenItem("a1", "Lena Brandt", old)], PEOPLE) == [None]


def test_a_terse_done_line_with_an_abbreviation_closes_its_item() -> None:
    items = [
        OpenItem("a1", "Lena Brandt", "Run the Terraform plan for the staging cluster"),
        OpenItem("a2", "Lena Brandt", "Book a room for the handover review"),
    ]
    line = "TF plan: done"
    assert [(line, items[0])] == closed_by([line], items, PEOPLE)


@pytest.mark.parametrize(("old", "new"), DIFFERENT)
def test_two_steps_on_one_object_are_not_repeats(old: str, new: str) -> None:
    assert repeats([("Lena Brandt", new)], [OpenItem("a1", "Lena Brandt", old)], PEOPLE) == [None]


def test_a_done_line_points_at_the_item_it_closes() -> None:
    items = [
        OpenItem("h1", "Lena Brandt", "Finish the handover doc draft"),
        OpenItem("h2", "Lena Brandt", "Send handover draft to SRE team for review"),
        OpenItem("m1", "Dana Whitlock", "Ask Marek from SRE whether the alert list is current"),
        OpenItem("r1", "Dana Whitlock", "Introduce Lena to Ruth Okonkwo"),
    ]
    lines = [
        "handover draft - DONE, Dana say is good",
        "Marek already confirmed alert list is current, so this is closed",
        "design doc #1 done (about retry policy).",
    ]
    assert [(line[:8], item.id) for line, item in closed_by(lines, items, PEOPLE)] == [
        ("handover", "h1"),
        ("Marek al", "m1"),
    ]
    # A line that names its owner first only closes that owner's items.
    assert [i.id for _, i in closed_by(["Dana: intro Lena to Ruth"], items, PEOPLE)] == ["r1"]
    assert closed_by(["Lena: intro Lena to Ruth"], items, PEOPLE) == []


@pytest.fixture
def coach(tmp_path: Path) -> Any:
    with Coach(Settings(home=tmp_path / "home", engine="offline")) as c:
        c.add_pair(mentor="Ana Silva", mentee="Ben Okafor")
        yield c


def test_saving_notes_reports_closed_items_and_keeps_repeats_out(coach: Coach) -> None:
    first = (
        "- Ben: finish the migration runbook draft\n"
        "- Ana: ask the platform lead whether Ben can run the Q3 capacity review\n"
    )
    coach.extract_actions(first, pair_id="ana-ben", session_date=date(2026, 11, 4), save=True)
    before = {i.id: i for i in coach.items("ana-ben")}
    assert len(before) == 2
    runbook = next(i for i in before.values() if "runbook" in i.action)
    second = (
        "migration runbook draft - DONE, looks good\n"
        "- Ana: get an answer from the platform lead about Q3 capacity review ownership\n"
        "- Ben: book a slot with the SRE team to walk through the runbook\n"
    )
    found = coach.extract_actions(
        second, pair_id="ana-ben", session_date=date(2026, 11, 11), save=True
    )
    assert [r.item_id for r in found.done_in_notes] == [runbook.id]
    assert any(f"coach actions done {runbook.id} --pair ana-ben" in n for n in found.notes)
    # The suggestion changes nothing stored: the item stays open until the user says so.
    assert runbook.id in {i.id for i in coach.items("ana-ben", "open")}
    capacity = next(i for i in before.values() if "capacity" in i.action)
    assert [r.item_id for r in found.repeats] == [capacity.id]
    after = coach.items("ana-ben")
    assert sum("capacity" in i.action.lower() for i in after) == 1
    assert any("SRE team" in i.action for i in after)  # a new task is still stored
    assert {i.id: i for i in after if i.id in before} == before  # nothing stored changed


def test_a_recap_of_the_same_session_closes_an_earlier_item_not_one_set_today(
    tmp_path: Path,
) -> None:
    # The minutes and then the mentee's recap email of one session: the recap's "Done: I
    # picked ..." was suggested as closing the 1-pager set minutes earlier in the same session.
    with Coach(Settings(home=tmp_path / "home", engine="offline")) as c:
        c.add_pair(mentor="Ingrid Halvorsen", mentee="Oluwaseun Adeyemi", mentee_short="Seun")
        pair = "ingrid-seun"
        c.extract_actions(
            "- AI Seun: pick 1 TF ticket from the platform backlog w/ Fatima by 20/11\n",
            pair_id=pair,
            session_date=date(2026, 11, 9),
            save=True,
        )
        ticket = c.items(pair)[0]
        minutes = (
            "- TF ticket PLAT-2291 picked\n"
            "- AI Seun: write 1-pager on PLAT-2291 approach, share w/ Fatima by 1/12\n"
        )
        c.extract_actions(minutes, pair_id=pair, session_date=date(2026, 11, 23), save=True)
        one_pager = next(i for i in c.items(pair) if "1-pager" in i.action)
        recap = c.extract_actions(
            "- Done: I picked PLAT-2291 from the backlog with Fatima.\n",
            pair_id=pair,
            session_date=date(2026, 11, 23),
            author="Oluwaseun Adeyemi",
            save=True,
        )
        suggested = [r.item_id for r in recap.done_in_notes]
        assert one_pager.id not in suggested
        assert set(suggested) <= {ticket.id}  # "TF ticket" vs no "TF": not always close enough


def test_a_person_called_by_another_form_of_their_name_is_still_a_repeat() -> None:
    # Minutes say "Seun", the recap email "Oluwaseun": one task, worded twice.
    people = [("Oluwaseun Adeyemi", "Seun"), ("Ingrid Halvorsen", None)]
    item = OpenItem("c1", "Fatima Sheikh", "Add Seun to #platform-eng channel")
    new = ("Fatima Sheikh", "Add Oluwaseun to the #platform-eng channel")
    assert repeats([new], [item], people) == [item]
    other = ("Fatima Sheikh", "Add Ingrid to the #platform-eng channel")
    assert repeats([other], [item], people) == [None]


def test_a_terse_done_line_closes_the_item_whose_words_it_uses() -> None:
    # "Raj intro sent ✅" and "#platform-eng: done (Fatima)" were too short to be near their
    # items by meaning, so nothing was suggested.
    people = [("Oluwaseun Adeyemi", "Seun"), ("Ingrid Halvorsen", None)]
    items = [
        OpenItem("a", "Ingrid Halvorsen", "Share internal platform onboarding doc"),
        OpenItem("b", "Fatima Sheikh", "Add Seun to #platform-eng channel"),
        OpenItem("c", "Ingrid Halvorsen", "Intro Seun to Raj (SRE) about observability"),
        OpenItem("d", "Oluwaseun Adeyemi", "Fix flaky test in build 12"),
    ]
    for line, expected in (
        ("Onboarding doc: sent ✅", ["a"]),
        ("#platform-eng: done (Fatima)", ["b"]),
        ("Raj intro sent ✅", ["c"]),
        ("flaky test in build 13 fixed ✅", []),  # another build: not this item
        ("shadowing the on-call rota confirmed, done", []),
    ):
        assert [i.id for _, i in closed_by([line], items, people)] == expected, line


def test_a_repeat_with_a_new_date_suggests_moving_the_open_item(coach: Coach) -> None:
    coach.extract_actions(
        "- Ben: send Ana the v2 of the RFC by 27 Nov\n",
        pair_id="ana-ben",
        session_date=date(2026, 11, 20),
        save=True,
    )
    (rfc,) = coach.items("ana-ben")
    assert rfc.due == date(2026, 11, 27)
    found = coach.extract_actions(
        "- Ben: send Ana the v2 of the RFC by 4 Dec (the review slipped)\n",
        pair_id="ana-ben",
        session_date=date(2026, 11, 26),
        save=True,
    )
    assert [r.item_id for r in found.repeats] == [rfc.id]
    move = f"coach actions edit {rfc.id} --pair ana-ben --due 2026-12-04"
    assert any(move in n and "due 2026-11-27" in n for n in found.notes), found.notes
    # A suggestion only: the stored date stays until the user moves it.
    assert [(i.id, i.due) for i in coach.items("ana-ben")] == [(rfc.id, date(2026, 11, 27))]
    again = coach.extract_actions(
        "- Ben: send Ana the RFC v2 by 27 Nov\n",
        pair_id="ana-ben",
        session_date=date(2026, 11, 26),
    )
    assert not any("--due" in n for n in again.notes)  # the same date: nothing to move
