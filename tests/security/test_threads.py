"""Items 1, 4 and 5: chat storage grows linearly, forget removes everything, threads are owned."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from agent.api import Coach
from agent.cli import run
from agent.config import Settings
from agent.errors import NotFoundError, UserInputError
from agent.threads import THREADS, ThreadBusyError, Threads
from knowledge.store import KnowledgeBase

TURNS = ["hello there", "thanks, that helps", "what can you do?", "ok, see you soon"]


def _db_bytes(path: Path) -> int:
    """The database's size with the WAL folded in (what a long chat leaves on disk)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


# -- 1. constant growth per chat turn ---------------------------------------------------------
def test_chat_storage_grows_by_a_constant_amount_per_turn(coach: Coach) -> None:
    db = coach.settings.sqlite_path
    reply = coach.chat(TURNS[0])
    sizes: dict[int, int] = {}
    for turn in range(1, 131):
        coach.chat(TURNS[turn % len(TURNS)], thread=reply.thread)
        if turn in (10, 50, 90, 130):
            sizes[turn] = _db_bytes(db)
    early, late = sizes[50] - sizes[10], sizes[130] - sizes[90]
    # Quadratic storage (every checkpoint repeating the whole history) makes the last 40
    # turns cost several times the first 40; constant growth keeps them alike.
    assert late <= 1.5 * early + 65_536, (early, late)
    assert late / 40 < 16_384  # bytes per turn: 1,000 turns stay far under 50 MB
    # (bench/bench_chat_growth.py runs 1,000 turns; the figure is in docs/BENCHMARKS.md)
    checkpoints = (
        sqlite3.connect(db)
        .execute("SELECT count(*) FROM checkpoints WHERE thread_id = ?", (reply.thread,))
        .fetchone()[0]
    )
    assert checkpoints == 1


def test_a_long_chat_resumes_with_its_recent_history(
    tmp_path: Path, shipped_kb: KnowledgeBase
) -> None:
    settings = Settings(home=tmp_path / "home", engine="offline")
    with Coach(settings, knowledge=shipped_kb) as first:
        thread = first.chat("hello there").thread
        for n in range(30):
            first.chat(f"message number {n}", thread=thread)
    with Coach(settings, knowledge=shipped_kb) as second:  # as after a restart
        history = second.history(thread)
        assert second.latest_thread(None) == thread
        second.chat("and one more", thread=thread)
        assert len(second.history(thread)) == 64
    assert len(history) == 62
    assert history[-2] == {"role": "user", "content": "message number 29"}
    assert history[-1]["role"] == "coach" and history[-1]["content"]


def test_a_chat_from_before_keeps_its_history(coach: Coach) -> None:
    thread = coach.chat("hello there").thread
    old = coach.history(thread)
    # As an older version left it: the history only in the checkpoint, no line count.
    coach.store.put(THREADS, thread, {"pair_id": None, "kind": "chat", "updated_at": ""})
    coach.threads.clear_history(thread)
    assert coach.history(thread) == old  # read from the checkpoint
    coach.chat("thanks, that helps", thread=thread)
    assert coach.history(thread)[:2] == old and len(coach.history(thread)) == 4


# -- 4. forget removes drafts and every thread ------------------------------------------------
@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> int:
    """Store pages of 25 rows, so a few dozen threads cross many page boundaries."""
    monkeypatch.setattr("agent.threads._PAGE", 25)
    monkeypatch.setattr("agent.memory._PAGE", 25)
    return 25


def test_forget_removes_every_thread_past_any_page_size(coach: Coach, small_pages: int) -> None:
    pair = coach.add_pair(mentor="Ana Silva", mentee="Ben Okafor")
    other = coach.add_pair(mentor="Cy Park", mentee="Di Ng")
    kept = coach.new_thread(other.id)
    threads = [coach.new_thread(pair.id) for _ in range(4 * small_pages + 3)]
    coach.store.put(THREADS, "chat-unlisted", {"pair_id": pair.id, "kind": "chat"})
    threads.append("chat-unlisted")  # known only to the thread registry
    coach.chat("hello there", thread=threads[-2], pair_id=pair.id)
    assert coach.latest_thread(pair.id) == threads[-2]
    report = coach.forget_pair(pair.id)
    assert report.threads == len(threads)
    assert coach.history(threads[-2]) == []
    assert not any(coach.thread_exists(t) for t in threads)
    assert coach.latest_thread(pair.id) is None
    assert coach.thread_exists(kept) and coach.latest_thread(other.id) == kept


def test_latest_thread_is_found_past_any_page_size(coach: Coach, small_pages: int) -> None:
    for _ in range(3 * small_pages):
        coach.new_thread(None)
    pair = coach.add_pair(mentor="Ana Silva", mentee="Ben Okafor")
    mine = coach.new_thread(pair.id)
    for _ in range(3 * small_pages):
        coach.new_thread(None)
    assert coach.latest_thread(pair.id) == mine
    # A store written before the latest-thread pointer existed is scanned page by page.
    coach.store.delete(("latest_thread",), f"chat:{pair.id}")
    assert coach.latest_thread(pair.id) == mine
    assert not any("limit=1000" in line for line in Path("agent/api.py").read_text().splitlines())


def test_forget_removes_the_pairs_drafts_wherever_written(coach: Coach, tmp_path: Path) -> None:
    from datetime import datetime, timedelta

    soon = datetime.now() + timedelta(days=1)
    pair = coach.add_pair(
        mentor="Ana Silva",
        mentee="Ben Okafor",
        next_session=soon,
        mentor_email="ana@example.org",
        mentee_email="ben@example.org",
    )
    other = coach.add_pair(mentor="Cy Park", mentee="Di Ng", mentor_email="cy@example.org")
    first = coach.prep_email(pair.id, out_dir=tmp_path / "outbox")
    second = coach.prep_email(pair.id, out_dir=tmp_path / "elsewhere")
    batch = coach.prep_emails_due(timedelta(days=2), out_dir=tmp_path / "batch")
    theirs = coach.prep_email(other.id, out_dir=tmp_path / "outbox")
    drafts = [Path(p) for r in (first, second, *batch.results) for p in r.drafts]
    assert len(drafts) == 6 and all(p.is_file() for p in drafts)
    report = coach.forget_pair(pair.id)
    assert report.drafts == 6
    assert not any(p.exists() for p in drafts)
    assert all(Path(p).is_file() for p in theirs.drafts)


# -- 5. a thread belongs to one pair and one kind ---------------------------------------------
@pytest.fixture
def two_pairs(coach: Coach) -> dict[str, Any]:
    a = coach.add_pair(mentor="Ana Silva", mentee="Ben Okafor")
    b = coach.add_pair(mentor="Cy Park", mentee="Di Ng")
    chat_b = coach.chat("hello there", pair_id=b.id).thread
    sim_a = coach.start_simulation(a.id).thread
    return {"a": a.id, "b": b.id, "chat_b": chat_b, "sim_a": sim_a}


def test_api_refuses_threads_of_another_pair_or_kind(
    coach: Coach, two_pairs: dict[str, Any]
) -> None:
    t = two_pairs
    with pytest.raises(UserInputError, match="does not belong to pair"):
        coach.chat("hello", thread=t["chat_b"], pair_id=t["a"])
    with pytest.raises(UserInputError, match="is a simulation thread"):
        coach.chat("hello", thread=t["sim_a"])
    with pytest.raises(UserInputError, match="is a conversation thread"):
        coach.answer_simulation(t["chat_b"], "my approach")
    with pytest.raises(UserInputError, match="is a conversation thread"):
        coach.show_simulation(t["chat_b"])
    with pytest.raises(UserInputError, match="does not belong to pair"):
        coach.show_simulation(t["sim_a"], pair_id=t["b"])
    with pytest.raises(NotFoundError):
        coach.answer_simulation("sim-unknown", "x")
    # The refused calls changed nothing: B's thread has its own turn only.
    assert len(coach.history(t["chat_b"])) == 2
    assert coach.show_simulation(t["sim_a"], pair_id=t["a"]).step == "approach"


def test_cli_refuses_threads_of_another_pair_or_kind(
    tmp_path: Path,
    shipped_kb: KnowledgeBase,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with Coach(Settings(home=tmp_path / "home", engine="offline"), knowledge=shipped_kb) as coach:
        a = coach.add_pair(mentor="Ana Silva", mentee="Ben Okafor")
        b = coach.add_pair(mentor="Cy Park", mentee="Di Ng")
        chat_b = coach.chat("hello there", pair_id=b.id).thread
        sim_a = coach.start_simulation(a.id).thread
    monkeypatch.setattr("sys.stdin", open("/dev/null"))  # noqa: SIM115
    cases = [
        (["chat", "--pair", a.id, "--thread", chat_b], "does not belong to pair"),
        (["chat", "--thread", sim_a], "is a simulation thread"),
        (["simulate", "show", "--thread", chat_b], "is a conversation thread"),
        (["simulate", "answer", "--thread", chat_b, "my approach"], "is a conversation thread"),
        (["simulate", "show", "--thread", sim_a, "--pair", b.id], "does not belong to pair"),
        (["simulate", "answer", "--thread", sim_a, "--pair", b.id, "x"], "does not belong"),
    ]
    for args, message in cases:
        code = run(args)
        out, err = capsys.readouterr()
        assert code == 2, (args, err)
        assert err.count("\n") == 1 and message in err and out == ""


def test_two_answers_at_once_one_wins_and_the_other_is_told(
    coach: Coach, two_pairs: dict[str, Any]
) -> None:
    thread = two_pairs["sim_a"]
    threads = Threads(coach.store, coach.settings.home / "locks")
    # Another process is answering right now (the lock is per open file, so this holder
    # stands in for one):
    with threads.writing(thread), pytest.raises(ThreadBusyError, match="another coach"):
        coach.answer_simulation(
            thread, "I would roll back the deploy first and tell the on-call channel."
        )
    assert coach.show_simulation(thread).approach is None  # nothing half-written
    coach.answer_simulation(
        thread, "I would roll back the deploy first and tell the on-call channel."
    )
    assert (
        coach.show_simulation(thread).approach
        == "I would roll back the deploy first and tell the on-call channel."
    )


ANSWER = """
import sys, time
from agent.api import Coach
from agent.config import Settings
from agent.errors import CoachError
start = float(sys.argv[3])
with Coach(Settings(home=sys.argv[1], engine="offline")) as coach:
    coach.pairs.get("ana-ben")  # stores open before the race starts
    while time.time() < start:
        time.sleep(0.002)
    try:
        turn = coach.answer_simulation(sys.argv[2], sys.argv[4])
        print("ok", turn.step)
    except CoachError as exc:
        print("error", exc)
"""


def test_two_processes_answering_one_simulation(tmp_path: Path) -> None:
    import time

    home = tmp_path / "home"
    with Coach(Settings(home=home, engine="offline")) as coach:
        coach.add_pair(mentor="Ana Silva", mentee="Ben Okafor")
        thread = coach.start_simulation("ana-ben").thread
    start = str(time.time() + 6.0)
    # Full answers: a one-step answer under ten words is asked once for more (round fourteen).
    answers = [
        "I would roll back the deploy first, then tell the on-call channel what I did.",
        "I would page the on-call lead and post an update in the incident channel.",
    ]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", ANSWER, str(home), thread, start, text],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for text in answers
    ]
    outs = [p.communicate(timeout=240)[0].strip() for p in procs]
    assert sorted(o.split()[0] for o in outs) == ["error", "ok"], outs
    loser = next(o for o in outs if o.startswith("error"))
    assert "another coach process" in loser
    with Coach(Settings(home=home, engine="offline")) as coach:
        view = coach.show_simulation(thread)
    winner = answers[[o.startswith("ok") for o in outs].index(True)]
    assert view.approach == winner
