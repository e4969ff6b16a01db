"""The progress review a mentor sends: short, each item once with its due date, no notes quoted.

And one source of truth: `coach agenda` and the prep emails say the same about the mentee's
prep, and neither quotes the mentor's private notes (trial11 #1, #2).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from agent.agenda import PROGRESS_REVIEW
from agent.api import Coach
from agent.config import Settings
from agent.models import Agenda
from agent.note_quotes import quotes_notes

TODAY = date.today()
NOTES = [
    "Session notes. Lena walked me through the incident from last week; she handled the "
    '"pager storm" well but froze on the status update.\n'
    "- Lena: write the runbook for the payments alert by Friday\n"
    "- Lena to shadow two on-call handovers before the next session\n"
    'Dana\'s private reflection: I worry she is overloaded; her manager "doesn\'t get it".',
    'Runbook draft is half done; Lena wants feedback on the "escalation" section.\n'
    "- Dana: review Lena's status-update template by Wednesday\n"
    "- Lena: finish the runbook and send it to Ruth\n"
    'Private: she said "I\'m not sure I\'m cut out for on-call" - keep an eye on the runbook.',
]
PREP = (
    "Runbook is done. How do I write a status update when the "
    '"incident commander" asks for an ETA?'
)
ITEMS = [
    ("Lena Park", "Write the runbook for the payments alert", TODAY - timedelta(days=17)),
    ("Dana Whitfield", "Review Lena's status-update template", TODAY - timedelta(days=12)),
    ("Lena Park", "Shadow two on-call handovers", TODAY + timedelta(days=3)),
    ("Lena Park", "Finish the runbook and send it to Ruth", None),
]
# A quote that holds another quote's marks: “... "escalation" ...”.
NESTED = re.compile(r"“[^”]*[\"“]")


def _context() -> dict[str, object]:
    return {
        "mentor": "Dana Whitfield",
        "mentee": "Lena Park",
        "session_number": 3,
        "goals": ["Own the on-call rotation"],
        "open_items": [
            {"owner": o, "action": a, "due": d.isoformat() if d else None} for o, a, d in ITEMS
        ],
        "prep": PREP,
        "recent_notes": NOTES,
        "session_date": (TODAY + timedelta(days=3)).isoformat(),
    }


def _lines(agenda: Agenda) -> list[str]:
    return [i for b in agenda.blocks for i in b.items] + list(agenda.prep_checklist)


@pytest.fixture
def coach(tmp_path: Path) -> Iterator[Coach]:
    with Coach(Settings(home=tmp_path / "home", engine="offline")) as c:
        yield c


def test_the_review_lists_each_item_once_with_its_due_date(coach: Coach) -> None:
    agenda = coach.draft_agenda(context=_context())
    review = next(b for b in agenda.blocks if b.name == PROGRESS_REVIEW).items
    text = " ".join(review)
    for owner, action, due in ITEMS:
        assert text.count(action) == 1, (action, review)  # once, not again in a notes quote
        line = next(i for i in review if action in i)
        assert line.startswith(f"{owner}: ")
        if due is None:
            assert "due" not in line, line
        elif due < TODAY:
            assert line.endswith(f"(overdue since {due.isoformat()})"), line
        else:
            assert line.endswith(f"(due {due.isoformat()})"), line
    # The lead, the items, the mentee's own update and the follow-up: nothing else.
    assert len(review) <= len(ITEMS) + 3, review
    assert not any(quotes_notes(i, NOTES) for i in review), review
    nested = [line for line in _lines(agenda) if NESTED.search(line)]
    assert not nested, nested
    assert any("‘incident commander’" in line for line in _lines(agenda))
    # The prep checklist gives the mentee's items the review's dates, in the same words.
    checklist = " ".join(agenda.prep_checklist)
    overdue = ITEMS[0][2]
    assert overdue is not None and f"overdue since {overdue.isoformat()}" in checklist


def _email_text(path: str) -> str:
    message = BytesParser(policy=policy.default).parsebytes(Path(path).read_bytes())
    body = message.get_body(("plain",))
    assert body is not None
    return " ".join(str(body.get_content()).split())


def test_the_cli_agenda_and_the_email_agree_and_quote_no_notes(
    coach: Coach, tmp_path: Path
) -> None:
    coach.add_pair(
        mentor="Dana Whitfield",
        mentee="Lena Park",
        goals=["Own the on-call rotation"],
        mentor_email="dana@example.org",
        mentee_email="lena@example.org",
        next_session=datetime.now() + timedelta(days=3),
    )
    for n, note in enumerate(NOTES):
        coach.extract_actions(
            note,
            pair_id="dana-lena",
            author="Dana Whitfield",
            session_date=TODAY - timedelta(days=14 - 7 * n),
            save=True,
        )
    with_prep = coach.draft_agenda(pair_id="dana-lena", prep=PREP)
    # `coach agenda` again without --prep: the prep the session's agenda was drafted with.
    again = coach.draft_agenda(pair_id="dana-lena")
    assert again.blocks == with_prep.blocks and again.prep_checklist == with_prep.prep_checklist
    assert any("Topic, from Lena's prep" in i for i in _lines(again)), _lines(again)
    shown = " ".join(_lines(again))
    assert "overloaded" not in shown and "cut out for" not in shown
    # The blocks quote no notes (the checklist quotes the items, shared commitments).
    assert not any(quotes_notes(i, NOTES) for b in again.blocks for i in b.items)
    result = coach.prep_email("dana-lena", out_dir=tmp_path / "outbox")
    mentee, mentor = (_email_text(p) for p in result.drafts)
    actions = [i.action for i in coach.items("dana-lena")]
    for text in (mentee, mentor):
        assert "overloaded" not in text and "cut out for" not in text
        for block in again.blocks:  # the draft agenda in both emails is the CLI's, item by item
            for item in block.items:
                if any(action in item for action in actions):
                    # ... but an open item is listed once, in the open items, in the reader's
                    # words; the agenda points there.
                    assert "The open items listed" in text, item
                else:
                    assert " ".join(item.split()) in text, item
    for line in again.prep_checklist:
        assert " ".join(line.split()) in mentee, line
