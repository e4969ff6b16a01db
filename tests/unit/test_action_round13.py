"""Action items, round thirteen: 21 dev notes written and labelled before any engine change.

``tests/data/actions_round13.jsonl`` labels notes in formats the earlier dev sets hold few of:
Slack, WhatsApp, Zoom and Discord exports, minutes with numbered actions ("A1.", "1.2"), a
status table, status updates with done / next / not-doing lists, prose and transcripts by
non-native writers, a plain-text table; done, dropped and maybe lines are the hard negatives.
Dev material, not blind.
"""

from __future__ import annotations

from tests.action_notes import item_tuples, note_f1s

FLOOR = 0.74  # 0.687 at the start of round thirteen, 0.751 after it


def test_round_thirteen_notes_score_at_their_floor() -> None:
    f1s = note_f1s("actions_round13.jsonl")
    assert len(f1s) == 21
    assert sum(f1s) / len(f1s) >= FLOOR, f1s


def test_a_status_heading_does_not_make_open_rows_done() -> None:
    notes = (
        "## Weekly status\n\n| Item | Owner | Due | Status |\n|---|---|---|---|\n"
        "| Draft the rollout plan | Nina | 18 Dec | in progress |\n"
        "| Read the style guide | Nina | | done |\n"
    )
    items = item_tuples(notes, ["Nina Petrov", "Omar Haddad"])
    assert [(o, a.split()[0]) for o, a, _ in items] == [("Nina Petrov", "Draft")]


def test_numbered_minutes_actions_are_bullets() -> None:
    notes = (
        "3. Actions\n"
        "   A1. Tom Schulz - write a summary of the queue migration\n"
        "   A2. Aisha Bello - send Tom two promotion packets\n"
        "   1.2 Aisha to introduce Tom to the platform lead\n"
    )
    items = item_tuples(notes, ["Aisha Bello", "Tom Schulz"])
    assert [o for o, _, _ in items] == ["Tom Schulz", "Aisha Bello", "Aisha Bello"]
