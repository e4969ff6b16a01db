"""Action items and agendas across sessions: saved items come back in the next agenda."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from agent.api import Coach
from agent.cli import run
from agent.config import Settings
from agent.errors import NotFoundError, UserInputError
from agent.memory import sessions_of
from tests.scripted_llm import Request, ScriptedLLM

NOTES = """Ana: How did the week go?
Ben: Busy, but I got the RFC outline done. I'll draft the full RFC by Friday.
Ana: Great. I'll send you my design review checklist tomorrow.
Ben: We talked about a brown-bag talk but let's park that until next quarter.
"""


@pytest.fixture
def coach(tmp_path: Path) -> Any:
    with Coach(Settings(home=tmp_path / "home", engine="offline")) as c:
        c.add_pair(mentor="Ana Silva", mentee="Ben Okafor", goals=["Lead a design review"])
        yield c


def test_saved_items_appear_in_the_next_agenda(coach: Coach) -> None:
    found = coach.extract_actions(
        NOTES, pair_id="ana-ben", session_date=date(2026, 11, 18), save=True
    )
    assert {(i.owner, i.due) for i in found.items} == {
        ("Ben Okafor", date(2026, 11, 20)),
        ("Ana Silva", date(2026, 11, 19)),
    }
    assert all(i.evidence in NOTES for i in found.items)
    assert not any("brown-bag" in i.action.lower() for i in found.items)
    # Saving the same notes again stores nothing twice.
    coach.extract_actions(NOTES, pair_id="ana-ben", session_date=date(2026, 11, 18), save=True)
    assert len(coach.items("ana-ben")) == 2
    records = sessions_of(coach.store, "ana-ben")
    assert [(r.number, r.held_on, r.notes == NOTES.strip()) for r in records] == [
        (1, date(2026, 11, 18), True)
    ]

    # A second notes file of the same session (the chat after the minutes) joins that session.
    chat = "Ben: I'll book the mock interview with Priya by Monday.\n"
    coach.extract_actions(chat, pair_id="ana-ben", session_date=date(2026, 11, 18), save=True)
    coach.extract_actions(chat, pair_id="ana-ben", session_date=date(2026, 11, 18), save=True)
    records = sessions_of(coach.store, "ana-ben")
    assert [(r.number, len(r.item_ids)) for r in records] == [(1, 3)]
    kept = records[0].notes or ""
    assert NOTES.strip() in kept and "mock interview" in kept
    assert len(coach.items("ana-ben")) == 3

    agenda = coach.draft_agenda(pair_id="ana-ben", minutes=45)
    assert agenda.minutes == 45 and sum(b.minutes for b in agenda.blocks) == 45
    review = next(b for b in agenda.blocks if b.name == "Progress review")
    for item in coach.items("ana-ben"):
        assert any(item.action in line for line in review.items)
    assert agenda.stage == "regular"
    # The plan is kept on the next session's record.
    assert sessions_of(coach.store, "ana-ben")[-1].agenda is not None

    done = coach.items("ana-ben")[0]
    coach.complete_item("ana-ben", done.id)
    left = [i.id for i in coach.items("ana-ben")]
    assert done.id not in left and len(left) == 2


def test_first_session_agenda_for_a_new_pair(coach: Coach) -> None:
    agenda = coach.draft_agenda(pair_id="ana-ben")
    assert agenda.stage == "first-session"
    text = json.dumps(agenda.model_dump()).lower()
    assert "let's get clear" in text and "getting real" in text
    assert sum(b.minutes for b in agenda.blocks) == 60


def test_bad_inputs_are_one_line_errors(coach: Coach) -> None:
    with pytest.raises(UserInputError, match="not one of"):
        coach.extract_actions(NOTES, pair_id="ana-ben", author="Zed")
    with pytest.raises(UserInputError, match="save=True needs a stored pair") as saved:
        coach.extract_actions(NOTES, mentor="Cy", mentee="Di", save=True)
    with pytest.raises(UserInputError, match="either pair_id or context") as drafted:
        coach.draft_agenda()
    # The API names its parameters; the CLI's options are only in the CLI's wording.
    for error in (saved.value, drafted.value):
        assert "--" not in str(error) and "--" in error.for_cli()
    for call in (
        lambda: coach.search("feedback", 0),
        lambda: coach.extract_actions(NOTES),
        lambda: coach.start_simulation("ana-ben", skill="giving feedback"),
    ):
        with pytest.raises(UserInputError) as raised:
            call()
        assert "--" not in str(raised.value) and " -k" not in str(raised.value), raised.value
    with pytest.raises(UserInputError, match="minutes"):
        coach.draft_agenda(pair_id="ana-ben", minutes=10)


def test_cli_actions_and_agenda_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES)
    code = run(
        [
            "actions",
            str(notes),
            "--mentor",
            "Ana Silva",
            "--mentee",
            "Ben Okafor",
            "--date",
            "2026-11-18",
            "--json",
        ]
    )
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert {"owner", "action", "due", "evidence"} <= set(data["items"][0])
    assert {i["due"] for i in data["items"]} == {"2026-11-20", "2026-11-19"}

    context = tmp_path / "ctx.json"
    context.write_text(
        json.dumps(
            {
                "mentor": "Ana",
                "mentee": "Ben",
                "goals": ["Ship the RFC"],
                "session_number": 6,
                "programme_weeks": 12,
                "minutes": 90,
                "prep": "",
                "recent_notes": "",
                "open_items": [{"owner": "Ben", "action": "Draft the RFC", "due": "2026-11-20"}],
            }
        )
    )
    code = run(["agenda", "--context", str(context), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["minutes"] == 90
    assert sum(b["minutes"] for b in data["blocks"]) == 90
    assert any("Draft the RFC" in line for b in data["blocks"] for line in b["items"])
    assert {"stage", "minutes", "blocks", "citations"} <= set(data)

    context.write_text("{not json")
    code = run(["agenda", "--context", str(context)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "not valid JSON" in err


def scripted_actions(request: Request) -> dict[str, Any]:
    return {
        "items": [
            {
                "owner": "Ben",
                "action": "Draft the full RFC",
                "due": "2026-11-20",
                "evidence": "I'll draft the full RFC by Friday.",
            },
            {
                "owner": "Mallory",
                "action": "Wire money",
                "due": None,
                "evidence": "Mallory will wire the money.",
            },
        ],
        "cited_ids": [],
    }


def good_actions(request: Request) -> dict[str, Any]:
    data = scripted_actions(request)
    data["items"] = data["items"][:1]
    return data


def test_llm_actions_are_checked_and_repaired(tmp_path: Path) -> None:
    llm = ScriptedLLM([scripted_actions, good_actions])
    settings = Settings(home=tmp_path / "home", engine="llm", openai_api_key="sk-test-not-real")
    with Coach(settings, http_client=llm.http_client()) as coach:
        result = coach.extract_actions(
            NOTES, mentor="Ana Silva", mentee="Ben Okafor", session_date=date(2026, 11, 18)
        )
    assert result.engine == "llm"
    assert [(i.owner, i.action) for i in result.items] == [("Ben Okafor", "Draft the full RFC")]
    assert '<data name="notes">' in llm.requests[0].text
    assert "not an attendee" in llm.requests[1].text
    assert "not a verbatim quote" in llm.requests[1].text


def test_llm_actions_failing_twice_fall_back_to_offline(tmp_path: Path) -> None:
    llm = ScriptedLLM([scripted_actions, scripted_actions])
    settings = Settings(home=tmp_path / "home", engine="llm", openai_api_key="sk-test-not-real")
    with Coach(settings, http_client=llm.http_client()) as coach:
        result = coach.extract_actions(
            NOTES, mentor="Ana Silva", mentee="Ben Okafor", session_date=date(2026, 11, 18)
        )
    assert result.engine == "offline"
    assert all(i.owner in ("Ana Silva", "Ben Okafor") for i in result.items)
    assert any("built-in coach" in n for n in result.notes)


def test_add_history_records_lines_on_chat_threads_only(coach: Coach) -> None:
    thread = coach.new_thread("ana-ben")
    coach.add_history(thread, [{"role": "user", "content": "/simulate"}])
    coach.add_history(thread, [{"role": "coach", "content": "What would you do first?"}])
    assert [t["content"] for t in coach.history(thread)] == [
        "/simulate",
        "What would you do first?",
    ]
    simulation = coach.new_thread("ana-ben", kind="simulation")
    for other in (simulation, "chat-never-made"):
        with pytest.raises(NotFoundError, match="no chat thread"):
            coach.add_history(other, [{"role": "user", "content": "hello"}])
    assert coach.history(simulation) == []


def test_notes_saved_late_for_an_earlier_session_are_not_the_last_sessions(coach: Coach) -> None:
    newer = "We walked through the platform team's review process together in detail."
    older = "We talked about the billing migration and its rollback plan at length."
    coach.extract_actions(newer, pair_id="ana-ben", session_date=date(2026, 12, 8), save=True)
    coach.extract_actions(older, pair_id="ana-ben", session_date=date(2026, 11, 30), save=True)
    context = coach.agenda_context("ana-ben")
    assert context.recent_notes == [older, newer]  # newest last, by the day held
    from agent.offline.agenda import agenda_notes

    # The newest note is what an engine reads as the last session's (no agenda quotes it).
    goals = ["Learn the review process", "Plan the billing migration"]
    newest = agenda_notes(context.model_copy(update={"goals": goals}))
    assert "platform team" in newest[-1] and "billing" not in newest[-1]


def test_api_inputs_of_the_wrong_kind_are_user_errors(coach: Coach) -> None:
    for call, message in [
        (lambda: coach.reframe(None), "the question must be text, got NoneType"),  # type: ignore[arg-type]
        (lambda: coach.search(3), "the search query must be text, got int"),  # type: ignore[arg-type]
        (
            lambda: coach.draft_agenda(context={"mentor": "A", "mentee": "B"}, minutes=45),
            "minutes, session and prep go with pair_id",
        ),
        (lambda: coach.draft_agenda(context={"mentor": "A"}), "mentee"),
        (lambda: coach.search("first meeting", stage="nonsense"), "stage must be one of"),
        (lambda: coach.chat("hi", task="nonsense"), "task must be one of"),  # type: ignore[arg-type]
    ]:
        with pytest.raises(UserInputError, match=message):
            call()
    # A dict context is checked and drafted like an AgendaContext (it crashed on model_dump).
    agenda = coach.draft_agenda(context={"mentor": "Ana", "mentee": "Ben", "session_number": 1})
    assert agenda.stage == "first-session" and sum(b.minutes for b in agenda.blocks) == 60


def test_the_prep_email_uses_the_prep_the_agenda_was_drafted_with(
    coach: Coach, tmp_path: Path
) -> None:
    import email

    coach.update_pair("ana-ben", mentor_email="ana@example.org", mentee_email="ben@example.org")
    prep = "How do I get the platform team to review my RFC when they don't report to my lead?"
    shown = coach.draft_agenda(pair_id="ana-ben", prep=prep)
    assert "platform team" in json.dumps(shown.model_dump())

    def mailed_agenda(**kwargs: Any) -> str:
        result = coach.prep_email("ana-ben", out_dir=tmp_path / "outbox", **kwargs)
        mentee = next(Path(d) for d in result.drafts if d.endswith("-mentee.eml"))
        message = email.message_from_bytes(mentee.read_bytes())
        part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
        text = " ".join(part.get_payload(decode=True).decode().split())  # type: ignore[union-attr]
        return text.split("Draft agenda", 1)[1]

    # The emailed agenda was drafted without it: "No prep from Ben", unlike the one just shown.
    assert "platform team" in mailed_agenda()
    assert "flaky tests" in mailed_agenda(prep="I keep fighting flaky tests in CI; where to start?")
    with pytest.raises(UserInputError, match="the prep is empty"):
        coach.prep_email("ana-ben", out_dir=tmp_path / "outbox", prep="  ")


def test_first_person_items_without_an_author_say_how_to_own_them(coach: Coach) -> None:
    notes = "I'll send him the design review checklist tomorrow.\nBen will draft the RFC."
    found = coach.extract_actions(notes, pair_id="ana-ben", session_date=date(2026, 12, 8))
    assert any(i.owner is None for i in found.items)
    assert any("say who wrote the notes" in n for n in found.notes)
    owned = coach.extract_actions(
        notes, pair_id="ana-ben", session_date=date(2026, 12, 8), author="Ana Silva"
    )
    assert all(i.owner for i in owned.items)
    assert not any("say who wrote the notes" in n for n in owned.notes)
