"""The ``coach`` command line: a thin Typer layer over :class:`agent.api.Coach`."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer
from pydantic import BaseModel, ValidationError
from rich.console import Console

from agent import render
from agent.api import Coach
from agent.config import Settings
from agent.errors import CoachError, UserInputError

try:  # typer >= 0.20 vendors click; older releases use the click package
    from typer._click import exceptions as click_exceptions
except ImportError:  # pragma: no cover
    from click import exceptions as click_exceptions  # type: ignore[no-redef]

app = typer.Typer(
    name="coach",
    help="session-coach: a coaching agent for tech mentoring pairs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print exactly one JSON document.")]
T = TypeVar("T")


class _State:
    coach: Coach | None = None


def _coach() -> Coach:
    if _State.coach is None:
        try:
            _State.coach = Coach(Settings())
        except ValidationError as exc:
            error = exc.errors()[0]
            field = ".".join(str(p) for p in error.get("loc", ())) or "settings"
            name = field if field.isupper() else f"COACH_{field.upper()}"
            raise UserInputError(
                f"bad setting {name}: {error.get('msg', 'invalid value')}"
            ) from exc
    return _State.coach


def emit(model: BaseModel, as_json: bool, human: Callable[[Console], None]) -> None:
    """Print one JSON document, or the readable rendering."""
    if as_json:
        sys.stdout.write(model.model_dump_json(indent=2) + "\n")
    else:
        human(Console(highlight=False))


def _fail(message: str, code: int) -> NoReturn:
    first_line = " ".join(str(message).split()) or "unknown error"
    sys.stderr.write(f"coach: error: {first_line}\n")
    raise SystemExit(code)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (.md, .txt, .html).")],
    reindex: Annotated[
        bool, typer.Option("--reindex", help="Rebuild the whole index (after changing embeddings).")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Add guide files to the knowledge base; re-running changes only what changed."""
    coach = _coach()
    with render.file_progress(enabled=not as_json and sys.stderr.isatty()) as tick:
        report = coach.reindex(progress=tick) if reindex else coach.ingest(paths, progress=tick)
        if reindex:
            extra = coach.ingest(paths, progress=tick)
            report = report.model_copy(
                update={k: getattr(report, k) + getattr(extra, k) for k in render.COUNT_FIELDS}
                | {"skipped": report.skipped + extra.skipped}
            )
    for skip in report.skipped:
        sys.stderr.write(f"coach: skipped {skip.path}: {skip.reason}\n")
    emit(report, as_json, lambda console: render.ingest_report(console, report))
    if report.skipped and report.files == 0:
        raise SystemExit(2)


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
    if stage is not None and stage not in render.STAGES:
        raise UserInputError(f"--stage must be one of {', '.join(render.STAGES)}, got {stage!r}")
    results = _coach().search(query, k, topic=topic, stage=stage)
    emit(results, as_json, lambda console: render.search_results(console, results))


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
    as_json: JsonFlag = False,
) -> None:
    """Score every capability on the eval datasets; exit 1 when under a threshold."""
    from evals.runner import run_eval

    coach = _coach()
    chosen = engine or coach.settings.resolved_engine
    if chosen not in ("offline", "llm"):
        raise UserInputError(f"--engine must be offline or llm, got {chosen!r}")
    if not 1 <= epochs <= 10:
        raise UserInputError(f"--epochs must be between 1 and 10, got {epochs}")
    try:
        summary = run_eval(coach, engine=chosen, tasks=task or None, out_dir=out, epochs=epochs)
    except ValueError as exc:
        raise UserInputError(str(exc)) from exc
    emit(summary, as_json, lambda console: render.eval_summary(console, summary, out))
    if not summary.ok:
        raise SystemExit(1)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app with one-line errors and the documented exit codes."""
    command = typer.main.get_command(app)
    try:
        command.main(args=argv, prog_name="coach", standalone_mode=False)
    except typer.Abort:
        sys.stderr.write("\n")
        raise SystemExit(130) from None
    except click_exceptions.NoArgsIsHelpError as exc:
        sys.stdout.write((exc.ctx.get_help() if exc.ctx else "") + "\n")
        raise SystemExit(0) from None
    except click_exceptions.UsageError as exc:
        _fail(exc.format_message(), 2)
    except click_exceptions.ClickException as exc:
        _fail(exc.format_message(), 1)
    except UserInputError as exc:
        _fail(str(exc), 2)
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
