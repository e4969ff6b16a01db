"""The clause-boundary model for unpunctuated captions (issue 10): word states, splits, spans."""

from __future__ import annotations

import numpy as np

from agent.offline.clauses import clause_ends
from agent.offline.learned import load_model
from agent.offline.segments import split_notes
from knowledge.minilm import word_states


def _clauses(text: str) -> list[str]:
    words = text.split()
    out, first = [], 0
    for last in clause_ends(words):
        out.append(" ".join(words[first : last + 1]))
        first = last + 1
    return out


def test_word_states_give_one_contextual_row_per_word() -> None:
    words, states = word_states("please review the terraform pr")
    assert words == ["please", "review", "the", "terraform", "pr"]
    assert states.shape == (5, 384) and states.dtype == np.float32
    _, other = word_states("please review the terraform pr tomorrow morning")
    assert not np.allclose(states[4], other[4])  # the context changes a word's state
    empty_words, empty = word_states("   ")
    assert empty_words == [] and empty.shape == (0, 384)


def test_long_runs_are_read_in_windows_without_gaps() -> None:
    _, states = word_states(" ".join(["send the deck"] * 120))
    assert states.shape == (360, 384)
    assert (np.abs(states).sum(axis=1) > 0).all()


def test_unseen_runs_split_where_a_clause_ends() -> None:
    assert _clauses(
        "yeah that makes sense um i will ask the team lead about the budget tomorrow "
        "can you forward me the invoice"
    ) == [
        "yeah that makes sense",
        "um i will ask the team lead about the budget tomorrow",
        "can you forward me the invoice",
    ]
    assert _clauses(
        "honestly the sprint was rough we lost two days to the outage "
        "i think we should write a postmortem before friday"
    ) == [
        "honestly the sprint was rough",
        "we lost two days to the outage",
        "i think we should write a postmortem before friday",
    ]


def test_caption_runs_become_clauses_with_verbatim_spans() -> None:
    notes = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:09.000\n<v Ana>honestly the sprint was rough we lost "
        "two days to the outage i think we should write a postmortem before friday\n"
    )
    _, sentences = split_notes(notes)
    assert len(sentences) >= 2 and all(s.clause for s in sentences)
    assert all(notes[s.start : s.end] == s.text for s in sentences)


def test_punctuated_text_goes_through_unchanged() -> None:
    notes = (
        "We agreed that Ben will send the deck to the platform team by Friday, and then "
        "Ana reviews the Terraform PR next week.\n"
    )
    _, sentences = split_notes(notes)
    assert [s.text for s in sentences] == [notes.strip()]
    assert not sentences[0].clause


def test_the_shipped_model_records_its_threshold_and_heldout_figures() -> None:
    meta = load_model("clause_bounds").meta
    assert 0 < meta["threshold"] < 1
    assert meta["heldout_precision"] > 0.4 and meta["heldout_recall"] > 0.4


def test_a_long_typed_bullet_stays_one_task() -> None:
    from datetime import date

    from agent.offline.actions import extract_actions_offline

    notes = (
        "## Actions\n- Tomasz to book a 30 min dry run of the design review with two peers "
        "before 12 Dec\n"
    )
    assert [s.text for s in split_notes(notes)[1]] == [notes[13:].strip()]
    (item,) = extract_actions_offline(
        notes, ["Priya Raman", "Tomasz Wójcik"], date(2026, 12, 8), author="Priya Raman"
    )
    assert item.owner == "Tomasz Wójcik" and item.due == date(2026, 12, 12)
    assert item.action.endswith("with two peers")
