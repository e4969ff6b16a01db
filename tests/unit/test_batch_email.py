"""Prep emails in bulk: one agenda context per pair, repeated searches served once.

Drafts are written in pair order, failures reported, and progress told about every pair.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest

from agent import api, mail
from agent.api import Coach
from agent.config import Settings
from agent.errors import CoachError
from agent.memory import SessionRecord, save_session, sessions_of


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
    original = Coach._agenda_inputs

    def counting(self: Coach, pair: Any, **kwargs: Any) -> Any:
        calls.append(pair.id)
        return original(self, pair, **kwargs)

    monkeypatch.setattr(Coach, "_agenda_inputs", counting)
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


@pytest.mark.parametrize("group", [1, 2, 8])
def test_batch_writes_drafts_in_pair_order_and_reports_failures(
    coach: Coach, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, group: int
) -> None:
    monkeypatch.setattr(api, "EMAIL_GROUP", group)  # pairs sharing one store transaction
    prepare = coach._prepare_email

    def failing_for_cy(pair: Any, *args: Any) -> Any:
        if pair.id == "cy-cy":
            raise CoachError("the guide index is unreadable")
        return prepare(pair, *args)

    monkeypatch.setattr(coach, "_prepare_email", failing_for_cy)
    ticks = Ticks()
    batch = coach.prep_emails_due(timedelta(days=2), out_dir=tmp_path / "out", progress=ticks)
    assert ticks.total == 4 and sorted(ticks.pairs) == ["ana-ana", "cy-cy", "dee-dee", "eve-eve"]
    assert [r.pair_id for r in batch.results] == ["ana-ana", "eve-eve"]
    assert batch.prepared == 2 and [f["pair"] for f in batch.failed] == ["cy-cy"]
    # A pair with no address is skipped, not failed: nothing to send and nothing went wrong.
    assert batch.skipped == [{"pair": "dee-dee", "reason": "no email addresses"}]
    for result in batch.results:
        assert len(result.drafts) == 2
        assert all(Path(d).is_file() and Path(d).stat().st_size > 0 for d in result.drafts)
    assert not list((tmp_path / "out").glob(".*.tmp"))


def _text_part(path: Path) -> str:
    message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


def _message_id(path: Path) -> str:
    return str(BytesParser(policy=policy.default).parsebytes(path.read_bytes())["Message-ID"])


@pytest.fixture
def twins(tmp_path: Path) -> Iterator[Coach]:
    """Two pairs at the same stage with the same goals; their items and notes differ."""
    with Coach(Settings(home=tmp_path / "home", engine="offline")) as c:
        soon = datetime.now() + timedelta(hours=20)
        for name, item in (
            ("Zora", "Port the quokka parser"),
            ("Yuri", "Benchmark the zebu cache"),
        ):
            pair = c.add_pair(
                mentor=f"{name} Mentor",
                mentee=f"{name} Mentee",
                mentor_email=f"{name.lower()}.mentor@example.org",
                mentee_email=f"{name.lower()}.mentee@example.org",
                goals=["Lead a design review"],
                next_session=soon,
            )
            c.pairs.add_items(pair.id, [{"owner": f"{name} Mentee", "action": item}])
            save_session(
                c.store,
                pair.id,
                SessionRecord(
                    number=1,
                    held_on=date.today() - timedelta(days=7),
                    notes=f"{name} Mentee walked through the {item.split()[-2]} work.",
                ),
            )
        yield c


def test_pairs_at_the_same_stage_each_get_their_own_agenda_and_email(
    twins: Coach, tmp_path: Path
) -> None:
    batch = twins.prep_emails_due(timedelta(days=2), out_dir=tmp_path / "out")
    assert batch.prepared == 2 and not batch.failed
    own = {"zora-zora": "quokka parser", "yuri-yuri": "zebu cache"}
    for result in batch.results:
        other = next(p for p in own if p != result.pair_id)
        other_name = other.split("-")[0].capitalize()
        assert result.session == 2
        for draft in result.drafts:
            text = _text_part(Path(draft))
            assert own[result.pair_id] in text
            assert own[other] not in text and other_name not in text
        planned = [r for r in sessions_of(twins.store, result.pair_id) if r.number == 2]
        assert planned and planned[0].agenda is not None
        agenda = json.dumps(planned[0].agenda)
        assert own[other] not in agenda and other_name not in agenda
    # Building a message leaves no memo behind for the next pair's build.
    assert mail._MEMO.get() is None


def test_an_interrupted_batch_leaves_only_whole_drafts_that_forget_removes(
    twins: Coach, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    real_replace = os.replace

    def crash_on_second_pair(src: Any, dst: Any) -> None:
        if Path(dst).name.startswith("yuri"):  # the second pair's drafts: the process dies
            raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", crash_on_second_pair)
    with pytest.raises(KeyboardInterrupt):
        twins.prep_emails_due(timedelta(days=2), out_dir=out)
    monkeypatch.setattr(os, "replace", real_replace)
    drafts = sorted(out.glob("*.eml"))
    assert [d.name for d in drafts] == ["zora-zora-s2-mentee.eml", "zora-zora-s2-mentor.eml"]
    assert not list(out.glob(".*.tmp"))  # no half-written draft under any name
    ids = {d.name: _message_id(d) for d in drafts}
    for draft in drafts:
        assert (
            _text_part(draft)
            .rstrip()
            .endswith("Prepared by session-coach for Zora Mentor and Zora Mentee.")
        )
    # A rerun prepares every pair; the same meeting keeps the same Message-ID.
    again = twins.prep_emails_due(timedelta(days=2), out_dir=out)
    assert [r.pair_id for r in again.results] == ["zora-zora", "yuri-yuri"]
    assert {name: _message_id(out / name) for name in ids} == ids
    assert len(list(out.glob("*.eml"))) == 4
    # Every draft on disk is one `pair forget` knows about.
    assert twins.forget_pair("zora-zora").drafts == 2
    assert twins.forget_pair("yuri-yuri").drafts == 2
    assert not list(out.iterdir())
