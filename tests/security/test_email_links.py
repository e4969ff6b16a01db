"""Issue 11, item 10: links from notes, goals, items and model text are not clickable in email.

Only the guide sources the product cites (agent.mail.LINK_HOSTS) are links; anything else
is defanged ("hxxps://evil[.]example/login") in the text part and the HTML part, and the
HTML has no <a> but the allowlisted ones.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from agent.mail import LINK_HOSTS, build_prep_messages, defang
from agent.models import AgendaBlock, CuriousQuestion
from tests.unit.test_mail import body, make_agenda, make_content, make_item, make_pair, parse

NOW = datetime(2025, 5, 30, 9, 0, tzinfo=UTC)
ATTACKS = [
    "https://evil.example/login",
    "http://phish.test/reset?user=ada",
    "evil.com/payload",
    "www.phish.net",
    "ftp://files.evil.org/a",
]
FOREIGN = ("evil.example", "phish.test", "evil.com", "phish.net", "files.evil.org")


def _messages() -> list[object]:
    text = "Read " + " and ".join(ATTACKS) + " before we meet."
    content = make_content(
        pair=make_pair(goals=[f"Learn compilers; {text}"]),
        agenda=make_agenda(
            blocks=[AgendaBlock(name="Deep dive", minutes=60, items=[text])],
            prep_checklist=[text],
        ),
        open_items=[make_item(text)],
        questions=[CuriousQuestion(question=f"What did {ATTACKS[0]} show?", rationale=text)],
    )
    return list(build_prep_messages(content, "coach@example.org", now=NOW))


@pytest.mark.parametrize("subtype", ["plain", "html"])
def test_foreign_links_are_defanged_in_both_parts(subtype: str) -> None:
    messages = _messages()
    assert messages
    for message in messages:
        part = body(parse(message), subtype)  # type: ignore[arg-type]
        for host in FOREIGN:
            assert host not in part, f"{host} is linkable in the {subtype} part"
        assert "hxxps://evil[.]example/login" in part
        assert "evil[.]com/payload" in part
        assert "www[.]phish[.]net" in part
        assert not re.search(r"\bhttps?://(?!(?:www\.)?mentorcruise\.com)", part)


def test_html_links_only_to_the_cited_guides() -> None:
    for message in _messages():
        html = body(parse(message), "html")  # type: ignore[arg-type]
        hrefs = re.findall(r"<a\s+href=\"([^\"]+)\"", html)
        assert hrefs  # the cited guide is still a link
        for href in hrefs:
            host = re.sub(r"^https://([^/]+).*$", r"\1", href)
            assert host in LINK_HOSTS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see https://evil.example/login", "see hxxps://evil[.]example/login"),
        ("javascript://alert(1)", "javascript[:]//alert(1)"),
        ("mail attacker@evil.test", "mail attacker@evil[.]test"),
        ("https://mentorcruise.com/blog/", "https://mentorcruise.com/blog/"),  # allowlisted
        (
            "README.md, setup.py, Node.js, v1.2.3, e.g.",
            "README.md, setup.py, Node.js, v1.2.3, e.g.",
        ),
    ],
)
def test_defang(text: str, expected: str) -> None:
    assert defang(text) == expected
