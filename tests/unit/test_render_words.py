"""What the CLI prints names things in words, not by their internal values."""

from __future__ import annotations

from io import StringIO

from rich.console import Console

from agent import render
from agent.models import Agenda, AgendaBlock, SimulationTurn


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
