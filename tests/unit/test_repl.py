"""`coach chat` driven end to end through its real stdin and stdout, in a subprocess."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

COACH = [sys.executable, "-m", "agent.cli"]


def chat(home: Path, stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COACH_HOME": str(home)}
    return subprocess.run(
        [*COACH, "chat", *args],
        cwd=home.parent,  # /email writes its drafts to ./outbox
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        check=False,
    )


def ana_and_ben(tmp_path: Path) -> Path:
    """A coach home holding the pair ana-ben, added through the CLI."""
    home = tmp_path / "home"
    subprocess.run(
        [*COACH, "pair", "add", "--mentor", "Ana Silva", "--mentee", "Ben Okafor"],
        env={**os.environ, "COACH_HOME": str(home)},
        check=True,
        capture_output=True,
        timeout=120,
    )
    return home


def test_chat_routes_text_runs_slash_commands_and_survives_a_restart(tmp_path: Path) -> None:
    home = tmp_path / "home"
    first = chat(
        home,
        "Why didn't you finish the chapter again?\n/help\nmy mentee nods along but nothing sticks\n"
        "/agenda\n/email\n/frobnicate\n/quit\n",
    )
    assert first.returncode == 0, first.stderr
    out = first.stdout
    assert "offline engine" in out
    assert "That reads as judgemental" in out and "chapter" in out
    assert "/reframe TEXT" in out  # /help
    assert "/agenda needs a pair" in out
    assert "/email needs a pair" in out
    assert "unknown command /frobnicate" in out
    assert "bye" in out and first.stderr == ""

    second = chat(home, "/history\n")  # ends with EOF (Ctrl-D)
    assert second.returncode == 0, second.stderr
    assert "Resuming conversation" in second.stdout
    preview = second.stdout.split("Last:\n", 1)[1].split("\nyou> ", 1)[0].splitlines()
    assert len(preview) == 2 and all(len(line) <= 212 for line in preview)
    cut = preview[1].removesuffix(" …")
    assert cut != preview[1]  # the coach's long reply is cut, at a word:
    last_word = cut.split()[-1]
    assert f" {last_word} " in second.stdout.split("you> /history", 1)[1]
    assert "user> Why didn't you finish the chapter again?" in second.stdout
    assert "user> my mentee nods along but nothing sticks" in second.stdout

    fresh = chat(home, "/history\n", "--new")
    assert "Resuming" not in fresh.stdout and "user>" not in fresh.stdout


def test_chat_with_unknown_pair_is_a_one_line_error(tmp_path: Path) -> None:
    result = chat(tmp_path / "home", "", "--pair", "ghost")
    assert result.returncode == 2
    assert result.stderr.strip() == "coach: error: no pair with id 'ghost' (see `coach pair list`)"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_leaves_cleanly(tmp_path: Path) -> None:
    env = {**os.environ, "COACH_HOME": str(tmp_path / "home")}
    proc = subprocess.Popen(
        [*COACH, "chat"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    banner = proc.stdout.readline()
    assert "session-coach chat" in banner
    time.sleep(0.5)  # let it block in input()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert "bye" in out and "Traceback" not in err


def test_chat_with_a_pair_drafts_agendas_and_saves_items(tmp_path: Path) -> None:
    home = ana_and_ben(tmp_path)
    notes = tmp_path / "notes.md"
    notes.write_text("Ben: I'll draft the RFC by Friday.\nAna: I'll send the checklist tomorrow.\n")
    bad = f"/actions {notes} 2026-13-45\n/actions {tmp_path}\n/actions {notes} 12/09/2026\n"
    script = bad + f"/actions {notes} save\n/items\n/agenda\n/quit\n"
    result = chat(home, script, "--pair", "ana-ben")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "- Ben Okafor: Draft the RFC" in out
    assert out.count("Draft the RFC") >= 3  # extracted, listed, carried into the agenda
    assert "Progress review" in out and "Agenda (a regular session, 60 minutes)" in out
    # A bad date or a folder is a one-line error and the chat carries on (it crashed before).
    assert "error: '2026-13-45' is not a date YYYY-MM-DD" in out
    assert "error: '12/09/2026' is not a date YYYY-MM-DD" in out
    assert "is a folder; give one notes file" in out
    assert f"you> /actions {notes} save\n- Ben Okafor: Draft the RFC" in out


EMAILS = ("--mentor-email", "ana@example.org", "--mentee-email", "ben@example.org")


def test_email_inside_chat_writes_the_pairs_drafts(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "COACH_HOME": str(home)}
    subprocess.run(
        [*COACH, "pair", "add", "--mentor", "Ana Silva", "--mentee", "Ben Okafor", *EMAILS],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    result = chat(home, "/email\nplease send the prep emails\n/quit\n", "--pair", "ana-ben")
    assert result.returncode == 0, result.stderr
    drafts = sorted((tmp_path / "outbox").glob("*.eml"))
    assert len(drafts) == 2
    assert "Session 1 prep for ana-ben:" in result.stdout
    assert all(f"draft: {d}" in result.stdout or d.name in result.stdout for d in drafts)
    # Free text says where emails are made; on a pair, not "use `coach chat --pair ID`",
    # which sent the user in a circle.
    assert "Type /email to write ana-ben's prep emails" in result.stdout
    assert "--pair ID" not in result.stdout
    assert "later version" not in result.stdout


def test_simulate_inside_chat(tmp_path: Path) -> None:
    home = ana_and_ben(tmp_path)
    script = (
        "/simulate checkout-incident-2am\n"
        "/clarify Is anyone else awake?\n"
        "idk\n"
        "I would roll back my deploy first and post an update in the on-call channel.\n"
        "Next week I'm on call for the payments team for the first time.\n"
        "/items\n/history\n/quit\n"
    )
    result = chat(home, script, "--pair", "ana-ben")
    assert result.returncode == 0, result.stderr
    out, history = result.stdout.split("you> /history\n", 1)
    assert "Checkout failing at 2 a.m." in out  # the outline
    # Asked again after the question and after "idk": only what is new is printed.
    assert out.count("It's 2 a.m. and you're on call") == 1
    assert "you> /clarify Is anyone else awake?\nsim> Q: Is anyone else awake?" in out
    assert "you> idk\nsim> Not knowing is fine" in out
    assert "How it was handled in this starter scenario" in out  # revealed after the approach
    assert "Your plan (saved as action items)" in out
    assert out.count("Ben Okafor:") >= 2  # /items lists the plan's steps
    # The conversation's history holds the simulation run inside it (it held nothing).
    assert "user> /simulate checkout-incident-2am\ncoach> " in history
    assert "user> /clarify Is anyone else awake?\ncoach> Q: Is anyone else awake?" in history
    assert "user> I would roll back my deploy first" in history
    assert history.count("It's 2 a.m. and you're on call") == 1


def test_done_marks_an_item_and_an_overlong_message_is_refused(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "COACH_HOME": str(home)}

    def coach(*args: str) -> str:
        done = subprocess.run(
            [*COACH, *args], env=env, check=True, capture_output=True, text=True, timeout=120
        )
        return done.stdout

    coach("pair", "add", "--mentor", "Ana Silva", "--mentee", "Ben Okafor")
    notes = tmp_path / "notes.md"
    notes.write_text("Ben: I'll draft the RFC by Friday.\nAna: I'll send the checklist tomorrow.\n")
    coach("actions", str(notes), "--pair", "ana-ben", "--save")
    listed = json.loads(coach("actions", "list", "--pair", "ana-ben", "--json"))["items"]
    rfc = next(i["id"] for i in listed if "RFC" in i["action"])
    long = "my mentee keeps missing deadlines and " * 300  # routed as an items request before
    script = f"/done {rfc}\n/done {rfc}\n/done\n/items\n{long}\n/quit\n"
    out = chat(home, script, "--pair", "ana-ben").stdout
    assert f"you> /done {rfc}\nDone: Draft the RFC" in out
    assert "Already done: Draft the RFC" in out and "usage: /done ITEM" in out
    listed = out.split("you> /items\n", 1)[1].split("you> ", 1)[0]
    assert "Send the checklist" in listed and "RFC" not in listed
    assert f"error: the message is {len(long.strip()):,} characters; the limit is 4,000" in out
    assert [
        i["status"]
        for i in json.loads(coach("actions", "list", "--pair", "ana-ben", "--all", "--json"))[
            "items"
        ]
        if i["id"] == rfc
    ] == ["done"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX terminals")
def test_ctrl_c_at_a_terminal_clears_the_line_and_stays(tmp_path: Path) -> None:
    import pty
    import select

    env = {**os.environ, "COACH_HOME": str(tmp_path / "home")}
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [*COACH, "chat"], stdin=follower, stdout=follower, stderr=follower, env=env
    )
    os.close(follower)
    seen = b""

    def read_until(marker: bytes, timeout: float = 120) -> None:
        nonlocal seen
        end = time.monotonic() + timeout
        while marker not in seen and time.monotonic() < end:
            if select.select([leader], [], [], 0.5)[0]:
                try:
                    seen += os.read(leader, 4096)
                except OSError:
                    break

    try:
        read_until(b"you> ")
        os.write(leader, b"half a thou")
        time.sleep(0.5)
        # What the terminal sends for Ctrl-C; sent again if a loaded machine lost it.
        for _ in range(5):
            proc.send_signal(signal.SIGINT)
            read_until(b"line cleared", timeout=10)
            if b"line cleared" in seen:
                break
        os.write(leader, b"/thread\r")
        read_until(b"thread chat-")
        os.write(leader, b"/quit\r")
        assert proc.wait(timeout=60) == 0
        read_until(b"bye")
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(leader)
    text = seen.decode(errors="replace")
    assert "line cleared; /quit or Ctrl-D leaves" in text
    assert "thread chat-" in text and "bye" in text
    assert "coach>" not in text  # the cleared half line was never sent


def test_a_simulation_left_in_chat_is_resumed_by_simulate(tmp_path: Path) -> None:
    home = ana_and_ben(tmp_path)
    first = chat(home, "/simulate checkout-incident-2am\nidk\n", "--pair", "ana-ben")
    assert first.returncode == 0, first.stderr
    attempt = "I would roll back my deploy first and post an update in the on-call channel."
    second = chat(home, f"/simulate\n{attempt}\n/quit\n", "--pair", "ana-ben")
    assert second.returncode == 0, second.stderr
    out = second.stdout
    # Leaving chat lost the run: /simulate started it again from the outline.
    assert "You left a simulation unfinished: /simulate resumes it" in out
    assert "sim> (the simulation you left, where you stopped)" in out
    assert "How it was handled in this starter scenario" in out  # the attempt was taken


def test_chat_commands_take_quoted_paths_and_say_what_is_missing(tmp_path: Path) -> None:
    home = ana_and_ben(tmp_path)
    notes = tmp_path / "session notes.md"
    notes.write_text("Ben: I'll draft the RFC by Friday.\n", encoding="utf-8")
    script = f'/history\n/search\n/actions "{notes}" 2026-12-07 sav\n/actions "{notes}"\n/quit\n'
    out = chat(home, script, "--pair", "ana-ben", "--new").stdout
    assert "you> /history\nNothing said in this conversation yet." in out  # it printed nothing
    assert "you> /search\nusage: /search TEXT" in out
    assert "error: 'sav' is not understood here" in out
    assert "- Ben Okafor: Draft the RFC" in out  # a path with a space, quoted


def test_thanks_gets_a_friendly_word_and_an_empty_chat_has_nothing_to_resume(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    done = chat(home, "thanks!\nbye\n/quit\n")
    assert done.returncode == 0, done.stderr
    # "thanks!" got the generic "I coach mentoring pairs. Try: ..." help.
    assert "coach> You're welcome!" in done.stdout
    assert "coach> Bye for now" in done.stdout
    assert "I coach mentoring pairs" not in done.stdout
    assert "resume with: coach chat --thread" in done.stdout
    # Left without a word: "resume with" offered a thread holding nothing.
    empty = chat(home, "/quit\n", "--new")
    assert empty.returncode == 0, empty.stderr
    assert empty.stdout.rstrip().endswith("bye") and "resume with" not in empty.stdout
    # A long message that thanks and asks is still answered as the question it is.
    asked = chat(home, "thanks, and how do I give feedback to a quiet mentee?\n/quit\n", "--new")
    assert "You're welcome" not in asked.stdout


def test_ask_answers_ordinary_guide_questions_with_cited_passages(tmp_path: Path) -> None:
    # trial11 #5 reported /ask refusing "how do I give feedback on a late PR?".
    questions = [
        "how do I give feedback on a late PR?",
        "how do I give feedback on a late PR when he keeps making excuses?",
        "how often should we meet?",
    ]
    asked = "".join(f"/ask {q}\n" for q in questions)
    done = chat(ana_and_ben(tmp_path), asked, "--pair", "ana-ben")
    assert done.returncode == 0, done.stderr
    replies = done.stdout.split("coach> ")[1:]
    assert len(replies) == len(questions), done.stdout
    for question, reply in zip(questions, replies, strict=True):
        assert reply.startswith("Here is what the guides suggest for"), reply
        assert question.rstrip("?") in reply and reply.count("\n• ") >= 2, reply
        assert "don't cover" not in reply


def test_items_for_one_person_list_only_theirs(tmp_path: Path) -> None:
    # "what's still open for tomek?" listed the mentor's items too (round-twelve trial).
    home = ana_and_ben(tmp_path)
    env = {**os.environ, "COACH_HOME": str(home)}
    notes = tmp_path / "notes.md"
    notes.write_text("Ben: draft the RFC by Friday\nAna: send the review checklist\n")
    subprocess.run(
        [*COACH, "actions", str(notes), "--pair", "ana-ben", "--save"],
        env=env, check=True, capture_output=True, timeout=180,
    )
    script = "what's still open for ben?\n/items ana\n/items carla\n/quit\n"
    out = chat(home, script, "--pair", "ana-ben").stdout
    for_ben = out.split("open for ben?\n", 1)[1].split("you> ", 1)[0]
    assert "Draft the RFC" in for_ben and "checklist" not in for_ben
    for_ana = out.split("you> /items ana\n", 1)[1].split("you> ", 1)[0]
    assert "checklist" in for_ana and "RFC" not in for_ana
    assert "/items: 'carla' is neither Ana nor Ben; /items alone lists everyone's" in out


def test_asking_what_is_owed_lists_the_items_and_flags_overdue(tmp_path: Path) -> None:
    home = ana_and_ben(tmp_path)
    notes = tmp_path / "notes.md"
    notes.write_text("Ben: I'll draft the RFC by 20 Nov.\nAna: I'll book the review room.\n")
    script = f"/actions {notes} 2025-11-13 save\nwhat does Ben still owe me?\n/items\n/quit\n"
    result = chat(home, script, "--pair", "ana-ben")
    assert result.returncode == 0, result.stderr
    asked = result.stdout.split("you> what does Ben still owe me?\n", 1)[1].split("you> ")[0]
    assert "Ben Okafor: Draft the RFC (due 2025-11-20, overdue)" in asked, asked
    assert "Book the review room" not in asked  # Ana's
    listed = result.stdout.split("you> /items\n", 1)[1].split("you> ", 1)[0]
    assert "Draft the RFC (due 2025-11-20, overdue)" in listed, listed
    assert "Book the review room" in listed and listed.count("overdue") == 1


def test_the_api_chat_points_an_items_question_to_the_items(tmp_path: Path) -> None:
    from agent.api import Coach
    from agent.config import Settings

    with Coach(Settings(home=tmp_path / "home", engine="offline")) as coach:
        coach.add_pair(mentor="Ana Silva", mentee="Ben Okafor")
        reply = coach.chat("what does Ben still owe me?", pair_id="ana-ben")
    # It was told to save notes to a file, as if it had asked to extract items.
    assert reply.intent == "actions" and "Type /items to see ana-ben's open" in reply.reply
