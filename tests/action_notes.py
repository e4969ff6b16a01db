"""Scoring a labelled set of whole action notes (``tests/data/actions_round*.jsonl``)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from agent.offline.actions import extract_actions_offline
from evals.scorers import item_precision_recall

DATA = Path(__file__).parent / "data"


def note_f1s(name: str) -> list[float]:
    """Each note's item F1 on the offline extractor, in file order."""
    f1s = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        spec = row["input"]
        nxt = spec.get("next_session")
        found = extract_actions_offline(
            (DATA / spec["notes_file"]).read_text(encoding="utf-8"),
            spec["attendees"],
            date.fromisoformat(spec["session_date"]),
            date.fromisoformat(nxt) if nxt else None,
            spec.get("author"),
        )
        precision, recall = item_precision_recall(
            [i.model_dump(mode="json") for i in found], row["target"]
        )
        total = precision.value + recall.value
        f1s.append(2 * precision.value * recall.value / total if total else 0.0)
    return f1s


MON = date(2026, 12, 14)  # a Monday: the session date of the round tests' single lines


def item_tuples(
    notes: str, attendees: list[str], author: str | None = None
) -> list[tuple[str | None, str, date | None]]:
    """(owner, action, due) of each item the offline extractor finds in notes of MON."""
    found = extract_actions_offline(notes, attendees, MON, date(2027, 1, 11), author)
    return [(i.owner, i.action, i.due) for i in found]
