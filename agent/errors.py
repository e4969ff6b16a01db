"""Error types that the CLI turns into one-line messages and exit codes."""


class CoachError(Exception):
    """Something went wrong that is not the user's input (exit 1)."""


class UserInputError(CoachError):
    """The user gave a bad value: a path, an id, an option (exit 2)."""


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
