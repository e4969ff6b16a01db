"""Editing a pair (`coach pair set`), the next session moving on by cadence, overdue items."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

import agent.api
from agent.api import Coach
from agent.cli import run
from agent.config import Settings
from agent.errors import NotFoundError, UserInputError
from agent.memory import after_cadence
from agent.text import zone_label

NOTES = """Ana: How did the week go?
Ben: Busy, but I got the RFC outline done. I'll draft the full RFC by Friday.
Ana: Great. I'll send you my design review checklist tomorrow.
"""


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def add_pair(capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, Any]:
    code, out, err = cli(
        capsys,
        *("pair", "add", "--mentor", "Ana Silva", "--mentee", "Ben Okafor", "--json"),
        *("--goal", "Lead a design review", "--next", "2030-12-08 09:30", *extra),
    )
    assert code == 0, err
    return dict(json.loads(out))


def show(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code, out, err = cli(capsys, "pair", "show", "ana-ben", "--json")
    assert code == 0, err
    return dict(json.loads(out))


def test_pair_set_changes_only_the_given_fields(capsys: pytest.CaptureFixture[str]) -> None:
    add_pair(capsys, "--mentor-email", "ana@example.org")
    code, out, err = cli(
        capsys,
        *("pair", "set", "ana-ben", "--next", "2030-12-10 14:00", "--json"),
        *("--mentee-email", "ben@example.org", "--goal", "Ship the RFC", "--goal", "Run a review"),
        *("--minutes", "45", "--cadence", "fortnightly", "--weeks", "20"),
    )
    assert code == 0, err
    assert len(out.strip().splitlines()) > 1 and json.loads(out)["id"] == "ana-ben"
    pair = show(capsys)["pair"]
    assert (
        datetime.fromisoformat(pair["next_session"]) == datetime(2030, 12, 10, 14, 0).astimezone()
    )
    assert pair["mentee_email"] == "ben@example.org"
    assert pair["mentor_email"] == "ana@example.org"  # untouched
    assert pair["goals"] == ["Ship the RFC", "Run a review"]
    assert (pair["minutes"], pair["cadence"], pair["programme_weeks"]) == (45, "fortnightly", 20)

    code, _, err = cli(capsys, "pair", "set", "ana-ben", "--mentor-email", "")
    assert code == 0, err
    assert show(capsys)["pair"]["mentor_email"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--minutes", "10", "--cadence", "monthly"], "--minutes must be at least 30"),
        (["--next", "next tuesday"], '--next must look like "YYYY-MM-DD HH:MM"'),
        (["--next", "2020-01-06 09:00"], "is in the past; give a future date"),
        (["--mentee-email", "ben at example"], "is not an email address"),
        (["--cadence", "daily", "--minutes", "45"], "--cadence must be 'weekly', 'fortnightly'"),
        (["--weeks", "0"], "--weeks must be at least 1"),
        (["--goal", "x" * 301], "each goal must be at most 300 characters"),
        ([], "nothing to change"),
    ],
)
def test_bad_values_are_one_line_errors_and_change_nothing(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    add_pair(capsys)
    before = show(capsys)
    code, out, err = cli(capsys, "pair", "set", "ana-ben", *args)
    assert code == 2 and out == ""
    assert err.startswith("coach: error: ") and message in err and err.count("\n") == 1
    assert show(capsys) == before


def test_unknown_pair_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "pair", "set", "ghost", "--minutes", "45")
    assert code == 2
    assert err == "coach: error: no pair with id 'ghost' (see `coach pair list`)\n"


def test_update_pair_api_refuses_unknown_fields_and_ids(tmp_path: Path) -> None:
    with Coach(Settings(home=tmp_path / "home", engine="offline")) as coach:
        coach.add_pair(mentor="Ana Silva", mentee="Ben Okafor")
        with pytest.raises(UserInputError, match="cannot change 'id'"):
            coach.update_pair("ana-ben", id="someone-else")
        with pytest.raises(NotFoundError):
            coach.update_pair("ghost", minutes=45)
        updated = coach.update_pair("ana-ben", next_session=datetime(2030, 1, 7, 9, 0))
        assert coach.get_pair("ana-ben") == updated
        assert updated.next_session == datetime(2030, 1, 7, 9, 0).astimezone()
        moved = coach.update_pair("ana-ben", next_session=datetime(2020, 1, 6, 9, 0), past=True)
        assert moved.next_session == datetime(2020, 1, 6, 9, 0).astimezone()


def test_after_cadence() -> None:
    start = datetime(2027, 1, 31, 9, 30)
    assert after_cadence(start, "weekly") == datetime(2027, 2, 7, 9, 30)
    assert after_cadence(start, "fortnightly") == datetime(2027, 2, 14, 9, 30)
    assert after_cadence(start, "monthly") == datetime(2027, 2, 28, 9, 30)
    assert after_cadence(datetime(2026, 12, 15, 18, 0), "monthly") == datetime(2027, 1, 15, 18, 0)


def clock(local: datetime) -> Any:
    """A fixed "now" (local wall time), aware or naive as the caller's datetime is."""
    return lambda like: local.astimezone(like.tzinfo) if like.tzinfo else local


@pytest.fixture
def coach(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    # Sessions are moved on past "now": fix it before the pair's dates, whatever today is.
    monkeypatch.setattr(agent.api, "_now", clock(datetime(2026, 11, 30, 12, 0)))
    with Coach(Settings(home=tmp_path / "home", engine="offline")) as c:
        c.add_pair(
            mentor="Ana Silva",
            mentee="Ben Okafor",
            next_session=datetime(2026, 12, 8, 9, 30),
            past=True,  # fixed dates, whatever today is
        )
        yield c


def test_saving_the_next_sessions_notes_moves_it_on_by_the_cadence(coach: Coach) -> None:
    early = coach.extract_actions(
        NOTES, pair_id="ana-ben", session_date=date(2026, 12, 1), save=True
    )
    assert coach.get_pair("ana-ben").next_session == datetime(2026, 12, 8, 9, 30).astimezone()
    assert not any("next session" in n for n in early.notes)

    held = coach.extract_actions(
        NOTES + "Ben: See you next week.\n",
        pair_id="ana-ben",
        session_date=date(2026, 12, 8),
        save=True,
    )
    assert coach.get_pair("ana-ben").next_session == datetime(2026, 12, 15, 9, 30).astimezone()
    moved = datetime(2026, 12, 15, 9, 30).astimezone()
    assert f"next session moved to 2026-12-15 09:30 {zone_label(moved)}" in held.notes

    # The same notes saved again record nothing new and do not move the session again.
    coach.extract_actions(
        NOTES + "Ben: See you next week.\n",
        pair_id="ana-ben",
        session_date=date(2026, 12, 8),
        save=True,
    )
    assert coach.get_pair("ana-ben").next_session == datetime(2026, 12, 15, 9, 30).astimezone()


def test_notes_saved_late_move_the_next_session_past_today(
    coach: Coach, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A history entered weeks later moved the next session to a time already gone, and the
    # prep email invited both people to it.
    monkeypatch.setattr(agent.api, "_now", clock(datetime(2026, 12, 23, 8, 0)))
    held = coach.extract_actions(
        NOTES, pair_id="ana-ben", session_date=date(2026, 12, 8), save=True
    )
    moved = datetime(2026, 12, 29, 9, 30).astimezone()
    assert coach.get_pair("ana-ben").next_session == moved
    assert f"next session moved to 2026-12-29 09:30 {zone_label(moved)}" in held.notes


def test_a_late_save_with_monthly_cadence_lands_after_the_session(coach: Coach) -> None:
    coach.update_pair(
        "ana-ben", cadence="monthly", next_session=datetime(2027, 1, 31, 17, 0), past=True
    )
    coach.extract_actions(NOTES, pair_id="ana-ben", session_date=date(2027, 3, 2), save=True)
    # Jan 31 -> Feb 28 -> Mar 28: the first date after the session held on Mar 2.
    assert coach.get_pair("ana-ben").next_session == datetime(2027, 3, 28, 17, 0).astimezone()


def test_pair_show_flags_overdue_items_first(capsys: pytest.CaptureFixture[str]) -> None:
    add_pair(capsys)
    with Coach() as coach:
        stored = coach.pairs.add_items(
            "ana-ben",
            [
                {"owner": "Ben Okafor", "action": "Draft the RFC", "due": date(2099, 1, 1)},
                {"owner": "Ana Silva", "action": "Send the checklist", "due": date(2020, 1, 2)},
                {"owner": "Ben Okafor", "action": "Read the paper", "due": None},
            ],
        )
    late = stored[1]
    assert show(capsys)["overdue"] == [late.id]
    code, out, err = cli(capsys, "pair", "show", "ana-ben")
    assert code == 0, err
    lines = [line.strip() for line in out.splitlines() if ": [" in line]
    assert lines[0] == f"OVERDUE: [{late.id}] Ana Silva: Send the checklist (due 2020-01-02)"
    assert sum(line.startswith("OVERDUE") for line in lines) == 1
    assert sum(line.startswith("open:") for line in lines) == 2


def test_a_misspelt_field_is_refused_not_dropped(coach: Coach) -> None:
    with pytest.raises(UserInputError, match="unknown pair field 'mentee_emial'"):
        coach.add_pair(mentor="Cy Park", mentee="Di Ng", mentee_emial="di@example.org")
    assert [p.id for p in coach.list_pairs()] == ["ana-ben"]


def test_a_misspelt_name_is_corrected_and_the_items_follow_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    add_pair(capsys)
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    assert run(["actions", str(notes), "--pair", "ana-ben", "--date", "2030-12-01", "--save"]) == 0
    assert run(["pair", "add", "--mentor", "Cy Dee", "--mentee", "Ed Fox"]) == 0
    capsys.readouterr()
    code, out, err = cli(capsys, "pair", "set", "ana-ben", "--mentee", "Ben Okafor-Smith")
    assert code == 0 and "Ben Okafor-Smith (mentee)" in out, err
    shown = show(capsys)
    assert shown["pair"]["id"] == "ana-ben" and shown["pair"]["mentee"] == "Ben Okafor-Smith"
    owners = {i["owner"] for i in shown["open_items"]}
    assert owners == {"Ben Okafor-Smith", "Ana Silva"}  # no item left under the old name
    code, _, err = cli(capsys, "pair", "set", "ana-ben", "--mentor", "Cy Dee", "--mentee", "Ed Fox")
    assert code == 2 and "are pair 'cy-ed'" in err
    code, _, err = cli(capsys, "pair", "set", "ana-ben", "--mentor", " ")
    assert code == 2 and "--mentor must not be empty" in err
    assert show(capsys)["pair"]["mentor"] == "Ana Silva"  # the refused changes changed nothing


def test_api_type_errors_say_what_the_value_must_be(tmp_path: Path) -> None:
    # They said pydantic's "goals: Input should be a valid list" and "next_session: Input
    # should be a valid datetime or date, day value is outside expected range".
    with Coach(Settings(home=tmp_path / "home", engine="offline")) as coach:
        with pytest.raises(UserInputError) as info:
            coach.add_pair(mentor="Ana Silva", mentee="Ben Okafor", goals="Lead a design review")
        assert str(info.value) == "goals must be a list, got 'Lead a design review'"
        pair = coach.add_pair(mentor="Ana Silva", mentee="Ben Okafor")
        with pytest.raises(UserInputError) as info:
            coach.update_pair(pair.id, next_session="2026-12-99 10:00")
        assert str(info.value) == (
            'next_session must be a real date and time ("YYYY-MM-DD HH:MM"), '
            "got '2026-12-99 10:00'"
        )
        assert coach.get_pair(pair.id).next_session is None  # nothing half-changed


def test_notes_dated_after_today_are_saved_with_a_note_saying_so(coach: Coach) -> None:
    from datetime import timedelta

    ahead = date.today() + timedelta(days=3)
    saved = coach.extract_actions(NOTES, pair_id="ana-ben", session_date=ahead, save=True)
    # Accepted silently before, and the next session moved on by the cadence.
    assert f"the notes are dated {ahead.isoformat()}, after today" in " ".join(saved.notes)
    today = coach.extract_actions(NOTES, pair_id="ana-ben", session_date=date.today(), save=True)
    assert not any("after today" in n for n in today.notes)


def test_pair_add_shows_the_id_and_short_names_are_set_and_cleared(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = cli(
        capsys, "pair", "add", "--mentor", "李 伟", "--mentee", "O'Brien-Ó Sé, Seán"
    )
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("Added pair mentor-sean: use --pair mentor-sean")
    assert "address them as 李 伟 and Seán" in lines[1]
    code, out, err = cli(
        capsys, "pair", "add", "--mentor", "Carla Núñez", "--mentee", "Đặng Minh",
        "--mentee-short", "Minh", "--json",
    )  # fmt: skip
    assert code == 0, err
    added = json.loads(out)
    assert (added["id"], added["mentee_short"]) == ("carla-minh", "Minh")
    for bad, message in (
        ("x" * 41, "--mentee-short must be at most 40 characters, got 41"),
        ("Mi\nnh", "--mentee-short must be on one line"),
        ("<b>Minh</b>", "--mentee-short must be a plain name of at most 40 characters"),
    ):
        code, _, err = cli(capsys, "pair", "set", "carla-minh", "--mentee-short", bad)
        assert code == 2 and err.strip() == f"coach: error: {message}"
    code, out, err = cli(capsys, "pair", "set", "carla-minh", "--mentee-short", "", "--json")
    assert code == 0 and json.loads(out)["mentee_short"] is None
    code, out, err = cli(capsys, "pair", "show", "carla-minh", "--json")
    assert json.loads(out)["pair"]["id"] == "carla-minh"  # a cleared short name keeps the id


def test_listings_show_the_session_time_with_its_offset(
    coach: Coach, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import time

    stored = coach.get_pair("ana-ben").next_session
    assert stored is not None
    try:
        monkeypatch.setenv("TZ", "America/New_York")
        time.tzset()
        assert run(["pair", "list"]) == 0
        listed = capsys.readouterr().out
        local = stored.astimezone()
        # It said "next: 2026-12-08 04:30" with no zone, while the emails print one.
        assert f"next: {local:%Y-%m-%d %H:%M} (UTC-05:00)" in listed
        assert run(["pair", "show", "ana-ben"]) == 0
        assert f"next session: {local:%Y-%m-%d %H:%M} (UTC-05:00)" in capsys.readouterr().out
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_prep_that_names_the_mentee_is_flagged_as_maybe_the_mentors(coach: Coach) -> None:
    # A mentor's worry given as prep was quoted to the mentee, credited to him.
    mine = coach.draft_agenda(pair_id="ana-ben", prep="Ben is nervous. How do I help him?")
    assert any("the prep names Ben" in n for n in mine.notes)
    own = coach.draft_agenda(pair_id="ana-ben", prep="The RFC is half done; how do I run it?")
    assert not any("prep names" in n for n in own.notes)
