"""Issue 11, item 9: prep emails are idempotent per meeting (pair + start), not per session number.

Renumbering the session (`actions --save`) must not send a second email or invitation for
the same meeting; a new time sends an update (same UID, SEQUENCE + 1, METHOD:REQUEST); a
removed session sends a cancellation (METHOD:CANCEL, STATUS:CANCELLED). Sent over SMTP to a
server on loopback through the coach's own `prep_email`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from agent.api import Coach
from agent.cli import run
from tests.integration.test_smtp import ServerFactory, smtp_server  # noqa: F401 (fixture)

NOTES = """Ana: How did the week go?
Ben: I got the RFC outline done. I'll draft the full RFC by Friday.
"""


def _plain(message: EmailMessage) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return str(part.get_content())


def _event(message: EmailMessage) -> tuple[str, Any]:
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    calendar = Calendar.from_ical(part.get_content())
    return str(calendar["METHOD"]), calendar.walk("VEVENT")[0]


@pytest.fixture
def mailing(
    coach: Coach,
    smtp_server: ServerFactory,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> Any:
    server = smtp_server()
    for name, value in {
        "COACH_SMTP_HOST": "127.0.0.1",
        "COACH_SMTP_PORT": str(server.port),
        "COACH_SMTP_SECURITY": "none",
        "COACH_SMTP_FROM_ADDRESS": "coach@example.org",
    }.items():
        monkeypatch.setenv(name, value)
    start = (datetime.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    coach.add_pair(
        mentor="Ana Silva",
        mentee="Ben Okafor",
        mentor_email="ana@example.org",
        mentee_email="ben@example.org",
        next_session=start.strftime("%Y-%m-%d %H:%M"),
    )

    def send() -> list[str]:
        result = coach.prep_email("ana-ben", out_dir=tmp_path / "outbox", send=True)
        return [str(o["status"]) for o in result.sent]

    return coach, server, send, start


def test_renumbering_the_session_does_not_send_the_meeting_again(mailing: Any) -> None:
    coach, server, send, start = mailing
    assert send() == ["sent", "sent"]
    before = coach.agenda_context("ana-ben").session_number
    # Notes of a session held today are saved: the planned session is renumbered.
    coach.extract_actions(NOTES, pair_id="ana-ben", session_date=date.today(), save=True)
    assert coach.agenda_context("ana-ben").session_number != before
    assert coach.get_pair("ana-ben").next_session == start.astimezone()  # same meeting
    assert send() == ["already-sent", "already-sent"]
    assert len(server.handler.received) == 2


def test_a_new_time_sends_an_update_of_the_same_event(mailing: Any) -> None:
    coach, server, send, start = mailing
    assert send() == ["sent", "sent"]
    moved = start + timedelta(days=1, hours=2)
    coach.update_pair("ana-ben", next_session=moved.strftime("%Y-%m-%d %H:%M"))
    assert send() == ["sent", "sent"]
    assert send() == ["already-sent", "already-sent"]  # the update goes out once too
    received = [r.message for r in server.handler.received]
    assert len(received) == 4
    first, update = _event(received[0]), _event(received[2])
    assert first[0] == update[0] == "REQUEST"
    assert update[1]["UID"] == first[1]["UID"]
    assert int(update[1]["SEQUENCE"]) == int(first[1]["SEQUENCE"]) + 1
    assert update[1].decoded("DTSTART") == moved.astimezone(update[1].decoded("DTSTART").tzinfo)
    assert received[2]["Message-ID"] != received[0]["Message-ID"]
    # The update says when the session was, not only when it is now.
    text = " ".join(_plain(received[2]).split())
    assert str(received[2]["Subject"]).startswith("New time:")
    assert "has moved from " in text and f"{start:%H:%M} " in text, text
    assert f" {moved.day} " in text and f"{moved:%H:%M}" in text


def test_a_removed_session_sends_a_cancel(mailing: Any) -> None:
    coach, server, send, start = mailing
    assert send() == ["sent", "sent"]
    assert run(["pair", "set", "ana-ben", "--next", ""]) == 0  # the session is removed
    assert coach.get_pair("ana-ben").next_session is None
    assert send() == ["sent", "sent"]
    assert send() == ["already-sent", "already-sent"]
    received = [r.message for r in server.handler.received]
    assert len(received) == 4
    invite, cancel = _event(received[0]), _event(received[2])
    assert cancel[0] == "CANCEL"
    assert str(cancel[1]["STATUS"]) == "CANCELLED"
    assert cancel[1]["UID"] == invite[1]["UID"]
    assert int(cancel[1]["SEQUENCE"]) > int(invite[1]["SEQUENCE"])
    assert str(received[2]["Subject"]).startswith("Cancelled:")
    # The session's time as the pair typed it and the prep emails showed it (it was once the
    # log's UTC time), with its offset as the prep subjects give it (it once had none).
    from agent.text import zone_label

    assert f"{start:%H:%M} {zone_label(start.astimezone())}" in str(received[2]["Subject"])
    again = coach.prep_email("ana-ben", out_dir=coach.settings.home / "outbox2")
    assert again.kind == "cancellation"
    assert not any(n.startswith(("Why ", "No goals")) for n in again.notes)  # no agenda notes


def test_invited_again_after_a_cancel(mailing: Any) -> None:
    coach, server, send, start = mailing
    send()
    coach.update_pair("ana-ben", next_session=None)
    send()
    coach.update_pair("ana-ben", next_session=start.strftime("%Y-%m-%d %H:%M"))
    assert send() == ["sent", "sent"]  # not "already-sent": the cancel came in between
    method, event = _event(server.handler.received[-1].message)
    assert method == "REQUEST" and int(event["SEQUENCE"]) == 2


def test_a_session_set_in_one_zone_is_the_same_meeting_from_another(
    mailing: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    coach, server, send, _ = mailing

    def zone(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    try:
        zone("Europe/Madrid")
        coach.update_pair("ana-ben", next_session="2030-06-10 09:30")  # 07:30 UTC in summer
        assert send() == ["sent", "sent"]
        zone("Asia/Ho_Chi_Minh")
        # Read as local time on each run, the stored "09:30" moved to 02:30 UTC from Hanoi
        # and a "New time" update went out although nobody had changed the session.
        assert send() == ["already-sent", "already-sent"]
        received = [r.message for r in server.handler.received]
        assert len(received) == 2
        dtstart = _event(received[0])[1].decoded("DTSTART")
        assert dtstart == datetime(2030, 6, 10, 7, 30, tzinfo=UTC)
        assert "09:30 (UTC+02:00)" in " ".join(_plain(received[0]).split())
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_forgetting_a_pair_with_an_invitation_out_asks_to_cancel_it_first(
    mailing: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from agent.errors import UserInputError

    coach, _, send, _ = mailing
    assert send() == ["sent", "sent"]
    # Forgotten, the pair could no longer be named: its invitation stayed in two calendars.
    with pytest.raises(UserInputError, match=r"invitation out for .*cancel it first"):
        coach.forget_pair("ana-ben")
    assert coach.get_pair("ana-ben").id == "ana-ben"  # nothing was removed
    assert run(["pair", "forget", "ana-ben", "--yes"]) == 2
    assert "--keep-invitations" in capsys.readouterr().err
    coach.update_pair("ana-ben", next_session=None)
    assert send() == ["sent", "sent"]  # the cancellation
    assert coach.forget_pair("ana-ben").id == "ana-ben"


def test_a_pair_can_be_forgotten_with_its_invitation_kept_on_request(mailing: Any) -> None:
    coach, _, send, _ = mailing
    assert send() == ["sent", "sent"]
    assert run(["pair", "forget", "ana-ben", "--yes", "--keep-invitations"]) == 0
    assert coach.pairs.find("Ana Silva", "Ben Okafor") is None
