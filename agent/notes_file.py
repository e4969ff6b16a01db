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
    from agent.api import MAX_NOTES

    # Said in the notes' own limit (characters), not the guide-indexing one it used to give.
    size = path.stat().st_size if path.is_file() else 0  # a pipe has no size to check
    if size > 4 * MAX_NOTES:  # UTF-8: at most 4 bytes a character
        raise UserInputError(
            f"notes {str(path)!r} are {size / 1_048_576:.1f} MB; the limit is "
            f"{MAX_NOTES:,} characters: split them by session"
        )
    try:
        return read_text(path)
    except SkipFile as exc:
        reason = str(exc).removeprefix("cannot read: ")
        raise UserInputError(f"cannot read notes {str(path)!r}: {reason}") from exc
