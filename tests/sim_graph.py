"""The simulation as its tests drive it: a fresh graph for one pair, the open gate, a scenario."""

from __future__ import annotations

from typing import Any

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.store.memory import InMemoryStore

from agent.context import Context
from agent.memory import PairStore, parse_pair_input
from agent.scenarios import Scenario, parse_scenario_input
from agent.sim_graph import compile_simulation
from knowledge.store import KnowledgeBase


def simulation_setup(kb: KnowledgeBase) -> tuple[Any, Context, str]:
    """A simulation graph on a fresh saver and store, its context, and one pair's id."""
    store = InMemoryStore()
    pair = PairStore(store).add(parse_pair_input(mentor="Ana Silva", mentee="Ben Okafor"))
    graph = compile_simulation(InMemorySaver(), store)
    return graph, Context(knowledge=kb, engine="offline"), pair.id


def gate_payload(graph: Any, config: dict[str, Any]) -> dict[str, Any]:
    """The payload of the human gate the graph is waiting at (empty when it is not waiting)."""
    snapshot = graph.get_state(config)
    return snapshot.interrupts[0].value if snapshot.interrupts else {}


def design_review_scenario(response: str, principles: list[str] | None = None) -> Scenario:
    """The mentor's own "Owning up in a design review" story, with the response under test."""
    data = parse_scenario_input(
        title="Owning up in a design review",
        situation="In a design review a staff engineer asked about a failure mode of my "
        "design that I had not considered, in front of the whole team.",
        response=response,
        outcome="The review moved on and the design was better for it.",
        principles=principles or ["Saying what you don't know builds trust faster than bluffing."],
    )
    return Scenario(**data.model_dump(), id="own", created_at="2025-01-01T00:00:00Z")
