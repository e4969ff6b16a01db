"""Pair records and threads in PostgreSQL (COACH_DATABASE_URL) behave as in SQLite."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.api import Coach
from agent.config import Settings
from agent.errors import NotFoundError

pytestmark = pytest.mark.integration


def test_pairs_items_threads_and_forget_in_postgres(postgres_url: str, tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", database_url=postgres_url, engine="offline")
    with Coach(settings) as coach:
        pair = coach.add_pair(mentor="Ana Silva", mentee="Ben Okafor", goals=["Lead a review"])
        coach.extract_actions(
            "Ben: I'll draft the RFC by Friday.",
            pair_id=pair.id,
            session_date="2026-11-18",
            save=True,
        )  # type: ignore[arg-type]
        reply = coach.chat("Why didn't you finish the chapter again?", pair_id=pair.id)
    with Coach(settings) as again:  # a new process would see the same
        assert [p.id for p in again.list_pairs()] == [pair.id]
        assert [i.action for i in again.items(pair.id)] == ["Draft the RFC"]
        assert len(again.history(reply.thread)) == 2
        report = again.forget_pair(pair.id)
        assert (report.items, report.threads) == (1, 1)
        assert again.history(reply.thread) == []
        with pytest.raises(NotFoundError):
            again.get_pair(pair.id)


def test_a_missing_database_is_named_and_the_password_never_shown(
    postgres_url: str, tmp_path: Path
) -> None:
    from agent.errors import CoachError

    where = postgres_url.split("@", 1)[1].rsplit("/", 1)[0]
    url = postgres_url.replace("coach@", "coach:hunter2@").rsplit("/", 1)[0] + "/nodb"
    with pytest.raises(CoachError) as caught:
        Coach(Settings(home=tmp_path / "home", database_url=url, engine="offline")).list_pairs()
    assert str(caught.value) == (
        f"PostgreSQL database 'nodb' does not exist on {where}: create it first"
    )
