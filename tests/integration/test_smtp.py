"""Sending prep emails to real SMTP servers (aiosmtpd) on loopback: plain, STARTTLS, TLS.

The test makes its own CA and server certificates with ``cryptography``; the client trusts the
CA through ``ca_file``, the way a private CA is configured in production. An untrusted or
wrong-host certificate must be refused before any AUTH command reaches the server.
"""

from __future__ import annotations

import ipaddress
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from icalendar import Calendar

from agent.mail import PreparedMessage, PrepContent, SmtpSettings, build_prep_messages
from agent.maillog import SendError, SentLog, send_prepared
from agent.memory import Pair, StoredItem
from agent.models import Agenda, AgendaBlock, CuriousQuestion
from tests.integration.conftest import free_port

pytestmark = [
    pytest.mark.integration,
    # aiosmtpd warns when AUTH is allowed without STARTTLS; the implicit-TLS server (TLS from
    # the first byte) and the deliberately permissive rogue servers need exactly that.
    pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning"),
]

USER, PASSWORD = "coach", "s3cret pass-word"
FROM = "coach@example.org"
START = datetime(2025, 6, 3, 14, 0, tzinfo=UTC)


# -- certificates ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Certs:
    ca: Path  # the CA the client is told to trust
    server: ssl.SSLContext  # signed by that CA, for 127.0.0.1 and localhost
    wrong_host: ssl.SSLContext  # signed by that CA, for mail.example.com only
    untrusted: ssl.SSLContext  # self-signed, for 127.0.0.1


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _cert(
    subject: str,
    key: ec.EllipticCurvePrivateKey,
    issuer: str,
    issuer_key: ec.EllipticCurvePrivateKey,
    *,
    ca: bool,
    sans: list[x509.GeneralName] | None = None,
) -> x509.Certificate:
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=True,
                crl_sign=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    else:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        ).add_extension(x509.SubjectAlternativeName(sans or []), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _server_context(
    directory: Path, name: str, cert: x509.Certificate, key: ec.EllipticCurvePrivateKey
) -> ssl.SSLContext:
    cert_path, key_path = directory / f"{name}.pem", directory / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_path, key_path)
    return context


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certs:
    directory = tmp_path_factory.mktemp("certs")
    loopback: list[x509.GeneralName] = [
        x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        x509.DNSName("localhost"),
    ]
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _cert("session-coach test CA", ca_key, "session-coach test CA", ca_key, ca=True)
    (directory / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    server_key = ec.generate_private_key(ec.SECP256R1())
    server = _cert(
        "127.0.0.1", server_key, "session-coach test CA", ca_key, ca=False, sans=loopback
    )
    other_key = ec.generate_private_key(ec.SECP256R1())
    other = _cert(
        "mail.example.com",
        other_key,
        "session-coach test CA",
        ca_key,
        ca=False,
        sans=[x509.DNSName("mail.example.com")],
    )
    rogue_key = ec.generate_private_key(ec.SECP256R1())
    rogue = _cert("127.0.0.1", rogue_key, "127.0.0.1", rogue_key, ca=False, sans=loopback)
    return Certs(
        ca=directory / "ca.pem",
        server=_server_context(directory, "server", server, server_key),
        wrong_host=_server_context(directory, "wrong-host", other, other_key),
        untrusted=_server_context(directory, "rogue", rogue, rogue_key),
    )


# -- the server --------------------------------------------------------------------------------
@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    login: str | None


@dataclass
class Handler:
    """Records deliveries, every AUTH command and every credential check."""

    received: list[Received] = field(default_factory=list)
    auth_commands: list[str] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    defer_data: set[str] = field(default_factory=set)

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 no such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if envelope.rcpt_tos[0] in self.defer_data:
            return "451 4.3.0 try again later"
        raw = envelope.original_content or envelope.content
        assert isinstance(raw, bytes)
        parsed = BytesParser(policy=policy.default).parsebytes(raw)
        assert isinstance(parsed, EmailMessage)
        login = session.auth_data.login.decode() if session.auth_data else None
        self.received.append(
            Received(str(envelope.mail_from), list(envelope.rcpt_tos), parsed, login)
        )
        return "250 2.0.0 queued"

    def authenticator(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        assert isinstance(auth_data, LoginPassword)
        login, password = auth_data.login.decode(), auth_data.password.decode()
        self.logins.append((login, password))
        if (login, password) == (USER, PASSWORD):
            return AuthResult(success=True, auth_data=auth_data)
        # handled=False: let aiosmtpd send the 535 (the default means "I already replied").
        return AuthResult(success=False, handled=False)


class RecordingSMTP(SMTP):
    """Notes every AUTH command, including ones the server would refuse before checking."""

    async def smtp_AUTH(self, arg: str) -> None:
        handler = self.event_handler
        assert isinstance(handler, Handler)
        handler.auth_commands.append(arg.split()[0] if arg else "")
        await super().smtp_AUTH(arg)


class RecordingController(Controller):
    def factory(self) -> SMTP:
        return RecordingSMTP(self.handler, **self.SMTP_kwargs)


@dataclass
class Server:
    handler: Handler
    port: int

    def settings(self, **overrides: Any) -> SmtpSettings:
        values: dict[str, Any] = {
            "host": "127.0.0.1",
            "port": self.port,
            "from_address": FROM,
            "timeout": 5,
            "helo_name": "client.test",
        }
        values.update(overrides)
        return SmtpSettings(**values)


ServerFactory = Callable[..., Server]


@pytest.fixture
def smtp_server() -> Iterator[ServerFactory]:
    """Start aiosmtpd servers on 127.0.0.1 with free ports; all stopped at teardown."""
    started: list[Controller] = []

    def start(**kwargs: Any) -> Server:
        handler = Handler()
        port = free_port()
        if kwargs.pop("auth", False):
            kwargs["authenticator"] = handler.authenticator
        controller = RecordingController(
            handler, hostname="127.0.0.1", port=port, ready_timeout=10, **kwargs
        )
        controller.start()
        started.append(controller)
        return Server(handler, port)

    yield start
    for controller in started:
        controller.stop()


# -- content -----------------------------------------------------------------------------------
def make_content(pair_id: str = "ada-grace", **overrides: Any) -> PrepContent:
    pair = Pair(
        id=pair_id,
        created_at=datetime(2025, 1, 6, tzinfo=UTC),
        mentor="Ada Lovelace",
        mentee="Grace Hopper",
        mentor_email="ada@example.org",
        mentee_email="grace@example.com",
        goals=["Learn compiler design"],
    )
    values: dict[str, Any] = {
        "pair": pair,
        "session_number": 3,
        "session_start": START,
        "agenda": Agenda(
            stage="regular",
            minutes=60,
            blocks=[
                AgendaBlock(name="Check-in", minutes=10, items=["How has the week been?"]),
                AgendaBlock(name="Deep dive", minutes=50, items=["The parser design"]),
            ],
            prep_checklist=["Questions for Ada."],
        ),
        "open_items": [
            StoredItem(
                id="i1",
                owner="Grace",
                action="Write the tokenizer",
                due=date(2025, 6, 2),
                created_at=datetime(2025, 5, 27, tzinfo=UTC),
            )
        ],
        "questions": [CuriousQuestion(question="What helped this week?", rationale="Curious")],
    }
    values.update(overrides)
    return PrepContent(**values)


def messages(**overrides: Any) -> list[PreparedMessage]:
    return build_prep_messages(make_content(**overrides), FROM)


@pytest.fixture
def log(tmp_path: Path) -> Iterator[SentLog]:
    with SentLog.at_home(tmp_path / "home") as opened:
        yield opened


def check_delivery(got: Received, sent: PreparedMessage) -> None:
    """A delivered message, parsed back: envelope, headers, parts and invitation."""
    assert got.mail_from == FROM
    assert got.rcpt_tos == [sent.recipient]
    message = got.message
    assert message["Message-ID"] == sent.message_id
    assert [a.addr_spec for a in message["To"].addresses] == [sent.recipient]
    assert message["Subject"] == sent.subject
    assert message.get_content_type() == "multipart/mixed"
    kinds = [p.get_content_type() for p in message.walk()]
    assert kinds == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "text/html",
        "text/calendar",
        "application/ics",
    ]
    text = message.get_body(preferencelist=("plain",))
    assert text is not None
    expected = "Draft agenda" if sent.role == "mentee" else "Curious questions you could ask"
    assert expected in text.get_content()
    calendar = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    event = Calendar.from_ical(calendar.get_content()).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == START
    assert event.decoded("DTEND") == START + timedelta(minutes=60)
    people = event["ATTENDEE"]
    assert {str(a) for a in (people if isinstance(people, list) else [people])} == {
        "mailto:grace@example.com",
        "mailto:ada@example.org",
    }


# -- plain (loopback only) ---------------------------------------------------------------------
def test_plain_on_loopback_delivers_both_messages(smtp_server: ServerFactory, log: SentLog) -> None:
    server = smtp_server()
    prepared = messages()
    report = send_prepared(prepared, server.settings(security="none"), log)
    assert [o.status for o in report.outcomes] == ["sent", "sent"]
    assert report.ok
    assert len(server.handler.received) == 2
    for got, sent in zip(server.handler.received, prepared, strict=True):
        check_delivery(got, sent)
    assert {e.status for e in log.entries()} == {"sent"}


# -- STARTTLS with AUTH ------------------------------------------------------------------------
def starttls_server(smtp_server: ServerFactory, context: ssl.SSLContext) -> Server:
    return smtp_server(tls_context=context, require_starttls=True, auth=True, auth_required=True)


def test_starttls_with_auth(smtp_server: ServerFactory, certs: Certs, log: SentLog) -> None:
    server = starttls_server(smtp_server, certs.server)
    settings = server.settings(security="starttls", ca_file=certs.ca, user=USER, password=PASSWORD)
    prepared = messages()
    report = send_prepared(prepared, settings, log)
    assert [o.status for o in report.outcomes] == ["sent", "sent"]
    assert server.handler.logins == [(USER, PASSWORD)]  # the credentials arrived, once, right
    assert [r.login for r in server.handler.received] == [USER, USER]
    for got, sent in zip(server.handler.received, prepared, strict=True):
        check_delivery(got, sent)


def test_wrong_password_is_a_clear_error_without_the_password(
    smtp_server: ServerFactory, certs: Certs, log: SentLog
) -> None:
    server = starttls_server(smtp_server, certs.server)
    settings = server.settings(ca_file=certs.ca, user=USER, password="wrong-password-xyz")
    with pytest.raises(SendError) as info:
        send_prepared(messages(), settings, log)
    message = str(info.value)
    assert "refused the login for user 'coach'" in message
    assert "wrong-password-xyz" not in message and "\n" not in message
    assert info.value.__cause__ is None and info.value.__suppress_context__
    assert server.handler.received == []
    assert log.entries() == []  # nothing was claimed: nothing can have been sent


@pytest.mark.parametrize("which", ["untrusted", "wrong_host"])
def test_starttls_refuses_an_unverifiable_certificate_before_auth(
    smtp_server: ServerFactory, certs: Certs, log: SentLog, which: str
) -> None:
    # The most permissive server: AUTH offered and accepted even without TLS, so any AUTH
    # the client sent at any point would be recorded.
    server = smtp_server(tls_context=getattr(certs, which), auth=True, auth_require_tls=False)
    settings = server.settings(ca_file=certs.ca, user=USER, password=PASSWORD)
    with pytest.raises(SendError, match="could not be verified") as info:
        send_prepared(messages(), settings, log)
    assert "no credentials were sent" in str(info.value)
    assert PASSWORD not in str(info.value)
    assert server.handler.auth_commands == []
    assert server.handler.logins == []
    assert server.handler.received == []


def test_starttls_required_but_not_offered(smtp_server: ServerFactory, log: SentLog) -> None:
    server = smtp_server(auth=True, auth_require_tls=False)  # no tls_context: no STARTTLS
    settings = server.settings(user=USER, password=PASSWORD)
    with pytest.raises(SendError, match="does not offer STARTTLS"):
        send_prepared(messages(), settings, log)
    assert server.handler.auth_commands == []


# -- implicit TLS ------------------------------------------------------------------------------
def test_implicit_tls_with_auth(smtp_server: ServerFactory, certs: Certs, log: SentLog) -> None:
    # aiosmtpd only sees STARTTLS as "TLS" for auth_require_tls; this socket is TLS from byte 0.
    server = smtp_server(
        ssl_context=certs.server, auth=True, auth_required=True, auth_require_tls=False
    )
    settings = server.settings(security="tls", ca_file=certs.ca, user=USER, password=PASSWORD)
    prepared = messages()
    report = send_prepared(prepared, settings, log)
    assert [o.status for o in report.outcomes] == ["sent", "sent"]
    assert server.handler.logins == [(USER, PASSWORD)]
    for got, sent in zip(server.handler.received, prepared, strict=True):
        check_delivery(got, sent)


def test_implicit_tls_refuses_an_untrusted_certificate(
    smtp_server: ServerFactory, certs: Certs, log: SentLog
) -> None:
    server = smtp_server(ssl_context=certs.untrusted, auth=True, auth_require_tls=False)
    settings = server.settings(security="tls", ca_file=certs.ca, user=USER, password=PASSWORD)
    with pytest.raises(SendError, match="could not be verified"):
        send_prepared(messages(), settings, log)
    assert server.handler.auth_commands == [] and server.handler.received == []


def test_connection_refused_is_one_line(log: SentLog) -> None:
    settings = SmtpSettings(
        host="127.0.0.1", port=free_port(), from_address=FROM, security="none", timeout=2
    )
    with pytest.raises(SendError, match=r"^cannot reach SMTP server 127.0.0.1:"):
        send_prepared(messages(), settings, log)
    assert log.entries() == []


# -- idempotency -------------------------------------------------------------------------------
def test_double_send_delivers_once(smtp_server: ServerFactory, log: SentLog) -> None:
    server = smtp_server()
    settings = server.settings(security="none")
    first = send_prepared(messages(), settings, log)
    second = send_prepared(messages(), settings, log)  # rebuilt, as a second run would
    assert [o.status for o in first.outcomes] == ["sent", "sent"]
    assert [o.status for o in second.outcomes] == ["already-sent", "already-sent"]
    assert sorted(r.rcpt_tos[0] for r in server.handler.received) == [
        "ada@example.org",
        "grace@example.com",
    ]


def test_crash_after_the_first_message_resumes_with_the_missing_one(
    smtp_server: ServerFactory, log: SentLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = smtp_server()
    settings = server.settings(security="none")
    original = SentLog.mark_sent

    def die_after_first(self: SentLog, key: str) -> None:
        original(self, key)
        raise KeyboardInterrupt("killed after the first message")

    monkeypatch.setattr(SentLog, "mark_sent", die_after_first)
    with pytest.raises(KeyboardInterrupt):
        send_prepared(messages(), settings, log)
    monkeypatch.setattr(SentLog, "mark_sent", original)
    assert len(server.handler.received) == 1

    report = send_prepared(messages(), settings, log)
    assert [o.status for o in report.outcomes] == ["already-sent", "sent"]
    assert sorted(r.rcpt_tos[0] for r in server.handler.received) == [
        "ada@example.org",
        "grace@example.com",
    ]


def test_crash_between_send_and_mark_resends_with_the_same_message_id(
    smtp_server: ServerFactory, log: SentLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = smtp_server()
    settings = server.settings(security="none")
    original = SentLog.mark_sent

    def die_before_mark(self: SentLog, key: str) -> None:
        raise KeyboardInterrupt("killed after the server accepted, before 'sent'")

    monkeypatch.setattr(SentLog, "mark_sent", die_before_mark)
    with pytest.raises(KeyboardInterrupt):
        send_prepared(messages(), settings, log)
    monkeypatch.setattr(SentLog, "mark_sent", original)
    [entry] = log.entries()
    assert (entry.status, entry.attempts) == ("sending", 1)

    report = send_prepared(messages(), settings, log)
    assert [(o.status, o.attempts) for o in report.outcomes] == [("resent", 2), ("sent", 1)]
    received = server.handler.received
    assert [r.rcpt_tos[0] for r in received] == [
        "grace@example.com",  # the uncertain first attempt (it did arrive)
        "grace@example.com",  # the rerun: at-least-once, same Message-ID so clients dedupe
        "ada@example.org",
    ]
    assert received[0].message["Message-ID"] == received[1].message["Message-ID"]
    assert {e.status for e in log.entries()} == {"sent"}
    # A third run sends nothing.
    assert {o.status for o in send_prepared(messages(), settings, log).outcomes} == {"already-sent"}
    assert len(received) == 3


def test_a_refused_recipient_fails_alone(smtp_server: ServerFactory, log: SentLog) -> None:
    server = smtp_server()
    server.handler.refuse.add("grace@example.com")
    report = send_prepared(messages(), server.settings(security="none"), log)
    assert [o.status for o in report.outcomes] == ["failed", "sent"]
    assert report.outcomes[0].error is not None and "550" in report.outcomes[0].error
    assert not report.ok
    assert [r.rcpt_tos for r in server.handler.received] == [["ada@example.org"]]
    assert log.get(messages()[0].key).status == "failed"  # type: ignore[union-attr]
    server.handler.refuse.clear()
    retry = send_prepared(messages(), server.settings(security="none"), log)
    assert [o.status for o in retry.outcomes] == ["sent", "already-sent"]  # clean, not "resent"


def test_a_temporary_refusal_of_data_fails_alone(smtp_server: ServerFactory, log: SentLog) -> None:
    server = smtp_server()
    server.handler.defer_data.add("grace@example.com")
    report = send_prepared(messages(), server.settings(security="none"), log)
    assert [o.status for o in report.outcomes] == ["failed", "sent"]
    assert "451" in (report.outcomes[0].error or "")
    assert [r.rcpt_tos for r in server.handler.received] == [["ada@example.org"]]


def test_header_injection_sends_nothing(smtp_server: ServerFactory, log: SentLog) -> None:
    from agent.mail import UnsafeHeaderError

    server = smtp_server()
    content = make_content()
    content.pair = content.pair.model_copy(update={"mentee": "Grace =?UTF-8?Q?=0A?=Bcc: x@y.z"})
    with pytest.raises(UnsafeHeaderError, match=r"^unsafe mentee name: .*encoded-word"):
        send_prepared(build_prep_messages(content, FROM), server.settings(security="none"), log)
    assert server.handler.received == [] and log.entries() == []
