"""Well-formedness of the second development batch of action notes (data only, no engine).

``tests/data/action_notes/dev2-*.{md,txt}`` are 24 notes in formats people write (meeting
transcripts, chat exports, e-mails, journals, minutes, tables, foreign date formats);
``tests/data/actions_dev2.jsonl`` holds their gold items. This test checks the data, not
what the extractor makes of it.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).parents[1] / "data"
ROWS: list[dict[str, Any]] = [
    json.loads(line)
    for line in (DATA / "actions_dev2.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso(value: object) -> bool:
    if not isinstance(value, str) or not ISO.match(value):
        return False
    date.fromisoformat(value)
    return True


def test_batch_size() -> None:
    assert len(ROWS) >= 20
    assert sum(len(row["target"]) for row in ROWS) >= 80
    ids = [row["id"] for row in ROWS]
    assert len(ids) == len(set(ids))
    files = [row["input"]["notes_file"] for row in ROWS]
    assert len(files) == len(set(files))


@pytest.mark.parametrize("row", ROWS, ids=[row["id"] for row in ROWS])
def test_row_is_well_formed(row: dict[str, Any]) -> None:
    assert set(row) == {"id", "input", "target", "metadata"}
    spec = row["input"]
    assert set(spec) == {"notes_file", "attendees", "session_date", "next_session", "author"}
    path = DATA / spec["notes_file"]
    assert path.is_file(), path
    text = path.read_text(encoding="utf-8")
    assert 8 <= len(text.strip().splitlines()) <= 60
    low = text.lower()

    attendees = spec["attendees"]
    assert len(attendees) >= 2 and len(set(attendees)) == len(attendees)
    assert _iso(spec["session_date"])
    assert spec["next_session"] is None or _iso(spec["next_session"])
    if spec["next_session"] is not None:
        assert spec["next_session"] > spec["session_date"]
    assert spec["author"] is None or spec["author"] in attendees

    assert row["target"], "every note has at least one item"
    for item in row["target"]:
        assert set(item) == {"owner", "action_keywords", "due"}
        owner = item["owner"]
        assert isinstance(owner, str) and len(owner.split()) >= 2, owner
        assert owner in attendees or owner.lower() in low, owner
        keywords = item["action_keywords"]
        assert 1 <= len(keywords) <= 3
        for word in keywords:
            assert word == word.lower() and word.strip() == word and word, word
            assert word in low, (word, spec["notes_file"])
        due = item["due"]
        assert due is None or (_iso(due) and due >= spec["session_date"]), due

    meta = row["metadata"]
    assert isinstance(meta["format"], str) and meta["format"]
    assert isinstance(meta["notes"], str) and meta["notes"]
