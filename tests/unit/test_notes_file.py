"""Reading a notes file the user names: each problem is one line in the notes' own terms."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.api import MAX_NOTES
from agent.errors import UserInputError
from agent.notes_file import read_notes


def test_a_huge_notes_file_is_refused_in_the_notes_limit(tmp_path: Path) -> None:
    # A 5 MB file was refused as "about 6 minutes of indexing" (the guide limit): notes are
    # not indexed, and a smaller file then met a different limit in characters.
    big = tmp_path / "export.txt"
    big.write_text("Ben: I'll draft the RFC by Friday.\n" * 150_000)
    with pytest.raises(UserInputError) as caught:
        read_notes(big)
    message = str(caught.value)
    assert "\n" not in message and "indexing" not in message
    assert f"the limit is {MAX_NOTES:,} characters" in message


def test_notes_within_the_limit_are_read(tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("Ben: I'll draft the RFC by Friday.\n")
    assert read_notes(notes).startswith("Ben: I'll draft")
