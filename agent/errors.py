"""Error types that the CLI turns into one-line messages and exit codes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the CLI imports these errors before it needs pydantic
    from pydantic import ValidationError


class CoachError(Exception):
    """Something went wrong that is not the user's input (exit 1)."""


class UserInputError(CoachError, ValueError):
    """The user gave a bad value: a path, an id, an option (exit 2).

    A ``ValueError`` too: LangGraph Server passes a run's error message to the client only
    for such built-in types ("An internal error occurred" for any other), and these
    messages are written for the user.

    ``field`` and ``detail`` are set when the problem is one field of a record (``field:
    detail``), so a caller can name its own option for that field without parsing the text.
    The message names the Python API's parameters; ``cli`` is the same message in the CLI's
    words (its option names), set where the two differ.
    """

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        detail: str | None = None,
        cli: str | None = None,
    ) -> None:
        super().__init__(message)
        self.field = field
        self.detail = detail
        self.cli = cli

    def for_cli(self) -> str:
        """The message as the ``coach`` command should print it."""
        return self.cli or str(self)


class NotFoundError(UserInputError):
    """A named record (pair, thread, item, scenario) does not exist."""


class LLMError(CoachError):
    """The LLM endpoint could not give an answer; the message is one printable line.

    ``status_code`` is the HTTP status when there was one. The original SDK exception
    is deliberately not chained: it carries the request, whose headers hold the key.
    """

    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


class LLMOutputError(LLMError):
    """The endpoint answered, but not with valid structured output, even after repair."""


def user_input_error(exc: ValidationError) -> UserInputError:
    """The first validation problem as a one-line user error: ``field must be ..., got 'x'``.

    A message of the model's own (a validator's ``ValueError``) is kept as ``field: message``.
    """
    error = exc.errors()[0]
    field = ".".join(str(p) for p in error.get("loc", ()))
    message = " ".join(str(error.get("msg", "invalid value")).removeprefix("Value error, ").split())
    if not field:
        return UserInputError(message)
    if message.startswith(f"{field} "):  # "mentor must not be empty" says it
        return UserInputError(message, field=field, detail=message[len(field) + 1 :])
    if error.get("type") == "value_error":
        return UserInputError(f"{field}: {message}", field=field, detail=message)
    problem = field_problem(error)
    return UserInputError(f"{field} {problem}", field=field, detail=problem)


# Pydantic's error types worded as what the value must be; its own messages ("Input should be
# a valid integer, unable to parse string as an integer") read as a library's, not ours.
_KINDS = {
    **dict.fromkeys(("int_parsing", "int_from_float", "int_type"), "must be a whole number"),
    **dict.fromkeys(("float_parsing", "float_type"), "must be a number"),
    "bool_parsing": "must be true or false",
    "list_type": "must be a list",
    "string_type": "must be text",
    **dict.fromkeys(
        ("date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact", "date_type"),
        "must be a real date (YYYY-MM-DD)",
    ),
    **dict.fromkeys(
        ("datetime_parsing", "datetime_from_date_parsing", "datetime_type"),
        'must be a real date and time ("YYYY-MM-DD HH:MM")',
    ),
}


def field_problem(error: Mapping[str, Any], *, show_value: bool = True) -> str:
    """One pydantic error as the words that follow the field's name, with the value given.

    ``show_value=False`` for a setting whose value may be a secret.
    """
    kind = str(error.get("type", ""))
    message = " ".join(str(error.get("msg", "invalid value")).removeprefix("Value error, ").split())
    phrase = _KINDS.get(kind) or plain_detail(message)
    value = error.get("input")
    shown_kind = kind not in ("value_error", "missing")  # a validator's message says it already
    if show_value and shown_kind and isinstance(value, str | int | float):
        shown = repr(value if len(str(value)) <= 40 else str(value)[:40] + "...")
        phrase += f", got {shown}"
    return phrase


# Pydantic's wording of a field problem, as a phrase that follows the field's name.
_PLAIN = (
    (re.compile(r"^Field required$"), "is required"),
    (re.compile(r"^Input should be greater than or equal to "), "must be at least "),
    (re.compile(r"^Input should be less than or equal to "), "must be at most "),
    (re.compile(r"^Input should be "), "must be "),
)


def plain_detail(detail: str) -> str:
    """``detail`` of a field error worded to follow the field's name ("k must be at least 1")."""
    for pattern, wording in _PLAIN:
        detail = pattern.sub(wording, detail, count=1)
    return detail
