"""What the CLI prints names things in words, not by their internal values."""

from __future__ import annotations

from io import StringIO

from rich.console import Console

from agent import render
from agent.models import (
    ActionExtraction,
    ActionItem,
    Agenda,
    AgendaBlock,
    SimulationTurn,
    SimulationView,
)


def _printed(draw: object) -> str:
    out = StringIO()
    console = Console(file=out, width=200, color_system=None)
    assert callable(draw)
    draw(console)
    return out.getvalue()


def test_an_agenda_heading_says_what_kind_of_session_it_is() -> None:
    agenda = Agenda(
        stage="stale-patch",
        minutes=45,
        blocks=[AgendaBlock(name="Check-in", minutes=45, items=["Say hello."])],
    )
    text = _printed(lambda c: render.agenda(c, agenda))
    assert text.startswith("Agenda (a session to reconnect, 45 minutes)")
    assert "stale-patch" not in text


def test_a_simulation_step_is_titled_in_words() -> None:
    turn = SimulationTurn(
        thread="sim-1",
        exercise="ffwd",
        step="report",
        prompt="How did it go?",
        done=False,
        can=["answer"],
    )
    text = _printed(lambda c: render.simulation_turn(c, turn))
    assert text.startswith("How your last try went (thread sim-1)")


def test_simulate_show_lists_each_feedback_round() -> None:
    round_one = {
        "round_no": 1,
        "focus": "give a range, not a single number",
        "report": "I gave a range of three to five days.",
        "observations": ['You tried this round\'s focus (give a range): "I gave a range".'],
        "patterns": ["First round: patterns show from round 2."],
        "adjustment": "Keep what worked and add the next focus: split the work.",
    }
    view = SimulationView(
        thread="sim-1",
        pair_id="ana-ben",
        exercise="ffwd",
        step="report",
        done=False,
        skill="estimating work",
        rounds=[round_one],
    )
    text = _printed(lambda c: render.simulation_view(c, view))
    # The rounds were held by the view but never printed: only the skill was.
    assert "Round 1: give a range, not a single number" in text
    assert "report: I gave a range of three to five days." in text
    assert "You tried this round's focus (give a range)" in text
    assert "next: Keep what worked and add the next focus: split the work." in text
    assert text.index("Skill") < text.index("Round 1")


def test_evidence_wrapped_across_lines_is_quoted_on_one_line() -> None:
    item = ActionItem(
        owner="Ana Silva",
        action="Ask Priya about a review slot",
        evidence="Ana said she would\nask Priya about a review slot next week.",
    )
    text = _printed(lambda c: render.action_extraction(c, ActionExtraction(items=[item]), False))
    assert "“Ana said she would ask Priya about a review slot next week.”" in text
