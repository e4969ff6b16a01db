"""Items 6-8: one normalisation at the boundary, agenda context limits, pair names and dates."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from agent.api import Coach
from agent.cli import run
from agent.config import Settings
from agent.errors import UserInputError
from agent.text import clean_text
from knowledge.documents import read_text
from tests.scripted_llm import ScriptedLLM

HIDDEN = "\U000e0049\U000e0067\U000e006e"  # tag characters spelling "Ign" invisibly
ZWSP, RLO, LRI, PDI = "\u200b", "\u202e", "\u2066", "\u2069"


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return int(code), out, err


# -- 6. normalisation ------------------------------------------------------------------------
def test_clean_text_folds_and_strips_invisible_characters() -> None:
    dirty = f"Ben{ZWSP} will{HIDDEN} ship{RLO} the ｆｉｘ{LRI}{PDI}\x1b[31m\r\nnow\u00a0please"
    assert clean_text(dirty) == "Ben will ship the fix[31m\nnow please"
    assert clean_text("already clean, “curly” — fine\n") == "already clean, “curly” — fine\n"


def test_a_zero_width_space_in_a_name_does_not_drop_an_item(coach: Coach) -> None:
    notes = "Session notes.\nBen will draft the RFC by Friday.\nAna will book the review room."
    plain = coach.extract_actions(notes, mentor="Ana Silva", mentee="Ben Okafor",
                                  session_date=date(2026, 11, 18))
    hidden = coach.extract_actions(
        notes.replace("Ben", f"Be{ZWSP}n").replace("Ana", f"A{HIDDEN}na"),
        mentor=f"Ana{ZWSP} Silva",
        mentee="Ben Okafor",
        session_date=date(2026, 11, 18),
    )
    assert len(plain.items) == 2
    assert [(i.owner, i.action, i.evidence) for i in hidden.items] == [
        (i.owner, i.action, i.evidence) for i in plain.items
    ]


def test_stored_pair_fields_and_items_hold_no_invisible_characters(coach: Coach) -> None:
    pair = coach.add_pair(mentor=f"Ana{ZWSP} Silva", mentee=f"Ben {RLO}Okafor",
                          goals=[f"Lead a design{HIDDEN} review"])
    assert (pair.mentor, pair.mentee, pair.goals) == ("Ana Silva", "Ben Okafor",
                                                     ["Lead a design review"])
    notes = f"Ben will draft the{HIDDEN} RFC by{ZWSP} Friday."
    coach.extract_actions(notes, pair_id=pair.id, session_date=date(2026, 11, 18), save=True)
    stored = coach.items(pair.id)
    assert stored and all(
        clean_text(text) == text and "\u200b" not in text
        for item in stored
        for text in (item.action, item.evidence, item.owner or "")
    )


def test_files_are_normalised_when_read(tmp_path: Path) -> None:
    path = tmp_path / "guide.md"
    path.write_text(f"# Ti{ZWSP}tle\n\nBody{HIDDEN} text{RLO}.\n", encoding="utf-8")
    assert read_text(path) == "# Title\n\nBody text.\n"


def test_llm_answers_are_normalised(tmp_path: Path) -> None:
    def answer(request: Any) -> dict[str, Any]:
        return {
            "items": [{"owner": "Ben", "action": f"Draft the{HIDDEN} full RFC{ZWSP}",
                       "due": None, "evidence": "I'll draft the full RFC by Friday."}],
            "cited_ids": [],
        }

    llm = ScriptedLLM([answer], fallback=answer)
    settings = Settings(home=tmp_path / "home", engine="llm", openai_api_key="sk-test-not-real")
    with Coach(settings, http_client=llm.http_client()) as coach:
        result = coach.extract_actions("Ben: I'll draft the full RFC by Friday.",
                                       mentor="Ana Silva", mentee="Ben Okafor",
                                       session_date=date(2026, 11, 18))
    assert result.engine == "llm"
    assert [i.action for i in result.items] == ["Draft the full RFC"]


# -- 7. agenda --context limits --------------------------------------------------------------
def _context(**extra: Any) -> dict[str, Any]:
    return {"mentor": "Ana Silva", "mentee": "Ben Okafor", "session_number": 2} | extra


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        (json.dumps(_context(goals=[{"a": [[[[[[[[["x"]]]]]]]]]}])), "nested too deeply"),
        (json.dumps(_context(goals=[f"goal {n}" for n in range(21)])), "at most 20 items"),
        (json.dumps(_context(goals=["x" * 301])), "at most 300 characters"),
        (json.dumps(_context(prep="p" * 4001)), "at most 4000 characters"),
        (json.dumps(_context(open_items=[{"action": f"a{n}"} for n in range(501)])),
         "at most 500 items"),
        (json.dumps(_context(recent_notes=["n"] * 11)), "at most 10 items"),
        (json.dumps(_context(recent_notes=["n" * 200_001])), "at most 200000 characters"),
    ],
)
def test_agenda_context_limits_are_one_line_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    path = tmp_path / "context.json"
    path.write_text(content, encoding="utf-8")
    code, out, err = _cli(capsys, "agenda", "--context", str(path), "--json")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("coach: error: ") and message in err


def test_agenda_context_file_over_5_mb_is_refused_without_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "context.json"
    notes = "n" * (6 * 1024 * 1024)
    path.write_text(json.dumps(_context(recent_notes=[notes])), encoding="utf-8")
    code, _, err = _cli(capsys, "agenda", "--context", str(path))
    assert code == 2 and err.count("\n") == 1 and "the limit is 5 MB" in err


# -- 8. pair names and dates -----------------------------------------------------------------
@pytest.mark.parametrize(
    "name", ["Ben\U0001d173Okafor", "Ben\ufff9Okafor", "Ben\ue000", "Ben\U0010fffd"]
)
def test_pair_add_refuses_names_that_are_not_printable(
    capsys: pytest.CaptureFixture[str], name: str
) -> None:
    code, _, err = _cli(capsys, "pair", "add", "--mentor", "Ana Silva", "--mentee", name)
    assert code == 2 and err.count("\n") == 1 and "mentee" in err
    code, out, _ = _cli(capsys, "pair", "list", "--json")
    assert json.loads(out)["pairs"] == []


def test_pair_add_stores_names_after_normalisation(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _cli(capsys, "pair", "add", "--mentor", f"Ana{ZWSP} Silva",
                          "--mentee", f"{RLO}Ben Okafor", "--json")
    assert code == 0, err
    assert (json.loads(out)["mentor"], json.loads(out)["mentee"]) == ("Ana Silva", "Ben Okafor")


def test_past_next_session_needs_past(capsys: pytest.CaptureFixture[str]) -> None:
    yesterday = (datetime.now() - timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    code, _, err = _cli(capsys, "pair", "add", "--mentor", "Ana", "--mentee", "Ben",
                        "--next", yesterday)
    assert code == 2 and err.count("\n") == 1 and "in the past" in err and "--past" in err
    code, out, err = _cli(capsys, "pair", "add", "--mentor", "Ana", "--mentee", "Ben",
                          "--next", yesterday, "--past", "--json")
    assert code == 0, err and json.loads(out)["next_session"]


def test_api_refuses_a_past_next_session(tmp_path: Path) -> None:
    with Coach(Settings(home=tmp_path / "home")) as coach, pytest.raises(UserInputError):
        coach.add_pair(mentor="Ana", mentee="Ben", next_session=datetime(2020, 1, 1, 9))
