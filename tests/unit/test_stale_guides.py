"""A guide edited after it was indexed is not cited as it was: the agenda says to re-index.

trial11 #3: an agenda cited a section of the lead's own guide that the file no longer had.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.api import Coach
from agent.config import Settings
from knowledge.store import KnowledgeBase

GUIDE = """---
title: Writing incident status updates
topics: [on-call]
---
# Writing incident status updates

## When the incident commander asks for an ETA
Give the next update time, not a fix time: "Next update at 14:30; we are testing a rollback."
Say what you know, what you are doing, and when you will speak again.

## Keep updates short
Three lines: impact, action, next update. Avoid guesses about root cause.
"""
PREP = "How do I write a status update when the incident commander asks for an ETA?"
CONTEXT = {
    "mentor": "Dana Whitfield",
    "mentee": "Lena Park",
    "session_number": 3,
    "goals": ["Own the on-call rotation"],
    "prep": PREP,
}


@pytest.fixture
def coach(tmp_path: Path) -> Iterator[Coach]:
    with Coach(Settings(home=tmp_path / "home", engine="offline")) as c:
        yield c


def _cites_guide(coach: Coach) -> tuple[bool, list[str]]:
    agenda = coach.draft_agenda(context=CONTEXT)
    cited = any(c.title == "Writing incident status updates" for c in agenda.citations)
    return cited, agenda.notes


def test_an_edited_guide_is_not_cited_and_the_agenda_says_to_reindex(
    coach: Coach, tmp_path: Path
) -> None:
    guide = tmp_path / "guides" / "status-updates.md"
    guide.parent.mkdir()
    guide.write_text(GUIDE)
    coach.ingest([guide.parent])
    cited, notes = _cites_guide(coach)
    assert cited and not [n for n in notes if "reindex" in n]  # fresh: cited, no note
    guide.write_text(GUIDE.replace("When the incident commander asks for an ETA", "Answering"))
    cited, notes = _cites_guide(coach)
    assert not cited  # its passage is of the file as it was
    said = [n for n in notes if "--reindex" in n]
    assert said == [
        "Your guides changed after they were indexed (status-updates.md): run "
        "`coach ingest --reindex` so agendas cite them as they are now."
    ]
    coach.reindex()
    cited, notes = _cites_guide(coach)
    assert not [n for n in notes if "reindex" in n]
    assert coach.knowledge.stale_guides() == {}


def test_a_guide_ingested_before_passages_carried_urls_is_stale(
    small_kb: KnowledgeBase, tmp_path: Path
) -> None:
    guide = tmp_path / "g.md"
    guide.write_text(GUIDE)
    small_kb.ingest([guide])
    assert small_kb.stale_guides() == {}
    rows = small_kb.collection.get(
        where={"source_key": str(guide.resolve())},
        include=["metadatas", "documents", "embeddings"],
    )
    small_kb.collection.delete(ids=rows["ids"])
    small_kb.collection.add(  # as schema 1 wrote them: no "url"
        ids=rows["ids"],
        documents=rows["documents"],
        embeddings=rows["embeddings"],
        metadatas=[{k: v for k, v in m.items() if k != "url"} for m in rows["metadatas"]],
    )
    small_kb._lexical = None
    stale = small_kb.stale_guides()
    assert list(stale) == [str(guide.resolve())] and len(stale[str(guide.resolve())]) == 2
