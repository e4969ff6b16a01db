"""Action items, round fourteen: whose an item is when nobody says who wrote the notes.

``tests/data/actions_owners14.jsonl`` labels sixteen notes in formats round thirteen's set did
not use (first-person prose by the mentee or the mentor, "we" items, people named in passing,
initials, a recap email from the mentor, a chat answered lines later, reported speech), written
before the engine changed. A letter's "I" is its signer's ("Best," then "Rachel").
"""

from __future__ import annotations

from agent.offline.people import People
from tests.action_notes import item_tuples, note_f1s

FLOOR = 0.73  # 0.643 at the start of round fourteen, 0.738 after it
PAIR = ["Priya Nair", "Tom Becker"]


def test_owner_notes_score_at_their_floor() -> None:
    f1s = note_f1s("actions_owners14.jsonl")
    assert len(f1s) == 16
    assert sum(f1s) / len(f1s) >= FLOOR, f1s


def test_a_signed_letter_is_its_signers() -> None:
    notes = "Hi Tom,\n\nI'll send you the rubric.\nYou'll draft the proposal.\n\nBest,\nPriya\n"
    assert [o for o, _, _ in item_tuples(notes, PAIR)] == ["Priya Nair", "Tom Becker"]


def test_a_letter_greeting_one_of_a_pair_is_the_others() -> None:
    notes = "Hey Priya,\nthanks for today!\nI'll finish the SQL course.\nTom\n"
    assert [o for o, _, _ in item_tuples(notes, PAIR)] == ["Tom Becker"]


def test_a_stated_author_wins_and_a_transcript_has_no_signer() -> None:
    notes = "Hi Tom,\n\nI'll send you the rubric.\n\nBest,\nPriya\n"
    assert People(PAIR, "Tom Becker", notes).author == "Tom Becker"
    turns = "Priya: I'll send you the deck.\nTom: thanks,\nPriya\n"
    assert People(PAIR, None, turns).author is None


def test_a_mentors_letter_with_a_list_leaves_its_list_unowned() -> None:
    notes = "Hi Tom,\n\nNext steps:\n- Update your CV\n- Book the demo room\n\nCheers,\nPriya\n"
    assert People(PAIR, None, notes).author is None


def test_a_request_that_does_not_ask_is_the_listeners_once_accepted() -> None:
    items = item_tuples("Priya: please send me the impact log\nTom: ok\n", PAIR)
    assert [o for o, _, _ in items] == ["Tom Becker"]


def test_a_turn_nobody_accepts_stays_the_speakers() -> None:
    items = item_tuples("Priya: I'll send you the deck.\nTom: thanks\n", PAIR)
    assert [o for o, _, _ in items] == ["Priya Nair"]
