"""Error types that the CLI turns into one-line messages and exit codes."""


class CoachError(Exception):
    """Something went wrong that is not the user's input (exit 1)."""


class UserInputError(CoachError):
    """The user gave a bad value: a path, an id, an option (exit 2)."""


class NotFoundError(UserInputError):
    """A named record (pair, thread, item, scenario) does not exist."""
