"""The simulation graph as its tests drive it: a fresh graph for one pair, and the open gate."""

from __future__ import annotations

from typing import Any

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.store.memory import InMemoryStore

from agent.context import Context
from agent.memory import PairStore, parse_pair_input
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
