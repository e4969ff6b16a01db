"""Prep emails without servers: structure, .ics, header safety, HTML safety, drafts, sent-log."""

from __future__ import annotations

import os
import stat
from datetime import UTC, date, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from icalendar import Calendar
from pydantic import SecretStr

from agent.errors import UserInputError
from agent.mail import (
    DEFAULT_FROM_ADDRESS,
    LINK_HOSTS,
    STAGE_PRACTICES,
    PreparedMessage,
    PrepContent,
    SmtpSettings,
    UnsafeHeaderError,
    UnsafeHtmlError,
    build_prep_messages,
    check_address,
    check_display_name,
    check_header,
    check_html,
    html_problems,
    load_smtp_settings,
    missing_roles,
    resolve_from_address,
    write_drafts,
)
from agent.maillog import SentLog
from agent.memory import Pair, StoredItem
from agent.models import Agenda, AgendaBlock, Citation, CuriousQuestion

FROM = "coach@example.org"
NOW = datetime(2025, 5, 30, 9, 0, tzinfo=UTC)
START = datetime(2025, 6, 3, 14, 0, tzinfo=UTC)
GUIDES = Path(__file__).resolve().parents[2] / "knowledge" / "guides"


# -- builders --------------------------------------------------------------------------------
def make_pair(**overrides: Any) -> Pair:
    values: dict[str, Any] = {
        "id": "ada-grace",
        "created_at": datetime(2025, 1, 6, 10, 0, tzinfo=UTC),
        "mentor": "Ada Lovelace",
        "mentee": "Grace Hopper",
        "mentor_email": "ada@example.org",
        "mentee_email": "grace@example.com",
        "goals": ["Learn compiler design", "Give a conference talk"],
        "minutes": 60,
    }
    values.update(overrides)
    return Pair(**values)


def make_agenda(**overrides: Any) -> Agenda:
    values: dict[str, Any] = {
        "stage": "regular",
        "minutes": 60,
        "blocks": [
            AgendaBlock(name="Check-in", minutes=5, items=["How has the week been?"]),
            AgendaBlock(name="Progress review", minutes=15, items=["Carried forward: parser"]),
            AgendaBlock(name="Deep dive", minutes=30, items=["Walk through the parser design"]),
            AgendaBlock(name="Action planning", minutes=5, items=["One next step each"]),
            AgendaBlock(name="Wrap-up", minutes=5, items=["Confirm the next meeting"]),
        ],
        "prep_checklist": ["The specific challenges you want to discuss.", "Questions for Ada."],
        "citations": [
            Citation(
                id="meeting-template#0",
                title="Structure each session so the hour is well spent",
                section="Before the meeting",
                source="https://mentorcruise.com/",
            )
        ],
    }
    values.update(overrides)
    return Agenda(**values)


def make_item(action: str, owner: str | None = "Grace", **extra: Any) -> StoredItem:
    return StoredItem(
        id=f"i{abs(hash(action)) % 10_000}",
        owner=owner,
        action=action,
        due=date(2025, 6, 2),
        created_at=datetime(2025, 5, 27, tzinfo=UTC),
        **extra,
    )


def make_content(pair: Pair | None = None, **overrides: Any) -> PrepContent:
    values: dict[str, Any] = {
        "pair": pair or make_pair(),
        "session_number": 3,
        "session_start": START,
        "agenda": make_agenda(),
        "open_items": [
            make_item("Write the tokenizer"),
            make_item("Send Grace the talk template", owner="Ada"),
            make_item("Book a room", owner=None),
        ],
        "questions": [
            CuriousQuestion(
                question="What got in the way of the tokenizer?",
                rationale="Asks about obstacles instead of assuming",
            )
        ],
    }
    values.update(overrides)
    return PrepContent(**values)


def build(content: PrepContent | None = None, **kwargs: Any) -> list[PreparedMessage]:
    kwargs.setdefault("now", NOW)
    return build_prep_messages(content or make_content(), FROM, **kwargs)


def flat(text: str) -> str:
    """Text with its wrapping undone, for phrase checks."""
    return " ".join(text.split())


def parse(message: PreparedMessage) -> EmailMessage:
    parsed = BytesParser(policy=policy.default).parsebytes(message.as_bytes())
    assert isinstance(parsed, EmailMessage)
    return parsed


def body(parsed: EmailMessage, subtype: str) -> str:
    part = parsed.get_body(preferencelist=(subtype,))
    assert part is not None, f"no text/{subtype} part"
    content = part.get_content()
    assert isinstance(content, str)
    return content


def attendees(event: Any) -> set[str]:
    """An event's ATTENDEE values (one is a value, several are a list)."""
    value = event["ATTENDEE"]
    return {str(a) for a in (value if isinstance(value, list) else [value])}


def calendar_of(parsed: EmailMessage) -> Calendar:
    parts = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    return Calendar.from_ical(parts[0].get_content())


def everything(message: PreparedMessage) -> str:
    """All decoded text of a message: headers and every part, for leak checks."""
    parsed = parse(message)
    chunks = [f"{k}: {v}" for k, v in parsed.items()]
    for part in parsed.walk():
        if part.is_multipart():
            continue
        content = part.get_content()
        chunks.append(content.decode() if isinstance(content, bytes) else str(content))
    return "\n".join(chunks)


# -- structure --------------------------------------------------------------------------------
def test_two_messages_with_keys_recipients_and_headers() -> None:
    mentee, mentor = build()
    assert (mentee.role, mentor.role) == ("mentee", "mentor")
    # Keyed on the meeting (pair + start, as first invited), not on the session number.
    assert (mentee.key, mentor.key) == (
        "ada-grace/20250603T1400Z/0/mentee",
        "ada-grace/20250603T1400Z/0/mentor",
    )
    undated = build(make_content(session_start=None))
    assert [m.key for m in undated] == ["ada-grace/3/mentee", "ada-grace/3/mentor"]
    assert (mentee.recipient, mentor.recipient) == ("grace@example.com", "ada@example.org")
    parsed = parse(mentee)
    assert parsed["To"].addresses[0].addr_spec == "grace@example.com"
    assert parsed["To"].addresses[0].display_name == "Grace Hopper"
    assert parsed["From"].addresses[0].addr_spec == FROM
    assert parsed["Subject"] == "Prep for session 3 with Ada Lovelace, Tue 3 Jun 2025, 14:00 UTC"
    assert parse(mentor)["Subject"].startswith("Session 3 with Grace Hopper: agenda and prep")
    assert parsed["Date"].datetime == NOW
    assert parsed["Message-ID"] == mentee.message_id
    assert parsed["Message-ID"].endswith("@example.org>")
    assert parsed["Auto-Submitted"] == "auto-generated"
    for header in ("Cc", "Bcc"):
        assert header not in parsed
    # A reply goes to the other person of the pair (from the record), not the coach's sender.
    assert parsed["Reply-To"].addresses[0].addr_spec == "ada@example.org"
    assert parse(mentor)["Reply-To"].addresses[0].addr_spec == "grace@example.com"


def test_mime_layout_with_calendar() -> None:
    parsed = parse(build()[0])
    assert parsed.get_content_type() == "multipart/mixed"
    alternative, attachment = parsed.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    parts = list(alternative.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html", "text/calendar"]
    assert parts[2].get_param("method") == "REQUEST"
    assert attachment.get_content_type() == "application/ics"
    assert attachment.get_filename() == "invite.ics"
    attached = Calendar.from_ical(attachment.get_content()).walk("VEVENT")[0]
    assert attached["UID"] == calendar_of(parsed).walk("VEVENT")[0]["UID"]


def test_no_calendar_without_a_session_time() -> None:
    for message in build(make_content(session_start=None)):
        parsed = parse(message)
        assert parsed.get_content_type() == "multipart/alternative"
        kinds = [p.get_content_type() for p in parsed.iter_parts()]
        assert kinds == ["text/plain", "text/html"]
        assert "date and time are not set yet" in flat(body(parsed, "plain"))
        assert "," not in parsed["Subject"]  # no date in the subject


def test_ics_uid_times_and_attendees() -> None:
    mentee, mentor = build()
    events = [calendar_of(parse(m)).walk("VEVENT")[0] for m in (mentee, mentor)]
    cal = calendar_of(parse(mentee))
    assert str(cal["METHOD"]) == "REQUEST"
    event = events[0]
    assert event["UID"] == events[1]["UID"]  # one meeting, one UID for both invitations
    assert event.decoded("DTSTART") == START
    assert event.decoded("DTEND") == START + timedelta(minutes=60)
    assert attendees(event) == {"mailto:grace@example.com", "mailto:ada@example.org"}
    assert str(event["ORGANIZER"]) == "mailto:ada@example.org"
    assert event["ORGANIZER"].params["CN"] == "Ada Lovelace"
    assert "Ada Lovelace & Grace Hopper" in str(event["SUMMARY"])
    # Stable per pair and meeting: the same on a rebuild and when the session is renumbered,
    # different for a meeting at another time.
    again = calendar_of(parse(build(now=NOW + timedelta(days=1))[0])).walk("VEVENT")[0]
    assert again["UID"] == event["UID"]
    renumbered = calendar_of(parse(build(make_content(session_number=4))[0])).walk("VEVENT")[0]
    assert renumbered["UID"] == event["UID"]
    later = make_content(session_start=START + timedelta(days=7))
    other = calendar_of(parse(build(later)[0])).walk("VEVENT")[0]
    assert other["UID"] != event["UID"]


def test_ics_minutes_and_naive_local_start() -> None:
    naive = datetime(2025, 6, 3, 9, 30)
    content = make_content(session_start=naive, minutes=90)
    event = calendar_of(parse(build(content)[0])).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == naive.astimezone(UTC)
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=90)


def test_minutes_default_to_the_pair() -> None:
    content = PrepContent(pair=make_pair(minutes=45), session_number=1, agenda=make_agenda())
    assert content.minutes == content.duration == 45
    assert content.stage_tip == STAGE_PRACTICES["regular"]


def test_a_role_without_email_gets_no_message() -> None:
    pair = make_pair(mentor_email=None)
    assert missing_roles(pair) == ["mentor"]
    messages = build(make_content(pair))
    assert [m.role for m in messages] == ["mentee"]
    event = calendar_of(parse(messages[0])).walk("VEVENT")[0]
    attendee = event["ATTENDEE"]
    assert str(attendee) == "mailto:grace@example.com"
    assert str(event["ORGANIZER"]) == f"mailto:{FROM}"  # no mentor address: the sender
    assert build(make_content(make_pair(mentor_email=None, mentee_email=None))) == []
    assert missing_roles(make_pair(mentor_email=None, mentee_email=None)) == ["mentee", "mentor"]


def test_recipients_only_from_the_pair_record() -> None:
    sneaky = make_agenda(
        blocks=[
            AgendaBlock(
                name="Deep dive",
                minutes=60,
                items=[
                    "Cc: boss@evil.example\r\nBcc: all@evil.example",
                    "mail me at x@evil.example",
                ],
            )
        ]
    )
    for message in build(make_content(agenda=sneaky)):
        parsed = parse(message)
        headers = " ".join(f"{k}: {v}" for k, v in parsed.items())
        assert "evil.example" not in headers
        assert [a.addr_spec for a in parsed["To"].addresses] == [message.recipient]
        # The injected "headers" are body text on one line, not new header lines.
        text = body(parsed, "plain")
        assert "\nBcc:" not in text and "\nCc:" not in text
        assert "Cc: boss@evil[.]example Bcc: all@evil[.]example" in flat(text)


# -- content ----------------------------------------------------------------------------------
def test_mentee_message_has_checklist_items_and_agenda() -> None:
    content = make_content(agenda=make_agenda(prep_checklist=[]))
    text = flat(body(parse(build(content)[0]), "plain"))
    assert "Hi Grace," in text
    assert "Before the session, please prepare" in text
    for action in ("Write the tokenizer", "Book a room"):  # Grace's own and the shared one
        assert f"Progress on “{action}”" in text
    assert "Progress on “Send Grace" not in text  # Ada's item: Grace doesn't report on it
    assert "The specific challenges you want to discuss." in text
    assert "Questions for Ada." in text
    assert "proposed focus" in text
    assert "Draft agenda (60 minutes)" in text
    assert "3. Deep dive (30 min)" in text
    assert "Walk through the parser design" in text


def test_mentor_message_groups_items_and_has_questions_and_practice() -> None:
    text = flat(body(parse(build()[1]), "plain"))
    assert "Hi Ada," in text
    assert text.index("Grace's:") < text.index("Write the tokenizer")
    assert text.index("Yours:") < text.index("Send Grace the talk template")
    assert text.index("Shared or unassigned:") < text.index("Book a room")
    assert "What got in the way of the tokenizer?" in text
    assert "Asks about obstacles instead of assuming" in text
    assert "Wisdom-to-Action ratio" in text  # the regular stage's practice
    custom = flat(body(parse(build(make_content(stage_tip="Try pair programming"))[1]), "plain"))
    assert "Try pair programming" in custom


def test_greetings_use_the_stored_short_name_else_never_a_family_name() -> None:
    # Vietnamese names put the family name first: with no short name stored the whole name
    # is used ("Hi Đặng Minh,", never "Hi Đặng,"); with one stored, that name.
    whole = make_pair(mentee="Đặng Minh", mentor="Carla Núñez")
    items = [make_item("Write the PR template", owner="Minh")]
    mentee, mentor = build(make_content(whole, open_items=items))
    assert "Hi Đặng Minh," in flat(body(parse(mentee), "plain"))
    mentor_text = flat(body(parse(mentor), "plain"))
    assert "Hi Carla," in mentor_text
    # "Minh" (the last word of a family-name-first name) owns the item as the mentee.
    assert mentor_text.index("Đặng Minh's:") < mentor_text.index("Write the PR template")
    short = whole.model_copy(update={"mentee_short": "Minh", "mentor_short": "Carlita"})
    mentee, mentor = build(make_content(short, open_items=items))
    assert "Hi Minh," in flat(body(parse(mentee), "plain"))
    mentor_text = flat(body(parse(mentor), "plain"))
    assert "Hi Carlita," in mentor_text and "Minh's:" in mentor_text
    assert make_pair(mentor="Ana Silva").called("mentor") == "Ana"


@pytest.mark.parametrize(
    "stage", ["first-session", "regular", "stale-patch", "stalled", "graduation"]
)
def test_session_line_says_the_stage_in_words_not_its_internal_value(stage: str) -> None:
    content = make_content(agenda=make_agenda(stage=stage))
    for message in build(content):
        text = flat(body(parse(message), "plain"))
        line = text[text.index("Session 3 with") :].split(".")[0]
        assert "stage" not in line and stage not in line, line
        if stage == "first-session":
            assert "first session" in line


def test_bodies_are_deterministic_and_drafts_byte_identical(tmp_path: Path) -> None:
    first = write_drafts(build(), tmp_path / "a")
    second = write_drafts(build(), tmp_path / "b")
    assert [p.name for p in first] == ["ada-grace-s3-mentee.eml", "ada-grace-s3-mentor.eml"]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes()


def test_message_ids_are_stable_and_distinct() -> None:
    ids = {m.key: m.message_id for m in build()}
    assert ids == {m.key: m.message_id for m in build(now=NOW + timedelta(hours=3))}
    assert len(set(ids.values())) == 2
    renumbered = {m.key: m.message_id for m in build(make_content(session_number=4))}
    assert renumbered == ids  # the same meeting: the same messages
    next_session = {m.message_id for m in build(make_content(session_start=START + timedelta(7)))}
    assert not next_session & set(ids.values())
    # A pair forgotten and re-created under the same id is a different pair.
    recreated = make_pair(created_at=datetime(2025, 3, 1, tzinfo=UTC))
    assert not {m.message_id for m in build(make_content(recreated))} & set(ids.values())


# -- header safety ----------------------------------------------------------------------------
BAD_HEADER_VALUES = [
    "Ada\r\nBcc: victim@evil.example",
    "Ada\nBcc: victim@evil.example",
    "Ada\rX: y",
    "=?UTF-8?Q?=0A?=Bcc: victim@evil.example",
    "=?utf-8?b?QWRh?=",
    "Ada\x00Lovelace",
    "Ada\u2028Lovelace",
    "Ada\u202eecalevoL",
    "Ada\tLovelace",
]


@pytest.mark.parametrize("value", BAD_HEADER_VALUES)
def test_check_header_refuses(value: str) -> None:
    with pytest.raises(UnsafeHeaderError) as info:
        check_header("subject", value)
    message = str(info.value)
    assert "\n" not in message and "\r" not in message
    assert message.startswith("unsafe subject:")
    assert "nothing was written or sent" in message


def test_check_header_limits_and_accepts_plain_text() -> None:
    assert check_header("subject", "  Prep for session 3 — José Müller ") == (
        "Prep for session 3 — José Müller"
    )
    with pytest.raises(UnsafeHeaderError, match="longer than 200"):
        check_header("subject", "x" * 201)
    with pytest.raises(UnsafeHeaderError, match="empty"):
        check_header("subject", "   ")
    for name in ("Ada <ada@evil.example>", "boss@example.com", 'Ada "the" L', "A\\B"):
        with pytest.raises(UnsafeHeaderError, match="disguise an address"):
            check_display_name("mentor name", name)
    assert check_display_name("mentor name", "Smith, Jane") == "Smith, Jane"
    for address in ("a@b", "a b@example.org", "a@@example.org", "ü@example.org", "a@-x.org"):
        with pytest.raises(UnsafeHeaderError):
            check_address("mentor email", address)
    assert check_address("mentor email", "first.last+tag@sub.example.org")


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("mentor", "=?UTF-8?Q?=0A?=Bcc: x@evil.example", "mentor name"),
        ("mentee", "Grace =?utf-8?q?Hopper?=", "mentee name"),
        ("mentor", "Ada\r\nBcc: x@evil.example", "mentor name"),
        ("mentee", "Grace\nHopper", "mentee name"),
        ("mentor", "Ada\u202eLovelace", "mentor name"),
        ("mentor_email", "ada@example.org\r\nBcc: x@evil.example", "mentor email"),
        ("mentee_email", "grace@example.com>, x@evil.example", "mentee email"),
    ],
)
def test_injection_through_the_pair_record_is_refused(field: str, value: str, named: str) -> None:
    # model_copy skips validation: as if a record bypassed PairInput's checks (old data, a
    # direct store write). The mail module must not rely on those checks.
    pair = make_pair().model_copy(update={field: value})
    with pytest.raises(UnsafeHeaderError, match=f"^unsafe {named}:"):
        build(make_content(pair))


def test_encoded_word_name_passes_pair_validation_but_not_headers() -> None:
    pair = make_pair(mentor="=?UTF-8?Q?=0A?=Bcc: x")  # PairInput accepts it
    with pytest.raises(UnsafeHeaderError, match="encoded-word"):
        build(make_content(pair))


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"from_name": "Coach\r\nBcc: x@evil.example"}, "from name"),
        ({"from_name": "=?UTF-8?B?Q29hY2g=?="}, "from name"),
    ],
)
def test_injection_through_sender_is_refused(kwargs: dict[str, Any], named: str) -> None:
    with pytest.raises(UnsafeHeaderError, match=f"^unsafe {named}:"):
        build(**kwargs)
    with pytest.raises(UnsafeHeaderError, match=r"^unsafe from address:"):
        build_prep_messages(make_content(), "coach@example.org\r\nBcc: x@evil.example", now=NOW)


def test_unsafe_header_error_is_a_user_input_error() -> None:
    assert issubclass(UnsafeHeaderError, UserInputError)


def test_model_text_reaches_bodies_only_and_escaped() -> None:
    evil = "=?UTF-8?Q?=0A?=Bcc: x@evil.example\r\nSubject: hacked"
    content = make_content(
        pair=make_pair(goals=[evil]),
        agenda=make_agenda(
            blocks=[AgendaBlock(name=evil, minutes=60, items=[evil])], prep_checklist=[evil]
        ),
        questions=[CuriousQuestion(question=evil, rationale=evil)],
        open_items=[make_item(evil, owner=evil)],
        stage_tip=evil,
    )
    for message in build(content):
        parsed = parse(message)
        assert "hacked" not in parsed["Subject"]
        assert "evil.example" not in " ".join(str(v) for v in parsed.values())
        text = body(parsed, "plain")
        # The injected newline is gone: the whole value is one run of body text (where the
        # wrapping then breaks it is layout; a body line is never read as a header).
        assert "=?UTF-8?Q?=0A?=Bcc: x@evil[.]example Subject: hacked" in flat(text)
        assert [k for k in parsed if k.casefold() == "subject"] == ["Subject"]


# -- HTML safety -------------------------------------------------------------------------------
SCRIPT = '<script>alert("x")</script><img src="https://evil.example/p.gif">'


def test_html_escapes_every_field() -> None:
    content = make_content(
        pair=make_pair(goals=[SCRIPT]),
        agenda=make_agenda(
            blocks=[AgendaBlock(name=SCRIPT, minutes=60, items=[SCRIPT])],
            prep_checklist=[SCRIPT],
            citations=[Citation(id="c", title=SCRIPT, section=SCRIPT, source=SCRIPT)],
        ),
        questions=[CuriousQuestion(question=SCRIPT, rationale=SCRIPT)],
        open_items=[make_item(SCRIPT, owner=SCRIPT)],
        stage_tip=SCRIPT,
    )
    for message in build(content):
        document = body(parse(message), "html")
        assert "<script" not in document.lower()
        assert "<img" not in document.lower()
        assert "&lt;script&gt;" in document
        assert html_problems(document) == []


def test_html_has_no_images_and_only_allowlisted_links() -> None:
    citations = [
        Citation(id="a", title="Allowed", section="s", source="https://mentorcruise.com/"),
        Citation(id="b", title="Evil", section="s", source="https://evil.example/track"),
        Citation(id="c", title="Plain http", section="s", source="http://mentorcruise.com/"),
        Citation(id="d", title="Script", section="s", source="javascript:alert(1)"),
        Citation(id="e", title="Local", section="s", source="/home/someone/private-notes.md"),
        Citation(id="f", title="Userinfo", section="s", source="https://x@mentorcruise.com/"),
    ]
    content = make_content(agenda=make_agenda(citations=citations))
    for message in build(content):
        parsed = parse(message)
        document = body(parsed, "html")
        text = flat(body(parsed, "plain"))
        assert '<a href="https://mentorcruise.com/">Allowed: s</a>' in document
        assert document.count("<a ") == 1
        assert "<img" not in document.lower()
        for leaked in ("evil.example", "javascript:", "private-notes", "http://", "x@mentor"):
            assert leaked not in document
            assert leaked not in text
        assert "Evil: s" in text and "Local: s" in text  # the title stays, the source goes
        assert html_problems(document) == []


@pytest.mark.parametrize(
    "document",
    [
        '<p><img src="https://mentorcruise.com/x.png"></p>',
        "<script>alert(1)</script>",
        '<p style="background:url(https://evil.example/x)">hi</p>',
        '<p onclick="alert(1)">hi</p>',
        '<iframe src="https://mentorcruise.com/"></iframe>',
        '<a href="https://evil.example/">x</a>',
        '<a href="javascript:alert(1)">x</a>',
        '<a href="http://mentorcruise.com/">x</a>',
        '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
        '<link rel="stylesheet" href="https://mentorcruise.com/s.css">',
        "<style>@import url(https://evil.example/x.css);</style>",
        "<svg><image href='https://evil.example/x'/></svg>",
    ],
)
def test_html_validator_flags_unsafe_markup(document: str) -> None:
    assert html_problems(document)
    with pytest.raises(UnsafeHtmlError):
        check_html(document)


def test_html_validator_accepts_safe_markup() -> None:
    document = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title></head>'
        '<body><h2>x</h2><p>a &lt;b&gt;</p><ul><li><a href="https://www.developermentoring.guide/">'
        "g</a></li></ul></body></html>"
    )
    assert html_problems(document) == []


def test_link_allowlist_covers_the_shipped_guides() -> None:
    hosts = set()
    for path in GUIDES.glob("*.md"):
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        url = meta.get("source_url")
        if isinstance(url, str) and url.startswith("https://"):
            hosts.add(url.split("/")[2])
    assert hosts and hosts <= LINK_HOSTS


# -- isolation between pairs -------------------------------------------------------------------
def test_two_pairs_messages_hold_only_their_own_data() -> None:
    a = make_content(
        make_pair(goals=["Goal-ALPHA"]),
        open_items=[make_item("Item-ALPHA")],
        questions=[CuriousQuestion(question="Question-ALPHA?", rationale="Why-ALPHA")],
    )
    b = make_content(
        make_pair(
            id="linus-margaret",
            mentor="Linus Torvalds",
            mentee="Margaret Hamilton",
            mentor_email="linus@example.net",
            mentee_email="margaret@example.net",
            goals=["Goal-BRAVO"],
        ),
        open_items=[make_item("Item-BRAVO", owner="Margaret")],
        questions=[CuriousQuestion(question="Question-BRAVO?", rationale="Why-BRAVO")],
        agenda=make_agenda(prep_checklist=["Questions for Linus."]),
        session_number=7,
    )
    # example.org is the sender's domain, shared by design; the pairs' own addresses are not.
    a_marks = ("ALPHA", "Ada", "Grace", "ada@example.org", "example.com", "ada-grace")
    b_marks = ("BRAVO", "Linus", "Margaret", "example.net", "linus-margaret")
    for message in build(a):
        text = everything(message)
        assert all(mark not in text for mark in b_marks)
        assert "ALPHA" in text
    for message in build(b):
        text = everything(message)
        assert all(mark not in text for mark in a_marks)
        assert "BRAVO" in text


# -- drafts ------------------------------------------------------------------------------------
def test_drafts_parse_back_and_rerun_replaces_them(tmp_path: Path) -> None:
    out = tmp_path / "drafts"
    paths = write_drafts(build(), out)
    assert sorted(p.name for p in out.iterdir()) == [p.name for p in paths]  # no temp files
    parsed = BytesParser(policy=policy.default).parsebytes(paths[0].read_bytes())
    assert parsed["To"].addresses[0].addr_spec == "grace@example.com"
    assert b"\r\n" in paths[0].read_bytes()
    write_drafts(build(make_content(session_start=None)), out)
    assert len(list(out.iterdir())) == 2
    assert b"text/calendar" not in paths[0].read_bytes()


def test_drafts_are_never_half_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "drafts"
    [first, _] = write_drafts(build(), out)
    before = first.read_bytes()

    def crash(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        write_drafts(build(make_content(session_start=None)), out)
    assert first.read_bytes() == before  # the old draft is intact
    assert sorted(p.name for p in out.iterdir()) == [
        "ada-grace-s3-mentee.eml",
        "ada-grace-s3-mentor.eml",
    ]


def test_draft_names_are_filename_safe(tmp_path: Path) -> None:
    pair = make_pair().model_copy(update={"id": "../../etc/x y"})
    [path, _] = write_drafts(build(make_content(pair)), tmp_path)
    assert path.parent == tmp_path
    assert path.name == "etc-x-y-s3-mentee.eml"


def test_resolve_from_address(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COACH_SMTP_FROM_ADDRESS", raising=False)
    assert resolve_from_address() == DEFAULT_FROM_ADDRESS
    monkeypatch.setenv("COACH_SMTP_FROM_ADDRESS", "team@example.org")
    assert resolve_from_address() == "team@example.org"
    assert resolve_from_address("me@example.org") == "me@example.org"
    with pytest.raises(UnsafeHeaderError):
        resolve_from_address("me@example.org\nBcc: x@y.org")


# -- SMTP settings -----------------------------------------------------------------------------
@pytest.fixture
def smtp_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in list(os.environ):
        if name.startswith("COACH_SMTP_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("COACH_SMTP_HOST", "smtp.example.org")
    monkeypatch.setenv("COACH_SMTP_FROM_ADDRESS", "coach@example.org")
    return monkeypatch


def test_smtp_settings_from_env(smtp_env: pytest.MonkeyPatch) -> None:
    settings = load_smtp_settings()
    assert (settings.port, settings.security, settings.timeout) == (587, "starttls", 30.0)
    smtp_env.setenv("COACH_SMTP_SECURITY", "tls")
    assert load_smtp_settings().port == 465
    smtp_env.setenv("COACH_SMTP_PORT", "2465")
    assert load_smtp_settings().port == 2465


def test_smtp_password_never_shown(smtp_env: pytest.MonkeyPatch) -> None:
    smtp_env.setenv("COACH_SMTP_USER", "coach")
    smtp_env.setenv("COACH_SMTP_PASSWORD", "hunter2-very-secret")
    settings = load_smtp_settings()
    assert isinstance(settings.password, SecretStr)
    assert "hunter2" not in repr(settings) and "hunter2" not in str(settings)
    assert "hunter2" not in settings.model_dump_json()
    smtp_env.setenv("COACH_SMTP_PORT", "not-a-port")
    with pytest.raises(UserInputError) as info:
        load_smtp_settings()
    assert "hunter2" not in str(info.value)
    # Worded like every other setting, not pydantic's "Input should be a valid integer".
    assert str(info.value) == "COACH_SMTP_PORT must be a whole number"
    smtp_env.setenv("COACH_SMTP_PORT", "587")
    smtp_env.setenv("COACH_SMTP_SECURITY", "bogus")
    with pytest.raises(UserInputError, match=r"^COACH_SMTP_SECURITY must be 'starttls'"):
        load_smtp_settings()


def test_smtp_settings_errors_are_one_line(smtp_env: pytest.MonkeyPatch) -> None:
    smtp_env.setenv("COACH_SMTP_SECURITY", "none")
    with pytest.raises(UserInputError, match="only allowed for a loopback host"):
        load_smtp_settings()
    for host in ("127.0.0.1", "localhost", "::1", "127.0.0.2"):
        smtp_env.setenv("COACH_SMTP_HOST", host)
        assert load_smtp_settings().security == "none"
    smtp_env.delenv("COACH_SMTP_HOST")
    with pytest.raises(UserInputError, match=r"^COACH_SMTP_HOST is not set"):
        load_smtp_settings()
    smtp_env.setenv("COACH_SMTP_HOST", "smtp.example.org")
    smtp_env.setenv("COACH_SMTP_SECURITY", "starttls")
    smtp_env.setenv("COACH_SMTP_FROM_ADDRESS", "coach@example.org\r\nBcc: x@evil.example")
    with pytest.raises(UserInputError, match=r"^COACH_SMTP_FROM_ADDRESS contains a line") as info:
        load_smtp_settings()
    assert "\n" not in str(info.value)
    smtp_env.setenv("COACH_SMTP_FROM_ADDRESS", "coach@example.org")
    smtp_env.setenv("COACH_SMTP_USER", "coach")
    with pytest.raises(UserInputError, match="user and password must be set together"):
        load_smtp_settings()
    smtp_env.delenv("COACH_SMTP_USER")
    smtp_env.setenv("COACH_SMTP_CA_FILE", "/nonexistent/ca.pem")
    with pytest.raises(UserInputError, match="COACH_SMTP_CA_FILE"):
        load_smtp_settings()


def test_ssl_context_always_verifies(tmp_path: Path) -> None:
    settings = SmtpSettings(host="smtp.example.org", from_address=FROM)
    context = settings.ssl_context()
    assert context.check_hostname is True
    assert context.verify_mode.name == "CERT_REQUIRED"


# -- the sent-log (no server) ------------------------------------------------------------------
def test_sent_log_claims(tmp_path: Path) -> None:
    mentee, mentor = build()
    with SentLog.at_home(tmp_path) as log:
        assert log.get(mentee.key) is None
        claim, entry = log.claim(mentee)
        assert (claim, entry.status, entry.attempts) == ("new", "sending", 1)
        assert (entry.recipient, entry.message_id) == (mentee.recipient, mentee.message_id)
        # Same process, previous call over (it crashed): the outcome is unknown -> retry.
        claim, entry = log.claim(mentee)
        assert (claim, entry.attempts) == ("retry", 2)
        log.mark_sent(mentee.key)
        claim, entry = log.claim(mentee)
        assert (claim, entry.status) == ("sent", "sent")
        assert entry.sent_at is not None
        # A definite refusal is recorded; trying again is a clean attempt, not a "retry".
        log.claim(mentor)
        log.mark_failed(mentor.key, "550 no such user")
        assert log.get(mentor.key).status == "failed"  # type: ignore[union-attr]
        assert log.claim(mentor)[0] == "new"
        assert [e.key for e in log.entries("ada-grace")] == [mentee.key, mentor.key]
        assert log.forget_pair("ada-grace") == 2
        assert log.entries() == []
    mode = stat.S_IMODE((tmp_path / "sent-mail.sqlite").stat().st_mode)
    assert mode == 0o600


def test_sent_log_survives_reopening(tmp_path: Path) -> None:
    [mentee, _] = build()
    with SentLog.at_home(tmp_path) as log:
        log.claim(mentee)
        log.mark_sent(mentee.key)
    with SentLog.at_home(tmp_path) as log:
        assert log.get(mentee.key).status == "sent"  # type: ignore[union-attr]


@pytest.mark.skipif(os.name != "posix", reason="liveness of another pid is POSIX-only")
def test_sent_log_skips_a_row_held_by_another_live_process(tmp_path: Path) -> None:
    [mentee, _] = build()
    with SentLog.at_home(tmp_path) as log:
        log.claim(mentee)
        other = log.owner.split("|")
        other[1] = str(os.getppid())  # a live process that is not us
        log._db.execute("UPDATE sent_mail SET owner = ?", ("|".join(other),))
        assert log.claim(mentee)[0] == "busy"
        other[1] = "999999999"  # a process that does not exist: it crashed
        log._db.execute("UPDATE sent_mail SET owner = ?", ("|".join(other),))
        assert log.claim(mentee)[0] == "retry"


def test_an_item_the_agenda_asks_about_is_not_asked_about_twice() -> None:
    # A simulation's plan item ends with a quote and a full stop; the agenda quotes it without.
    action = 'Write a plan that applies "Disagree about evidence, not people", as Ada did.'
    item = StoredItem(id="sim1", owner="Grace Hopper", action=action, created_at=NOW)
    agenda = make_agenda(
        prep_checklist=[f"Progress on “{action[:-1]}” (Grace Hopper): what's done, what's left."]
    )
    text = flat(body(parse(build(make_content(agenda=agenda, open_items=[item]))[0]), "plain"))
    prepare = text.split("Before the session, please prepare", 1)[1].split("Open items", 1)[0]
    assert prepare.count("Write a plan that applies") == 1, prepare


def test_an_item_worded_for_its_owner_reads_right_to_the_other_person() -> None:
    items = [
        make_item("Update your CV", owner="Grace Hopper"),
        make_item("Send Grace your old RFC", owner="Ada Lovelace"),
    ]
    pair = make_pair()
    mentee, mentor = (
        flat(body(parse(m), "plain")) for m in build(make_content(pair, open_items=items))
    )
    # The mentor's email listed Grace's item as "Update your CV": Ada's CV, read by Ada.
    assert "Update their CV (Grace Hopper" in mentor and "Update your CV" not in mentor
    assert "Send Grace your old RFC (yours" in mentor  # Ada's own item, to Ada
    assert "Send Grace their old RFC (Ada Lovelace" in mentee
    assert "Update your CV (yours" in mentee  # not her full name, as if someone else's


def test_your_and_their_follow_the_owner_by_any_name_the_item_uses() -> None:
    # Items may name their owner by the short or given name ("Grace", "Ada", "Gracie"): the
    # rewording matched the full name only, so Grace read her own item as "Update their CV".
    pair = make_pair(mentee_short="Gracie")
    for grace, ada in (("Grace", "Ada"), ("Gracie", "ada lovelace"), ("GRACE HOPPER", "Ada")):
        items = [
            make_item("Update your CV", owner=grace),
            make_item("Send Grace your old RFC", owner=ada),
        ]
        mentee, mentor = (
            flat(body(parse(m), "plain")) for m in build(make_content(pair, open_items=items))
        )
        assert "Update your CV (yours" in mentee, (grace, mentee)
        assert f"Send Grace their old RFC ({ada}" in mentee
        assert f"Update their CV ({grace}" in mentor
        assert "Send Grace your old RFC (yours" in mentor


def test_the_mentee_is_asked_to_prepare_only_their_own_and_shared_items() -> None:
    # The mentee's "please prepare" list asked for progress on the mentor's items, and on a
    # third person's, in the owner's words ("Share your promo packet").
    items = [
        make_item("Send Grace your old RFC", owner="Ada Lovelace"),
        make_item("Ask the director about the criteria", owner="Li"),
        make_item("Update your CV", owner="Grace Hopper"),
        make_item("Book a room", owner=None),
    ]
    content = make_content(agenda=make_agenda(prep_checklist=[]), open_items=items)
    text = flat(body(parse(build(content)[0]), "plain"))
    prepare, rest = text.split("Before the session, please prepare", 1)[1].split("Open items", 1)
    assert "Progress on “Update your CV”" in prepare and "Progress on “Book a room”" in prepare
    assert "RFC" not in prepare and "director" not in prepare, prepare
    assert "Send Grace their old RFC (Ada Lovelace" in rest  # still listed, in Grace's words


def test_people_are_greeted_by_their_given_name_where_it_can_be_told() -> None:
    # "Hi O'Brien-Ó," and "Hi 李," greeted people by a family name or by one character of it.
    pair = make_pair(mentor="李 伟", mentee="O'Brien-Ó Sé, Seán")
    content = make_content(pair, agenda=make_agenda(prep_checklist=[]))
    mentee, mentor = (flat(body(parse(m), "plain")) for m in build(content))
    assert mentee.startswith("Hi Seán,") and "Questions for 李 伟." in mentee
    assert mentor.startswith("Hi 李 伟,")


def test_each_open_item_is_listed_once_in_the_readers_words() -> None:
    # A trial's mentee email listed every open item three times (the checklist, the open
    # items, the agenda's progress review), the agenda's copy in the owner's words ("Send
    # Grace your old RFC" read by Grace).
    items = [
        make_item("Update your CV", owner="Grace Hopper"),
        make_item("Send Grace your old RFC", owner="Ada Lovelace"),
    ]
    review = AgendaBlock(
        name="Progress review",
        minutes=15,
        items=[
            "What happened since last time.",
            "Grace Hopper: Update your CV",
            "Ada Lovelace: Send Grace your old RFC",
            "For each item: done, in progress or blocked?",
        ],
    )
    blocks = [review if b.name == "Progress review" else b for b in make_agenda().blocks]
    content = make_content(agenda=make_agenda(blocks=blocks), open_items=items)
    mentee, mentor = (flat(body(parse(m), "plain")) for m in build(content))
    assert mentee.count("old RFC") == 1 and "Send Grace your old RFC" not in mentee
    assert mentee.count("Update your CV") == 2  # asked about in the checklist, and listed
    assert mentor.count("old RFC") == 1 and mentor.count("CV") == 1
    assert "The open items listed above." in mentee and "The open items listed below." in mentor
    assert "For each item: done, in progress or blocked?" in mentee


def test_passages_of_one_article_share_one_link_and_one_goal_reads_singular() -> None:
    # An email listed the same article's address once per passage (six times).
    url = "https://mentorcruise.com/blog/guide/"
    citations = [
        Citation(id=f"g#{n}", title=title, section=section, source=url)
        for n, (title, section) in enumerate(
            [
                ("Structure each session", "Before the meeting"),
                ("Structure each session", "During the meeting"),
                ("Balance your sessions", "Too much advice"),
                ("Structure each session", "Before the meeting"),
            ]
        )
    ]
    pair = make_pair(goals=["Learn compiler design"])
    content = make_content(pair, agenda=make_agenda(citations=citations))
    for message in build(content):
        text = flat(body(parse(message), "plain"))
        assert text.count(url) == 1, text
        guides = text.split("From the mentoring guides", 1)[1]
        assert guides.count("Before the meeting") == 1
        assert "During the meeting" in guides and "Too much advice" in guides
        assert "Goal: Learn compiler design." in text and "Goals:" not in text
