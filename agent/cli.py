"""The ``coach`` command line: a thin Typer layer over :class:`agent.api.Coach`."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer

from agent import render
from agent.errors import CoachError, UserInputError, field_problem, plain_detail

if TYPE_CHECKING:  # `coach --help` imports none of these: only the command that runs does
    from pydantic import BaseModel
    from rich.console import Console

    from agent.api import Coach
    from agent.models import SimulationTurn

try:  # typer >= 0.20 vendors click; older releases use the click package
    from typer._click import exceptions as click_exceptions
except ImportError:  # pragma: no cover
    from click import exceptions as click_exceptions  # type: ignore[no-redef]

HELP_OPTIONS = ["-h", "--help"]
app = typer.Typer(
    name="coach",
    help="session-coach: a coaching agent for tech mentoring pairs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": HELP_OPTIONS},
)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print exactly one JSON document.")]
T = TypeVar("T")


def _version(show: bool) -> None:
    if not show:
        return
    from agent import __version__

    sys.stdout.write(f"session-coach {__version__}\n")
    raise typer.Exit()


@app.callback()
def _options(
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose",
            "-v",
            help="Also say on stderr what the checks found when an answer was replaced, "
            "and what the LLM endpoint did (retries, format step-downs).",
        ),
    ] = False,
    show_version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", is_eager=True, callback=_version
        ),
    ] = False,
) -> None:
    if verbose:
        _log_to_stderr()


def _log_to_stderr() -> None:
    """Send the agent's INFO log lines to stderr (stdout stays for the answer or JSON)."""
    import logging

    logger = logging.getLogger("agent")
    logger.setLevel(logging.INFO)
    if not any(getattr(h, "_coach_verbose", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("coach: %(message)s"))
        handler._coach_verbose = True  # type: ignore[attr-defined]
        logger.addHandler(handler)


class _State:
    coach: Coach | None = None


def _coach() -> Coach:
    if _State.coach is None:
        from pydantic import ValidationError

        from agent.api import Coach
        from agent.config import Settings

        try:
            _State.coach = Coach(Settings())
        except ValidationError as exc:
            error = exc.errors()[0]
            field = ".".join(str(p) for p in error.get("loc", ())) or "settings"
            name = field if field.isupper() else f"COACH_{field.upper()}"
            secret = "KEY" in name or "URL" in name  # a URL may carry a password
            problem = field_problem(error, show_value=not secret)
            raise UserInputError(f"bad setting: {name} {problem}") from exc
    return _State.coach


def emit(model: BaseModel, as_json: bool, human: Callable[[Console], None]) -> None:
    """Print one JSON document, or the readable rendering."""
    if as_json:
        sys.stdout.write(model.model_dump_json(indent=2) + "\n")
    else:
        from rich.console import Console

        # Into a pipe or a file, lines are not hard-wrapped: URLs stay whole and grep finds text.
        human(Console(highlight=False, soft_wrap=not sys.stdout.isatty()))


@contextmanager
def _progress(make: Callable[[], AbstractContextManager[T]], as_json: bool) -> Iterator[T | None]:
    """A progress bar (terminal) or summary line (pipe) on stderr; none with --json."""
    if as_json:
        yield None
        return
    with make() as hook:
        yield hook


def _fail(message: str, code: int) -> NoReturn:
    first_line = " ".join(str(message).split()) or "unknown error"
    sys.stderr.write(f"coach: error: {first_line}\n")
    raise SystemExit(code)


@app.command(
    help="Add guide files to the knowledge base; re-running changes only what changed.\n\n"
    "A guide deleted since it was ingested leaves the index when its path is ingested again."
    "\n\nFiles up to 2 MB. About 7 passages are indexed a second (1 MB of text in some 3 "
    "minutes, measured on 2 shared cores); an ingest that will take over a minute says so "
    "first, and progress goes to stderr. Ctrl-C stops safely: files already written stay "
    "searchable, the rest are left as they were."
)
def ingest(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders (.md, .txt, .html).")
    ] = None,
    reindex: Annotated[
        bool,
        typer.Option(
            "--reindex",
            help="Rebuild the whole index (after changing embeddings); guides whose files "
            "no longer exist are dropped.",
        ),
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Add guide files to the knowledge base; re-running changes only what changed.

    A guide deleted since it was ingested leaves the index when its path is ingested again.
    """
    from agent.progress import ingest_progress
    from knowledge.progress import IngestInterrupted

    coach = _coach()
    if not paths and not reindex:
        raise UserInputError("give at least one file or folder to ingest (or --reindex)")
    try:
        # With --json only a long ingest's note reaches stderr; the report is all of stdout.
        with ingest_progress(quiet=as_json) as hook:
            if reindex:
                report = coach.reindex(paths or [], progress=hook)
            else:
                report = coach.ingest(paths or [], progress=hook)
    except IngestInterrupted as stop:
        sys.stderr.write(_interrupted_text(stop) + "\n")
        raise SystemExit(130) from None
    for skip in report.skipped:
        sys.stderr.write(f"coach: skipped {skip.path}: {skip.reason}\n")
    for warned in report.warnings:
        sys.stderr.write(f"coach: warning: {warned.path}: {warned.warning}\n")
    emit(report, as_json, lambda console: render.ingest_report(console, report))
    if report.skipped and not (report.added + report.updated + report.unchanged):
        raise SystemExit(2)  # nothing could be ingested: the input was bad


def _interrupted_text(stop: Any) -> str:
    """What a Ctrl-C during ingest changed and what it left, in one line."""
    from knowledge.store import BUILTIN_PREFIX

    if stop.kept:  # a stopped --reindex: it is built beside the index, swapped in when done
        return (
            "coach: interrupted: the rebuild stopped before it finished, so the index is as it "
            "was; run `coach ingest --reindex` again to rebuild it."
        )
    report = stop.report
    done = report.added + report.updated
    wrote = (
        f"{render.plural(done, 'file')} written "
        f"({render.plural(report.chunks_added, 'passage')} added), "
        "searchable now"
        if done
        else "nothing was written"
    )
    pending = [p for p in stop.pending if not p.startswith(BUILTIN_PREFIX)]
    if any(p.startswith(BUILTIN_PREFIX) for p in stop.pending):
        left = "the shipped guides are indexed again on the next run"
    elif pending:
        left = (
            f"{render.plural(len(pending), 'file')} left as before; run the same command "
            "again to finish" + (" (the files written are then reported unchanged)" if done else "")
        )
    else:
        left = "the index is intact"
    return f"coach: interrupted: {wrote}; {left}."


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What you want guidance on, in your own words.")],
    k: Annotated[int, typer.Option("-k", "--k", help="How many passages (1-50).")] = 5,
    topic: Annotated[str | None, typer.Option(help="Only guides with this topic.")] = None,
    stage: Annotated[
        str | None,
        typer.Option(help="Only guides for this programme stage (first-session, regular, ...)."),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Find the guide passages nearest in meaning to QUERY."""
    results = _coach().search(query, k, topic=topic, stage=stage)
    emit(results, as_json, lambda console: render.search_results(console, results))


@app.command()
def reframe(
    text: Annotated[
        str, typer.Argument(help="The question you want to ask your partner (- reads stdin).")
    ],
    as_json: JsonFlag = False,
) -> None:
    """Turn a judgemental question into curious ones (or refine a curious one)."""
    result = _coach().reframe(sys.stdin.read() if text == "-" else text)
    emit(result, as_json, lambda console: render.reframe_result(console, result))


@app.command()
def questions(
    pair: Annotated[
        str | None, typer.Option("--pair", help="Pair id (see `coach pair list`).")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Suggest curious questions for a pair's next session."""
    result = _coach().suggest_questions(pair)
    emit(result, as_json, lambda console: render.question_suggestions(console, result))


pair_app = typer.Typer(help="Mentoring pairs: add, set, list, show, forget.", no_args_is_help=True)
app.add_typer(pair_app, name="pair")


def _parse_datetime(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value.strip(), "%Y-%m-%d %H:%M")
    except ValueError:
        text = value.strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{1,2}:\d{2}", text):
            raise UserInputError(f"{option} {text!r} is not a real date and time") from None
        raise UserInputError(f'{option} must look like "YYYY-MM-DD HH:MM", got {value!r}') from None


def _parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        text = value.strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):  # the right shape: say what is wrong
            raise UserInputError(f"{option} {text!r} is not a real date") from None
        raise UserInputError(f"{option} must be a date YYYY-MM-DD, got {value!r}") from None


def _nonblank(values: list[str] | None, option: str) -> list[str] | None:
    """A repeatable text option's values, refusing a blank one (it would store nothing)."""
    if values is not None and any(not v.strip() for v in values):
        raise UserInputError(f"{option} must not be empty")
    return values


# The pair record's fields as the options that set them, so errors name what the user typed.
_PAIR_OPTIONS = {
    "mentor": "--mentor",
    "mentee": "--mentee",
    "mentor_email": "--mentor-email",
    "mentee_email": "--mentee-email",
    "mentor_short": "--mentor-short",
    "mentee_short": "--mentee-short",
    "goals": "--goal",
    "programme_weeks": "--weeks",
    "start": "--start",
    "minutes": "--minutes",
    "cadence": "--cadence",
    "next_session": "--next",
}


@contextmanager
def _pair_options() -> Iterator[None]:
    """Say a pair record's validation error in terms of the CLI's options."""
    try:
        yield
    except UserInputError as exc:
        if exc.field not in _PAIR_OPTIONS or exc.detail is None:
            raise
        raise UserInputError(f"{_PAIR_OPTIONS[exc.field]} {plain_detail(exc.detail)}") from exc


_SHORT_HELP = (
    'The name agendas and emails address the {0} by ("Minh" for "Đặng Minh"); '
    "default: the given name after a comma, the whole name for Chinese, Japanese, Korean or "
    "Vietnamese names, else the first word."
)


@pair_app.command("add")
def pair_add(
    mentor: Annotated[str, typer.Option(help="Mentor's name.")],
    mentee: Annotated[str, typer.Option(help="Mentee's name.")],
    mentor_email: Annotated[str | None, typer.Option(help="Mentor's email.")] = None,
    mentee_email: Annotated[str | None, typer.Option(help="Mentee's email.")] = None,
    mentor_short: Annotated[str | None, typer.Option(help=_SHORT_HELP.format("mentor"))] = None,
    mentee_short: Annotated[str | None, typer.Option(help=_SHORT_HELP.format("mentee"))] = None,
    goal: Annotated[list[str] | None, typer.Option(help="A goal (repeatable).")] = None,
    weeks: Annotated[int, typer.Option(help="Programme length in weeks (1-104).")] = 12,
    start: Annotated[str | None, typer.Option(help="Programme start, YYYY-MM-DD.")] = None,
    minutes: Annotated[int, typer.Option(help="Session length in minutes (30-120).")] = 60,
    cadence: Annotated[str, typer.Option(help="weekly, fortnightly or monthly.")] = "weekly",
    next_session: Annotated[
        str | None, typer.Option("--next", help='Next session, "YYYY-MM-DD HH:MM".')
    ] = None,
    past: Annotated[bool, typer.Option("--past", help="Accept a --next date in the past.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Create a mentoring pair."""
    coach = _coach()
    with _pair_options():
        pair = coach.add_pair(
            past=past,
            mentor=mentor,
            mentee=mentee,
            mentor_email=mentor_email,
            mentee_email=mentee_email,
            mentor_short=mentor_short,
            mentee_short=mentee_short,
            goals=_nonblank(goal, "--goal") or [],
            programme_weeks=weeks,
            start=_parse_date(start, "--start"),
            minutes=minutes,
            cadence=cadence,
            next_session=_parse_datetime(next_session, "--next"),
        )
    emit(pair, as_json, lambda console: render.pair_added(console, pair))


@pair_app.command("set")
def pair_set(
    pair_id: Annotated[str, typer.Argument(metavar="ID", help="Pair id.")],
    next_session: Annotated[
        str | None,
        typer.Option("--next", help='Next session, "YYYY-MM-DD HH:MM" ("" removes it).'),
    ] = None,
    mentor: Annotated[
        str | None, typer.Option(help="Mentor's name, corrected (the id stays).")
    ] = None,
    mentee: Annotated[
        str | None, typer.Option(help="Mentee's name, corrected (the id stays).")
    ] = None,
    mentor_email: Annotated[
        str | None, typer.Option(help='Mentor\'s email ("" removes it).')
    ] = None,
    mentee_email: Annotated[
        str | None, typer.Option(help='Mentee\'s email ("" removes it).')
    ] = None,
    mentor_short: Annotated[
        str | None, typer.Option(help=_SHORT_HELP.format("mentor") + ' ("" removes it)')
    ] = None,
    mentee_short: Annotated[
        str | None, typer.Option(help=_SHORT_HELP.format("mentee") + ' ("" removes it)')
    ] = None,
    goal: Annotated[
        list[str] | None, typer.Option(help="A goal (repeatable; replaces the goals).")
    ] = None,
    weeks: Annotated[int | None, typer.Option(help="Programme length in weeks (1-104).")] = None,
    start: Annotated[str | None, typer.Option(help="Programme start, YYYY-MM-DD.")] = None,
    minutes: Annotated[int | None, typer.Option(help="Session length in minutes (30-120).")] = None,
    cadence: Annotated[str | None, typer.Option(help="weekly, fortnightly or monthly.")] = None,
    past: Annotated[bool, typer.Option("--past", help="Accept a --next date in the past.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Change a pair's schedule, names, emails or goals (only the options given change)."""
    given = {
        "next_session": _parse_datetime((next_session or "").strip() or None, "--next"),
        "mentor": mentor,
        "mentee": mentee,
        "mentor_email": mentor_email,
        "mentee_email": mentee_email,
        "mentor_short": mentor_short,
        "mentee_short": mentee_short,
        "goals": _nonblank(goal, "--goal"),
        "programme_weeks": weeks,
        "start": _parse_date(start, "--start"),
        "minutes": minutes,
        "cadence": cadence,
    }
    changes: dict[str, Any] = {k: v for k, v in given.items() if v is not None}
    if next_session is not None and not next_session.strip():
        changes["next_session"] = None  # removed: `coach email --send` then cancels it
    if not changes:
        raise UserInputError(
            "nothing to change: give --next, --mentor, --mentee, --mentor-email, "
            "--mentee-email, --mentor-short, --mentee-short, --goal, --weeks, --start, "
            "--minutes or --cadence"
        )
    coach = _coach()
    with _pair_options():
        pair = coach.update_pair(pair_id, past=past, **changes)
    items, late = coach.open_items(pair.id), [i.id for i in coach.overdue_items(pair.id)]
    emit(pair, as_json, lambda console: render.pair_detail(console, pair, items, late))


@pair_app.command("list")
def pair_list(as_json: JsonFlag = False) -> None:
    """List the stored pairs."""
    from agent.listings import PairList

    pairs = PairList(pairs=_coach().list_pairs())
    emit(pairs, as_json, lambda console: render.pair_list(console, pairs.pairs))


@pair_app.command("show")
def pair_show(
    pair_id: Annotated[str, typer.Argument(metavar="ID", help="Pair id.")],
    as_json: JsonFlag = False,
) -> None:
    """Show a pair with its open action items."""
    from agent.listings import PairDetail

    coach = _coach()
    pair = coach.get_pair(pair_id)
    items = coach.open_items(pair_id)
    overdue = [i.id for i in coach.overdue_items(pair_id)]
    detail = PairDetail(pair=pair, open_items=items, overdue=overdue)
    emit(detail, as_json, lambda console: render.pair_detail(console, pair, items, overdue))


def _confirm_forget(pair_id: str, people: str) -> None:
    """Ask before a forget that cannot be undone; without a terminal, insist on --yes."""
    if not sys.stdin.isatty():
        raise UserInputError(
            f"pair forget removes everything stored about {pair_id} and cannot be undone; "
            "add --yes to confirm"
        )
    try:
        answer = input(
            f"Forget {pair_id} ({people}): the record, action items, sessions, threads and "
            "drafts? This cannot be undone. [y/N] "
        )
    except EOFError:
        answer = ""
    if answer.strip().lower() not in {"y", "yes"}:
        print(f"Kept {pair_id}: nothing was removed.", file=sys.stderr)
        raise SystemExit(1)


@pair_app.command("forget")
def pair_forget(
    pair_id: Annotated[str, typer.Argument(metavar="ID", help="Pair id.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    keep_invitations: Annotated[
        bool,
        typer.Option(
            "--keep-invitations",
            help="Forget even when a session invitation is out (it stays in both calendars).",
        ),
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Remove everything stored about a pair (record, items, threads, drafts)."""
    coach = _coach()
    pair = coach.get_pair(pair_id)
    # Refused before asking, so nobody confirms a forget that then fails.
    coach.check_forget(pair.id, keep_invitations=keep_invitations)
    if not yes:
        _confirm_forget(pair.id, f"{pair.mentor} and {pair.mentee}")
    report = coach.forget_pair(pair.id, keep_invitations=keep_invitations)
    emit(
        report,
        as_json,
        lambda console: console.print(
            f"Forgot pair {report.id}: {report.items} action items and "
            f"{report.threads} threads removed."
        ),
    )


@app.command()
def actions(
    target: Annotated[
        str,
        typer.Argument(
            metavar="FILE|list|add|done|edit|remove",
            help="Notes file (- reads stdin), or `list`, `add`, `done`, `edit`, `remove`.",
        ),
    ],
    item: Annotated[
        str | None,
        typer.Argument(
            metavar="[ITEM]", help="Item id (for done, edit, remove); the wording (for add)."
        ),
    ] = None,
    pair: Annotated[str | None, typer.Option("--pair", help="Pair id.")] = None,
    mentor: Annotated[str | None, typer.Option(help="Mentor's name (pair not stored).")] = None,
    mentee: Annotated[str | None, typer.Option(help="Mentee's name (pair not stored).")] = None,
    author: Annotated[str | None, typer.Option(help="Who wrote the notes (for 'I').")] = None,
    attendee: Annotated[
        list[str] | None, typer.Option(help="Another person in the session (repeatable).")
    ] = None,
    on: Annotated[str | None, typer.Option("--date", help="Session date, YYYY-MM-DD.")] = None,
    save: Annotated[bool, typer.Option("--save", help="Store the items on the pair.")] = False,
    show_all: Annotated[bool, typer.Option("--all", help="With list: done items too.")] = False,
    owner: Annotated[str | None, typer.Option(help="With add or edit: the owner.")] = None,
    action: Annotated[str | None, typer.Option(help="With edit: the new wording.")] = None,
    due: Annotated[
        str | None,
        typer.Option(help="With add or edit: the due date, YYYY-MM-DD (none clears it)."),
    ] = None,
    unassign: Annotated[
        bool, typer.Option("--unassign", help="With edit: the item has no owner.")
    ] = False,
    anyway: Annotated[
        bool,
        typer.Option("--anyway", help="With add: store it though an open item reads the same."),
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Pull action items out of session notes; list, add, done, edit and remove manage them."""
    coach = _coach()
    edits = {"--owner": owner, "--action": action, "--due": due, "--unassign": unassign or None}
    given = [name for name, value in edits.items() if value is not None]
    edit_only = [name for name in given if name not in ("--owner", "--due")]
    if target == "add" and edit_only:
        raise UserInputError(
            f"{edit_only[0]} goes with `coach actions edit ITEM`; "
            "`add` takes the wording, --owner and --due"
        )
    if given and target not in ("edit", "add"):
        raise UserInputError(f"{given[0]} goes with `coach actions edit ITEM`")
    if anyway and target != "add":
        raise UserInputError('--anyway goes with `coach actions add "WORDING"`')
    if target in ("list", "add", "done", "edit", "remove"):
        if pair is None:
            raise UserInputError(f"`coach actions {target}` needs --pair ID")
        notes_only = {"--mentor": mentor, "--mentee": mentee, "--author": author, "--date": on}
        ignored = [name for name, value in notes_only.items() if value is not None]
        if ignored or attendee or save:
            flag = (ignored or (["--attendee"] if attendee else ["--save"]))[0]
            raise UserInputError(f"{flag} goes with a notes file, not `coach actions {target}`")
        if target in ("edit", "remove") and item is None:
            raise UserInputError(f"`coach actions {target}` needs the item id (see `actions list`)")
        if target == "add":
            if item is None:
                raise UserInputError('`coach actions add` needs the wording: add "Send the RFC"')
            if due is not None and due.strip().lower() == "none":
                raise UserInputError("--due none goes with `coach actions edit ITEM`")
            added = coach.add_item(
                pair, item, owner=owner, due=_parse_date(due, "--due"), allow_similar=anyway
            )
            emit(added, as_json, lambda console: render.item_list(console, [added]))
            return
        if target == "edit":
            assert item is not None
            cleared = due is not None and due.strip().lower() == "none"
            edited = coach.edit_item(
                pair,
                item,
                owner=owner,
                action=action,
                due=None if cleared else _parse_date(due, "--due"),
                clear_due=cleared,
                unassign=unassign,
            )
            emit(edited, as_json, lambda console: render.item_list(console, [edited]))
            return
        if target == "remove":
            assert item is not None
            removed = coach.remove_item(pair, item)
            emit(removed, as_json, lambda console: console.print(f"Removed: {removed.action}"))
            return
        if target == "done":
            if item is None:
                raise UserInputError("`coach actions done` needs the item id (see `actions list`)")
            done_before = {i.id for i in coach.items(pair, "done")}
            done = coach.complete_item(pair, item)  # the id may be the start of one
            lead = "Already done" if done.id in done_before else "Done"
            emit(done, as_json, lambda console: console.print(f"{lead}: {done.action}"))
            return
        if item is not None:
            raise UserInputError(f"unexpected argument {item!r} (`actions list` takes none)")
        from agent.listings import ItemList

        listed = ItemList(items=coach.items(pair, None if show_all else "open"))
        emit(listed, as_json, lambda console: render.item_list(console, listed.items))
        return
    if item is not None:
        raise UserInputError(f"unexpected argument {item!r}")
    if pair is not None and (mentor or mentee):
        raise UserInputError("give --pair or --mentor/--mentee, not both (the pair names them)")
    from agent.notes_file import read_notes

    notes = sys.stdin.read() if target == "-" else read_notes(Path(target))
    result = coach.extract_actions(
        notes,
        pair_id=pair,
        mentor=mentor,
        mentee=mentee,
        author=author,
        session_date=_parse_date(on, "--date"),
        others=_nonblank(attendee, "--attendee"),
        save=save,
    )
    emit(result, as_json, lambda console: render.action_extraction(console, result, save))


@app.command()
def agenda(
    pair: Annotated[str | None, typer.Option("--pair", help="Pair id.")] = None,
    context: Annotated[
        Path | None, typer.Option("--context", help="JSON context for a pair not stored.")
    ] = None,
    minutes: Annotated[int | None, typer.Option(help="Session length (30-120).")] = None,
    session: Annotated[int | None, typer.Option(help="Session number (1 = first).")] = None,
    prep: Annotated[
        str | None,
        typer.Option(
            help="The mentee's prep notes (with --pair, default: what the session's agenda "
            "was last drafted with, as `coach email` uses)."
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Draft a time-boxed agenda for a pair's next session."""
    coach = _coach()
    _nonblank(None if prep is None else [prep], "--prep")
    if (pair is None) == (context is None):
        raise UserInputError("give either --pair ID or --context FILE")
    if minutes is not None and not 30 <= minutes <= 120:
        raise UserInputError(f"--minutes must be between 30 and 120, got {minutes}")
    if session is not None and session < 1:
        raise UserInputError(f"--session must be 1 or more, got {session}")
    ctx = None
    if context is not None:
        from agent.agenda import load_context_file

        if not context.exists() or context.is_dir():  # a pipe (<(...)) is fine
            raise UserInputError(f"no such context file: {str(context)!r}")
        ctx = load_context_file(
            context, overrides={"minutes": minutes, "session_number": session, "prep": prep}
        )
    if ctx is not None:  # the options are in the context now
        result = coach.draft_agenda(context=ctx)
    else:
        result = coach.draft_agenda(pair_id=pair, minutes=minutes, session=session, prep=prep)
    emit(result, as_json, lambda console: render.agenda(console, result))


def _parse_within(value: str) -> timedelta:
    match = re.fullmatch(r"\s*(\d+)\s*([hdw])\s*", value)
    if not match:
        raise UserInputError(f"--within must look like 12h, 2d or 1w, got {value!r}")
    if int(match.group(1)) == 0:
        raise UserInputError(f"--within must be more than zero, got {value!r}")
    if int(match.group(1)) > 999:  # the right shape, so saying "must look like" misleads
        raise UserInputError(f"--within must be at most 999 of its unit (999w), got {value!r}")
    unit = {"h": "hours", "d": "days", "w": "weeks"}[match.group(2)]
    return timedelta(**{unit: int(match.group(1))})


def _parse_when(value: str | None) -> datetime | None:
    """``email --date``: "YYYY-MM-DD HH:MM" (or a day, at 09:00), not in the past."""
    if value is None:
        return None
    try:
        when = datetime.strptime(value.strip(), "%Y-%m-%d %H:%M")
    except ValueError:
        if not re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", value):
            raise UserInputError(
                f'--date must look like "YYYY-MM-DD HH:MM" (or YYYY-MM-DD), got {value!r}'
            ) from None
        day = _parse_date(value, "--date")
        assert day is not None
        when = datetime.combine(day, datetime.min.time().replace(hour=9))
    if when < datetime.now():  # its drafts would replace those of the real next session
        raise UserInputError(f"--date {when:%Y-%m-%d %H:%M} is in the past")
    return when


@app.command()
def email(
    pair: Annotated[str | None, typer.Option("--pair", help="Pair id.")] = None,
    on: Annotated[
        str | None,
        typer.Option(
            "--date", help='Session start, "YYYY-MM-DD HH:MM" (default: the pair\'s next).'
        ),
    ] = None,
    out: Annotated[Path, typer.Option(help="Folder for the .eml drafts.")] = Path("outbox"),
    send: Annotated[
        bool, typer.Option("--send", help="Send over SMTP (once per recipient).")
    ] = False,
    all_pairs: Annotated[
        bool, typer.Option("--all", help="Every pair with a session soon.")
    ] = False,
    within: Annotated[
        str | None, typer.Option(help="With --all: how soon, e.g. 2d or 12h (default 2d).")
    ] = None,
    prep: Annotated[
        str | None,
        typer.Option(
            help="With --pair: the mentee's prep notes for the agenda (default: what "
            "`coach agenda --prep` last used for this session)."
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Write (and with --send, send) the pre-meeting prep emails for a pair's next session."""
    coach = _coach()
    _nonblank(None if prep is None else [prep], "--prep")
    if all_pairs and prep is not None:
        raise UserInputError("--prep goes with --pair (one pair's prep notes)")
    if all_pairs == (pair is not None):
        raise UserInputError("give either --pair ID or --all")
    if pair is not None and within is not None:
        raise UserInputError("--within goes with --all; with --pair, --date picks the session")
    if all_pairs and on is not None:
        raise UserInputError("--date goes with --pair; with --all, --within picks the sessions")
    if all_pairs:
        from agent.progress import pair_progress

        window = _parse_within("2d" if within is None else within)
        with _progress(pair_progress, as_json) as ticker:
            batch = coach.prep_emails_due(window, out_dir=out, send=send, progress=ticker)
        for failure in batch.failed:
            sys.stderr.write(f"coach: {failure['pair']} failed: {failure['error']}\n")
        emit(batch, as_json, lambda console: render.email_batch(console, batch))
        if batch.failed:
            raise SystemExit(1)
        return
    assert pair is not None
    result = coach.prep_email(
        pair, session_start=_parse_when(on), out_dir=out, send=send, prep=prep
    )
    emit(result, as_json, lambda console: render.email_result(console, result))
    from agent.models import failed_deliveries

    if failed_deliveries(result):  # the drafts are written; a cron job must still see it
        raise SystemExit(1)


sim_app = typer.Typer(
    help="The 'Years of Experience in Months' simulation and Feedback Fast-Forward.",
    no_args_is_help=True,
)
app.add_typer(sim_app, name="simulate")


def _interactive(coach: Coach, turn: SimulationTurn) -> SimulationTurn:
    """Drive a simulation from the terminal until it finishes or the user leaves."""
    from rich.console import Console

    console = Console(highlight=False)
    seen: list[str] = []
    while not turn.done:
        # A step asked again repeats the situation already on screen: print only what's new.
        render.simulation_turn(console, turn, seen=seen, here=True)
        seen.append(turn.prompt)
        try:
            line = input("you> ").strip()
        except (EOFError, KeyboardInterrupt):
            console.print(
                f"\nPaused. Resume with: coach simulate answer --thread {turn.thread} TEXT"
            )
            return turn
        command, _, rest = line.partition(" ")
        kind = {"/clarify": "clarify", "/skip": "skip", "/stop": "stop"}.get(command)
        try:
            turn = coach.answer_simulation(
                turn.thread, rest if kind else line, kind=kind or "answer"
            )
        except UserInputError as exc:
            console.print(f"error: {exc}")
    render.simulation_turn(console, turn, seen=seen, here=True)
    return turn


@sim_app.command("start")
def simulate_start(
    pair: Annotated[str, typer.Option("--pair", help="Pair id.")],
    scenario: Annotated[str | None, typer.Option(help="Scenario id (default: best fit).")] = None,
    ffwd: Annotated[bool, typer.Option("--ffwd", help="Run Feedback Fast-Forward.")] = False,
    skill: Annotated[str | None, typer.Option(help="Skill to practise (with --ffwd).")] = None,
    interactive: Annotated[
        bool, typer.Option("--interactive", "-i", help="Answer at the prompt here.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Start an exercise; answer it with `coach simulate answer --thread T TEXT`."""
    coach = _coach()
    turn = coach.start_simulation(
        pair, scenario_id=scenario, exercise="ffwd" if ffwd else "experience", skill=skill
    )
    if interactive and not as_json:
        _interactive(coach, turn)
        return
    emit(turn, as_json, lambda console: render.simulation_turn(console, turn))


@sim_app.command("answer")
def simulate_answer(
    thread: Annotated[str, typer.Option("--thread", help="The simulation's thread id.")],
    pair: Annotated[
        str | None, typer.Option("--pair", help="Refuse the thread unless it is this pair's.")
    ] = None,
    text: Annotated[str, typer.Argument(help="Your answer (or question with --clarify).")] = "",
    clarify: Annotated[bool, typer.Option("--clarify", help="Ask a clarifying question.")] = False,
    skip: Annotated[bool, typer.Option("--skip", help="Skip this step.")] = False,
    stop: Annotated[bool, typer.Option("--stop", help="Stop; what was done is kept.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Answer the current step of a simulation."""
    if clarify + skip + stop > 1:
        raise UserInputError("use at most one of --clarify, --skip, --stop")
    kind = "clarify" if clarify else "skip" if skip else "stop" if stop else "answer"
    # The prompts name chat's /clarify, /skip and /stop; typed here they mean the same.
    command, _, rest = text.strip().partition(" ")
    if kind == "answer" and command in ("/clarify", "/skip", "/stop"):
        kind, text = command[1:], rest
    turn = _coach().answer_simulation(thread, text, kind=kind, pair_id=pair)
    emit(turn, as_json, lambda console: render.simulation_turn(console, turn))


@sim_app.command("show")
def simulate_show(
    thread: Annotated[str, typer.Option("--thread", help="The simulation's thread id.")],
    pair: Annotated[
        str | None, typer.Option("--pair", help="Refuse the thread unless it is this pair's.")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Show everything a simulation holds so far."""
    view = _coach().show_simulation(thread, pair_id=pair)
    emit(view, as_json, lambda console: render.simulation_view(console, view))


scenario_app = typer.Typer(
    help="A mentor's key experiences for the simulation.", no_args_is_help=True
)
app.add_typer(scenario_app, name="scenario")


@scenario_app.command("add")
def scenario_add(
    pair: Annotated[str, typer.Option("--pair", help="Pair id.")],
    title: Annotated[str, typer.Option(help="A short name for the experience.")],
    situation: Annotated[str, typer.Option(help="What was going on.")],
    response: Annotated[str, typer.Option(help="What you actually did.")],
    outcome: Annotated[str, typer.Option(help="How it turned out.")],
    constraint: Annotated[list[str] | None, typer.Option(help="A constraint (repeatable).")] = None,
    principle: Annotated[list[str] | None, typer.Option(help="A principle (repeatable).")] = None,
    tag: Annotated[list[str] | None, typer.Option(help="A tag (repeatable).")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Record one of the mentor's key experiences."""
    scenario = _coach().add_scenario(
        pair,
        title=title,
        situation=situation,
        response=response,
        outcome=outcome,
        constraints=constraint or [],
        principles=principle or [],
        tags=tag or [],
    )
    emit(scenario, as_json, lambda console: console.print(f"Added scenario {scenario.id}."))


@scenario_app.command("list")
def scenario_list(
    pair: Annotated[str, typer.Option("--pair", help="Pair id.")],
    as_json: JsonFlag = False,
) -> None:
    """The pair's scenarios, then the starters (what the mentor did stays hidden)."""
    from agent.listings import ScenarioList

    coach = _coach()
    coach.get_pair(pair)
    found = coach.list_scenarios(pair)
    listing = ScenarioList(scenarios=[s.model_dump(mode="json") for s in found])
    emit(listing, as_json, lambda console: render.scenario_list(console, found))


@scenario_app.command("show")
def scenario_show(
    scenario_id: Annotated[str, typer.Argument(metavar="ID")],
    pair: Annotated[str, typer.Option("--pair", help="Pair id.")],
    reveal: Annotated[
        bool,
        typer.Option(
            "--reveal", help="Also show the response, outcome and principles (the mentor's side)."
        ),
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """One scenario; what the mentor did stays hidden unless --reveal."""
    coach = _coach()
    coach.get_pair(pair)
    scenario = coach.show_scenario(pair, scenario_id, reveal=reveal)
    emit(scenario, as_json, lambda console: render.scenario_detail(console, scenario))


@scenario_app.command("remove")
def scenario_remove(
    scenario_id: Annotated[str, typer.Argument(metavar="ID")],
    pair: Annotated[str, typer.Option("--pair", help="Pair id.")],
    as_json: JsonFlag = False,
) -> None:
    """Remove one of the pair's own scenarios (starters stay)."""
    coach = _coach()
    coach.get_pair(pair)
    removed = coach.scenarios.remove(pair, scenario_id)
    emit(removed, as_json, lambda console: console.print(f"Removed scenario {scenario_id}."))


@app.command()
def chat(
    pair: Annotated[str | None, typer.Option("--pair", help="Pair id for context.")] = None,
    thread: Annotated[str | None, typer.Option(help="Resume this thread id.")] = None,
    new: Annotated[bool, typer.Option("--new", help="Start a new thread.")] = False,
) -> None:
    """Talk to the coach; the conversation resumes where you left off."""
    from agent.repl import run_repl

    coach = _coach()
    if thread is not None and new:
        raise UserInputError("give --thread ID to resume, or --new to start afresh, not both")
    if thread is not None:
        # Another pair's thread or a simulation's is refused; a pair's thread keeps its pair.
        pair = coach.chat_thread_pair(thread, pair)
    run_repl(coach, pair_id=pair, thread=thread, new=new)


@app.command("mcp")
def mcp_command() -> None:
    """Serve the coach to MCP clients over stdio (tools, and pair records as resources)."""
    try:
        from agent.mcp import serve
    except ImportError as exc:
        if not (exc.name or "").startswith("mcp"):
            raise
        raise CoachError(
            "coach mcp needs the mcp package: pip install 'session-coach[mcp]'"
        ) from None
    serve(_coach())


@app.command("eval")
def eval_command(
    engine: Annotated[
        str | None, typer.Option(help="offline or llm (default: the configured engine).")
    ] = None,
    task: Annotated[
        list[str] | None, typer.Option("--task", "-t", help="Run only this task (repeatable).")
    ] = None,
    epochs: Annotated[int, typer.Option(help="Times to run each sample (1-10).")] = 1,
    out: Annotated[Path, typer.Option(help="Folder for the report.")] = Path("eval-report"),
    thresholds: Annotated[
        Path | None, typer.Option(help="Thresholds TOML (default: the shipped one).")
    ] = None,
    compare: Annotated[
        tuple[Path, Path] | None,
        typer.Option(help="Compare two report folders (OLD NEW) instead of running."),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Score every capability on the eval datasets; exit 1 when under a threshold."""
    from evals.runner import compare_runs, run_eval

    if compare is not None:
        try:
            comparison = compare_runs(*compare)
        except ValueError as exc:
            raise UserInputError(str(exc)) from exc
        emit(comparison, as_json, lambda console: render.eval_comparison(console, comparison))
        return

    settings = _coach().settings
    chosen = engine or settings.resolved_engine
    if chosen not in ("offline", "llm"):
        raise UserInputError(f"--engine must be offline or llm, got {chosen!r}")
    if not 1 <= epochs <= 10:
        raise UserInputError(f"--epochs must be between 1 and 10, got {epochs}")
    if thresholds is not None and not thresholds.is_file():
        raise UserInputError(f"--thresholds: no such file {str(thresholds)!r}")
    # Evals run on their own index of the shipped corpus, never on the user's ingested files.
    eval_settings = settings.model_copy(
        update={"home": settings.home / "eval", "chroma_url": None, "engine": chosen}
    )
    from agent.api import Coach

    try:
        with Coach(eval_settings) as coach:
            summary = run_eval(
                coach,
                engine=chosen,
                tasks=task or None,
                out_dir=out,
                epochs=epochs,
                thresholds_path=thresholds,
            )
    except ValueError as exc:
        raise UserInputError(str(exc)) from exc
    emit(summary, as_json, lambda console: render.eval_summary(console, summary, out))
    if not summary.ok:
        raise SystemExit(1)


_TYPE_LABELS = {"str": "TEXT", "int": "INTEGER", "path": "PATH", "Path,Path": "PATH PATH"}


def _label_types(command: Any) -> None:
    """Type labels in help that read as words: TEXT, INTEGER, PATH, and none on flags.

    Typer labels types the Python way (``<str>``, ``<list[str]>``) and flags ``<bool>``.
    """
    # The help option is made once per command, with the names of the context it is made in.
    ctx = command.context_class(command, help_option_names=HELP_OPTIONS)
    for param in [*getattr(command, "params", ()), command.get_help_option(ctx)]:
        if param is None or not hasattr(param, "display_type"):
            continue
        label = param.display_type(ctx).strip("<>").removeprefix("list[").removesuffix("]")
        label = _TYPE_LABELS.get(label, _TYPE_LABELS.get(label.lower(), label.upper()))
        if not hasattr(param, "is_flag"):  # an argument: its metavar is its name in help
            param.display_type_rich = lambda ctx, label=label: label
        elif param.metavar is None:
            param.metavar = "" if param.is_flag else label
    for sub in getattr(command, "commands", {}).values():
        _label_types(sub)


def _bad_parameter(exc: Any) -> str:
    """A typed option's bad value in our words: "--weeks must be a whole number, got 'abc'"."""
    errors = getattr(exc.__cause__, "errors", None)  # typer checks types with pydantic
    param = getattr(exc, "param", None)
    if not callable(errors) or param is None:
        return str(exc.format_message())
    name = (getattr(param, "opts", None) or [str(param.name).upper()])[0]
    return f"{name} {field_problem(errors()[0])}"


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app with one-line errors and the documented exit codes."""
    command = typer.main.get_command(app)
    _label_types(command)
    try:
        command.main(args=argv, prog_name="coach", standalone_mode=False)
    except typer.Abort:
        sys.stderr.write("\n")
        raise SystemExit(130) from None
    except click_exceptions.NoArgsIsHelpError as exc:
        # Rich help is printed as the error is made (ctx.get_help); plain help is returned.
        if exc.format_message().strip():
            sys.stdout.write(exc.format_message() + "\n")
        raise SystemExit(0) from None
    except click_exceptions.BadParameter as exc:
        _fail(_bad_parameter(exc), 2)
    except click_exceptions.UsageError as exc:
        _fail(exc.format_message(), 2)
    except click_exceptions.ClickException as exc:
        _fail(exc.format_message(), 1)
    except UserInputError as exc:
        _fail(exc.for_cli(), 2)
    except CoachError as exc:
        _fail(str(exc), 1)
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        raise SystemExit(130) from None
    except Exception as exc:
        # A bug or an environment failure: one line for the user, the trace on request.
        if os.environ.get("COACH_DEBUG"):
            raise
        _fail(f"{type(exc).__name__}: {exc} (set COACH_DEBUG=1 for the traceback)", 1)
    finally:
        if _State.coach is not None:
            _State.coach.close()
            _State.coach = None


def run(argv: list[str]) -> Any:
    """Run the CLI in-process (for tests); returns the exit code."""
    try:
        main(argv)
    except SystemExit as exc:
        return exc.code if exc.code is not None else 0
    return 0


if __name__ == "__main__":
    main()
