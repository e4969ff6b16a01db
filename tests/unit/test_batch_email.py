"""Prep emails in bulk: one agenda context per pair, repeated searches served once.

Drafts are written in pair order, failures reported, and progress told about every pair.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from agent.api import Coach
from agent.config import Settings


@pytest.fixture(scope="module")
def coach(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Coach]:
    home = tmp_path_factory.mktemp("batch")
    with Coach(Settings(home=home, engine="offline")) as c:
        soon = datetime.now() + timedelta(hours=20)
        for name in ("Ana", "Cy", "Eve"):
            c.add_pair(
                mentor=f"{name} Mentor",
                mentee=f"{name} Mentee",
                mentor_email=f"{name.lower()}.mentor@example.org",
                mentee_email=f"{name.lower()}.mentee@example.org",
                goals=["Lead a design review"],
                next_session=soon,
            )
        c.add_pair(mentor="Dee Mentor", mentee="Dee Mentee", next_session=soon)  # no emails
        yield c


def test_one_agenda_context_per_email(
    coach: Coach, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    original = Coach.agenda_context

    def counting(self: Coach, pair_id: str, **kwargs: Any) -> Any:
        calls.append(pair_id)
        return original(self, pair_id, **kwargs)

    monkeypatch.setattr(Coach, "agenda_context", counting)
    result = coach.prep_email("ana-ana", out_dir=tmp_path)
    assert calls == ["ana-ana"] and len(result.drafts) == 2


def test_pairs_asking_the_same_questions_search_the_store_once(
    coach: Coach, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    collection = coach.knowledge.collection
    queries: list[Any] = []
    original = collection.query

    def counting(**kwargs: Any) -> Any:
        queries.append(kwargs)
        return original(**kwargs)

    monkeypatch.setattr(collection, "query", counting)
    coach.prep_email("ana-ana", out_dir=tmp_path)  # same goals and stage as cy-cy
    before = len(queries)
    second = coach.prep_email("cy-cy", out_dir=tmp_path)
    assert len(queries) == before and second.drafts


class Ticks:
    """A batch progress hook that records what it is told."""

    def __init__(self) -> None:
        self.total: int | None = None
        self.pairs: list[str] = []

    def start(self, total: int) -> None:
        self.total = total

    def __call__(self, pair_id: str) -> None:
        self.pairs.append(pair_id)


def test_batch_writes_drafts_in_pair_order_and_reports_failures(
    coach: Coach, tmp_path: Path
) -> None:
    ticks = Ticks()
    batch = coach.prep_emails_due(timedelta(days=2), out_dir=tmp_path / "out", progress=ticks)
    assert ticks.total == 4 and sorted(ticks.pairs) == ["ana-ana", "cy-cy", "dee-dee", "eve-eve"]
    assert [r.pair_id for r in batch.results] == ["ana-ana", "cy-cy", "eve-eve"]
    assert batch.prepared == 3 and [f["pair"] for f in batch.failed] == ["dee-dee"]
    for result in batch.results:
        assert len(result.drafts) == 2
        assert all(Path(d).is_file() and Path(d).stat().st_size > 0 for d in result.drafts)
    assert not list((tmp_path / "out").glob(".*.tmp"))
