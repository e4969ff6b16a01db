"""The llm engine's agenda prompt carries only the notes and prep an agenda may use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from agent.api import Coach
from agent.config import Settings
from tests.scripted_llm import Request, ScriptedLLM

ASIDE = "Eli's manager is going through a divorce and is stressed at work."
ON_GOAL = "We went through the RFC review comments together."
PRIVATE_PREP = "My salary is 3000 EUR, pls dont share."
PAIR = {
    "mentor": "Dana Reyes",
    "mentee": "Eli Tanaka",
    "goals": ["Get the RFC accepted by the platform team"],
    "session_number": 3,
}


def test_asides_and_private_prep_never_reach_the_agenda_request(tmp_path: Path) -> None:
    seen: list[Request] = []

    def answer(request: Request) -> dict[str, Any]:
        seen.append(request)
        return {"blocks": [], "prep_checklist": ["Progress on each open item."]}

    llm = ScriptedLLM(fallback=answer)
    settings = Settings(home=tmp_path / "home", engine="llm", openai_api_key="sk-test-not-real")
    context = {
        **PAIR,
        "open_items": [{"owner": "Eli Tanaka", "action": "Book the room for the RFC review"}],
        "prep": f"How do I answer the platform team's RFC objections?\n{PRIVATE_PREP}",
        "recent_notes": [f"{ASIDE} {ON_GOAL}\nEli has a doctor appointment on Monday."],
    }
    with Coach(settings, http_client=llm.http_client()) as coach:
        agenda = coach.draft_agenda(context=context)
    assert agenda.engine == "llm" and seen
    body = "\n".join(r.text for r in seen if r.schema_name == "AgendaFill")
    assert "RFC review comments together" in body  # what bears on the goal still goes
    assert "platform team's RFC objections" in body
    for kept_out in ("divorce", "doctor appointment", "3000 EUR"):
        assert kept_out not in body, kept_out


def test_an_llm_review_lists_each_item_once_with_the_stored_date_and_no_notes(
    tmp_path: Path,
) -> None:
    # trial11 #1: the model re-listed items with its own dates ("by Friday") and quoted notes.
    def answer(request: Request) -> dict[str, Any]:
        return {
            "blocks": [
                {
                    "name": "Progress review",
                    "items": [
                        "Eli: book the room for the RFC review by Friday.",
                        f"From the notes: “{ON_GOAL}”",
                        "Ask what got in the way of the RFC draft.",
                    ],
                    "cited_ids": [],
                }
            ],
            "prep_checklist": ["Progress on each open item."],
        }

    settings = Settings(home=tmp_path / "home", engine="llm", openai_api_key="sk-test-not-real")
    context = {
        **PAIR,
        "open_items": [
            {
                "owner": "Eli Tanaka",
                "action": "Book the room for the RFC review",
                "due": "2031-01-10",
            },
        ],
        "recent_notes": [ON_GOAL],
    }
    with Coach(settings, http_client=ScriptedLLM(fallback=answer).http_client()) as coach:
        agenda = coach.draft_agenda(context=context)
    assert agenda.engine == "llm"
    review = next(b for b in agenda.blocks if b.name == "Progress review").items
    listed = [i for i in review if "book the room" in i.casefold()]
    assert listed == ["Eli Tanaka: Book the room for the RFC review (due 2031-01-10)"], review
    assert not any("RFC review comments together" in i for i in review), review
    assert "Ask what got in the way of the RFC draft." in review
