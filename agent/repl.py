"""The ``coach chat`` REPL: slash commands for each capability, free text routed by intent."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from agent.errors import CoachError, UserInputError
from agent.state import Intent
from knowledge.models import subsection

if TYPE_CHECKING:
    from agent.api import Coach
    from agent.models import SimulationTurn

HELP = """Commands:
  /reframe TEXT   make a question curious rather than judgemental
  /questions      questions for the pair's next session
  /ask TEXT       answer from the guides
  /search TEXT    show the guide passages for TEXT
  /agenda [PREP]  draft the pair's next agenda (PREP: the mentee's prep notes)
  /actions FILE [YYYY-MM-DD] [save]   action items from a notes file (save: keep them)
  /items [NAME]   the pair's open action items (NAME: only that person's)
  /done ITEM      mark an item done (its id from /items)
  /simulate [ID]  run the Years of Experience in Months simulation (ID: a scenario);
                  without ID it resumes one you left unfinished, if any.
                  While it runs, plain lines answer it; /clarify Q, /skip, /stop
  /email          write the pair's prep email drafts (to ./outbox; `coach email --send` sends)
  /pair ID        switch to a pair (resumes its latest conversation)
  /history        this conversation so far
  /new            start a new conversation
  /thread         show this conversation's id
  /quit           leave (Ctrl-D works too)
Anything else is read as a message and routed to the right capability."""

_TASKS: dict[str, Intent] = {
    "/reframe": "reframe",
    "/questions": "suggest_questions",
    "/ask": "ask",
    "/agenda": "agenda",
    "/actions": "actions",
    "/simulate": "simulate",
}


def _enable_history(coach: Coach) -> Callable[[], None]:
    """Line editing and a persistent input history when a terminal is attached."""
    if not sys.stdin.isatty():
        return lambda: None
    try:
        import readline
    except ImportError:  # pragma: no cover - Windows without pyreadline
        return lambda: None
    path = coach.settings.home / "chat_history"
    try:
        from agent.files import make_private_file

        make_private_file(path)  # what the user typed is as private as the threads
        if path.stat().st_size:
            readline.read_history_file(str(path))
    except OSError:
        pass

    def save() -> None:
        try:
            readline.set_history_length(1000)
            readline.write_history_file(str(path))
        except OSError:
            pass

    return save


_SIM_KINDS = {"/clarify": "clarify", "/skip": "skip", "/stop": "stop"}


class Repl:
    """State of one chat session: the coach, the pair and the thread."""

    def __init__(self, coach: Coach, pair_id: str | None, thread: str) -> None:
        self.coach = coach
        self.pair_id = pair_id
        self.thread = thread
        self.simulation: str | None = None
        self.shown: list[str] = []  # this step's prompts so far (the first is the situation)

    def say(self, text: str) -> None:
        """Print a coach line."""
        print(text, flush=True)

    def handle(self, line: str) -> bool:
        """Act on one input line; False means leave."""
        command, _, rest = line.partition(" ")
        rest = rest.strip()
        if self.simulation and (not line.startswith("/") or command in _SIM_KINDS):
            self.simulate_reply(
                line if not line.startswith("/") else rest, _SIM_KINDS.get(command, "answer")
            )
        elif not line.startswith("/"):
            self.free_text(line)
        elif command in ("/quit", "/exit"):
            return False
        elif command == "/help":
            self.say(HELP)
        elif command == "/history":
            earlier = self.coach.history(self.thread)
            for said in earlier:
                self.say(f"{said['role']}> {said['content']}")
            if not earlier:
                self.say("Nothing said in this conversation yet.")
        elif command == "/thread":
            self.say(f"thread {self.thread}")
        elif command == "/new":
            self.thread = self.coach.new_thread(self.pair_id)
            self.say(f"new conversation {self.thread}")
        elif command == "/pair":
            if not rest:
                self.say("usage: /pair ID")
            else:
                pair = self.coach.get_pair(rest)
                self.pair_id = pair.id
                self.thread = self.coach.latest_thread(pair.id) or self.coach.new_thread(pair.id)
                self.say(f"now coaching {pair.mentor} and {pair.mentee} (thread {self.thread})")
        elif command == "/search" and not rest:
            self.say("usage: /search TEXT")
        elif command == "/search":
            for rank, passage in enumerate(self.coach.search(rest or "", k=3).results, 1):
                inner = subsection(passage.title, passage.section).split(" > ")[-1]
                heading = f"{passage.title} › {inner}" if inner else passage.title
                link = f"\n   {passage.url}" if passage.url else ""
                self.say(f"{rank}. {heading}\n   {passage.text[:300]}{link}")
        elif command == "/simulate":
            if self.pair_id is None:
                self.say("/simulate needs a pair: /pair ID (or start with coach chat --pair ID)")
            elif not rest and (waiting := self.unfinished_simulation()) is not None:
                self.simulation = waiting.thread
                self.shown = [waiting.prompt]
                self.say(f"sim> (the simulation you left, where you stopped)\n{waiting.prompt}")
            else:
                started = self.coach.start_simulation(self.pair_id, scenario_id=rest or None)
                self.simulation = started.thread
                self.shown = [started.prompt]
                self.say(f"sim> {started.prompt}")
                self.coach.add_history(
                    self.thread,
                    [
                        {"role": "user", "content": line},
                        {"role": "coach", "content": started.prompt},
                    ],
                )
        elif command in ("/agenda", "/actions", "/items", "/email", "/done"):
            self.pair_command(command, rest)
        elif command in _TASKS:
            intent = _TASKS[command]
            if intent in ("reframe", "ask") and not rest:
                self.say(f"usage: {command} TEXT")
            else:
                self.turn(rest or command[1:], intent)
        else:
            self.say(f"unknown command {command}; /help lists them")
        return True

    def unfinished_simulation(self) -> SimulationTurn | None:
        """The pair's latest experience simulation when it is still waiting for an answer."""
        if self.pair_id is None:
            return None
        thread = self.coach.latest_thread(self.pair_id, kind="sim")
        if thread is None:
            return None
        try:
            turn = self.coach.resume_simulation(thread, pair_id=self.pair_id)
        except CoachError:  # being answered in another process, say: not this chat's to resume
            return None
        return None if turn.done or turn.exercise != "experience" else turn

    def simulate_reply(self, text: str, kind: str) -> None:
        """Send a line to the running simulation."""
        assert self.simulation is not None
        turn = self.coach.answer_simulation(self.simulation, text, kind=kind)
        # A step asked again repeats what is still on screen (the situation, earlier answers
        # to questions): print only what is new.
        seen = max((p for p in self.shown if turn.prompt.startswith(p)), key=len, default="")
        added = turn.prompt[len(seen) :].strip()
        self.say(f"sim> {added or turn.prompt}")
        self.shown.append(turn.prompt)
        # The simulation keeps its own thread; the conversation records what was said in it.
        said = text if kind == "answer" else f"/{kind} {text}".strip()
        self.coach.add_history(
            self.thread,
            [{"role": "user", "content": said}, {"role": "coach", "content": added or turn.prompt}],
        )
        if turn.done:
            self.simulation = None

    def pair_command(self, command: str, rest: str) -> None:
        """Commands that work on the current pair's records."""
        if self.pair_id is None:
            self.say(f"{command} needs a pair: /pair ID (or start with coach chat --pair ID)")
            return
        if command == "/done":
            if not rest:
                self.say("usage: /done ITEM (the id in brackets from /items)")
                return
            open_before = {i.id for i in self.coach.items(self.pair_id)}
            item = self.coach.complete_item(self.pair_id, rest)  # the id may be the start of one
            self.say(f"{'Done' if item.id in open_before else 'Already done'}: {item.action}")
        elif command == "/items":
            who = self.person_named(rest)
            if rest.strip() and who is None:
                pair = self.coach.pairs.get(self.pair_id)
                self.say(
                    f"/items: {rest.strip()!r} is neither {pair.called('mentor')} nor "
                    f"{pair.called('mentee')}; /items alone lists everyone's"
                )
                return
            self.list_items(who)
        elif command == "/email":
            emailed = self.coach.prep_email(self.pair_id, out_dir="outbox")
            self.say(
                "\n".join(
                    [f"Session {emailed.session} {emailed.kind} for {emailed.pair_id}:"]
                    + [f"  draft: {path}" for path in emailed.drafts]
                    + [f"  note: {note}" for note in emailed.notes]
                )
            )
        elif command == "/agenda":
            agenda = self.coach.draft_agenda(pair_id=self.pair_id, prep=rest or None)
            from agent.models import STAGE_NAMES

            lines = [f"Agenda ({STAGE_NAMES[agenda.stage]}, {agenda.minutes} minutes)"]
            for block in agenda.blocks:
                lines.append(f"{block.name} — {block.minutes} min")
                lines += [f"  • {item}" for item in block.items]
            self.say("\n".join(lines))
        else:
            import shlex

            try:  # a path with spaces in it can be quoted, as in a shell
                words = shlex.split(rest)
            except ValueError as exc:  # an unclosed quote
                raise UserInputError(f"{exc}; usage: /actions FILE [YYYY-MM-DD] [save]") from None
            if not words:
                self.say("usage: /actions FILE [YYYY-MM-DD] [save]")
                return
            path, extra = words[0], words[1:]
            flag = "save" if "save" in extra else ""
            dates = [word for word in extra if word != "save"]
            if len(dates) > 1:
                raise UserInputError(
                    f"{dates[1]!r} is not understood here; usage: /actions FILE [YYYY-MM-DD] [save]"
                )
            try:
                session = date.fromisoformat(dates[0]) if dates else None
            except ValueError:
                raise UserInputError(
                    f"{dates[0]!r} is not a date YYYY-MM-DD; "
                    "usage: /actions FILE [YYYY-MM-DD] [save]"
                ) from None
            from pathlib import Path

            from agent.notes_file import read_notes

            notes = read_notes(Path(path).expanduser())
            result = self.coach.extract_actions(
                notes,
                pair_id=self.pair_id,
                session_date=session,
                save=flag == "save",
            )
            self.say(
                "\n".join(
                    f"- {i.owner or 'unassigned'}: {i.action}"
                    + (f" (due {i.due})" if i.due else "")
                    for i in result.items
                )
                or "No action items found in these notes."
            )

    def list_items(self, who: tuple[str, str] | None) -> None:
        """The pair's open items; with ``who`` (full name, name as said), only theirs."""
        assert self.pair_id is not None
        items = self.coach.items(self.pair_id)
        if who is not None:
            items = [i for i in items if i.owner == who[0]]
        late = {i.id for i in self.coach.overdue_items(self.pair_id)}
        self.say(
            "\n".join(
                f"[{i.id}] {i.owner or 'unassigned'}: {i.action}"
                + (f" (due {i.due}{', overdue' if i.id in late else ''})" if i.due else "")
                for i in items
            )
            or f"No open action items{f' for {who[1]}' if who else ''}."
        )

    def person_named(self, text: str) -> tuple[str, str] | None:
        """(full name, name as written) of the pair's member ``text`` names, if one."""
        if self.pair_id is None or not text.strip():
            return None
        pair = self.coach.pairs.get(self.pair_id)
        words = re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", text)
        for n in (2, 1):  # "Tomasz Wiśniewski" before "Tomasz"
            for at in range(len(words) - n + 1):
                said = " ".join(words[at : at + n])
                named = pair.members_named(said)
                if len(named) == 1:
                    return named[0], said
        return None

    def free_text(self, line: str) -> None:
        """Route free text; agenda and item requests use the current pair's records."""
        from agent.api import _require_text
        from agent.offline.intent import classify_intent

        _require_text(line, "message")  # the chat's own check, whatever the line is routed to

        intent = classify_intent(line)
        if self.pair_id and intent == "agenda":
            self.pair_command("/agenda", "")
        elif self.pair_id and intent == "actions" and not re.search(r"\.(md|txt)\b", line):
            self.list_items(self.person_named(line))  # "what's still open for tomek?"
        else:
            self.turn(line, None)

    def turn(self, text: str, task: Intent | None) -> None:
        """Send one message through the graph and print the reply."""
        reply = self.coach.chat(text, thread=self.thread, pair_id=self.pair_id, task=task)
        self.say(f"coach> {reply.reply}")


def _preview(text: str, limit: int = 200) -> str:
    """The start of an earlier line, cut at a word ("…" when cut), on one line."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0].rstrip(" ,;:") + " …"


def run_repl(coach: Coach, *, pair_id: str | None, thread: str | None, new: bool) -> None:
    """Run the REPL on stdin/stdout until /quit or Ctrl-D (Ctrl-C too when input is piped)."""
    if pair_id is not None:
        coach.get_pair(pair_id)
    if thread is None and not new:
        thread = coach.latest_thread(pair_id)
    resumed = thread is not None
    thread = thread or coach.new_thread(pair_id)
    repl = Repl(coach, pair_id, thread)
    earlier = coach.history(thread) if resumed else []
    repl.say(f"session-coach chat ({coach.engine} engine). /help for commands, /quit to leave.")
    if earlier:
        repl.say(f"Resuming conversation {thread} ({len(earlier)} earlier lines). Last:")
        for turn in earlier[-2:]:
            repl.say(f"  {turn['role']}> {_preview(turn['content'])}")
    if repl.unfinished_simulation() is not None:
        repl.say("You left a simulation unfinished: /simulate resumes it where you stopped.")
    save_history = _enable_history(coach)
    # Piped input is echoed after its prompt, so a transcript reads one line per turn.
    interactive = sys.stdin.isatty()
    try:
        while True:
            try:
                line = input("you> " if interactive else "").strip()
            except EOFError:
                repl.say("")
                break
            except KeyboardInterrupt:
                if not interactive:
                    raise
                # At a terminal Ctrl-C drops the half-typed line, as Python's own prompt does.
                repl.say("\n(line cleared; /quit or Ctrl-D leaves)")
                continue
            if not line:
                continue
            if not interactive:
                repl.say(f"you> {line}")
            try:
                if not repl.handle(line):
                    break
            except UserInputError as exc:
                repl.say(f"error: {exc}")
            except CoachError as exc:
                repl.say(f"error: {exc}")
    except KeyboardInterrupt:
        repl.say("")
    finally:
        save_history()
    # A chat left without a word has nothing to resume.
    said = bool(coach.history(repl.thread))
    repl.say(f"bye — resume with: coach chat --thread {repl.thread}" if said else "bye")
