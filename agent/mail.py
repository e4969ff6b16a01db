"""Prep emails: build them (text + HTML + .ics), check them, write them as .eml drafts.

Two messages per session, one per role:

- the **mentee**'s: the prep checklist (progress on each open item, challenges, questions for
  the mentor, a proposed focus), the open items and the draft agenda;
- the **mentor**'s: the agenda, the open items on both sides, suggested curious questions and
  a reminder of the practice that fits the pair's stage.

Each is ``multipart/alternative`` (text and HTML); when the session's start is known it also
carries a ``text/calendar; method=REQUEST`` alternative and an ``invite.ics`` attachment,
making the message ``multipart/mixed``.

Safety rules, each enforced here rather than trusted to callers:

- **Recipients come only from the pair record.** A role whose email the pair lacks gets no
  message (see :func:`missing_roles`); that is reported by the caller, not an error.
- **Every header value goes through** :func:`check_header`: no control characters (CR/LF
  included), no RFC 2047 encoded-word markers (``=?``), bounded length. A failure is an
  :class:`UnsafeHeaderError`, raised before anything is written or sent.
- **HTML escapes every interpolated value**, has no images or remote resources, and links only
  to hosts on an allowlist (:data:`LINK_HOSTS`); :func:`check_html` validates the result
  against a tag/attribute allowlist, so a builder bug cannot ship unsafe HTML.
- **One pair per build**: a message is assembled from one :class:`PrepContent` only.

Sending and the durable sent-log live in :mod:`agent.maillog`.
"""

from __future__ import annotations

import functools
import hashlib
import html
import ipaddress
import os
import re
import ssl
import tempfile
import textwrap
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import policy
from email.headerregistry import Address, BaseHeader, HeaderRegistry
from email.message import EmailMessage
from email.utils import format_datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Literal, ParamSpec, TypeVar
from urllib.parse import urlsplit

from icalendar import Calendar, Event, vCalAddress
from pydantic import (
    BaseModel,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from agent.errors import CoachError, UserInputError, field_problem
from agent.memory import Pair, StoredItem
from agent.models import Agenda, Citation, CuriousQuestion, Stage
from agent.text import for_other_reader, names_person, quoted, zone_label
from knowledge.models import subsection

__all__ = [
    "DEFAULT_FROM_ADDRESS",
    "LINK_HOSTS",
    "ROLES",
    "STAGE_PRACTICES",
    "Invitation",
    "PrepContent",
    "PreparedMessage",
    "Role",
    "SmtpSettings",
    "UnsafeHeaderError",
    "UnsafeHtmlError",
    "build_cancel_messages",
    "build_prep_messages",
    "check_address",
    "check_display_name",
    "check_header",
    "check_html",
    "defang",
    "draft_filename",
    "first_invitation",
    "html_problems",
    "idempotency_key",
    "load_smtp_settings",
    "missing_roles",
    "resolve_from_address",
    "safe_link",
    "write_drafts",
]

Role = Literal["mentee", "mentor"]
ROLES: tuple[Role, ...] = ("mentee", "mentor")

#: Used for drafts when no sender is configured: ``.invalid`` can never be delivered to.
DEFAULT_FROM_ADDRESS = "session-coach@example.invalid"
DEFAULT_FROM_NAME = "Session Coach"

#: Hosts an email may link to: the sources of the shipped guide corpus (a unit test keeps this
#: in sync with knowledge/guides). Anything else is shown as plain text, never as a link.
LINK_HOSTS: frozenset[str] = frozenset(
    {
        "mentorcruise.com",
        "www.mentorcruise.com",
        "nomadlearningblog.com",
        "www.nomadlearningblog.com",
        "sieg.hashnode.dev",
        "developermentoring.guide",
        "www.developermentoring.guide",
        "keith929.substack.com",
    }
)

#: What kind of session each stage is, as the session line says it ("" for an ordinary one).
STAGE_WORDS: dict[Stage, str] = {
    "first-session": "your first session together",
    "regular": "",
    "stale-patch": "a session to reset and reconnect",
    "stalled": "a session to find what is holding progress up",
    "graduation": "a session to review the mentorship and plan what comes next",
}

#: The practice to remind the mentor of, per stage (used when the caller gives no stage tip).
STAGE_PRACTICES: dict[Stage, str] = {
    "first-session": (
        "Let's Get Clear: agree the purpose, scope and logistics of the mentorship, how you'll "
        "communicate and how you'll both know it's working, before regular sessions start."
    ),
    "regular": (
        "No More Wasted Meetings: five timed blocks, and the Wisdom-to-Action ratio: about "
        "60% insight, 30% concrete actions the mentee can carry out, 10% the relationship."
    ),
    "stale-patch": (
        "Stale patch reset: put the goals aside for one session and reconnect: no updates, "
        "something light together, then agree what would make sessions feel fresh."
    ),
    "stalled": (
        "Unstuck intervention: diagnose which of the five Cs is holding progress up "
        "(clarity, capability, confidence, context, commitment) with curious, blame-free "
        "questions before planning anything new."
    ),
    "graduation": (
        "Graduation assessment: go through the four questions together (goals met? gap "
        "shrunk? still valuable to both? would a different structure suit you better?), "
        "then the Next Chapter protocol."
    ),
}

# Limits on header values: display names match the pair record's own limit; RFC 5321
# bounds an address path to 254 characters; subjects stay well under one folded line pair.
NAME_MAX = 80
ADDRESS_MAX = 254
SUBJECT_MAX = 200
HEADER_MAX = 200

_WRAP = 76

_P = ParamSpec("_P")
_T = TypeVar("_T")

# One pair's build cleans and wraps the same lines again and again (the agenda is in both
# messages, and every part is cleaned for the text and again for the HTML). The memo lives
# for one build call only: nothing a pair wrote outlives its messages or reaches another's.
_MEMO: ContextVar[dict[tuple[str, ...], Any] | None] = ContextVar("mail_memo", default=None)


def _memoised(build: Callable[_P, _T]) -> Callable[_P, _T]:
    """Run ``build`` with a fresh line memo, dropped when it returns."""

    @functools.wraps(build)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _T:
        token = _MEMO.set({})
        try:
            return build(*args, **kwargs)
        finally:
            _MEMO.reset(token)

    return run


def _wrap(text: str, first: str = "", rest: str = "") -> list[str]:
    memo = _MEMO.get()
    if memo is None:
        return _wrap_lines(text, first, rest)
    key = ("wrap", text, first, rest)
    if key not in memo:
        memo[key] = _wrap_lines(text, first, rest)
    return list(memo[key])


def _wrap_lines(text: str, first: str, rest: str) -> list[str]:
    if (
        text
        and len(first) + len(text) <= _WRAP
        and text.isprintable()
        and text == text.strip()
        and first == first.lstrip()
    ):
        return [first + text]  # what textwrap returns for a short single line, much faster
    # URLs and long words stay whole: a URL broken across lines is a broken link.
    return textwrap.wrap(
        text,
        _WRAP,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [first.rstrip()]


# Dropped from body text: the Cc category (exactly U+0000-001F and U+007F-009F) and the bidi
# embedding/override/isolate controls, which can make text display differently from what it is.
_BODY_STRIP = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


# ============================================================================================
# Errors
# ============================================================================================


class UnsafeHeaderError(UserInputError):
    """A value that would go into an email header is unsafe; nothing was written or sent."""


class UnsafeHtmlError(CoachError):
    """Built HTML broke the allowlist: a bug in the builder, so never shipped (exit 1)."""


# ============================================================================================
# Header safety: every header value passes through check_header
# ============================================================================================

_ENCODED_WORD = re.compile(r"=\?")
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


def check_header(field: str, value: str, *, max_length: int = HEADER_MAX) -> str:
    """Return ``value`` stripped if it is safe as (part of) a header; else UnsafeHeaderError.

    Refused: any control or format character (CR, LF, NUL, tab, bidi overrides, line/paragraph
    separators, unassigned code points); the RFC 2047 encoded-word marker ``=?`` in raw input,
    since a client would decode ``=?UTF-8?Q?=0A?=`` into a line break or a fake address; empty
    values; values longer than ``max_length``. ``field`` names the header or the source of the
    value in the one-line error message. Non-ASCII text is fine: the email library encodes it.
    """
    if not isinstance(value, str):
        raise UnsafeHeaderError(f"unsafe {field}: not text; nothing was written or sent")
    text = value.strip(" ")
    problem: str | None = None
    for ch in text:
        if unicodedata.category(ch) in _UNSAFE_CATEGORIES:
            kind = "a line break" if ch in "\r\n\x85\u2028\u2029" else "a control character"
            problem = f"contains {kind} (U+{ord(ch):04X})"
            break
    if problem is None and _ENCODED_WORD.search(text):
        problem = "contains an RFC 2047 encoded-word marker '=?'"
    if problem is None and not text:
        problem = "is empty"
    if problem is None and len(text) > max_length:
        problem = f"is longer than {max_length} characters"
    if problem is not None:
        raise UnsafeHeaderError(f"unsafe {field}: {problem}; nothing was written or sent")
    return text


def check_display_name(field: str, value: str) -> str:
    r"""A person's name for an address header: :func:`check_header`, and no ``<>@"\\``.

    Those characters are what makes a display name look like (or hide) another address, e.g.
    ``"boss@example.com" <attacker@example.net>``; real names do not need them. (Commas and
    semicolons are fine: the email library quotes the name.)
    """
    name = " ".join(check_header(field, value, max_length=NAME_MAX).split())
    bad = sorted({ch for ch in name if ch in '<>@"\\'})
    if bad:
        raise UnsafeHeaderError(
            f"unsafe {field}: contains {' '.join(bad)}, which could disguise an address; "
            "nothing was written or sent"
        )
    return name


_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$")
_DOMAIN = re.compile(
    r"^(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,63}$"
)


def check_address(field: str, value: str) -> str:
    """A bare ASCII email address (``user@example.org``) safe for a header and an SMTP envelope.

    ASCII only: not every server offers SMTPUTF8, and a prep email must not bounce for it.
    """
    address = check_header(field, value, max_length=ADDRESS_MAX)
    local, at, domain = address.rpartition("@")
    if (
        not at
        or not _LOCAL.match(local)
        or len(local) > 64
        or local.startswith(".")
        or local.endswith(".")
        or ".." in local
        or not _DOMAIN.match(domain)
    ):
        raise UnsafeHeaderError(
            f"unsafe {field}: {address!r} is not a plain email address like user@example.org; "
            "nothing was written or sent"
        )
    return address


def _mailbox(name_field: str, name: str, address_field: str, address: str) -> Address:
    return Address(
        display_name=check_display_name(name_field, name),
        addr_spec=check_address(address_field, address),
    )


# ============================================================================================
# SMTP settings
# ============================================================================================

Security = Literal["starttls", "tls", "none"]


def _is_loopback(host: str) -> bool:
    if host.casefold() in {"localhost", "localhost."}:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class SmtpSettings(BaseSettings):
    """How to send: read from ``COACH_SMTP_*`` variables.

    ``COACH_SMTP_HOST``, ``_PORT`` (587; 465 when ``_SECURITY=tls`` and no port is given),
    ``_USER``, ``_PASSWORD``, ``_SECURITY`` (``starttls`` | ``tls`` | ``none``; ``none`` only
    for a loopback host), ``_FROM_ADDRESS``, ``_FROM_NAME``, ``_TIMEOUT`` (seconds, 30),
    ``_CA_FILE`` (an extra CA bundle to trust, e.g. a private CA; verification is always on),
    ``_HELO_NAME`` (the EHLO name; default: this machine's FQDN).
    """

    model_config = SettingsConfigDict(env_prefix="COACH_SMTP_", extra="ignore", frozen=True)

    host: str
    port: int = Field(default=587, ge=1, le=65535)
    user: str | None = None
    # repr=False as well as SecretStr: settings reprs end up in logs and bug reports.
    password: SecretStr | None = Field(default=None, repr=False)
    security: Security = "starttls"
    from_address: str
    from_name: str = DEFAULT_FROM_NAME
    timeout: float = Field(default=30.0, gt=0, le=600)
    ca_file: Path | None = None
    helo_name: str | None = None

    @field_validator("host")
    @classmethod
    def _host(cls, value: str) -> str:
        host = value.strip()
        if not host or any(ch.isspace() or ch in "/@" for ch in host):
            raise ValueError("host must be a host name or IP address")
        return host

    @field_validator("user", "helo_name")
    @classmethod
    def _optional_text(cls, value: str | None, info: Any) -> str | None:
        if value is None or not value.strip():
            return None
        if any(unicodedata.category(ch) == "Cc" for ch in value):
            raise ValueError(f"{info.field_name} must not contain control characters")
        return value.strip()

    @field_validator("password")
    @classmethod
    def _password(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        # The message never includes the value, only the fact.
        if any(ch in value.get_secret_value() for ch in "\r\n\0"):
            raise ValueError("password must not contain line breaks or NUL")
        return value

    @field_validator("from_address")
    @classmethod
    def _from_address(cls, value: str) -> str:
        try:
            return check_address("from address", value)
        except UnsafeHeaderError as exc:
            raise ValueError(str(exc).removeprefix("unsafe from address: ")) from None

    @field_validator("from_name")
    @classmethod
    def _from_name(cls, value: str) -> str:
        try:
            return check_display_name("from name", value)
        except UnsafeHeaderError as exc:
            raise ValueError(str(exc).removeprefix("unsafe from name: ")) from None

    @field_validator("ca_file")
    @classmethod
    def _ca_file(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"CA file {value} does not exist")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> SmtpSettings:
        if self.security == "none" and not _is_loopback(self.host):
            raise ValueError(
                f"security=none (no TLS) is only allowed for a loopback host such as 127.0.0.1; "
                f"use starttls or tls for {self.host}"
            )
        if (self.user is None) != (self.password is None):
            raise ValueError("user and password must be set together")
        return self

    @model_validator(mode="before")
    @classmethod
    def _tls_port(cls, data: Any) -> Any:
        # Implicit TLS lives on 465 (RFC 8314); 587 stays the default for STARTTLS.
        if (
            isinstance(data, dict)
            and str(data.get("security", "")).strip() == "tls"
            and data.get("port") in (None, "")
        ):
            return {**data, "port": 465}
        return data

    def ssl_context(self) -> ssl.SSLContext:
        """A verifying client context: system CAs plus ``ca_file``; never CERT_NONE."""
        context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
        if self.ca_file is not None:
            # load_verify_locations adds to the system CAs (create_default_context(cafile=...)
            # would replace them), so a private CA is trusted *in addition*.
            context.load_verify_locations(cafile=str(self.ca_file))
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        return context


def load_smtp_settings(**overrides: Any) -> SmtpSettings:
    """Read SmtpSettings from the environment; the first problem as a one-line UserInputError.

    The message names the variable (``COACH_SMTP_HOST``) and never includes a value, so a
    password can never end up in it.
    """
    try:
        return SmtpSettings(**overrides)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = [str(p) for p in error.get("loc", ())]
        variable = f"COACH_SMTP_{loc[0].upper()}" if loc else "COACH_SMTP_*"
        if error.get("type") == "missing":
            raise UserInputError(f"{variable} is not set (needed to send email)") from None
        if not loc:
            message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
            raise UserInputError(" ".join(f"SMTP settings: {message}".split())) from None
        # Worded as the other settings are ("COACH_SMTP_PORT must be a whole number"), and
        # without the value: it may be the password.
        raise UserInputError(f"{variable} {field_problem(error, show_value=False)}") from None


def resolve_from_address(explicit: str | None = None) -> str:
    """The sender for drafts: ``explicit``, else ``COACH_SMTP_FROM_ADDRESS``, else a placeholder.

    Drafts need a From without SMTP being configured; the placeholder is ``.invalid`` so it
    can never be mistaken for (or delivered to) a real address.
    """
    value = explicit or os.environ.get("COACH_SMTP_FROM_ADDRESS") or DEFAULT_FROM_ADDRESS
    return check_address("from address", value)


# ============================================================================================
# Content
# ============================================================================================


class PrepContent(BaseModel):
    """Everything one pair's prep emails for one session are built from, assembled by the caller.

    ``session_start`` naive means local time. ``minutes`` defaults to the pair's (read it as
    :attr:`duration`). ``stage_tip`` defaults to :data:`STAGE_PRACTICES` for the agenda's
    stage. ``citations`` are added to the agenda's own (deduplicated by id).
    """

    pair: Pair
    session_number: int = Field(ge=1, le=1000)
    session_start: datetime | None = None
    minutes: int | None = Field(default=None, ge=15, le=480)
    agenda: Agenda
    open_items: list[StoredItem] = Field(default_factory=list)
    questions: list[CuriousQuestion] = Field(default_factory=list)
    stage_tip: str = ""
    citations: list[Citation] = Field(default_factory=list)

    @model_validator(mode="after")
    def _defaults(self) -> PrepContent:
        if self.minutes is None:
            self.minutes = self.pair.minutes
        if not self.stage_tip.strip():
            self.stage_tip = STAGE_PRACTICES[self.agenda.stage]
        return self

    @property
    def duration(self) -> int:
        """The session's length in minutes (``minutes``, else the pair's)."""
        return self.minutes if self.minutes is not None else self.pair.minutes

    @property
    def all_citations(self) -> list[Citation]:
        """The agenda's citations, then the extra ones, each id once."""
        seen: dict[str, Citation] = {}
        for citation in [*self.agenda.citations, *self.citations]:
            seen.setdefault(citation.id, citation)
        return list(seen.values())


def missing_roles(pair: Pair) -> list[Role]:
    """The roles that get no prep email because the pair record has no address for them."""
    return [role for role in ROLES if not _email_of(pair, role)]


def _email_of(pair: Pair, role: Role) -> str | None:
    return pair.mentee_email if role == "mentee" else pair.mentor_email


def _name_of(pair: Pair, role: Role) -> str:
    return pair.mentee if role == "mentee" else pair.mentor


def idempotency_key(pair_id: str, session_number: int, role: Role) -> str:
    """The sent-log key of a prep email with no meeting time: ``{pair_id}/{session}/{role}``.

    An email that carries an invitation is keyed on the meeting instead (see
    :meth:`Invitation.key`), so renumbering the session never sends it twice.
    """
    return f"{pair_id}/{session_number}/{role}"


@dataclass(frozen=True)
class Invitation:
    """The calendar event a message carries: one meeting's UID, its SEQUENCE and METHOD.

    ``tag`` names the meeting in sent-log keys (its first start time, in UTC); ``start`` is
    the event's start now (for a CANCEL, the start being cancelled). A meeting keeps its UID
    and tag when it moves; each change raises the SEQUENCE, as RFC 5546 asks. ``moved_from``
    is the start last sent when this invitation moves the meeting, so the email can say so.
    """

    uid: str
    tag: str
    start: datetime
    sequence: int = 0
    method: Literal["REQUEST", "CANCEL"] = "REQUEST"
    moved_from: datetime | None = None

    def key(self, pair_id: str, role: Role) -> str:
        """The sent-log key: ``{pair}/{tag}/{sequence}/{role}`` (``cancel{n}`` for a CANCEL)."""
        step = f"cancel{self.sequence}" if self.method == "CANCEL" else str(self.sequence)
        return f"{pair_id}/{self.tag}/{step}/{role}"


def meeting_tag(start: datetime) -> str:
    """A meeting's start as a sent-log key part (naive means local; written in UTC)."""
    return start.astimezone(UTC).strftime("%Y%m%dT%H%MZ")


def first_invitation(pair: Pair, start: datetime, from_address: str) -> Invitation:
    """The invitation for a meeting never sent before: its UID derives from pair and start."""
    tag = meeting_tag(start)
    uid = f"{_pair_tag(pair)}-{tag}@{_domain(from_address)}"
    return Invitation(uid=uid, tag=tag, start=start)


# ============================================================================================
# Text helpers (body text is never a header; it is cleaned and, for HTML, escaped)
# ============================================================================================


def _line(value: object) -> str:
    r"""One line of body text: whitespace collapsed, control and bidi-override chars dropped.

    Collapsing keeps a model's "\\n\\nFrom: ..." from posing as a new section of the email.
    Links to sites off the allowlist are defanged (see :func:`defang`).
    """
    # One regex pass, not a per-character unicodedata lookup: this runs ~100 times a message.
    text = value if isinstance(value, str) else str(value)
    memo = _MEMO.get()
    if memo is None:
        return defang(_BODY_STRIP.sub("", " ".join(text.split())))
    key = ("line", text)
    found = memo.get(key)
    if found is None:
        found = memo[key] = defang(_BODY_STRIP.sub("", " ".join(text.split())))
    return str(found)


# A URL with a scheme, a www. host, or a bare host name on a TLD that mail clients turn into
# a link ("evil.com/login"). File names such as README.md or setup.py are left alone.
_LINKISH = re.compile(
    r"\b(?P<scheme>[a-z][a-z0-9+.-]{1,15})://(?P<rest>[^\s<>\"']+)"
    r"|\b(?P<host>(?:www\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
    r"(?:com|net|org|info|biz|io|dev|app|co|me|ai|xyz|top|online|site|link|click|zip|mov"
    r"|ru|cn|tk|ml|ga|cf|gq|su|uk|us|de|fr|eu|nl|test|example|invalid|local|localhost))"
    r"(?P<path>[/?#][^\s<>\"']*)?\b",
    re.IGNORECASE,
)
_LINK_HOSTS_FOLDED = frozenset(h.casefold() for h in LINK_HOSTS)
_DEFANGED_SCHEMES = {"http": "hxxp", "https": "hxxps", "ftp": "fxp"}
_BARE_DOT = re.compile(r"(?<!\[)\.(?!\])")


def _host_of(match: re.Match[str]) -> str:
    if match.group("host"):
        return match.group("host")
    rest = match.group("rest")
    return re.split(r"[/?#]", rest, maxsplit=1)[0].rpartition("@")[2].partition(":")[0]


def defang(text: str, hosts: Iterable[str] = LINK_HOSTS) -> str:
    """``text`` with every link-like span off the allowlist made unclickable.

    Notes, goals, items and model output are untrusted: "https://evil.example/login" becomes
    "hxxps://evil[.]example/login" and "evil.com/x" becomes "evil[.]com/x", so no client
    turns them into links, in the text part or the HTML part. Hosts on the allowlist (the
    guide sources the product cites) are kept as they are.
    """
    if "." not in text and ":" not in text:
        return text
    allowed = _LINK_HOSTS_FOLDED if hosts is LINK_HOSTS else {h.casefold() for h in hosts}

    def neutralise(match: re.Match[str]) -> str:
        span = match.group(0)
        host = _host_of(match)
        if host.casefold().rstrip(".") in allowed:
            return span
        scheme = match.group("scheme")
        if scheme is None:
            return _BARE_DOT.sub("[.]", host) + (match.group("path") or "")
        # Idempotent: text defanged once (body text passes here more than once) stays as is.
        rest = match.group("rest").replace(host, _BARE_DOT.sub("[.]", host), 1)
        if scheme.casefold() in _DEFANGED_SCHEMES.values():
            return f"{scheme}://{rest}"
        fixed = _DEFANGED_SCHEMES.get(scheme.casefold())
        return f"{fixed}://{rest}" if fixed else f"{scheme}[:]//{rest}"

    return _LINKISH.sub(neutralise, text)


_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def _when(start: datetime, *, short: bool = False) -> str:
    """A locale-independent date and time (strftime's names depend on the process locale)."""
    day, month = _DAYS[start.weekday()], _MONTHS[start.month - 1]
    if short:
        text = f"{day[:3]} {start.day} {month[:3]} {start.year}, {start:%H:%M}"
    else:
        text = f"{day} {start.day} {month} {start.year} at {start:%H:%M}"
    zone = zone_label(start)
    return f"{text} {zone}" if zone else text


def _owner_side(owner: str | None, pair: Pair) -> Role | None:
    if not owner:
        return None
    for role in ROLES:
        short = pair.mentor_short if role == "mentor" else pair.mentee_short
        if names_person(owner, _name_of(pair, role), short):
            return role
    return None


def _reads_as(item: StoredItem, pair: Pair, reader: Role) -> str:
    """The item's action as ``reader`` sees it: another owner's "your CV" is "their CV".

    The owner is the reader by any name an item may use for them (full, short or given
    name, as :func:`agent.text.names_person` reads it): an item of "Grace" read by Grace
    Hopper said "their CV" when only the full name counted.
    """
    if item.owner and _owner_side(item.owner, pair) != reader:
        return for_other_reader(item.action)
    return item.action


def _item_text(item: StoredItem, pair: Pair, reader: Role) -> str:
    """An item as ``reader`` sees it, with its owner, due date and session."""
    parts = [_line(_reads_as(item, pair, reader))]
    details = []
    if item.owner:
        # The reader's own item says so: their full name read as someone else.
        details.append("yours" if _owner_side(item.owner, pair) == reader else _line(item.owner))
    if item.due:
        details.append(f"due {item.due.isoformat()}")
    if item.session:
        details.append(f"from session {item.session}")
    if details:
        parts.append(f"({', '.join(details)})")
    return " ".join(parts)


# ============================================================================================
# A tiny document model rendered to both text and HTML, so the two never drift apart
# ============================================================================================


@dataclass(frozen=True)
class _Link:
    text: str
    url: str


Inline = str | _Link


@dataclass
class _Item:
    parts: list[Inline]
    children: list[list[Inline]] = field(default_factory=list)


@dataclass
class _Block:
    kind: Literal["h", "p", "ul", "ol"]
    parts: list[Inline] = field(default_factory=list)
    items: list[_Item] = field(default_factory=list)


def safe_link(text: str, url: str, hosts: Iterable[str] = LINK_HOSTS) -> Inline:
    """A link when ``url`` is https on an allowlisted host (no credentials, default port).

    Otherwise only the text: a source that is a local file path or an unknown site is never
    put in an email, not even as plain text that a client might turn into a link.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return _line(text)
    if (
        parts.scheme == "https"
        and parts.hostname is not None
        and parts.hostname.casefold() in {h.casefold() for h in hosts}
        and parts.username is None
        and parts.password is None
        and port in (None, 443)
        and not any(ch.isspace() or ch in "\"'<>`\\" for ch in url.strip())
    ):
        return _Link(_line(text), url.strip())
    return _line(text)


class _Doc:
    def __init__(self) -> None:
        self.blocks: list[_Block] = []

    def h(self, text: str) -> None:
        self.blocks.append(_Block("h", [text]))

    def p(self, *parts: Inline) -> None:
        self.blocks.append(_Block("p", list(parts)))

    def ul(self, items: Iterable[_Item | list[Inline] | str], *, ordered: bool = False) -> None:
        norm = [
            it if isinstance(it, _Item) else _Item([it] if isinstance(it, str) else it)
            for it in items
        ]
        self.blocks.append(_Block("ol" if ordered else "ul", items=norm))

    # -- text --------------------------------------------------------------------------------
    @staticmethod
    def _plain(parts: Sequence[Inline]) -> str:
        out = []
        for part in parts:
            if isinstance(part, _Link):
                out.append(f"{_line(part.text)} <{part.url}>")
            else:
                out.append(_line(part))
        return " ".join(p for p in out if p)

    def text(self) -> str:
        lines: list[str] = []
        for block in self.blocks:
            if block.kind == "h":
                title = self._plain(block.parts)
                lines += ["", title, "-" * min(len(title), _WRAP)]
            elif block.kind == "p":
                lines += ["", *_wrap(self._plain(block.parts))]
            else:
                lines.append("")
                for n, item in enumerate(block.items, 1):
                    bullet = f"{n}. " if block.kind == "ol" else "- "
                    lines += _wrap(self._plain(item.parts), bullet, " " * len(bullet))
                    for child in item.children:
                        indent = " " * len(bullet)
                        lines += _wrap(self._plain(child), indent + "- ", indent + "  ")
        return "\n".join(lines).strip("\n") + "\n"

    # -- html --------------------------------------------------------------------------------
    @staticmethod
    def _html(parts: Sequence[Inline]) -> str:
        out = []
        for part in parts:
            if isinstance(part, _Link):
                out.append(
                    f'<a href="{html.escape(part.url, quote=True)}">'
                    f"{html.escape(_line(part.text))}</a>"
                )
            else:
                out.append(html.escape(_line(part)))
        return " ".join(p for p in out if p)

    def html(self, title: str) -> str:
        body: list[str] = []
        for block in self.blocks:
            if block.kind == "h":
                body.append(f"<h2>{self._html(block.parts)}</h2>")
            elif block.kind == "p":
                body.append(f"<p>{self._html(block.parts)}</p>")
            else:
                body.append(f"<{block.kind}>")
                for item in block.items:
                    inner = self._html(item.parts)
                    if item.children:
                        kids = "".join(f"<li>{self._html(c)}</li>" for c in item.children)
                        inner += f"<ul>{kids}</ul>"
                    body.append(f"<li>{inner}</li>")
                body.append(f"</{block.kind}>")
        return (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(_line(title))}</title>\n</head>\n<body>\n"
            + "\n".join(body)
            + "\n</body>\n</html>\n"
        )


# ============================================================================================
# HTML validation: an allowlist of tags and attributes, links only to allowed hosts
# ============================================================================================

_ALLOWED_TAGS = frozenset(
    "html head meta title body h1 h2 h3 p ul ol li strong em a br hr small span div".split()
)
_ALLOWED_ATTRS: dict[str, frozenset[str]] = {
    "html": frozenset({"lang"}),
    "meta": frozenset({"charset"}),
    "a": frozenset({"href"}),
}


class _HtmlChecker(HTMLParser):
    def __init__(self, hosts: Iterable[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.hosts = frozenset(h.casefold() for h in hosts)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _ALLOWED_TAGS:
            self.problems.append(f"<{tag}> is not allowed")
            return
        allowed = _ALLOWED_ATTRS.get(tag, frozenset())
        for name, value in attrs:
            if name not in allowed:
                self.problems.append(f"attribute {name!r} on <{tag}> is not allowed")
            elif name == "href":
                link = safe_link("x", value or "", self.hosts)
                if not isinstance(link, _Link) or link.url != (value or "").strip():
                    self.problems.append(f"link to {value!r} is not on the allowlist")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_decl(self, decl: str) -> None:
        if decl.casefold() != "doctype html":
            self.problems.append(f"declaration {decl!r} is not allowed")

    def handle_pi(self, data: str) -> None:
        self.problems.append("processing instructions are not allowed")

    def unknown_decl(self, data: str) -> None:
        self.problems.append("CDATA/unknown declarations are not allowed")


def html_problems(document: str, hosts: Iterable[str] = LINK_HOSTS) -> list[str]:
    """What makes ``document`` unsafe for a prep email; empty when it is fine.

    Allowlist, not blocklist: only simple text tags; attributes ``lang`` on html, ``charset`` on
    meta and ``href`` on a, with href https to an allowlisted host. So no ``<img>``, ``<script>``,
    ``<style>``, ``<iframe>``, no ``src``/``style``/``on*`` attributes: nothing that loads a
    remote resource (tracking pixels) or runs code.
    """
    checker = _HtmlChecker(hosts)
    checker.feed(document)
    checker.close()
    return checker.problems


def check_html(document: str, hosts: Iterable[str] = LINK_HOSTS) -> str:
    """Return ``document`` if :func:`html_problems` finds nothing, else UnsafeHtmlError."""
    problems = html_problems(document, hosts)
    if problems:
        raise UnsafeHtmlError(f"refusing to build unsafe HTML: {'; '.join(problems[:3])}")
    return document


# ============================================================================================
# Bodies
# ============================================================================================


def _agenda_items(agenda: Agenda, open_items: Sequence[StoredItem], where: str) -> list[_Item]:
    """The agenda's blocks, with the lines that list open items left to the open items list.

    The email lists each open item once, in the reader's words ("your" or "their"); the
    agenda's own lines (in the owner's words) would be the same items a second time.
    """
    actions = [a for i in open_items if len((a := _words_of(_line(i.action))).split()) >= 2]
    out: list[_Item] = []
    for block in agenda.blocks:
        lines = [_line(line) for line in block.items if _line(line)]
        kept = []
        for line in lines:
            words = _words_of(line)  # once a line, not once an item
            if not any(a in words for a in actions):
                kept.append(line)
        if len(kept) < len(lines):
            kept.insert(min(1, len(kept)), f"The open items listed {where}.")
        out.append(_Item([f"{_line(block.name)} ({block.minutes} min)"], [[x] for x in kept]))
    return out


def _sources(content: PrepContent, hosts: frozenset[str]) -> list[list[Inline]]:
    """One line per source, naming the passages used from it.

    Passages of one article share its address: listed one by one, an email repeated the same
    link six times.
    """
    labels: dict[str, list[str]] = {}
    for citation in content.all_citations:
        label = _line(citation.title)
        inner = _line(subsection(citation.title, citation.section).split(" > ")[-1])
        if inner and inner != label:
            label += f": {inner}"
        seen = labels.setdefault(citation.url or citation.source, [])
        if label not in seen:
            seen.append(label)
    # A link only to an allowlisted https source; a local path or other site is left out.
    return [[safe_link("; ".join(names), where, hosts)] for where, names in labels.items()]


def _session_line(content: PrepContent, other: str, moved_from: datetime | None) -> str:
    pair = content.pair
    text = f"Session {content.session_number} with {other}"
    if content.session_start is not None and moved_from is not None:
        # Shown in the zone the session is written in, so both times read alike.
        zone = content.session_start.tzinfo
        earlier = moved_from.astimezone(zone)
        if zone is None:  # a naive start is local time: so is the old one, then
            earlier = earlier.replace(tzinfo=None)
        text += f" has moved from {_when(earlier)} to {_when(content.session_start)}"
    elif content.session_start is not None:
        text += f" is on {_when(content.session_start)}"
    else:
        text += " is coming up (the date and time are not set yet)"
    # The stage in words, not its internal value ("regular" says nothing to a mentee).
    kind = STAGE_WORDS[content.agenda.stage]
    text += f", {content.duration} minutes" + (f": {kind}." if kind else ".")
    if pair.goals:
        text += (" Goals: " if len(pair.goals) > 1 else " Goal: ")
        text += "; ".join(_line(g) for g in pair.goals) + "."
    return text


def _words_of(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _mentee_checklist(content: PrepContent) -> list[str]:
    """The agenda's stage-specific checklist; the template's four prompts if it has none.

    Every open item's progress is asked about even when the engine's checklist forgot it.
    """
    mentor = content.pair.called("mentor")
    checklist = [_line(i) for i in content.agenda.prep_checklist if _line(i)]
    if not checklist:
        checklist = [
            "The specific challenges you want to discuss.",
            f"Questions for {mentor}.",
            f"A proposed focus for this session, shared with {mentor} in advance.",
        ]
    # Compared by words only: the agenda may quote an item without its closing full stop.
    known = _words_of(" ".join(checklist))
    # The mentee reports on their own and on shared items, not on the mentor's or a third
    # person's (those are in the open items below).
    missing = [
        f"Progress on {quoted(_line(item.action).rstrip('.'))}"
        + (f" (due {item.due.isoformat()})" if item.due else "")  # as the open items say
        + ": what's done, what's left, what got in the way."
        for item in content.open_items
        if _words_of(_line(item.action)) not in known
        and (not item.owner or _owner_side(item.owner, content.pair) == "mentee")
    ]
    return missing + checklist


def _mentee_doc(
    content: PrepContent, hosts: frozenset[str], moved_from: datetime | None = None
) -> _Doc:
    pair = content.pair
    doc = _Doc()
    doc.p(f"Hi {pair.called('mentee')},")
    doc.p(_session_line(content, pair.mentor, moved_from))
    doc.h("Before the session, please prepare")
    doc.ul(_mentee_checklist(content))
    doc.h("Open items")
    if content.open_items:
        doc.ul(_item_text(item, pair, "mentee") for item in content.open_items)
    else:
        doc.p("No open items from earlier sessions.")
    doc.h(f"Draft agenda ({content.agenda.minutes} minutes)")
    doc.ul(_agenda_items(content.agenda, content.open_items, "above"), ordered=True)
    sources = _sources(content, hosts)
    if sources:
        doc.h("From the mentoring guides")
        doc.ul(sources)
    doc.p(f"Prepared by session-coach for {pair.mentor} and {pair.mentee}.")
    return doc


def _mentor_doc(
    content: PrepContent, hosts: frozenset[str], moved_from: datetime | None = None
) -> _Doc:
    pair = content.pair
    doc = _Doc()
    doc.p(f"Hi {pair.called('mentor')},")
    doc.p(_session_line(content, pair.mentee, moved_from))
    doc.h(f"Agenda ({content.agenda.minutes} minutes)")
    doc.ul(_agenda_items(content.agenda, content.open_items, "below"), ordered=True)
    doc.h("Open items")
    groups: dict[Role | None, list[str]] = {"mentee": [], "mentor": [], None: []}
    for item in content.open_items:
        groups[_owner_side(item.owner, pair)].append(_item_text(item, pair, "mentor"))
    if content.open_items:
        sides: list[tuple[Role | None, str]] = [
            ("mentee", f"{pair.called('mentee')}'s"),
            ("mentor", "Yours"),
            (None, "Shared or unassigned"),
        ]
        for side, title in sides:
            if groups[side]:
                doc.p(f"{title}:")
                doc.ul(groups[side])
    else:
        doc.p("No open items from earlier sessions.")
    if content.questions:
        doc.h("Curious questions you could ask")
        doc.ul(
            _Item([_line(q.question)], [[_line(q.rationale)]] if _line(q.rationale) else [])
            for q in content.questions
        )
    doc.h("The practice for this stage")
    doc.p(_line(content.stage_tip))
    sources = _sources(content, hosts)
    if sources:
        doc.h("From the mentoring guides")
        doc.ul(sources)
    doc.p(f"Prepared by session-coach for {pair.mentor} and {pair.mentee}.")
    return doc


# ============================================================================================
# Calendar
# ============================================================================================


def _pair_tag(pair: Pair) -> str:
    # The pair's creation time is in the hash so a pair forgotten and re-created under the same
    # id gets new Message-IDs and UIDs (a client would otherwise dedupe the new mail).
    seed = f"{pair.id}|{pair.created_at.isoformat()}"
    return hashlib.sha256(seed.encode()).hexdigest()[:20]


def _domain(from_address: str) -> str:
    return from_address.rpartition("@")[2]


def _calendar(
    pair: Pair,
    invitation: Invitation,
    minutes: int,
    summary: str,
    description: str,
    organizer: Address,
    attendees: list[Address],
    now: datetime,
) -> bytes:
    # Naive means local: astimezone() attaches the system zone; UTC on the wire is unambiguous
    # for two people who may be in different zones.
    start = invitation.start.astimezone(UTC)
    cal = Calendar()
    cal.add("prodid", "-//session-coach//prep email//EN")
    cal.add("version", "2.0")
    cal.add("method", invitation.method)
    event = Event()
    event.add("uid", invitation.uid)
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=minutes))
    event.add("sequence", invitation.sequence)
    if invitation.method == "CANCEL":
        event.add("status", "CANCELLED")
    event.add("summary", summary)
    event.add("description", description)
    org = vCalAddress(f"mailto:{organizer.addr_spec}")
    org.params["cn"] = organizer.display_name
    event.add("organizer", org)
    for person in attendees:
        attendee = vCalAddress(f"mailto:{person.addr_spec}")
        attendee.params["cn"] = person.display_name
        attendee.params["role"] = "REQ-PARTICIPANT"
        attendee.params["partstat"] = "NEEDS-ACTION"
        attendee.params["rsvp"] = "TRUE"
        event.add("attendee", attendee)
    cal.add_component(event)
    return bytes(cal.to_ical())


# ============================================================================================
# Messages
# ============================================================================================


# CRLF line endings (RFC 5322, and what .eml readers expect). Bodies are encoded under the
# 78-column policy (the QP and base64 encoders take their width from it when set_content runs);
# the finished message is then switched to _WIRE for generation, because the stdlib folder
# moves a short ASCII header value wholesale onto a continuation line ("Subject:\r\n Prep..."),
# which parsers read back with a leading space. Every header is bounded by check_header, far
# below RFC 5322's hard limit of 998.
class _HeaderClasses(HeaderRegistry):
    """Header classes made once per header name, not once per header.

    The stdlib registry calls ``type()`` for every header it parses or sets, a good part of
    the time it takes to build a message.
    """

    def __init__(self) -> None:
        super().__init__()
        self._made: dict[str, type[BaseHeader]] = {}

    def __getitem__(self, name: str) -> type[BaseHeader]:
        key = name.lower()
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = super().__getitem__(name)
        return made


_HEADERS = _HeaderClasses()
_POLICY = policy.SMTP.clone(max_line_length=78, header_factory=_HEADERS)
_WIRE = policy.SMTP.clone(max_line_length=998, header_factory=_HEADERS)


@dataclass(frozen=True)
class PreparedMessage:
    """One prep email, ready to write as a draft or to send.

    ``key`` (``{pair_id}/{session}/{role}``) identifies it in the sent-log; the Message-ID is
    derived from it, so a resend after a crash carries the same Message-ID.
    """

    role: Role
    recipient: str
    key: str
    pair_id: str
    session_number: int
    message: EmailMessage

    @property
    def message_id(self) -> str:
        """The Message-ID header, with its angle brackets."""
        return str(self.message["Message-ID"])

    @property
    def subject(self) -> str:
        """The Subject header."""
        return str(self.message["Subject"])

    def as_bytes(self) -> bytes:
        """The whole message as it is written to a draft and sent (CRLF line endings)."""
        return self.message.as_bytes(policy=_WIRE)


def _message_id(key: str, pair: Pair, from_address: str) -> str:
    digest = hashlib.sha256(f"{_pair_tag(pair)}|{key}".encode()).hexdigest()[:32]
    return f"<{digest}@{_domain(from_address)}>"


def _subject(content: PrepContent, role: Role, *, moved: bool = False) -> str:
    pair = content.pair
    n = content.session_number
    when = f", {_when(content.session_start, short=True)}" if content.session_start else ""
    if role == "mentee":
        text = f"Prep for session {n} with {pair.mentor}{when}"
    else:
        text = f"Session {n} with {pair.mentee}: agenda and prep{when}"
    if moved:
        text = f"New time: {text}"
    return check_header("subject", text, max_length=SUBJECT_MAX)


def _add_calendar(msg: EmailMessage, ics: bytes, method: str, filename: str) -> None:
    """The event as a text/calendar alternative (for inline RSVP) and as an .ics attachment."""
    msg.add_alternative(
        ics.decode("utf-8"),
        subtype="calendar",
        charset="utf-8",
        cte="quoted-printable",
        params={"method": method},
    )
    msg.add_attachment(ics, maintype="application", subtype="ics", filename=filename)


def _finish(msg: EmailMessage, seed: str) -> None:
    """Deterministic MIME boundaries and no repeated MIME-Version in sub-parts.

    The stdlib picks random boundaries; fixed ones make drafts byte-for-byte reproducible.
    ``=_`` cannot occur in quoted-printable or base64 bodies, so it can't collide.
    """
    multiparts = [part for part in msg.walk() if part.is_multipart()]
    for index, part in enumerate(multiparts):
        part.set_boundary(f"=_coach_{seed[:16]}_{index}")
    for part in msg.walk():
        if part is not msg and "MIME-Version" in part:
            del part["MIME-Version"]


@_memoised
def build_prep_messages(
    content: PrepContent,
    from_address: str,
    *,
    from_name: str = DEFAULT_FROM_NAME,
    now: datetime | None = None,
    link_hosts: Iterable[str] = LINK_HOSTS,
    invitation: Invitation | None = None,
) -> list[PreparedMessage]:
    """The session's prep emails: the mentee's then the mentor's, for those with an address.

    Recipients come only from ``content.pair``; a role without an email gets no message (see
    :func:`missing_roles`). ``now`` (default: the current time) sets the Date header and the
    invitation's DTSTAMP; with it fixed, the output is byte-for-byte deterministic.

    With a session time the messages carry a calendar invitation: ``invitation`` (the
    meeting as the sent-log knows it, e.g. moved: same UID, higher SEQUENCE), else a first
    invitation for this pair and start. The sent-log key is the meeting's, not the session
    number's.

    Every header value is checked first (:func:`check_header`): an unsafe name or address
    raises :class:`UnsafeHeaderError` and nothing is built, for either role.
    """
    pair = content.pair
    hosts = frozenset(link_hosts)
    now = now or datetime.now(UTC)
    sender = _mailbox("from name", from_name, "from address", from_address)
    # Check every name and address in the pair before building anything, so a bad value in
    # the mentor's record stops the mentee's email too (nothing half-prepared).
    people: dict[Role, Address] = {}
    for role in ROLES:
        address = _email_of(pair, role)
        name = check_display_name(f"{role} name", _name_of(pair, role))
        if address:
            people[role] = _mailbox(f"{role} name", name, f"{role} email", address)
    if content.session_start is None:
        invitation = None
    elif invitation is None:
        invitation = first_invitation(pair, content.session_start, sender.addr_spec)
    moved = invitation is not None and invitation.sequence > 0
    subjects = {role: _subject(content, role, moved=moved) for role in people}
    ics: bytes | None = None
    if invitation is not None and people:
        blocks = "\n".join(f"- {_line(b.name)} ({b.minutes} min)" for b in content.agenda.blocks)
        ics = _calendar(
            pair,
            invitation,
            content.duration,
            f"Mentoring session {content.session_number}: {pair.mentor} & {pair.mentee}",
            f"Agenda ({content.agenda.minutes} minutes):\n{blocks}",
            people.get("mentor") or sender,
            list(people.values()),
            now,
        )

    messages: list[PreparedMessage] = []
    for role, to in people.items():
        key = (
            invitation.key(pair.id, role)
            if invitation is not None
            else idempotency_key(pair.id, content.session_number, role)
        )
        moved_from = invitation.moved_from if invitation is not None else None
        if role == "mentee":
            doc = _mentee_doc(content, hosts, moved_from)
        else:
            doc = _mentor_doc(content, hosts, moved_from)
        msg = EmailMessage(policy=_POLICY)
        msg["From"] = sender
        msg["To"] = to
        # A reply reaches the other person of the pair, not the coach's sending address.
        other = people.get("mentor" if role == "mentee" else "mentee")
        if other is not None:
            msg["Reply-To"] = other
        msg["Subject"] = subjects[role]
        msg["Date"] = check_header("date", format_datetime(now.astimezone(UTC)))
        msg["Message-ID"] = check_header("message id", _message_id(key, pair, sender.addr_spec))
        # RFC 3834: tells auto-responders (vacation replies) not to answer a generated mail.
        msg["Auto-Submitted"] = "auto-generated"
        msg.set_content(doc.text(), charset="utf-8", cte="quoted-printable")
        msg.add_alternative(
            check_html(doc.html(subjects[role]), hosts),
            subtype="html",
            charset="utf-8",
            cte="quoted-printable",
        )
        if ics is not None:
            _add_calendar(msg, ics, "REQUEST", "invite.ics")
        _finish(msg, hashlib.sha256(key.encode()).hexdigest())
        msg.policy = _WIRE  # drafts and sends are as_bytes() of this policy
        messages.append(
            PreparedMessage(
                role=role,
                recipient=to.addr_spec,
                key=key,
                pair_id=pair.id,
                session_number=content.session_number,
                message=msg,
            )
        )
    return messages


@_memoised
def build_cancel_messages(
    pair: Pair,
    invitation: Invitation,
    from_address: str,
    *,
    session_number: int,
    from_name: str = DEFAULT_FROM_NAME,
    now: datetime | None = None,
) -> list[PreparedMessage]:
    """The cancellation of a meeting that was sent: METHOD:CANCEL, STATUS:CANCELLED, same UID.

    ``invitation`` is the meeting as last sent, with the SEQUENCE of this cancellation. Like
    :func:`build_prep_messages`, recipients come only from the pair record.
    """
    assert invitation.method == "CANCEL"
    now = now or datetime.now(UTC)
    sender = _mailbox("from name", from_name, "from address", from_address)
    people: dict[Role, Address] = {}
    for role in ROLES:
        address = _email_of(pair, role)
        name = check_display_name(f"{role} name", _name_of(pair, role))
        if address:
            people[role] = _mailbox(f"{role} name", name, f"{role} email", address)
    if not people:
        return []
    # In local wall time with its offset, as the pair's sessions are typed and shown in the
    # prep emails (the log keeps the start in UTC).
    local_start = invitation.start.astimezone()
    when = _when(local_start)
    ics = _calendar(
        pair,
        invitation,
        pair.minutes,
        f"Mentoring session {session_number}: {pair.mentor} & {pair.mentee}",
        "Cancelled.",
        people.get("mentor") or sender,
        list(people.values()),
        now,
    )
    messages: list[PreparedMessage] = []
    for role, to in people.items():
        other = pair.mentor if role == "mentee" else pair.mentee
        key = invitation.key(pair.id, role)
        subject = check_header(
            "subject",
            f"Cancelled: mentoring session with {other}, {_when(local_start, short=True)}",
            max_length=SUBJECT_MAX,
        )
        doc = _Doc()
        doc.p(f"Hi {pair.called(role)},")
        doc.p(f"The mentoring session with {other} on {when} is cancelled.")
        doc.p("A new invitation will follow when the next session is planned.")
        doc.p(f"Sent by session-coach for {pair.mentor} and {pair.mentee}.")
        msg = EmailMessage(policy=_POLICY)
        msg["From"] = sender
        msg["To"] = to
        msg["Subject"] = subject
        msg["Date"] = check_header("date", format_datetime(now.astimezone(UTC)))
        msg["Message-ID"] = check_header("message id", _message_id(key, pair, sender.addr_spec))
        msg["Auto-Submitted"] = "auto-generated"
        msg.set_content(doc.text(), charset="utf-8", cte="quoted-printable")
        msg.add_alternative(
            check_html(doc.html(subject)), subtype="html", charset="utf-8", cte="quoted-printable"
        )
        _add_calendar(msg, ics, "CANCEL", "cancel.ics")
        _finish(msg, hashlib.sha256(key.encode()).hexdigest())
        msg.policy = _WIRE
        messages.append(
            PreparedMessage(
                role=role,
                recipient=to.addr_spec,
                key=key,
                pair_id=pair.id,
                session_number=session_number,
                message=msg,
            )
        )
    return messages


# ============================================================================================
# Drafts
# ============================================================================================

_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


def draft_filename(message: PreparedMessage) -> str:
    """``{pair}-s{n}-{role}.eml`` (``-cancel`` before the suffix for a cancellation)."""
    pair = _UNSAFE_FILENAME.sub("-", message.pair_id).strip(".-") or "pair"
    cancel = "-cancel" if "/cancel" in message.key else ""
    return f"{pair}-s{message.session_number}-{message.role}{cancel}.eml"


def write_drafts(messages: Iterable[PreparedMessage], out_dir: str | Path) -> list[Path]:
    """Write each message as an .eml file in ``out_dir`` (created if needed); return the paths.

    Atomic per file: written to a temporary file in the same directory, flushed to disk, then
    renamed over the final name, so a reader (or a crash) never sees a half-written draft and a
    rerun replaces drafts in place.
    """
    directory = Path(out_dir)
    if not str(out_dir).strip():
        raise UserInputError("the drafts folder is empty: give a folder such as outbox")
    if directory.exists() and not directory.is_dir():
        raise UserInputError(f"the drafts folder {str(directory)!r} is a file, not a folder")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserInputError(f"cannot create draft directory {directory}: {exc.strerror}") from None
    paths: list[Path] = []
    for message in messages:
        target = directory / draft_filename(message)
        data = message.as_bytes()
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        paths.append(target)
    return paths
