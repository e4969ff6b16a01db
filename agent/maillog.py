"""The durable sent-log and SMTP sending: each session's email to each role goes out once.

**The log** is a SQLite file under ``COACH_HOME`` (WAL, ``synchronous=FULL``), one row per
idempotency key with its status, recipient, Message-ID, attempt count and timestamps. An
email with a calendar invitation is keyed on the meeting, ``{pair_id}/{first start}/{sequence}/
{role}`` (``cancel{n}`` for a cancellation), so renumbering the session never resends it;
one without a meeting time on ``{pair_id}/{session}/{role}``. The ``meetings`` table keeps
each meeting's UID, start and SEQUENCE as last sent, from which :func:`plan_invitation`
decides between the same invitation, an update (new time: same UID, SEQUENCE + 1) and a
cancellation (session removed: METHOD:CANCEL). Statuses:

- ``sending``: an attempt was made and its outcome is not confirmed;
- ``sent``: the server accepted the message (``250`` after DATA);
- ``failed``: the server definitely refused it (a 4xx/5xx reply); nothing was delivered.

**Sending** (:func:`send_prepared`) skips every message already ``sent`` (no connection at
all when nothing is left), connects once, then for each remaining message:
claim it (mark ``sending``, committed) -> SMTP send -> mark ``sent``.

**Crash between the two marks** (the process dies after the server accepted the message but
before ``sent`` was committed, or the connection drops before the server's reply): the row
stays ``sending``, so the log cannot tell whether the message was delivered. A rerun sends it
again, **with the same Message-ID**, and reports it as ``resent`` with its attempt count.
At-least-once is the deliberate choice: the window is milliseconds wide, a duplicate carries
the same Message-ID (which mail stores and clients such as Gmail use to collapse duplicates)
and the same calendar UID (so the invitation is updated, not doubled), whereas the
alternative, never retrying an uncertain send, would silently drop a prep email.

**Concurrent runs** (two ``coach email --send`` at once, e.g. an overlapping cron job): the
claim is a ``BEGIN IMMEDIATE`` transaction, so only one run claims a key. A ``sending`` row
whose owner is another live process on this machine is reported ``in-progress`` and skipped;
an owner that is gone (or this very process, whose earlier call has ended) means a crash,
hence a retry. On Windows, or for a row from another machine, a row younger than the lease
(10 minutes) counts as in progress.

**Security**: certificates are always verified (:meth:`agent.mail.SmtpSettings.ssl_context`);
with ``starttls`` the TLS handshake completes before ``AUTH``, so credentials never reach a
server that failed verification; errors are one line and never include the password (nor
chain the smtplib exception, whose traceback could show the AUTH exchange).
"""

from __future__ import annotations

import os
import smtplib
import socket
import sqlite3
import ssl
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from agent.errors import CoachError
from agent.files import make_private_file
from agent.mail import Invitation, PreparedMessage, Role, SmtpSettings, first_invitation
from agent.memory import Pair

__all__ = [
    "LOG_FILENAME",
    "Claim",
    "LogEntry",
    "Meeting",
    "SendError",
    "SendOutcome",
    "SendReport",
    "SentLog",
    "connect",
    "plan_invitation",
    "send_prepared",
]

LOG_FILENAME = "sent-mail.sqlite"
LogStatus = Literal["sending", "sent", "failed"]
OutcomeStatus = Literal["sent", "resent", "already-sent", "in-progress", "failed"]
Claim = Literal["new", "retry", "sent", "busy"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sent_mail (
    key              TEXT PRIMARY KEY,
    pair_id          TEXT NOT NULL,
    role             TEXT NOT NULL,
    recipient        TEXT NOT NULL,
    message_id       TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'failed')),
    attempts         INTEGER NOT NULL,
    owner            TEXT NOT NULL,
    first_attempt_at TEXT NOT NULL,
    last_attempt_at  TEXT NOT NULL,
    sent_at          TEXT,
    last_error       TEXT
);
CREATE INDEX IF NOT EXISTS sent_mail_pair ON sent_mail (pair_id);
CREATE TABLE IF NOT EXISTS meetings (
    uid        TEXT PRIMARY KEY,
    pair_id    TEXT NOT NULL,
    tag        TEXT NOT NULL,
    start      TEXT NOT NULL,
    sequence   INTEGER NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('scheduled', 'cancelled')),
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS meetings_pair ON meetings (pair_id);
"""


class SendError(CoachError):
    """Sending could not start (connection, TLS, login); ``report`` says what had happened."""

    def __init__(self, message: str, report: SendReport | None = None) -> None:
        super().__init__(message)
        self.report = report or SendReport()


@dataclass(frozen=True)
class LogEntry:
    """One row of the sent-log."""

    key: str
    pair_id: str
    role: str
    recipient: str
    message_id: str
    status: LogStatus
    attempts: int
    owner: str
    first_attempt_at: datetime
    last_attempt_at: datetime
    sent_at: datetime | None
    last_error: str | None = None


def _now() -> datetime:
    return datetime.now(UTC)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


class SentLog:
    """The durable record of what was sent; safe to share between processes (not threads).

    Open it with :meth:`open` (a path) or :meth:`at_home` (``COACH_HOME``); close it, or use
    it as a context manager. ``lease`` bounds how long a ``sending`` row of unknown liveness
    (another machine, Windows) is treated as in progress.
    """

    def __init__(self, path: Path, *, lease: timedelta = timedelta(minutes=10)) -> None:
        self.path = path
        self.lease = lease
        self.owner = f"{socket.gethostname()}|{os.getpid()}|{uuid.uuid4().hex[:8]}"
        self._lock = threading.Lock()
        # The log holds people's addresses: readable by the owner only (SQLite gives the
        # -wal/-shm files the same mode as the database).
        make_private_file(path)
        try:
            self._db = sqlite3.connect(
                path, timeout=30, isolation_level=None, check_same_thread=False
            )
            self._db.execute("PRAGMA journal_mode=WAL")
            # FULL: the 'sending' mark must survive a power cut, not just a process crash.
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise CoachError(f"cannot open the sent-mail log {path}: {exc}") from None

    @classmethod
    def open(cls, path: str | Path) -> SentLog:
        """The log at ``path`` (created if missing)."""
        return cls(Path(path))

    @classmethod
    def at_home(cls, home: str | Path) -> SentLog:
        """The log of a ``COACH_HOME`` directory."""
        return cls(Path(home) / LOG_FILENAME)

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()

    def __enter__(self) -> SentLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock, self._errors():
            # IMMEDIATE takes the write lock up front: read-then-write claims can't interleave.
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    @contextmanager
    def _errors(self) -> Iterator[None]:
        # A locked or broken log is one printable line for the CLI, not a sqlite3 traceback.
        try:
            yield
        except sqlite3.Error as exc:
            raise CoachError(f"sent-mail log {self.path}: {exc}") from None

    # -- reading -------------------------------------------------------------------------------
    @staticmethod
    def _entry(row: tuple[object, ...]) -> LogEntry:
        (key, pair_id, role, recipient, message_id, status, attempts, owner, first, last, sent) = (
            row[:11]
        )
        error = row[11]
        return LogEntry(
            key=str(key),
            pair_id=str(pair_id),
            role=str(role),
            recipient=str(recipient),
            message_id=str(message_id),
            status="sent" if status == "sent" else "failed" if status == "failed" else "sending",
            attempts=int(str(attempts)),
            owner=str(owner),
            first_attempt_at=datetime.fromisoformat(str(first)),
            last_attempt_at=datetime.fromisoformat(str(last)),
            sent_at=datetime.fromisoformat(str(sent)) if sent else None,
            last_error=str(error) if error else None,
        )

    _COLUMNS = (
        "key, pair_id, role, recipient, message_id, status, attempts, owner, "
        "first_attempt_at, last_attempt_at, sent_at, last_error"
    )

    def get(self, key: str) -> LogEntry | None:
        """The row for ``key``, if any attempt was ever made."""
        with self._lock, self._errors():
            row = self._db.execute(
                f"SELECT {self._COLUMNS} FROM sent_mail WHERE key = ?", (key,)
            ).fetchone()
        return self._entry(row) if row else None

    def entries(self, pair_id: str | None = None) -> list[LogEntry]:
        """Every row (or one pair's), by key."""
        query = f"SELECT {self._COLUMNS} FROM sent_mail"
        params: tuple[str, ...] = ()
        if pair_id is not None:
            query, params = query + " WHERE pair_id = ?", (pair_id,)
        with self._lock, self._errors():
            rows = self._db.execute(query + " ORDER BY key", params).fetchall()
        return [self._entry(row) for row in rows]

    # -- writing -------------------------------------------------------------------------------
    def _owner_active(self, entry: LogEntry, now: datetime) -> bool:
        host, _, rest = entry.owner.partition("|")
        pid_text = rest.partition("|")[0]
        if os.name == "posix" and host == socket.gethostname() and pid_text.isdigit():
            pid = int(pid_text)
            # This process's own earlier row means that call has ended (it raised): retry.
            return pid != os.getpid() and _pid_alive(pid)
        return now - entry.last_attempt_at < self.lease

    def claim(self, message: PreparedMessage) -> tuple[Claim, LogEntry]:
        """Mark ``message`` as ``sending`` (committed) unless it was sent or is being sent.

        ``new``: first attempt, or the earlier ones were refused outright; ``retry``: an
        earlier attempt's outcome is unknown (a crash); ``sent``: already sent, nothing changed;
        ``busy``: another live run is sending it.
        """
        now = _now()
        with self._transaction() as db:
            row = db.execute(
                f"SELECT {self._COLUMNS} FROM sent_mail WHERE key = ?", (message.key,)
            ).fetchone()
            if row is None:
                db.execute(
                    "INSERT INTO sent_mail VALUES "
                    "(?, ?, ?, ?, ?, 'sending', 1, ?, ?, ?, NULL, NULL)",
                    (
                        message.key,
                        message.pair_id,
                        message.role,
                        message.recipient,
                        message.message_id,
                        self.owner,
                        now.isoformat(),
                        now.isoformat(),
                    ),
                )
                claim: Claim = "new"
            else:
                entry = self._entry(row)
                if entry.status == "sent":
                    return "sent", entry
                if entry.status == "sending" and self._owner_active(entry, now):
                    return "busy", entry
                db.execute(
                    "UPDATE sent_mail SET status = 'sending', attempts = attempts + 1, owner = ?, "
                    "last_attempt_at = ?, recipient = ?, message_id = ? WHERE key = ?",
                    (
                        self.owner,
                        now.isoformat(),
                        message.recipient,
                        message.message_id,
                        message.key,
                    ),
                )
                claim = "new" if entry.status == "failed" else "retry"
            row = db.execute(
                f"SELECT {self._COLUMNS} FROM sent_mail WHERE key = ?", (message.key,)
            ).fetchone()
        return claim, self._entry(row)

    def mark_sent(self, key: str) -> None:
        """Record that the server accepted the message for ``key``."""
        with self._transaction() as db:
            db.execute(
                "UPDATE sent_mail SET status = 'sent', sent_at = ? WHERE key = ?",
                (_now().isoformat(), key),
            )

    def mark_failed(self, key: str, error: str) -> None:
        """Record that the server refused the message for ``key``: certainly not delivered."""
        with self._transaction() as db:
            db.execute(
                "UPDATE sent_mail SET status = 'failed', last_error = ? WHERE key = ?",
                (error[:500], key),
            )

    def forget_pair(self, pair_id: str) -> int:
        """Remove a pair's rows (its people's addresses), e.g. on ``coach pair forget``."""
        with self._transaction() as db:
            db.execute("DELETE FROM meetings WHERE pair_id = ?", (pair_id,))
            return db.execute("DELETE FROM sent_mail WHERE pair_id = ?", (pair_id,)).rowcount

    # -- meetings --------------------------------------------------------------------------------
    def meetings(self, pair_id: str) -> list[Meeting]:
        """The meetings whose invitation (or cancellation) reached a server, latest first."""
        with self._lock, self._errors():
            rows = self._db.execute(
                "SELECT uid, tag, start, sequence, status, updated_at FROM meetings "
                "WHERE pair_id = ? ORDER BY updated_at DESC",
                (pair_id,),
            ).fetchall()
        return [
            Meeting(
                uid=str(uid),
                tag=str(tag),
                start=datetime.fromisoformat(str(start)),
                sequence=int(str(sequence)),
                cancelled=status == "cancelled",
                updated_at=datetime.fromisoformat(str(updated)),
            )
            for uid, tag, start, sequence, status, updated in rows
        ]

    def record_meeting(self, pair_id: str, invitation: Invitation) -> None:
        """Remember what the pair's people were last sent for this meeting."""
        status = "cancelled" if invitation.method == "CANCEL" else "scheduled"
        with self._transaction() as db:
            db.execute(
                "INSERT INTO meetings VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (uid) DO UPDATE "
                "SET start = excluded.start, sequence = excluded.sequence, "
                "status = excluded.status, updated_at = excluded.updated_at",
                (
                    invitation.uid,
                    pair_id,
                    invitation.tag,
                    invitation.start.astimezone(UTC).isoformat(),
                    invitation.sequence,
                    status,
                    _now().isoformat(),
                ),
            )


@dataclass(frozen=True)
class Meeting:
    """A meeting as last sent: its UID, key tag, start, SEQUENCE and whether it was cancelled."""

    uid: str
    tag: str
    start: datetime
    sequence: int
    cancelled: bool
    updated_at: datetime


def plan_invitation(
    meetings: Sequence[Meeting],
    pair: Pair,
    start: datetime | None,
    from_address: str,
    now: datetime | None = None,
) -> Invitation | None:
    """What the pair's next emails must say about the calendar, given what was sent.

    The pair's *current* meeting is the latest one sent that is neither cancelled nor over.
    With a ``start``: the same time as the current meeting is the same invitation (same key:
    already sent, whatever the session is numbered now); another time moves it (same UID,
    SEQUENCE + 1); no current meeting means a first invitation. Without a ``start`` (the
    next session was removed), a current meeting is cancelled (SEQUENCE + 1), and a
    cancellation already sent for an upcoming meeting is that same cancellation; else None.
    """
    now = now or datetime.now(UTC)
    upcoming = [m for m in meetings if not m.cancelled and m.start > now]
    current = max(upcoming, key=lambda m: m.updated_at, default=None)
    if start is None:
        if current is not None:
            return Invitation(
                current.uid, current.tag, current.start, current.sequence + 1, "CANCEL"
            )
        latest = max(meetings, key=lambda m: m.updated_at, default=None)
        if latest is not None and latest.cancelled and latest.start > now:
            # The cancellation itself, again: same key, so it is reported already sent.
            return Invitation(latest.uid, latest.tag, latest.start, latest.sequence, "CANCEL")
        return None
    if current is not None:
        if current.start == start.astimezone(UTC):
            return Invitation(current.uid, current.tag, start, current.sequence)
        return Invitation(
            current.uid, current.tag, start, current.sequence + 1, moved_from=current.start
        )
    first = first_invitation(pair, start, from_address)
    earlier = next((m for m in meetings if m.uid == first.uid), None)
    if earlier is None:
        return first
    if earlier.cancelled:  # invited at this time before, then cancelled: invite again
        return Invitation(earlier.uid, earlier.tag, start, earlier.sequence + 1)
    return Invitation(earlier.uid, earlier.tag, start, earlier.sequence)  # already invited


# ============================================================================================
# Sending
# ============================================================================================


class SendOutcome(BaseModel):
    """What happened to one message.

    ``sent``: delivered to the server now; ``resent``: delivered now after an earlier attempt
    whose outcome was unknown (a possible duplicate, same Message-ID); ``already-sent``: the log
    says it went out before, nothing done; ``in-progress``: another live run holds it;
    ``failed``: not accepted now (``error`` says why); a rerun tries again.
    """

    key: str
    role: Role
    recipient: str
    message_id: str
    status: OutcomeStatus
    attempts: int = 0
    error: str | None = None


class SendReport(BaseModel):
    """The outcome of :func:`send_prepared`, one entry per message, in order."""

    outcomes: list[SendOutcome] = Field(default_factory=list)

    @property
    def delivered(self) -> list[SendOutcome]:
        """Messages handed to the server by this call (``sent`` or ``resent``)."""
        return [o for o in self.outcomes if o.status in ("sent", "resent")]

    @property
    def failed(self) -> list[SendOutcome]:
        """Messages that were not accepted."""
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def ok(self) -> bool:
        """True when nothing failed."""
        return not self.failed


def _reply(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else ""
    return f"{exc.smtp_code} {' '.join(text.split())}".strip()


def _where(settings: SmtpSettings) -> str:
    return f"{settings.host}:{settings.port}"


def connect(settings: SmtpSettings) -> smtplib.SMTP:
    """An SMTP session: connected, TLS verified (unless ``none`` on loopback), logged in.

    TLS is negotiated and verified *before* ``AUTH``: a server whose certificate fails
    verification raises here, and never sees the credentials. Every failure is a one-line
    :class:`SendError` without the password.
    """
    where = _where(settings)
    context = settings.ssl_context()
    smtp: smtplib.SMTP | None = None
    try:
        if settings.security == "tls":
            smtp = smtplib.SMTP_SSL(
                settings.host,
                settings.port,
                local_hostname=settings.helo_name,
                timeout=settings.timeout,
                context=context,
            )
        else:
            smtp = smtplib.SMTP(
                settings.host,
                settings.port,
                local_hostname=settings.helo_name,
                timeout=settings.timeout,
            )
        smtp.ehlo()
        if settings.security == "starttls":
            if not smtp.has_extn("starttls"):
                raise SendError(
                    f"SMTP server {where} does not offer STARTTLS; refusing to continue "
                    "without TLS (set COACH_SMTP_SECURITY=tls if it uses implicit TLS, or none "
                    "for a server on this machine)"
                )
            smtp.starttls(context=context)
            smtp.ehlo()  # capabilities may differ after TLS (RFC 3207); AUTH often appears now
        if settings.user is not None and settings.password is not None:
            if not smtp.has_extn("auth"):
                raise SendError(f"SMTP server {where} does not offer AUTH; cannot log in")
            smtp.login(settings.user, settings.password.get_secret_value())
    except SendError:
        _close(smtp)
        raise
    except ssl.SSLCertVerificationError as exc:
        _close(smtp)
        raise SendError(
            f"TLS certificate of SMTP server {where} could not be verified "
            f"({exc.verify_message or exc.reason}); nothing was sent, no credentials were "
            "sent (set COACH_SMTP_CA_FILE to trust a private CA)"
        ) from None
    except ssl.SSLError as exc:
        _close(smtp)
        raise SendError(
            f"TLS with SMTP server {where} failed ({exc.reason or exc.__class__.__name__}); "
            "nothing was sent"
        ) from None
    except smtplib.SMTPAuthenticationError as exc:
        _close(smtp)
        raise SendError(
            f"SMTP server {where} refused the login for user {settings.user!r} ({_reply(exc)}); "
            "check COACH_SMTP_USER and COACH_SMTP_PASSWORD"
        ) from None
    except smtplib.SMTPResponseException as exc:
        _close(smtp)
        raise SendError(f"SMTP server {where} refused the session: {_reply(exc)}") from None
    except (smtplib.SMTPException, OSError) as exc:
        _close(smtp)
        reason = " ".join((str(exc) or exc.__class__.__name__).split())
        raise SendError(f"cannot reach SMTP server {where}: {reason}") from None
    return smtp


def _close(smtp: smtplib.SMTP | None) -> None:
    if smtp is None:
        return
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def _outcome(message: PreparedMessage, status: OutcomeStatus, **extra: object) -> SendOutcome:
    return SendOutcome(
        key=message.key,
        role=message.role,
        recipient=message.recipient,
        message_id=message.message_id,
        status=status,
        **extra,
    )


def send_prepared(
    messages: Iterable[PreparedMessage], settings: SmtpSettings, log: SentLog
) -> SendReport:
    """Send each message not yet ``sent`` in ``log``; return what happened to each.

    Per message: claim (``sending``, committed) -> SMTP send (envelope sender
    ``settings.from_address``, envelope recipient ``message.recipient`` only) -> ``sent``.
    A server refusal of one message is recorded as ``failed`` and the others still go; a
    dropped connection marks the rest ``failed`` (not attempted). Raises :class:`SendError`
    only when the session cannot start (connect, TLS, login); nothing was sent then.
    """
    items = list(messages)
    report = SendReport()
    pending: list[PreparedMessage] = []
    for message in items:
        entry = log.get(message.key)
        if entry is not None and entry.status == "sent":
            report.outcomes.append(_outcome(message, "already-sent", attempts=entry.attempts))
        else:
            pending.append(message)
    if not pending:
        return report  # no connection when there is nothing to send

    try:
        smtp = connect(settings)
    except SendError as exc:
        exc.report = report
        raise
    broken: str | None = None
    try:
        for message in pending:
            if broken is not None:
                report.outcomes.append(_outcome(message, "failed", error=broken))
                continue
            claim, entry = log.claim(message)
            if claim == "sent":
                report.outcomes.append(_outcome(message, "already-sent", attempts=entry.attempts))
                continue
            if claim == "busy":
                report.outcomes.append(_outcome(message, "in-progress", attempts=entry.attempts))
                continue
            try:
                # The draft's own bytes: send_message re-generates with mbox "From " quoting,
                # which put ">From the mentoring guides" in the text part. Addresses are ASCII
                # (mail.check_address), so no SMTPUTF8 option is needed.
                smtp.sendmail(settings.from_address, [message.recipient], message.as_bytes())
            except smtplib.SMTPRecipientsRefused as exc:
                refused = exc.recipients.get(message.recipient)
                reason = f"{refused[0]} {refused[1].decode('utf-8', 'replace')}" if refused else ""
                error = f"recipient {message.recipient} refused: {' '.join(reason.split())}"
                log.mark_failed(message.key, error.strip())
                report.outcomes.append(
                    _outcome(message, "failed", attempts=entry.attempts, error=error.strip())
                )
                _reset(smtp)
                continue
            except smtplib.SMTPServerDisconnected as exc:
                broken = f"connection to {_where(settings)} lost: {exc or 'disconnected'}"
                report.outcomes.append(
                    _outcome(message, "failed", attempts=entry.attempts, error=broken)
                )
                continue
            except smtplib.SMTPResponseException as exc:
                error = f"server refused the message: {_reply(exc)}"
                log.mark_failed(message.key, error)
                report.outcomes.append(
                    _outcome(message, "failed", attempts=entry.attempts, error=error)
                )
                _reset(smtp)
                continue
            except (smtplib.SMTPException, OSError) as exc:
                # A timeout after DATA leaves the outcome unknown: the row stays 'sending'
                # and a rerun resends with the same Message-ID.
                broken = " ".join(
                    f"sending to {_where(settings)} failed: {exc or exc.__class__.__name__}".split()
                )
                report.outcomes.append(
                    _outcome(message, "failed", attempts=entry.attempts, error=broken)
                )
                continue
            log.mark_sent(message.key)
            status: OutcomeStatus = "resent" if claim == "retry" else "sent"
            report.outcomes.append(_outcome(message, status, attempts=entry.attempts))
    finally:
        _close(smtp)
    # Keep the caller's order (already-sent ones were answered first).
    order = {m.key: i for i, m in enumerate(items)}
    report.outcomes.sort(key=lambda o: order.get(o.key, len(order)))
    return report


def _reset(smtp: smtplib.SMTP) -> None:
    # After a refused transaction, RSET so the next MAIL FROM starts clean.
    with suppress(smtplib.SMTPException, OSError):
        smtp.rset()
