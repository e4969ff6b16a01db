"""`coach email` end to end: drafts that open in a mail client, sent exactly once over SMTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from tests.integration.test_smtp import ServerFactory, smtp_server  # noqa: F401 (fixture)

pytestmark = pytest.mark.integration


def coach(
    home: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "COACH_HOME": str(home), **(env or {})}
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        full.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "agent.cli", *args],
        env=full,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def add_pair(home: Path, *extra: str) -> None:
    done = coach(
        home,
        "pair",
        "add",
        "--mentor",
        "Ana Silva",
        "--mentee",
        "Ben Okafor",
        "--mentor-email",
        "ana@example.org",
        "--mentee-email",
        "ben@example.org",
        "--goal",
        "Lead a design review",
        "--next",
        "2030-01-15 10:00",
        *extra,
    )
    assert done.returncode == 0, done.stderr


def test_drafts_are_well_formed_and_send_happens_once(
    tmp_path: Path,
    smtp_server: ServerFactory,  # noqa: F811
) -> None:
    home, outbox = tmp_path / "home", tmp_path / "outbox"
    add_pair(home)
    drafted = coach(home, "email", "--pair", "ana-ben", "--out", str(outbox), "--json")
    assert drafted.returncode == 0, drafted.stderr
    paths = [Path(p) for p in json.loads(drafted.stdout)["drafts"]]
    assert sorted(p.name for p in paths) == ["ana-ben-s1-mentee.eml", "ana-ben-s1-mentor.eml"]
    for path in paths:
        message = BytesParser(policy=policy.default).parse(path.open("rb"))
        assert message["To"].addresses[0].addr_spec in ("ana@example.org", "ben@example.org")
        types = {part.get_content_type() for part in message.walk()}
        assert {"text/plain", "text/html", "text/calendar"} <= types
        ics = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
        event = Calendar.from_ical(ics.get_content()).walk("VEVENT")[0]
        assert event.decoded("dtend") - event.decoded("dtstart") == __import__(
            "datetime"
        ).timedelta(minutes=60)

    server = smtp_server()
    env = {
        "COACH_SMTP_HOST": "127.0.0.1",
        "COACH_SMTP_PORT": str(server.port),
        "COACH_SMTP_SECURITY": "none",
        "COACH_SMTP_FROM_ADDRESS": "coach@example.org",
    }
    first = coach(
        home, "email", "--pair", "ana-ben", "--out", str(outbox), "--send", "--json", env=env
    )
    assert first.returncode == 0, first.stderr
    assert [o["status"] for o in json.loads(first.stdout)["sent"]] == ["sent", "sent"]
    second = coach(
        home, "email", "--pair", "ana-ben", "--out", str(outbox), "--send", "--json", env=env
    )
    assert [o["status"] for o in json.loads(second.stdout)["sent"]] == ["already-sent"] * 2
    received = server.handler.received
    assert sorted(r.rcpt_tos[0] for r in received) == ["ana@example.org", "ben@example.org"]
    # A batch resend sends nothing; "0 sent" alone read as a failure.
    again = coach(
        home, "email", "--all", "--within", "999w", "--out", str(outbox), "--send", env=env
    )
    assert again.returncode == 0, again.stderr
    assert "ana-ben: 2 drafts written, 0 sent (2 already sent by an earlier run, unchanged)" in (
        again.stdout
    )
    assert "1 pair due: 1 prepared, 0 sent (2 already sent by an earlier run, unchanged)," in (
        again.stdout
    )
    assert len(server.handler.received) == 2


def test_header_injection_through_a_name_is_refused_and_nothing_sent(
    tmp_path: Path,
    smtp_server: ServerFactory,  # noqa: F811
) -> None:
    home, outbox = tmp_path / "home", tmp_path / "outbox"
    done = coach(
        home,
        "pair",
        "add",
        "--mentor",
        "=?UTF-8?Q?Ana=0ABcc:_x@evil.test?=",
        "--mentee",
        "Ben Okafor",
        "--mentee-email",
        "ben@example.org",
    )
    assert done.returncode == 0, done.stderr  # a plain-looking name passes the pair record...
    pair_id = json.loads(coach(home, "pair", "list", "--json").stdout)["pairs"][0]["id"]
    server = smtp_server()
    env = {
        "COACH_SMTP_HOST": "127.0.0.1",
        "COACH_SMTP_PORT": str(server.port),
        "COACH_SMTP_SECURITY": "none",
        "COACH_SMTP_FROM_ADDRESS": "coach@example.org",
    }
    refused = coach(home, "email", "--pair", pair_id, "--out", str(outbox), "--send", env=env)
    assert refused.returncode == 2  # ...but never reaches a header
    assert refused.stderr.count("\n") == 1 and "encoded" in refused.stderr.lower()
    assert server.handler.received == []
    assert not outbox.exists() or not any(outbox.iterdir())


def test_all_within_window_skips_a_pair_without_addresses(tmp_path: Path) -> None:
    home, outbox = tmp_path / "home", tmp_path / "outbox"
    add_pair(home)
    done = coach(
        home,
        "pair",
        "add",
        "--mentor",
        "Cy Park",
        "--mentee",
        "Di Ng",
        "--next",
        "2030-01-15 11:00",
    )  # no email addresses: nothing to send to, which is not a failure
    assert done.returncode == 0
    batch: Any = coach(home, "email", "--all", "--within", "999w", "--out", str(outbox), "--json")
    assert batch.returncode == 0, batch.stderr
    data = json.loads(batch.stdout)
    assert (data["pairs"], data["prepared"], data["failed"]) == (2, 1, [])
    assert data["skipped"] == [{"pair": "cy-di", "reason": "no email addresses"}]
    shown = coach(home, "email", "--all", "--within", "999w", "--out", str(outbox))
    assert shown.returncode == 0 and "skipped" not in shown.stderr  # stderr: the timing line
    assert "2 pairs due: 1 prepared, 0 sent, 1 skipped, 0 failed" in shown.stdout
    assert "cy-di: skipped, no email addresses" in shown.stdout


def test_a_refused_recipient_makes_the_run_fail_and_says_why(
    tmp_path: Path,
    smtp_server: ServerFactory,  # noqa: F811
) -> None:
    home, outbox = tmp_path / "home", tmp_path / "outbox"
    add_pair(home)
    server = smtp_server()
    server.handler.refuse.add("ben@example.org")
    env = {
        "COACH_SMTP_HOST": "127.0.0.1",
        "COACH_SMTP_PORT": str(server.port),
        "COACH_SMTP_SECURITY": "none",
        "COACH_SMTP_FROM_ADDRESS": "coach@example.org",
    }
    one = coach(home, "email", "--pair", "ana-ben", "--out", str(outbox), "--send", env=env)
    assert one.returncode == 1, one.stdout  # a cron job must see that Ben got nothing
    assert "ben@example.org: failed (recipient ben@example.org refused: 550" in one.stdout
    assert "ana@example.org: sent" in one.stdout and one.stdout.count("ben@example.org:") == 1

    batch = coach(
        home,
        "email",
        "--all",
        "--within",
        "999w",
        "--out",
        str(outbox),
        "--send",
        "--json",
        env=env,
    )
    assert batch.returncode == 1
    data = json.loads(batch.stdout)
    assert [f["pair"] for f in data["failed"]] == ["ana-ben"]
    assert "ben@example.org: recipient ben@example.org refused: 550" in data["failed"][0]["error"]
    assert sorted(o["status"] for o in data["results"][0]["sent"]) == ["already-sent", "failed"]

    # What the server got is the draft, byte for byte: no mbox ">From" quoting in the text.
    (sent,) = server.handler.received
    text = sent.message.get_body(("plain",))
    assert text is not None
    lines = text.get_content().splitlines()
    assert any(line.startswith("From the mentoring guides") for line in lines)
    assert not any(line.startswith(">From") for line in lines)
