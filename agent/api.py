"""Coach: the embeddable Python API (sync and async); the CLI is built only on this."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence, Set
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from agent.config import Settings, load_settings
from agent.context import Context
from agent.errors import CoachError, NotFoundError, UserInputError, user_input_error
from agent.memory import (
    ForgetReport,
    Pair,
    PairStore,
    SessionRecord,
    StoredItem,
    forget_drafts,
    item_key,
    parse_pair_input,
)
from agent.models import (
    ActionExtraction,
    ActionItem,
    Agenda,
    ChatReply,
    EmailBatch,
    EmailResult,
    GuideAnswer,
    QuestionSuggestions,
    ReframeResult,
    SimulationTurn,
    SimulationView,
    failed_deliveries,
)
from agent.state import INTENTS, Intent, Turn
from agent.text import clean_text, clean_value, local_clock, mention_pattern
from agent.threads import Threads
from knowledge.models import IngestReport, SearchResults
from knowledge.progress import BatchProgress
from knowledge.store import KnowledgeBase, KnowledgeError, KnowledgeSettingError, ProgressHook

if TYPE_CHECKING:
    from agent.agenda import AgendaContext
    from agent.mail import Invitation, PreparedMessage, SmtpSettings
    from agent.maillog import SentLog

T = TypeVar("T")
MAX_TEXT = 4000
MAX_NOTES = 200_000
# A question longer than this is not a question to reframe; refuse rather than guess.
MAX_QUESTION = 1000
# "I'll", "I will", "I need": notes written in the first person, whose "I" needs an author.
_FIRST_PERSON = re.compile(r"(?m)(?:^|[.!?:]\s|\b(?:and|so|then)\s)I(?:'ll|'m| will| need| must)\b")
# Two notes files of one session are kept as one record, joined by a rule line.
_NOTES_JOIN = "\n\n---\n\n"
CHAT_LOCK_WAIT = 5.0  # seconds a chat turn waits for another process's turn on its thread
DRAFT_WRITERS = 4  # threads writing a batch's drafts; each waits on its files' fsyncs
EMAIL_GROUP = 8  # pairs whose store writes share one transaction in a batch


def _knowledge_error(exc: KnowledgeError) -> CoachError:
    """A knowledge-base failure for the user: a malformed setting is their input (exit 2)."""
    if isinstance(exc, KnowledgeSettingError):
        return UserInputError(str(exc))
    return CoachError(str(exc))


class _AgendaInputs(NamedTuple):
    """A pair's agenda context with the session records and open items it came from."""

    context: AgendaContext
    sessions: list[SessionRecord]
    items: list[StoredItem]


class _PreparedEmail(NamedTuple):
    """A pair's messages, built and checked, with the store writes to make before writing."""

    result: EmailResult
    ops: list[Any]
    messages: list[PreparedMessage]
    folder: Path
    smtp: SmtpSettings | None
    invitation: Invitation | None


def parse_agenda_context(values: dict[str, Any]) -> AgendaContext:
    """Validate agenda context values into a one-line UserInputError on the first problem."""
    from pydantic import ValidationError

    from agent.agenda import AgendaContext

    try:
        return AgendaContext.model_validate(clean_value(values))
    except ValidationError as exc:
        raise user_input_error(exc) from exc


def _as_date(value: object, what: str) -> date | None:
    """A date from a date or an ISO string; anything else is a one-line error."""
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise UserInputError(f"the {what} must be a date YYYY-MM-DD, got {value!r}")


def _require_text(text: str, what: str, limit: int = MAX_TEXT) -> str:
    if not isinstance(text, str):
        raise UserInputError(f"the {what} must be text, got {type(text).__name__}")
    cleaned = clean_text(text).strip()
    are, have = ("are", "have") if what.endswith("notes") else ("is", "has")
    if not cleaned:
        raise UserInputError(f"the {what} {are} empty")
    if not any(ch.isalnum() for ch in cleaned):  # "?" or "..." says nothing to work on
        raise UserInputError(f"the {what} {have} no words")
    if len(cleaned) > limit:
        raise UserInputError(
            f"the {what} {are} {len(cleaned):,} characters; the limit is {limit:,}"
        )
    return cleaned


def _now(like: datetime) -> datetime:
    """The time now, aware or naive as ``like`` is (one place, so tests can fix the clock)."""
    return datetime.now(like.tzinfo) if like.tzinfo else datetime.now()


def _refuse_past(when: datetime | None) -> None:
    """A next session in the past is usually a typo, and nothing would be prepared for it."""
    if when is None:
        return
    if when < _now(when):
        raise UserInputError(
            f"the next session {when:%Y-%m-%d %H:%M} is in the past; "
            "give a future date (or past=True to record it anyway)",
            cli=f"the next session {when:%Y-%m-%d %H:%M} is in the past; "
            "give a future date (or --past to record it anyway)",
        )


class Coach:
    """One coach over one COACH_HOME: knowledge base, pair records, threads and engines.

    Heavy resources (Chroma, the embedding model, SQLite, the LLM client) open lazily on
    first use, so constructing a Coach is cheap and has no side effects.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        knowledge: KnowledgeBase | None = None,
        http_client: Any = None,
        chat_client: Any = None,
    ) -> None:
        self.settings = settings or load_settings()
        self._knowledge = knowledge
        self._http_client = http_client
        self._chat = chat_client
        self._stack = ExitStack()
        self._saver: Any = None
        self._store: Any = None
        self._graphs: dict[tuple[bool, bool], Any] = {}
        self._sims: dict[str, Any] = {}

    # -- resources ---------------------------------------------------------------------
    @property
    def engine(self) -> str:
        """The engine in use: ``offline`` or ``llm``."""
        return self.settings.resolved_engine

    @property
    def knowledge(self) -> KnowledgeBase:
        """The guide knowledge base (opened on first use)."""
        if self._knowledge is None:
            self._prepare_home()
            try:
                self._knowledge = KnowledgeBase.open(
                    self.settings.chroma_path,
                    self.settings.chroma_url,
                    embeddings=self.settings.embeddings,
                    collection=self.settings.collection,
                )
            except KnowledgeError as exc:
                raise _knowledge_error(exc) from exc
        return self._knowledge

    def _prepare_home(self) -> None:
        """COACH_HOME (or the default data dir) as a folder only its owner can enter."""
        from agent.files import make_private_dir

        make_private_dir(self.settings.home)

    def _open_stores(self) -> None:
        if self._store is not None:
            return
        self._prepare_home()
        if self.settings.database_url:
            from agent.stores import open_postgres

            self._saver, self._store = open_postgres(self.settings.database_url, self._stack)
        else:
            from agent.stores import open_sqlite

            self._saver, self._store, conn = open_sqlite(self.settings.sqlite_path)
            self._stack.callback(conn.close)

    @property
    def store(self) -> Any:
        """The LangGraph BaseStore holding pair records."""
        self._open_stores()
        return self._store

    @property
    def checkpointer(self) -> Any:
        """The checkpointer holding conversation threads."""
        self._open_stores()
        return self._saver

    @property
    def pairs(self) -> PairStore:
        """Pair records, their items and threads."""
        return PairStore(self.store, self.checkpointer)

    @property
    def chat_client(self) -> Any:
        """The OpenAI-compatible client (llm engine only)."""
        if self._chat is None and self.engine == "llm":
            from agent.llm import ChatClient

            self._chat = ChatClient.from_settings(self.settings, http_client=self._http_client)
        return self._chat

    def context(self) -> Context:
        """The run-time context handed to every node."""
        return Context(knowledge=self.knowledge, engine=self.engine, chat=self.chat_client)  # type: ignore[arg-type]

    def graph(self, durable: bool = True, *, with_store: bool = True) -> Any:
        """The compiled graph; ``durable`` ones keep threads in the checkpointer.

        Runs about no pair need no store (``with_store=False``): ``coach reframe`` then never
        opens SQLite.
        """
        key = (durable, with_store or durable)
        if key not in self._graphs:
            if not self._graphs and self._knowledge is None and self.settings.embeddings == "local":
                # Every graph run retrieves: load the model while langgraph is imported.
                from knowledge.minilm import warm_up

                warm_up()
            from agent.graph import compile_graph

            self._graphs[key] = compile_graph(
                self.checkpointer if durable else None, self.store if key[1] else None
            )
        return self._graphs[key]

    def _run(
        self, text: str, task: Intent | None, pair_id: str | None, thread: str | None = None
    ) -> dict[str, Any]:
        payload = {"text": text, "task": task, "pair_id": pair_id}
        try:
            if thread is None:
                graph = self.graph(durable=False, with_store=pair_id is not None)
                return dict(graph.invoke(payload, context=self.context()))
            config = {"configurable": {"thread_id": thread}}
            return dict(
                # One checkpoint when the turn is done: the chat graph has no interrupt to
                # resume at, and a write (and fsync) per step cost more than the LLM's latency
                # budget allows; a killed turn is simply asked again.
                self.graph().invoke(payload, config, context=self.context(), durability="exit")
            )
        except KnowledgeError as exc:
            raise _knowledge_error(exc) from exc

    def run_task(
        self, text: str, task: Intent | None = None, pair_id: str | None = None
    ) -> dict[str, Any]:
        """One graph run without a thread: the full output (result, retrieved ids, notes).

        For evals and tools that need what was retrieved as well as what was answered.
        """
        limit = MAX_QUESTION if task == "reframe" else MAX_TEXT
        return self._run(_require_text(text, "request", limit), task, pair_id)

    # -- knowledge ---------------------------------------------------------------------
    def ingest(
        self, paths: Sequence[str | Path], *, progress: ProgressHook | None = None
    ) -> IngestReport:
        """Add, update or remove guide passages from files and folders."""
        if not paths:
            raise UserInputError("give at least one file or folder to ingest")
        return self._kb_call(lambda: self.knowledge.ingest([Path(p) for p in paths], progress))

    def reindex(
        self, paths: Sequence[str | Path] = (), *, progress: ProgressHook | None = None
    ) -> IngestReport:
        """Rebuild the guide index with the configured embedding model (plus ``paths``)."""
        missing = [str(p) for p in paths if not Path(p).exists()]
        if missing:
            raise UserInputError(f"no such file or directory: {missing[0]!r}")
        return self._kb_call(
            lambda: self.knowledge.reindex([Path(p) for p in paths], progress=progress)
        )

    def search(
        self, query: str, k: int = 5, *, topic: str | None = None, stage: str | None = None
    ) -> SearchResults:
        """Guide passages nearest in meaning to ``query``."""
        query = _require_text(query, "search query")
        if not 1 <= k <= 50:
            raise UserInputError(
                f"k must be between 1 and 50, got {k}", cli=f"-k must be between 1 and 50, got {k}"
            )
        if stage is not None:
            from agent.models import STAGE_NAMES

            stage = stage.strip().lower()
            if stage not in STAGE_NAMES:
                raise UserInputError(
                    f"stage must be one of {', '.join(STAGE_NAMES)}, got {stage!r}",
                    cli=f"--stage must be one of {', '.join(STAGE_NAMES)}, got {stage!r}",
                )
        if topic is not None:
            topic = topic.strip().lower()
            known = self._kb_call(self.knowledge.topics)
            if topic not in known:
                raise UserInputError(f"unknown topic {topic!r}; topics: {', '.join(known)}")
        return SearchResults(
            results=self._kb_call(lambda: self.knowledge.search(query, k, topic=topic, stage=stage))
        )

    def _kb_call(self, call: Callable[[], T]) -> T:
        try:
            return call()
        except KnowledgeError as exc:
            raise _knowledge_error(exc) from exc

    # -- capabilities ------------------------------------------------------------------
    def reframe(self, text: str) -> ReframeResult:
        """Whether a question is judgemental, and curious ways to ask it."""
        out = self._run(_require_text(text, "question", MAX_QUESTION), "reframe", None)
        return ReframeResult.model_validate(out["result"])

    def suggest_questions(self, pair_id: str | None = None) -> QuestionSuggestions:
        """Curious questions for a pair's next session from its goals and open items."""
        if pair_id is not None:
            self.pairs.get(pair_id)
        return self._suggest(pair_id)

    def _suggest(self, pair_id: str | None) -> QuestionSuggestions:
        out = self._run("questions for our next session", "suggest_questions", pair_id)
        return QuestionSuggestions.model_validate(out["result"])

    def ask(self, question: str) -> GuideAnswer:
        """A cited answer to a mentoring question from the guides."""
        out = self._run(_require_text(question, "question"), "ask", None)
        return GuideAnswer.model_validate(out["result"])

    # -- action items and agendas -------------------------------------------------------
    def _attendees(
        self, pair_id: str | None, mentor: str | None, mentee: str | None
    ) -> tuple[Pair | None, list[str]]:
        if pair_id is not None:
            stored = self.pairs.get(pair_id)
            return stored, [stored.mentor, stored.mentee]
        mentor = clean_text(mentor) if mentor else mentor
        mentee = clean_text(mentee) if mentee else mentee
        if not (mentor and mentor.strip() and mentee and mentee.strip()):
            raise UserInputError(
                "give pair_id, or both mentor and mentee",
                cli="give --pair ID, or both --mentor NAME and --mentee NAME",
            )
        found = self.pairs.find(mentor, mentee)
        if found is not None:
            return found, [found.mentor, found.mentee]
        checked = parse_pair_input(mentor=mentor, mentee=mentee)
        return None, [checked.mentor, checked.mentee]

    def extract_actions(
        self,
        notes: str,
        *,
        pair_id: str | None = None,
        mentor: str | None = None,
        mentee: str | None = None,
        author: str | None = None,
        session_date: date | None = None,
        next_session: date | None = None,
        others: list[str] | None = None,
        save: bool = False,
    ) -> ActionExtraction:
        """Action items (owner, action, due, verbatim evidence) from a session's notes.

        With ``save`` the items are stored on the pair as open (items already open are not
        stored twice) and the notes are kept as the session's record.
        """
        notes = _require_text(notes, "notes", MAX_NOTES)
        session_date = _as_date(session_date, "session date")
        next_session = _as_date(next_session, "next session")
        pair, attendees = self._attendees(pair_id, mentor, mentee)
        # Other people in the session (a guest, a manager) can own items too.
        attendees += [" ".join(clean_text(o).split()) for o in others or [] if o.strip()]
        if author is not None:
            author = clean_text(author)
            matches = [
                a
                for a in attendees
                if a.casefold() == author.strip().casefold()
                or a.split()[0].casefold() == author.strip().casefold()
            ]
            if not matches:
                raise UserInputError(
                    f"author {author!r} is not one of {', '.join(attendees)}",
                    cli=f"--author {author!r} is not one of {', '.join(attendees)}",
                )
            author = matches[0]
        held_on = session_date or datetime.now(UTC).date()
        if (
            next_session is None
            and pair
            and pair.next_session
            and pair.next_session.date() > held_on
        ):
            next_session = pair.next_session.date()
        payload = {
            "notes": notes,
            "attendees": attendees,
            "session_date": held_on.isoformat(),
            "next_session": next_session.isoformat() if next_session else None,
            "author": author,
        }
        out = self.run_payload("actions", payload, pair.id if pair else None)
        result = ActionExtraction.model_validate(out["result"])
        # The pair's short names ("Tomek") are the pair's people, not someone else.
        for item in result.items:
            named = pair.members_named(item.owner) if pair and item.owner else []
            if named and not item.owner_known:
                item.owner, item.owner_known = named[0], True
        if (
            author is None
            and any(i.owner is None for i in result.items)
            and _FIRST_PERSON.search(notes)
        ):
            result.notes.append(
                "some items are written in the first person and have no owner: say who wrote "
                "the notes (--author NAME, or author= in the API) to give them one"
            )
        if save:
            if pair is None:
                raise UserInputError(
                    "save=True needs a stored pair: add it with add_pair() and give its pair_id",
                    cli="--save needs a stored pair: add it with `coach pair add` or use --pair ID",
                )
            moved = self._save_session_notes(pair, held_on, notes, result)
            if held_on > datetime.now().date():  # usually a typo in the date: say what it did
                result.notes.append(
                    f"the notes are dated {held_on.isoformat()}, after today: saved as a "
                    "session held then"
                )
            if moved is not None:
                result.notes.append(f"next session moved to {local_clock(moved)}")
        return result

    def _save_session_notes(
        self, pair: Pair, held_on: date, notes: str, result: ActionExtraction
    ) -> datetime | None:
        """Store the session's notes and new items; returns the next session if it moved."""
        from agent.memory import SessionRecord, save_session, sessions_of

        open_now = self.pairs.items(pair.id, status="open")
        # The same item again (notes saved twice) is dropped quietly; with a new date it goes on
        # to the repeat check, which suggests moving the open item.
        open_dues: dict[tuple[str, str], set[date | None]] = {}
        for open_item in open_now:
            open_dues.setdefault(item_key(open_item.owner, open_item.action), set()).add(
                open_item.due
            )
        fresh = [
            i
            for i in result.items
            if (dues := open_dues.get(item_key(i.owner, i.action))) is None
            or (i.due is not None and i.due not in dues)
        ]
        records = sessions_of(self.store, pair.id)
        same_day = next((r for r in records if r.notes and r.held_on == held_on), None)
        # An item set in this very session (its minutes saved first, then the recap) is not
        # closed by the session's own notes.
        set_now = set(same_day.item_ids) if same_day is not None else set()
        fresh = self._match_open_items(pair, notes, fresh, open_now, result, set_now)
        if same_day is not None and notes in (same_day.notes or "").split(_NOTES_JOIN):
            return None  # the same notes saved again: nothing new to record
        if same_day is not None:
            # A second notes file of the same session (minutes, then the chat) adds to it: the
            # pair has had one meeting, not two.
            stored = self.pairs.add_items(
                pair.id, [i.model_dump() | {"session": same_day.number} for i in fresh]
            )
            merged = same_day.model_copy(
                update={
                    "notes": f"{same_day.notes}{_NOTES_JOIN}{notes}",
                    "item_ids": [*same_day.item_ids, *(i.id for i in stored)],
                }
            )
            save_session(self.store, pair.id, merged)
            return None
        target = next((r for r in records if r.notes is None), None)
        number = target.number if target else (records[-1].number + 1 if records else 1)
        held = [r for r in records if r.held_on and r.notes]
        previous = max(held, key=lambda r: (r.held_on, r.number), default=None)
        # Closed since the last session's notes were saved: an item marked done right after
        # saving them (as the save suggests) counts for the next session, not for none.
        done = [i for i in self.pairs.items(pair.id, status="done") if i.done_at]
        if previous is not None and previous.saved_at is not None:
            done_since = [i for i in done if i.done_at and i.done_at > previous.saved_at]
        elif previous is not None and previous.held_on is not None:  # saved before saved_at
            done_since = [i for i in done if i.done_at and i.done_at.date() >= previous.held_on]
        else:
            done_since = done
        stored = self.pairs.add_items(
            pair.id, [i.model_dump() | {"session": number} for i in fresh]
        )
        save_session(
            self.store,
            pair.id,
            SessionRecord(
                number=number,
                held_on=held_on,
                agenda=target.agenda if target else None,
                notes=notes,
                item_ids=[i.id for i in stored],
                progress=bool(done_since) if records else None,
                ratio=result.ratio.model_dump() if result.ratio else None,
                saved_at=datetime.now(UTC),
            ),
        )
        return self._advance_next_session(pair.id, held_on)

    def _match_open_items(
        self,
        pair: Pair,
        notes: str,
        fresh: list[ActionItem],
        open_now: list[StoredItem],
        result: ActionExtraction,
        set_now: Set[str] = frozenset(),
    ) -> list[ActionItem]:
        """Say which open items the notes close, and leave out new items that repeat one.

        Returns the new items to store. Nothing stored changes here (see agent.item_match).
        """
        from agent.item_match import OpenItem, closed_by, repeats
        from agent.models import ItemReference
        from agent.offline.actions import sentence_kinds

        if not open_now:
            return fresh
        people = pair.people
        items = [OpenItem(i.id, i.owner, i.action) for i in open_now]
        # Notes that set an item (saved again, or with more added) don't also close it.
        earlier = [
            OpenItem(i.id, i.owner, i.action)
            for i in open_now
            if not (i.evidence and i.evidence in notes) and i.id not in set_now
        ]
        done_lines = [text for text, kind in sentence_kinds(notes) if kind == "done"]
        for line, item in closed_by(done_lines, earlier, people):
            result.done_in_notes.append(ItemReference(item_id=item.id, item=item.action, text=line))
            result.notes.append(
                f"the notes say “{line}”: if that closes [{item.id}] “{item.action}”, mark it "
                f"done with `coach actions done {item.id} --pair {pair.id}` "
                "(complete_item in the API)"
            )
        kept: list[ActionItem] = []
        due_of = {i.id: i.due for i in open_now}
        found = repeats([(i.owner, i.action) for i in fresh], items, people)
        for new, same in zip(fresh, found, strict=True):
            if same is None:
                kept.append(new)
                continue
            result.repeats.append(ItemReference(item_id=same.id, item=same.action, text=new.action))
            edit = f"`coach actions edit {same.id} --pair {pair.id}"
            was = due_of[same.id]
            if new.due is not None and new.due != was:
                # "Ben will now send the v2 by 4 Dec": a repeat that moves the date is the
                # news in the notes, so the suggestion is the new date, not the wording.
                since = f"due {was.isoformat()}" if was else "no due date"
                result.notes.append(
                    f"not stored: “{new.action}” repeats the open item [{same.id}] "
                    f"“{same.action}” ({since}) with the date {new.due.isoformat()}; to move "
                    f"it: {edit} --due {new.due.isoformat()}` (edit_item in the API)"
                )
                continue
            result.notes.append(
                f"not stored: “{new.action}” repeats the open item [{same.id}] “{same.action}”; "
                f"to use the new wording: {edit} --action TEXT` (edit_item in the API)"
            )
        return kept

    def _advance_next_session(self, pair_id: str, held_on: date) -> datetime | None:
        """After the next session (or a later one) is recorded, move it on by the cadence."""
        from agent.memory import after_cadence

        pair = self.pairs.get(pair_id)
        if pair.next_session is None or held_on < pair.next_session.date():
            return None  # notes of an earlier session: the planned one still lies ahead
        upcoming = pair.next_session
        now = _now(upcoming)
        # Notes of a session saved late (or a history entered at once) move the next session
        # past today too: an invitation for a time already gone prepares nothing.
        while upcoming.date() <= held_on or upcoming <= now:
            upcoming = after_cadence(upcoming, pair.cadence)
        self.pairs.update(pair.model_copy(update={"next_session": upcoming}))
        return upcoming

    def items(self, pair_id: str, status: str | None = "open") -> list[StoredItem]:
        """The pair's action items: ``open`` (default), ``done`` or ``None`` for all."""
        if status not in ("open", "done", None):
            raise UserInputError(f"status must be open or done, got {status!r}")
        return self.pairs.items(pair_id, status=status)  # type: ignore[arg-type]

    def complete_item(self, pair_id: str, item_id: str) -> StoredItem:
        """Mark an action item done."""
        return self.pairs.set_item_status(pair_id, item_id, "done")

    def add_item(
        self,
        pair_id: str,
        action: str,
        *,
        owner: str | None = None,
        due: date | None = None,
        allow_similar: bool = False,
    ) -> StoredItem:
        """Add an open action item by hand (one the notes did not say, or one they missed).

        The owner may be a pair member's first name (stored as the full name) or anyone else.
        An item that repeats one already open with the same owner is refused, not doubled:
        word for word always, and by meaning (as saved notes are checked) unless
        ``allow_similar`` says the two are different tasks.
        """
        if owner is not None and owner.strip():
            owner = self._pair_person(pair_id, owner)
        if not allow_similar:
            self._refuse_similar(pair_id, owner, action)
        with _options_named():
            return self.pairs.new_item(pair_id, owner=owner, action=action, due=due)

    def _refuse_similar(self, pair_id: str, owner: str | None, action: str) -> None:
        """Raise when ``action`` says again, in other words, an item the owner has open."""
        from agent.item_match import OpenItem, repeats

        pair = self.pairs.get(pair_id)
        open_now = self.pairs.items(pair_id, "open")
        people = pair.people
        wording = " ".join(action.split())
        same = repeats(
            [(owner, wording)], [OpenItem(i.id, i.owner, i.action) for i in open_now], people
        )[0]
        # A word-for-word repeat is refused by the store, with no way round it.
        if same is None or item_key(same.owner, same.action) == item_key(owner, wording):
            return
        said = f"not added: “{wording}” repeats the open item [{same.id}] “{same.action}”"
        raise UserInputError(
            f"{said}; pass allow_similar=True if it is a different task",
            cli=f"{said}; add --anyway if it is a different task",
        )

    def edit_item(
        self,
        pair_id: str,
        item_id: str,
        *,
        owner: str | None = None,
        action: str | None = None,
        due: date | None = None,
        clear_due: bool = False,
        unassign: bool = False,
    ) -> StoredItem:
        """Correct an action item: its owner, its wording or its due date.

        ``clear_due`` removes the due date and ``unassign`` the owner; a value that is not
        given stays as it is.
        """
        if owner is not None and unassign:
            raise UserInputError(
                "give owner or unassign, not both", cli="give --owner or --unassign, not both"
            )
        if due is not None and clear_due:
            raise UserInputError(
                "give due or clear_due, not both", cli="give --due or --due none, not both"
            )
        changes: dict[str, Any] = {}
        if owner is not None and owner.strip():
            owner = self._pair_person(pair_id, owner)
        if owner is not None or unassign:
            changes["owner"] = owner
        if action is not None:
            changes["action"] = action
        if due is not None or clear_due:
            changes["due"] = due
        if not changes:
            raise UserInputError(
                "nothing to change: give owner, action or due",
                cli="nothing to change: give --owner, --action or --due",
            )
        with _options_named():
            return self.pairs.update_item(pair_id, item_id, changes)

    def _pair_person(self, pair_id: str, owner: str) -> str:
        """The pair member an owner names ("tomasz" -> "Tomasz Nowicki"), else it as given.

        Items are stored with full names, so emails and agendas show the person one way and
        matching (repeats, "Yours:") finds them; a third person's name is kept as typed.
        """
        return next(iter(self.pairs.get(pair_id).members_named(owner)), owner)

    def remove_item(self, pair_id: str, item_id: str) -> StoredItem:
        """Delete an action item that was wrongly extracted; returns the removed item."""
        return self.pairs.remove_item(pair_id, item_id)

    def agenda_context(
        self,
        pair_id: str,
        *,
        minutes: int | None = None,
        session: int | None = None,
        prep: str | None = None,
    ) -> AgendaContext:
        """The agenda context for a stored pair's next session."""
        pair = self.pairs.get(pair_id)
        return self._agenda_inputs(pair, minutes=minutes, session=session, prep=prep).context

    def _agenda_inputs(
        self,
        pair: Pair,
        *,
        minutes: int | None = None,
        session: int | None = None,
        prep: str | None = None,
        kept_prep: bool = False,
    ) -> _AgendaInputs:
        """The agenda context with the records it was built from (read once, reused).

        With ``kept_prep`` and no ``prep``, the prep the coming session's agenda was last
        drafted with (`coach agenda --prep`) is used.
        """
        from agent.memory import sessions_of

        if session is not None and session < 1:
            raise UserInputError(f"session must be 1 or more, got {session}")
        sessions = sessions_of(self.store, pair.id)
        # Newest last by the day each session was held: notes saved late for an earlier
        # session (a back-dated --date) are not "the last session's notes".
        records = sorted(
            (r for r in sessions if r.notes), key=lambda r: (r.held_on or date.min, r.number)
        )
        items = self.pairs.items(pair.id, status="open")
        number = session or len(records) + 1
        if prep is None and kept_prep:
            prep = next((r.prep for r in sessions if r.number == number and r.notes is None), None)
        values = {
            "mentor": pair.mentor,
            "mentee": pair.mentee,
            "mentor_short": pair.mentor_short,
            "mentee_short": pair.mentee_short,
            "goals": pair.goals,
            "session_number": number,
            "programme_weeks": pair.programme_weeks,
            "minutes": pair.minutes if minutes is None else minutes,
            "cadence": pair.cadence,
            "open_items": [{"owner": i.owner, "action": i.action, "due": i.due} for i in items],
            "prep": prep or "",
            "recent_notes": [r.notes for r in records[-3:] if r.notes],
            "progress_flags": [r.progress for r in records if r.progress is not None],
            "session_date": (
                pair.next_session.date() if pair.next_session else datetime.now(UTC).date()
            ),
        }
        return _AgendaInputs(parse_agenda_context(values), sessions, items)

    def draft_agenda(
        self,
        *,
        pair_id: str | None = None,
        context: AgendaContext | dict[str, Any] | None = None,
        minutes: int | None = None,
        session: int | None = None,
        prep: str | None = None,
    ) -> Agenda:
        """A time-boxed agenda for a stored pair's next session, or for a given context.

        For a stored pair the agenda is kept on the session's record. ``context`` is an
        :class:`agent.agenda.AgendaContext` or a dict of its fields (checked the same way).
        """
        if (pair_id is None) == (context is None):
            raise UserInputError(
                "give either pair_id or context", cli="give either --pair ID or --context FILE"
            )
        if context is not None:
            if minutes is not None or session is not None or prep is not None:
                # They would be dropped without a word: a context carries its own.
                raise UserInputError(
                    "minutes, session and prep go with pair_id; a context carries its own "
                    "(minutes, session_number, prep)",
                    cli="--minutes, --session and --prep go with --pair; a --context file "
                    "carries its own (minutes, session_number, prep)",
                )
            if isinstance(context, dict):
                context = parse_agenda_context(context)
            return self._run_agenda(None, context)
        assert pair_id is not None
        # The pair and its sessions are read once: for the context and for keeping the agenda.
        pair = self.pairs.get(pair_id)
        # The prep the session's agenda was drafted with, as the prep email uses it: `coach
        # agenda` without --prep said "No prep shared yet" while the email quoted the prep.
        inputs = self._agenda_inputs(
            pair, minutes=minutes, session=session, prep=prep, kept_prep=True
        )
        agenda = self._run_agenda(pair_id, inputs.context)
        op = self._planned_agenda_op(
            pair, inputs.context.session_number, agenda, inputs.sessions, prep=inputs.context.prep
        )
        if op is not None:
            self.store.batch([op])
        named = mention_pattern(pair.mentee, pair.mentee_short)
        if prep is not None and named is not None and named.search(prep):
            # A mentor's private worry ("Ben is nervous; how do I help him?") given as prep
            # was quoted to the mentee in their email, credited to them.
            agenda = agenda.model_copy(
                update={
                    "notes": [
                        *agenda.notes,
                        f"the prep names {pair.called('mentee')}: prep is the mentee's own notes "
                        "and is quoted in both prep emails, so keep a mentor's private notes "
                        "out of it",
                    ]
                }
            )
        return agenda

    def _run_agenda(self, pair_id: str | None, context: AgendaContext) -> Agenda:
        """The agenda `coach agenda` shows and the prep emails send: one, never quoting notes.

        Session notes are their writer's own (a mentor's "she seems overloaded"); an agenda
        is shared with both people, so no engine's words that repeat the notes are kept.
        """
        from agent.note_quotes import without_note_quotes

        out = self.run_payload("agenda", {"context": context.model_dump(mode="json")}, pair_id)
        return without_note_quotes(Agenda.model_validate(out["result"]), context.recent_notes)

    @staticmethod
    def _planned_agenda_op(
        pair: Pair,
        number: int,
        agenda: Agenda,
        sessions: Sequence[SessionRecord],
        *,
        prep: str = "",
    ) -> Any:
        """The write keeping ``agenda`` (and the prep it used) on session ``number``'s record.

        None when the session was held already.
        """
        from agent.memory import SessionRecord, session_op

        existing = {r.number: r for r in sessions}
        record = existing.get(number) or SessionRecord(
            number=number, held_on=pair.next_session.date() if pair.next_session else None
        )
        if record.notes is not None:  # never overwrite a session that already happened
            return None
        return session_op(
            pair.id,
            record.model_copy(
                update={"agenda": agenda.model_dump(mode="json"), "prep": prep or record.prep}
            ),
        )

    def run_payload(
        self, task: Intent, payload: dict[str, Any], pair_id: str | None = None
    ) -> dict[str, Any]:
        """One graph run of a task with structured input: the full output (for evals/tools)."""
        try:
            return dict(
                self.graph(durable=False, with_store=pair_id is not None).invoke(
                    {"text": task, "task": task, "pair_id": pair_id, "payload": payload},
                    context=self.context(),
                )
            )
        except KnowledgeError as exc:
            raise _knowledge_error(exc) from exc

    # -- prep emails -------------------------------------------------------------------
    def prep_email(
        self,
        pair_id: str,
        *,
        session_start: datetime | None = None,
        out_dir: str | Path | None = None,
        send: bool = False,
        prep: str | None = None,
    ) -> EmailResult:
        """The pair's two prep emails: written as .eml drafts, and sent once with ``send``.

        Recipients come only from the pair record; every header value is checked before
        anything is written or sent. The agenda uses ``prep`` (the mentee's prep notes), else
        the prep the session's agenda was last drafted with.
        """
        from agent.maillog import SentLog

        if prep is not None:
            prep = _require_text(prep, "prep")
        with SentLog.at_home(self.settings.home) as log:
            draft = self._prepare_email(
                self.pairs.get(pair_id), session_start, out_dir, send, log, prep=prep
            )
            self.store.batch(draft.ops)
            return self._deliver_email(draft, log)

    def _prepare_email(
        self,
        pair: Pair,
        session_start: datetime | None,
        out_dir: str | Path | None,
        send: bool,
        log: SentLog,
        *,
        prep: str | None = None,
    ) -> _PreparedEmail:
        """A pair's messages and the store writes that must precede them; nothing written yet.

        The writes are the planned agenda and where the drafts go: recorded before any draft
        is written, so `pair forget` finds every draft even if writing is interrupted.
        """
        from agent.mail import (
            PrepContent,
            build_prep_messages,
            draft_filename,
            missing_roles,
            resolve_from_address,
        )
        from agent.memory import draft_record_ops

        pair_id = pair.id
        if not (pair.mentor_email or pair.mentee_email):
            raise UserInputError(
                f"pair {pair_id!r} has no email addresses; add them with "
                f"update_pair({pair_id!r}, mentor_email=..., mentee_email=...)",
                cli=f"pair {pair_id!r} has no email addresses; add them with "
                f"`coach pair set {pair_id} --mentor-email ... --mentee-email ...`",
            )
        # One context serves agenda and email, with the prep the agenda was drafted with.
        inputs = self._agenda_inputs(pair, prep=prep, kept_prep=True)
        context = inputs.context
        agenda = self._run_agenda(pair_id, context)
        suggestions = self._suggest(pair_id)
        questions = suggestions.questions
        content = PrepContent(
            pair=pair,
            session_number=context.session_number,
            session_start=session_start or pair.next_session,
            agenda=agenda,
            open_items=inputs.items,
            questions=questions,
            citations=agenda.citations,
        )
        smtp = None
        if send:
            from agent.mail import load_smtp_settings

            smtp = load_smtp_settings()  # checked before anything is built or written
        from_address = smtp.from_address if smtp else resolve_from_address()
        # The calendar side is keyed on the meeting (pair + start), as last sent: the same
        # meeting is never sent twice, a new time is an update, a removed one a cancellation.
        from agent.maillog import plan_invitation

        invitation = plan_invitation(
            log.meetings(pair_id), pair, content.session_start, from_address
        )
        cancelled = invitation is not None and invitation.method == "CANCEL"
        if invitation is not None and invitation.method == "CANCEL":
            from agent.mail import build_cancel_messages

            messages = build_cancel_messages(
                pair, invitation, from_address, session_number=context.session_number
            )
        else:
            messages = build_prep_messages(content, from_address, invitation=invitation)
        result = EmailResult(
            pair_id=pair_id,
            session=context.session_number,
            kind="cancellation" if cancelled else "prep",
            recipients=[m.recipient for m in messages],
            skipped_roles=list(missing_roles(pair)),
            notes=[
                f"no {role} email on the pair record: no message" for role in missing_roles(pair)
            ],
        )
        # Whatever the agenda and the questions had to say (a fallback to the built-in
        # coach above all) is said here too, once each.
        for note in [] if cancelled else [*agenda.notes, *suggestions.notes]:
            if note not in result.notes:
                result.notes.append(note)
        if invitation is not None and cancelled:
            result.notes.append(
                f"the session on {local_clock(invitation.start)} was removed: "
                "these messages cancel its invitation"
            )
        elif invitation is not None and invitation.sequence > 0:
            result.notes.append("the session has a new time: the invitation is updated")
        folder = Path(out_dir) if out_dir is not None else Path("outbox")
        planned = self._planned_agenda_op(
            pair, context.session_number, agenda, inputs.sessions, prep=context.prep
        )
        # Recorded before writing: a draft on disk is always one `pair forget` knows about
        # (a record whose file never got written is skipped by forget).
        ops = draft_record_ops(pair_id, [folder / draft_filename(m) for m in messages])
        writes = [op for op in (planned, *ops) if op is not None]
        return _PreparedEmail(result, writes, messages, folder, smtp, invitation)

    def _deliver_email(self, draft: _PreparedEmail, log: SentLog) -> EmailResult:
        """Write a prepared pair's drafts (its store writes are made already) and send them."""
        from agent.mail import write_drafts

        result, messages = draft.result, draft.messages
        smtp, invitation = draft.smtp, draft.invitation
        pair_id = result.pair_id
        result.drafts = [str(p) for p in write_drafts(messages, draft.folder)]
        if smtp is not None:
            from agent.maillog import send_prepared

            report = send_prepared(messages, smtp, log)
            if invitation is not None and any(
                o.status in ("sent", "resent", "already-sent") for o in report.outcomes
            ):
                log.record_meeting(pair_id, invitation)
            # Each outcome carries its status and error; the renderers show them once.
            result.sent = [o.model_dump(mode="json") for o in report.outcomes]
        return result

    def prep_emails_due(
        self,
        within: timedelta,
        *,
        out_dir: str | Path | None = None,
        send: bool = False,
        progress: Callable[[str], None] | None = None,
    ) -> EmailBatch:
        """Prep emails for every pair with a session in the next ``within``; failures reported."""
        from agent.maillog import SentLog

        now = datetime.now().astimezone()
        due = [
            p
            for p in self.pairs.all()
            if p.next_session is not None and now <= p.next_session <= now + within
        ]
        batch = EmailBatch(pairs=len(due), prepared=0, sent=0)
        if isinstance(progress, BatchProgress):
            progress.start(len(due))

        def settle(pair_id: str, result: EmailResult, pending: Future[EmailResult] | None) -> None:
            try:
                if pending is not None:
                    pending.result()  # the drafts are on the result once written
            except CoachError as exc:
                batch.failed.append({"pair": pair_id, "error": str(exc)})
                return
            finally:
                if progress:
                    progress(pair_id)
            batch.results.append(result)
            batch.prepared += 1
            if refused := failed_deliveries(result):
                batch.failed.append({"pair": pair_id, "error": refused})
            batch.sent += sum(1 for o in result.sent if o.get("status") in ("sent", "resent"))
            batch.already_sent += sum(1 for o in result.sent if o.get("status") == "already-sent")

        with (
            SentLog.at_home(self.settings.home) as log,
            ThreadPoolExecutor(max_workers=DRAFT_WRITERS, thread_name_prefix="drafts") as writer,
        ):
            # Pairs are prepared in groups: one store transaction (one fsync) records a group's
            # planned agendas and draft paths, then its drafts are written on a few threads
            # (each file is fsynced, and fsyncs of different files overlap). An interrupted
            # group has written nothing; memory stays flat; results come in pair order.
            group: list[_PreparedEmail] = []
            waiting: deque[tuple[str, EmailResult, Future[EmailResult] | None]] = deque()

            def flush() -> None:
                if group:
                    self.store.batch([op for draft in group for op in draft.ops])
                for draft in group:
                    pending = writer.submit(self._deliver_email, draft, log)
                    waiting.append((draft.result.pair_id, draft.result, pending))
                    if len(waiting) > DRAFT_WRITERS:
                        settle(*waiting.popleft())
                group.clear()

            for pair in due:
                if not (pair.mentor_email or pair.mentee_email):
                    batch.skipped.append({"pair": pair.id, "reason": "no email addresses"})
                    if progress:
                        progress(pair.id)
                    continue
                try:
                    draft = self._prepare_email(pair, None, out_dir, send, log)
                    if draft.smtp is not None:  # sending: one pair at a time, as prepared
                        self.store.batch(draft.ops)
                        self._deliver_email(draft, log)
                except CoachError as exc:
                    flush()
                    while waiting:
                        settle(*waiting.popleft())
                    batch.failed.append({"pair": pair.id, "error": str(exc)})
                    if progress:
                        progress(pair.id)
                    continue
                if draft.smtp is not None:
                    waiting.append((pair.id, draft.result, None))
                    continue
                group.append(draft)
                if len(group) >= EMAIL_GROUP:
                    flush()
            flush()
            while waiting:
                settle(*waiting.popleft())
        return batch

    # -- simulations -------------------------------------------------------------------
    def _sim_graph(self) -> Any:
        if "sim" not in self._sims:
            from agent.sim_graph import compile_simulation

            self._sims["sim"] = compile_simulation(self.checkpointer, self.store)
        return self._sims["sim"]

    def start_simulation(
        self,
        pair_id: str,
        *,
        scenario_id: str | None = None,
        exercise: str = "experience",
        skill: str | None = None,
    ) -> SimulationTurn:
        """Start an exercise on its own thread; returns the first prompt."""
        if exercise not in ("experience", "ffwd"):
            raise UserInputError(f"exercise must be experience or ffwd, got {exercise!r}")
        # Each exercise takes its own input; the other one's would be dropped without a word.
        if skill is not None and exercise != "ffwd":
            raise UserInputError(
                "a skill to practise goes with Feedback Fast-Forward (exercise='ffwd')",
                cli="a skill to practise goes with Feedback Fast-Forward (--ffwd)",
            )
        if scenario_id is not None and exercise == "ffwd":
            raise UserInputError(
                "a scenario is for the experience simulation; Feedback Fast-Forward takes a skill"
            )
        self.pairs.get(pair_id)
        if scenario_id is not None:
            self.scenarios.get(pair_id, scenario_id)
        if skill is not None:
            skill = _require_text(skill, "skill", 200)
            from agent.offline.ffwd import check_skill

            check_skill(skill)  # "asdf" or a paragraph of instructions: a one-line error
        exclude = self._scenarios_done(pair_id) if exercise == "experience" else []
        thread = self.new_thread(pair_id, kind="sim")
        payload = {
            "pair_id": pair_id,
            "exercise": exercise,
            "scenario_id": scenario_id,
            "skill": skill,
            "exclude": exclude,
        }
        self._sim_invoke(payload, thread)
        return self._sim_turn(thread)

    def answer_simulation(
        self, thread: str, text: str = "", *, kind: str = "answer", pair_id: str | None = None
    ) -> SimulationTurn:
        """Resume a simulation with the mentee's reply: answer, clarify, skip or stop.

        Only a simulation thread (of ``pair_id`` when given) is accepted. Two answers at once
        cannot both land on the same step: the second gets ThreadBusyError and changes nothing.
        """
        from langgraph.types import Command

        if kind not in ("answer", "clarify", "skip", "stop"):
            raise UserInputError(f"kind must be answer, clarify, skip or stop, got {kind!r}")
        if kind in ("answer", "clarify"):
            text = _require_text(text, "answer")
        self.threads.check(thread, "sim", pair_id)
        with self.threads.writing(thread):
            turn = self._resume_simulation(thread)
            if turn.done:
                raise UserInputError(f"simulation {thread} has finished; see `coach simulate show`")
            if kind not in turn.can:
                raise UserInputError(f"at step {turn.step!r} you can: {', '.join(turn.can)}")
            self._sim_invoke(Command(resume={"kind": kind, "text": text}), thread)
            self.threads.touch(thread)
            return self._sim_turn(thread)

    def resume_simulation(self, thread: str, *, pair_id: str | None = None) -> SimulationTurn:
        """Finish steps a killed process left half-done, then report where things stand.

        Completed steps are in the checkpoint, so they (and their LLM calls) are not repeated;
        only the step that was running when the process died runs again.
        """
        self.threads.check(thread, "sim", pair_id)
        with self.threads.writing(thread):
            return self._resume_simulation(thread)

    def _resume_simulation(self, thread: str) -> SimulationTurn:
        snapshot = self._sim_snapshot(thread)
        if snapshot.next and not snapshot.interrupts:
            self._sim_invoke(None, thread)
        return self._sim_turn(thread)

    def _sim_invoke(self, payload: Any, thread: str) -> None:
        config = {"configurable": {"thread_id": thread}}
        try:
            # durability="sync": every step is on disk before the next starts, so a killed
            # process resumes at the same step without repeating an LLM call already made.
            self._sim_graph().invoke(payload, config, context=self.context(), durability="sync")
        except KnowledgeError as exc:
            raise _knowledge_error(exc) from exc

    def _scenarios_done(self, pair_id: str) -> list[str]:
        """Scenarios the pair has finished the experience simulation on."""
        done: list[str] = []
        for thread in self.pairs.threads(pair_id):
            if not thread.startswith("sim-"):
                continue
            values = self._sim_graph().get_state({"configurable": {"thread_id": thread}}).values
            scenario = values.get("scenario") or {}
            if values.get("done") and not values.get("stopped") and scenario.get("id"):
                done.append(str(scenario["id"]))
        return done

    def _sim_snapshot(self, thread: str) -> Any:
        snapshot = self._sim_graph().get_state({"configurable": {"thread_id": thread}})
        if not snapshot.values:
            raise NotFoundError(f"no simulation with thread {thread!r}")
        return snapshot

    def _sim_turn(self, thread: str) -> SimulationTurn:
        snapshot = self._sim_snapshot(thread)
        values = snapshot.values
        gate = snapshot.interrupts[0].value if snapshot.interrupts else None
        return SimulationTurn(
            thread=thread,
            exercise=str(values.get("exercise") or "experience"),
            step=gate["step"] if gate else str(values.get("step") or "done"),
            prompt=gate["prompt"] if gate else str(values.get("prompt") or ""),
            done=gate is None and bool(values.get("done")),
            can=list(gate["can"]) if gate else [],
            engine=values.get("engine") or self.engine,
            notes=list(values.get("notes") or []),
        )

    def show_simulation(self, thread: str, *, pair_id: str | None = None) -> SimulationView:
        """Everything the simulation holds so far (a simulation thread, of ``pair_id`` if given)."""
        turn = self.resume_simulation(thread, pair_id=pair_id)
        values = dict(self._sim_snapshot(thread).values)
        scenario = values.get("scenario") or None
        return SimulationView(
            thread=thread,
            pair_id=values["pair_id"],
            exercise=turn.exercise,
            step=turn.step,
            done=turn.done,
            stopped=bool(values.get("stopped")),
            scenario={k: scenario[k] for k in ("id", "title", "starter")} if scenario else None,
            outline=values.get("outline"),
            clarifications=values.get("clarifications") or [],
            approach=values.get("approach"),
            reveal=values.get("reveal")
            if values.get("comparison") is not None or values.get("reveal")
            else None,
            comparison=values.get("comparison"),
            upcoming=values.get("upcoming"),
            plan=values.get("plan") or [],
            item_ids=values.get("item_ids") or [],
            skill=values.get("skill"),
            rounds=values.get("rounds") or [],
            summary=values.get("summary"),
            skipped=values.get("skipped") or [],
            notes=values.get("notes") or [],
        )

    # -- scenario library --------------------------------------------------------------
    @property
    def scenarios(self) -> Any:
        """The per-pair library of the mentor's key experiences (plus starters)."""
        from agent.scenarios import ScenarioStore

        return ScenarioStore(self.store)

    def show_scenario(self, pair_id: str, scenario_id: str, *, reveal: bool = False) -> Any:
        """One scenario; its response, outcome and principles only with ``reveal=True``.

        Only the mentor should see them before the exercise; the caller cannot be
        authenticated, so they stay hidden unless asked for.
        """
        from agent.scenarios import ScenarioView

        return ScenarioView.of(self.scenarios.get(pair_id, scenario_id), reveal=reveal)

    def list_scenarios(self, pair_id: str) -> list[Any]:
        """The pair's scenarios, then the starters, each with the mentor's side hidden."""
        from agent.scenarios import ScenarioView

        return [ScenarioView.of(s) for s in self.scenarios.list(pair_id)]

    def add_scenario(self, pair_id: str, **fields: Any) -> Any:
        """Record one of the mentor's key experiences."""
        from agent.offline.simulation import leak_failures, present_situation
        from agent.scenarios import Scenario, parse_scenario_input

        self.pairs.get(pair_id)
        data = parse_scenario_input(**fields)

        draft = Scenario(**data.model_dump(), id="draft", created_at=datetime.now(UTC))
        if leak_failures(present_situation(draft), draft):
            raise UserInputError(
                "the situation or constraints give away what you did; describe only what you "
                "faced, and keep your response for the response field",
                cli="the situation or constraints give away what you did; describe only what you "
                "faced, and keep your response for --response",
            )
        return self.scenarios.add(pair_id, data)

    # -- chat threads ------------------------------------------------------------------
    @property
    def threads(self) -> Threads:
        """Which pair and kind each thread is, chat history, and one writer per thread."""
        return Threads(self.store, self.settings.home / "locks")

    def new_thread(self, pair_id: str | None = None, kind: str = "chat") -> str:
        """A new conversation thread id, registered (with its pair when given)."""
        thread = f"{kind}-{uuid.uuid4().hex[:10]}"
        self._register_thread(thread, pair_id, kind)
        return thread

    def _register_thread(self, thread: str, pair_id: str | None, kind: str) -> None:
        if pair_id is not None:
            self.pairs.register_thread(pair_id, thread, kind)
        self.threads.register(thread, pair_id, kind)

    def latest_thread(self, pair_id: str | None = None, kind: str = "chat") -> str | None:
        """The most recently used thread of this kind for the pair (or with no pair)."""
        return self.threads.latest(pair_id, kind)

    def chat_thread_pair(self, thread: str, pair_id: str | None = None) -> str | None:
        """The pair of an existing chat thread; refused if it is another pair's or not a chat."""
        owner = self.threads.check(thread, "chat", pair_id).get("pair_id")
        return str(owner) if owner is not None else None

    def chat(
        self,
        text: str,
        *,
        thread: str | None = None,
        pair_id: str | None = None,
        task: Intent | None = None,
    ) -> ChatReply:
        """One conversational turn; the thread keeps the history across restarts.

        A thread belongs to one pair and is a chat thread: another pair's thread or a
        simulation's is refused. An id never seen before starts a chat thread of ``pair_id``.
        """
        text = _require_text(text, "message")
        if task is not None and task not in INTENTS:
            raise UserInputError(f"task must be one of {', '.join(INTENTS)}, got {task!r}")
        if pair_id is not None:
            self.pairs.get(pair_id)
        if thread is None:
            thread = self.new_thread(pair_id)
        elif self.threads.record(thread) is None:
            self._register_thread(thread, pair_id, "chat")
        else:
            pair_id = self.chat_thread_pair(thread, pair_id)
        with self.threads.writing(thread, wait=CHAT_LOCK_WAIT):
            if "turns" not in (self.threads.record(thread) or {}):
                # A thread from before history moved to the store: bring its history along
                # before pruning drops the checkpoints that hold it.
                self.threads.append(thread, self.history(thread))
            out = self._run(text, task, pair_id, thread=thread)
            reply = str(out.get("reply", ""))
            self.threads.append(
                thread, [{"role": "user", "content": text}, {"role": "coach", "content": reply}]
            )
            from agent.stores import prune_thread

            # The history is in the store now: older checkpoints would only repeat it.
            prune_thread(self.checkpointer, thread)
        return ChatReply(
            thread=thread,
            intent=str(out.get("intent", "other")),
            reply=reply,
            engine=out.get("engine", "offline"),
            result=out.get("result"),
            notes=list(out.get("notes") or []),
        )

    def thread_exists(self, thread: str) -> bool:
        """Whether a thread id is known."""
        return self.threads.record(thread) is not None

    def history(self, thread: str) -> list[Turn]:
        """The turns of a thread so far (empty for an unknown thread)."""
        stored = self.threads.history(thread)
        if stored:
            return stored
        # Threads from before history moved to the store keep it in their checkpoint.
        snapshot = self.graph().get_state({"configurable": {"thread_id": thread}})
        return list(snapshot.values.get("history") or [])

    def add_history(self, thread: str, turns: Sequence[Turn]) -> None:
        """Add lines to a chat thread's history that did not go through :meth:`chat`.

        The chat REPL records a simulation run inside a conversation this way, so the
        conversation's history (and its resume preview) shows it.
        """
        record = self.threads.record(thread)
        if record is None or record.get("kind") != "chat":
            raise NotFoundError(f"no chat thread {thread!r}")
        with self.threads.writing(thread, wait=CHAT_LOCK_WAIT):
            self.threads.append(thread, [Turn(role=t["role"], content=t["content"]) for t in turns])

    # -- pairs -------------------------------------------------------------------------
    def add_pair(self, *, past: bool = False, **fields: Any) -> Pair:
        """Create a mentoring pair (see :class:`agent.memory.PairInput` for the fields).

        A next session in the past is refused unless ``past`` (it is usually a typo, and
        nothing would be prepared for it).
        """
        from agent.memory import PairInput

        unknown = sorted(set(fields) - set(PairInput.model_fields))
        if unknown:  # a misspelt field (mentee_emial=) must not be dropped silently
            raise UserInputError(
                f"unknown pair field {unknown[0]!r}; fields: {', '.join(PairInput.model_fields)}"
            )
        data = parse_pair_input(**fields)
        if not past:
            _refuse_past(data.next_session)
        existing = self.pairs.find(data.mentor, data.mentee)
        if existing is not None:
            raise UserInputError(
                f"{data.mentor} and {data.mentee} are already a pair ({existing.id}); see "
                f"`coach pair show {existing.id}`"
            )
        return self.pairs.add(data)

    def update_pair(self, pair_id: str, *, past: bool = False, **changes: Any) -> Pair:
        """Change a stored pair's fields (validated like ``add_pair``; all or nothing).

        Editable: ``mentor`` and ``mentee`` (a corrected name; their items follow it),
        ``mentor_email``, ``mentee_email``, ``mentor_short``, ``mentee_short`` (the names
        prose addresses them by; ``""`` clears any of these four), ``goals`` (replaces the list),
        ``programme_weeks``, ``start``, ``minutes``, ``cadence``, ``next_session`` (in the past
        only with ``past``).
        """
        from agent.memory import edit_pair

        updated = edit_pair(self.pairs.get(pair_id), changes)
        if "next_session" in changes and not past:
            _refuse_past(updated.next_session)
        return self.pairs.update(updated)

    def overdue_items(self, pair_id: str, on: date | None = None) -> list[StoredItem]:
        """The pair's open items whose due date is before ``on`` (default: today)."""
        today = on or date.today()
        return [i for i in self.pairs.items(pair_id, status="open") if i.due and i.due < today]

    def list_pairs(self) -> list[Pair]:
        """Every stored pair."""
        return self.pairs.all()

    def get_pair(self, pair_id: str) -> Pair:
        """One pair, or NotFoundError."""
        return self.pairs.get(pair_id)

    def forget_pair(self, pair_id: str, *, keep_invitations: bool = False) -> ForgetReport:
        """Remove everything stored about a pair: record, items, sessions, threads, drafts.

        Every thread of the pair goes (however many), with its history and checkpoints, and
        so do the .eml drafts written for the pair, wherever they were written. A session
        invitation sent and not cancelled is refused unless ``keep_invitations``: once the
        pair is gone, nothing could cancel it in the two calendars it sits in.
        """
        self.check_forget(pair_id, keep_invitations=keep_invitations)
        threads = self.threads.forget_pair(pair_id, self.pairs.threads(pair_id))
        for thread in threads:
            self.checkpointer.delete_thread(thread)
        drafts = forget_drafts(self.store, pair_id)
        report = self.pairs.forget(pair_id)
        from agent.maillog import SentLog

        # The sent-mail log holds the pair's addresses: forgetting the pair removes them too.
        if (self.settings.home / "sent-mail.sqlite").exists():
            with SentLog.at_home(self.settings.home) as log:
                log.forget_pair(pair_id)
        return report.model_copy(update={"threads": len(threads), "drafts": drafts})

    def check_forget(self, pair_id: str, *, keep_invitations: bool = False) -> None:
        """Raise the error :meth:`forget_pair` would raise, without removing anything."""
        from agent.maillog import SentLog

        self.pairs.get(pair_id)
        if keep_invitations or not (self.settings.home / "sent-mail.sqlite").exists():
            return
        now = datetime.now(UTC)
        with SentLog.at_home(self.settings.home) as log:
            live = [m for m in log.meetings(pair_id) if not m.cancelled and m.start > now]
        if live:
            when = local_clock(max(live, key=lambda m: m.updated_at).start)
            cancel = (
                f'`coach pair set {pair_id} --next ""`, then `coach email --pair {pair_id} --send`'
            )
            raise UserInputError(
                f"{pair_id} has a session invitation out for {when}: cancel it first ({cancel}), "
                "or pass keep_invitations=True to forget the pair anyway",
                cli=f"{pair_id} has a session invitation out for {when}: cancel it first "
                f"({cancel}), or add --keep-invitations to forget the pair anyway",
            )

    def open_items(self, pair_id: str) -> list[StoredItem]:
        """The pair's open action items."""
        return self.pairs.items(pair_id, status="open")

    # -- async -------------------------------------------------------------------------
    async def aextract_actions(self, notes: str, **kwargs: Any) -> ActionExtraction:
        """Async :meth:`extract_actions`."""
        return await asyncio.to_thread(lambda: self.extract_actions(notes, **kwargs))

    async def adraft_agenda(self, **kwargs: Any) -> Agenda:
        """Async :meth:`draft_agenda`."""
        return await asyncio.to_thread(lambda: self.draft_agenda(**kwargs))

    async def areframe(self, text: str) -> ReframeResult:
        """Async :meth:`reframe`."""
        return await asyncio.to_thread(self.reframe, text)

    async def asuggest_questions(self, pair_id: str | None = None) -> QuestionSuggestions:
        """Async :meth:`suggest_questions`."""
        return await asyncio.to_thread(self.suggest_questions, pair_id)

    async def aask(self, question: str) -> GuideAnswer:
        """Async :meth:`ask`."""
        return await asyncio.to_thread(self.ask, question)

    async def achat(self, text: str, **kwargs: Any) -> ChatReply:
        """Async :meth:`chat`."""
        return await asyncio.to_thread(lambda: self.chat(text, **kwargs))

    async def asearch(
        self, query: str, k: int = 5, *, topic: str | None = None, stage: str | None = None
    ) -> SearchResults:
        """Async :meth:`search`."""
        return await asyncio.to_thread(self.search, query, k, topic=topic, stage=stage)

    async def aingest(self, paths: Sequence[str | Path]) -> IngestReport:
        """Async :meth:`ingest`."""
        return await asyncio.to_thread(self.ingest, paths)

    async def aadd_pair(self, **fields: Any) -> Pair:
        """Async :meth:`add_pair`."""
        return await asyncio.to_thread(lambda: self.add_pair(**fields))

    async def aupdate_pair(self, pair_id: str, **changes: Any) -> Pair:
        """Async :meth:`update_pair`."""
        return await asyncio.to_thread(lambda: self.update_pair(pair_id, **changes))

    async def aforget_pair(self, pair_id: str, *, keep_invitations: bool = False) -> ForgetReport:
        """Async :meth:`forget_pair`."""
        return await asyncio.to_thread(
            lambda: self.forget_pair(pair_id, keep_invitations=keep_invitations)
        )

    async def acomplete_item(self, pair_id: str, item_id: str) -> StoredItem:
        """Async :meth:`complete_item`."""
        return await asyncio.to_thread(self.complete_item, pair_id, item_id)

    async def aadd_item(self, pair_id: str, action: str, **fields: Any) -> StoredItem:
        """Async :meth:`add_item`."""
        return await asyncio.to_thread(self.add_item, pair_id, action, **fields)

    async def aedit_item(self, pair_id: str, item_id: str, **changes: Any) -> StoredItem:
        """Async :meth:`edit_item`."""
        return await asyncio.to_thread(self.edit_item, pair_id, item_id, **changes)

    async def aremove_item(self, pair_id: str, item_id: str) -> StoredItem:
        """Async :meth:`remove_item`."""
        return await asyncio.to_thread(self.remove_item, pair_id, item_id)

    async def aprep_email(self, pair_id: str, **kwargs: Any) -> EmailResult:
        """Async :meth:`prep_email` (SMTP sends block: they run on a worker thread)."""
        return await asyncio.to_thread(lambda: self.prep_email(pair_id, **kwargs))

    async def aprep_emails_due(self, within: timedelta, **kwargs: Any) -> EmailBatch:
        """Async :meth:`prep_emails_due`."""
        return await asyncio.to_thread(lambda: self.prep_emails_due(within, **kwargs))

    async def astart_simulation(self, pair_id: str, **kwargs: Any) -> SimulationTurn:
        """Async :meth:`start_simulation`."""
        return await asyncio.to_thread(lambda: self.start_simulation(pair_id, **kwargs))

    async def aanswer_simulation(
        self, thread: str, text: str = "", **kwargs: Any
    ) -> SimulationTurn:
        """Async :meth:`answer_simulation`."""
        return await asyncio.to_thread(lambda: self.answer_simulation(thread, text, **kwargs))

    # -- lifecycle ---------------------------------------------------------------------
    def close(self) -> None:
        """Release open stores and clients."""
        if self._chat is not None and hasattr(self._chat, "close"):
            self._chat.close()
        self._stack.close()
        self._store = self._saver = None
        self._graphs.clear()
        self._sims.clear()
        from agent.files import secure_home

        # Files a library created with the user's umask (Chroma segments) are tightened.
        secure_home(self.settings.home)

    def __enter__(self) -> Coach:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextmanager
def _options_named() -> Iterator[None]:
    """An item field's error in the CLI's words: "action must not be empty" is --action's."""
    try:
        yield
    except UserInputError as exc:
        message = str(exc)
        if exc.cli is None and message.split(" ", 1)[0] in ("owner", "action"):
            raise UserInputError(message, cli=f"--{message}") from None
        raise
