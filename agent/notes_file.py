"""Reading a notes file the user names (`coach actions FILE`, chat's /actions): one-line errors."""

from __future__ import annotations

from pathlib import Path

from agent.errors import UserInputError


def read_notes(path: Path) -> str:
    """A notes file's text, or a one-line user error (a folder, a missing or unreadable file)."""
    from knowledge.documents import SkipFile, read_text

    if path.is_dir():
        raise UserInputError(f"{str(path)!r} is a folder; give one notes file")
    if not path.exists():  # a pipe or /dev/stdin is read like a file
        raise UserInputError(f"no such notes file: {str(path)!r}")
    try:
        return read_text(path)
    except SkipFile as exc:
        reason = str(exc).removeprefix("cannot read: ")
        raise UserInputError(f"cannot read notes {str(path)!r}: {reason}") from exc
