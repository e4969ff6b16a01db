"""The second blind sets are well formed: schemas the eval loaders read, and their invariants."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from evals.dataset import datasets_dir, load_dataset


def _rows(name: str) -> list[dict[str, Any]]:
    return [s.model_dump() for s in load_dataset(f"blind2/{name}")]


def test_judgement_set_has_balanced_labels_and_labelled_non_english() -> None:
    rows = _rows("judgement_blind2")
    labels = [r["target"]["judgemental"] for r in rows]
    assert len(rows) >= 160
    assert labels.count(True) >= 70 and labels.count(False) >= 70
    others = [r for r in rows if r["target"]["judgemental"] is None]
    assert len(others) >= 10
    for r in others:
        assert r["target"]["language"] == "non-English"
        assert r["metadata"]["meaning"] in {"judgemental", "curious"}
    for r in rows:
        assert isinstance(r["input"], str) and r["input"].strip()
        assert r["metadata"]["kind"] in {"question", "statement", "command"}
    assert len({r["input"] for r in rows}) == len(rows)


def test_rewrite_inputs_contain_their_forbidden_words_and_differ_from_judgement_set() -> None:
    rows = _rows("rewrite_blind2")
    assert len(rows) >= 100
    judged = {r["input"].lower() for r in _rows("judgement_blind2")}
    for r in rows:
        text = r["input"].lower()
        assert text not in judged
        assert r["target"]["topic_keywords"], r["id"]
        for word in r["target"]["forbidden"]:
            assert re.search(rf"\b{re.escape(word.lower())}\b", text), (r["id"], word)


def test_blind2_inputs_do_not_repeat_the_first_blind_sets() -> None:
    for name in ("judgement", "rewrite"):
        first = {s.input.lower() for s in load_dataset(f"blind/{name}_blind")}
        assert not [r["id"] for r in _rows(f"{name}_blind2") if r["input"].lower() in first]


def test_sim_step_pairs_are_half_same_and_distinct() -> None:
    rows = _rows("sim_steps_blind2")
    same = [r["target"]["same"] for r in rows]
    assert len(rows) >= 60 and same.count(True) == same.count(False)
    for r in rows:
        assert r["input"]["mentor_step"].strip() and r["input"]["mentee_step"].strip()
        assert r["input"]["mentor_step"] != r["input"]["mentee_step"]


def _day(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


@pytest.mark.parametrize("row", _rows("actions_blind2"), ids=lambda r: r["id"])
def test_action_note_gold_is_consistent_with_its_note(row: dict[str, Any]) -> None:
    spec = row["input"]
    text = (datasets_dir() / spec["notes_file"]).read_text(encoding="utf-8")
    session, following = _day(spec["session_date"]), _day(spec["next_session"])
    assert dt.date(2026, 11, 4) <= session <= dt.date(2026, 12, 15)
    assert following > session
    assert spec["author"] is None or spec["author"] in spec["attendees"]
    assert row["metadata"]["format"] and row["metadata"]["note"]
    for item in row["target"]:
        owner = item["owner"]
        # Attendees may be written by first name or initials; anyone else by full name.
        assert owner in spec["attendees"] or owner in text, owner
        assert item["action_keywords"]
        for keyword in item["action_keywords"]:
            assert keyword.lower() in text.lower(), keyword
        if item["due"] is not None:
            due = _day(item["due"])
            assert session <= due <= session + dt.timedelta(days=31), item


def test_action_set_size_and_every_note_file_is_listed() -> None:
    rows = _rows("actions_blind2")
    assert len(rows) >= 20
    assert sum(len(r["target"]) for r in rows) >= 60
    listed = {Path(r["input"]["notes_file"]).name for r in rows}
    on_disk = {p.name for p in (datasets_dir() / "notes_blind2").iterdir()}
    assert listed == on_disk


def test_readme_counts_match_the_files() -> None:
    readme = (datasets_dir() / "blind2" / "README.md").read_text(encoding="utf-8")
    counts = {
        "judgement_blind2.jsonl": f"{len(_rows('judgement_blind2'))} utterances",
        "rewrite_blind2.jsonl": f"{len(_rows('rewrite_blind2'))} judgemental inputs",
        "sim_steps_blind2.jsonl": f"{len(_rows('sim_steps_blind2'))} step pairs",
    }
    for name, phrase in counts.items():
        assert f"| {name} | {phrase} |" in readme
    actions = _rows("actions_blind2")
    gold = sum(len(r["target"]) for r in actions)
    assert f"{len(actions)} notes, {gold} gold items" in readme
