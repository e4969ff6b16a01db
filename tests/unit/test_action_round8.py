"""Action items, round eight: thirteen dev notes written and labelled before any engine change.

``tests/data/actions_round8.jsonl`` labels notes in styles the earlier dev sets lack (terse
phone-typed bullets, a narrative reflection written the day after, a call transcript with
recording chatter, ``Both:`` and "we both" items, an item handed to someone else later in the
note, a pasted Slack thread, a tracker CSV export, reported conditionals, a running doc with
@mentions, a recap email written the day after, Mentor:/Mentee: role labels, minutes with
initials). They are dev material, not blind.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from agent.offline.actions import extract_actions_offline
from evals.scorers import item_precision_recall

DATA = Path(__file__).parents[1] / "data"
FLOOR = 0.50


def test_round_eight_notes_score_at_their_floor() -> None:
    rows = [json.loads(x) for x in (DATA / "actions_round8.jsonl").read_text().splitlines()]
    f1s = []
    for row in rows:
        spec = row["input"]
        notes = (DATA / spec["notes_file"]).read_text(encoding="utf-8")
        nxt = spec["next_session"]
        found = extract_actions_offline(
            notes,
            spec["attendees"],
            date.fromisoformat(spec["session_date"]),
            date.fromisoformat(nxt) if nxt else None,
            spec["author"],
        )
        precision, recall = item_precision_recall(
            [i.model_dump(mode="json") for i in found], row["target"]
        )
        total = precision.value + recall.value
        f1s.append(2 * precision.value * recall.value / total if total else 0.0)
    assert len(rows) == 13
    assert sum(f1s) / len(f1s) >= FLOOR, f1s
