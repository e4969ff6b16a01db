"""Session notes stay with whoever wrote them: a prep email never quotes their words."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from agent.api import Coach
from agent.config import Settings
from agent.note_quotes import quotes_notes

NOTES = (
    "Had my third session with Tomasz today. He seemed tired; the release crunch is eating his "
    "evenings. We rehearsed the opening of his design review twice, and it got sharper. Tomasz "
    "to book a dry run of the design review by Friday."
)


@pytest.fixture
def coach(tmp_path: Path) -> Iterator[Coach]:
    with Coach(Settings(home=tmp_path / "home", engine="offline")) as c:
        c.add_pair(
            mentor="Priya Raman",
            mentee="Tomasz Nowak",
            mentor_email="priya@example.org",
            mentee_email="tomasz@example.org",
            next_session=datetime.now() + timedelta(days=3),
        )
        yield c


def test_the_mentors_notes_are_neither_quoted_in_her_agenda_nor_mailed(
    coach: Coach, tmp_path: Path
) -> None:
    coach.extract_actions(
        NOTES,
        pair_id="priya-tomasz",
        author="Priya Raman",
        session_date=date.today() - timedelta(days=4),
        save=True,
    )
    shown = coach.draft_agenda(pair_id="priya-tomasz")
    agenda = " ".join(i for b in shown.blocks for i in b.items)
    # An agenda is shared with both people, and the emails send it: one agenda, no notes
    # quoted in it (trial11 #2: `coach agenda` quoted them, the emails did not).
    assert "rehearsed the opening" not in agenda and "seemed tired" not in agenda
    result = coach.prep_email("priya-tomasz", out_dir=tmp_path / "outbox")
    assert len(result.drafts) == 2
    for path in result.drafts:
        message = BytesParser(policy=policy.default).parsebytes(Path(path).read_bytes())
        body = message.get_body(("plain",))
        assert body is not None
        text = body.get_content()
        assert "seemed tired" not in text and "rehearsed the opening" not in text
        assert "dry run" in text  # the item drawn from the notes is shared; their words are not


def test_a_quote_is_four_words_of_the_notes_in_order() -> None:
    notes = [NOTES]
    assert quotes_notes("From the last session's notes: “He seemed tired.”", notes)
    assert not quotes_notes("Tomasz: book a dry run of the design review", notes)  # no quote
    assert not quotes_notes("Topic: “the design review dry”", ["design review went well"])
