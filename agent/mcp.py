"""`coach mcp`: the coach's capabilities as MCP tools over stdio, pair records as resources.

Built on the ``mcp`` package's ``MCPServer`` (called ``FastMCP`` before mcp 2). Every tool
calls :class:`agent.api.Coach`, so it gets the same checks and one-line errors as the CLI:
a bad value comes back as a tool error with that line. Calls are serialised, since one
Coach holds one set of stores.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceNotFoundError, ToolError
from pydantic import BaseModel, ValidationError

from agent import __version__
from agent.api import Coach, parse_agenda_context
from agent.errors import CoachError, UserInputError, plain_detail, user_input_error

T = TypeVar("T")

INSTRUCTIONS = (
    "A coaching agent for tech mentoring pairs. reframe turns a judgemental question into "
    "curious ones; search finds cited guide passages; agenda, questions and actions work on a "
    "stored pair (read pair://list for the ids); simulation_start / simulation_answer / "
    "simulation_show run the 'Years of Experience in Months' exercise step by step."
)


class CoachServer(MCPServer[Any]):
    """An MCP server whose argument errors are one line, like every other error it reports.

    The SDK would send pydantic's multi-line report (with a documentation link) for a
    mistyped argument, and would drop an unknown argument without a word.
    """

    async def call_tool(self, name: str, arguments: dict[str, Any], context: Any = None) -> Any:
        """Run a tool, refusing unknown arguments and saying validation errors in one line."""
        schema = next((t.input_schema for t in await self.list_tools() if t.name == name), None)
        unknown = sorted(set(arguments) - set((schema or {}).get("properties", {})))
        if schema is not None and unknown:
            known = ", ".join(schema.get("properties", {})) or "none"
            raise ToolError(
                f"Error executing tool {name}: no argument {unknown[0]!r} (it takes: {known})"
            )
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as exc:
            if not isinstance(exc.__cause__, ValidationError):
                raise
            error = user_input_error(exc.__cause__)
            detail = plain_detail(error.detail or str(error))
            problem = f"{error.field} {detail}" if error.field else detail
            raise ToolError(f"Error executing tool {name}: {problem}") from None


def build_server(coach: Coach) -> MCPServer[Any]:
    """An MCP server whose tools and resources use ``coach``."""
    server = CoachServer(name="session-coach", instructions=INSTRUCTIONS, version=__version__)
    lock = threading.Lock()

    def call(work: Callable[[], BaseModel]) -> dict[str, Any]:
        with lock:
            try:
                return work().model_dump(mode="json")
            except CoachError as exc:
                raise ToolError(" ".join(str(exc).split())) from None

    def on(value: str | None, what: str) -> date | None:
        if value is None or not value.strip():
            return None
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise ToolError(f"{what} must be a date YYYY-MM-DD, got {value!r}") from None

    @server.tool()
    def reframe(question: str) -> dict[str, Any]:
        """Whether a question to a mentoring partner is judgemental, and curious ways to ask it."""
        return call(lambda: coach.reframe(question))

    @server.tool()
    def search(
        query: str, k: int = 5, topic: str | None = None, stage: str | None = None
    ) -> dict[str, Any]:
        """Guide passages nearest in meaning to the query, each with its source article URL."""
        return call(lambda: coach.search(query, k, topic=topic, stage=stage))

    @server.tool()
    def agenda(
        pair_id: str | None = None,
        context: dict[str, Any] | None = None,
        minutes: int | None = None,
        session: int | None = None,
        prep: str | None = None,
    ) -> dict[str, Any]:
        """A time-boxed agenda for a stored pair's next session (kept on its session record).

        For a pair that is not stored, give ``context`` instead: mentor, mentee and
        session_number are required; goals, minutes, open_items, prep, recent_notes optional.
        """

        def draft() -> BaseModel:
            if context is not None:
                checked = parse_agenda_context(
                    {k: v for k, v in context.items() if k not in ("minutes", "session_number")}
                    | {
                        "minutes": minutes or context.get("minutes", 60),
                        "session_number": session or context.get("session_number"),
                    }
                    | ({"prep": prep} if prep else {})
                )
                return coach.draft_agenda(pair_id=pair_id, context=checked)
            return coach.draft_agenda(pair_id=pair_id, minutes=minutes, session=session, prep=prep)

        return call(draft)

    @server.tool()
    def questions(pair_id: str | None = None) -> dict[str, Any]:
        """Curious questions for a pair's next session, from its goals and open items."""
        return call(lambda: coach.suggest_questions(pair_id))

    @server.tool()
    def actions(
        notes: str,
        pair_id: str | None = None,
        mentor: str | None = None,
        mentee: str | None = None,
        author: str | None = None,
        session_date: str | None = None,
        save: bool = False,
    ) -> dict[str, Any]:
        """Action items (owner, action, due, verbatim evidence) from a session's notes.

        Give pair_id, or mentor and mentee for a pair that is not stored; save=true stores
        the items on the pair.
        """
        held_on = on(session_date, "session_date")
        return call(
            lambda: coach.extract_actions(
                notes,
                pair_id=pair_id,
                mentor=mentor,
                mentee=mentee,
                author=author,
                session_date=held_on,
                save=save,
            )
        )

    @server.tool()
    def simulation_start(
        pair_id: str,
        scenario_id: str | None = None,
        exercise: str = "experience",
        skill: str | None = None,
    ) -> dict[str, Any]:
        """Start 'Years of Experience in Months' (or exercise='ffwd'); returns the first prompt."""
        return call(
            lambda: coach.start_simulation(
                pair_id, scenario_id=scenario_id, exercise=exercise, skill=skill
            )
        )

    @server.tool()
    def simulation_answer(thread: str, text: str = "", kind: str = "answer") -> dict[str, Any]:
        """Answer the simulation's current step (kind: answer, clarify, skip or stop)."""
        return call(lambda: coach.answer_simulation(thread, text, kind=kind))

    @server.tool()
    def simulation_show(thread: str) -> dict[str, Any]:
        """Everything a simulation holds so far."""
        return call(lambda: coach.show_simulation(thread))

    @server.resource("pair://list", mime_type="application/json")
    def pair_list() -> dict[str, Any]:
        """Every stored pair: id, mentor, mentee and next session."""
        with lock:
            return {
                "pairs": [
                    p.model_dump(mode="json", include={"id", "mentor", "mentee", "next_session"})
                    for p in coach.list_pairs()
                ]
            }

    @server.resource("pair://{pair_id}", mime_type="application/json")
    def pair_record(pair_id: str) -> dict[str, Any]:
        """A pair's record with its open action items (overdue ones listed by id)."""
        with lock:
            try:
                pair = coach.get_pair(pair_id)
                items = coach.open_items(pair_id)
                overdue = [i.id for i in coach.overdue_items(pair_id)]
            except UserInputError as exc:  # an unknown or malformed id
                raise ResourceNotFoundError(str(exc)) from None
        return {
            "pair": pair.model_dump(mode="json"),
            "open_items": [i.model_dump(mode="json") for i in items],
            "overdue": overdue,
        }

    return server


def serve(coach: Coach) -> None:
    """Serve ``coach`` over stdio until the client disconnects."""
    build_server(coach).run("stdio")
