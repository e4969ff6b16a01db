"""build_simulation_graph(): the two exercises as a LangGraph subgraph with human gates."""

from __future__ import annotations

from typing import Any

from langgraph.graph import END, START, StateGraph

from agent.context import Context
from agent.nodes import simulation as n
from agent.sim_state import SimInput, SimState


def build_simulation_graph(
    context_schema: type[Any] = Context,
) -> StateGraph[SimState, Context, SimInput, SimState]:
    """Years of Experience in Months (7 steps) and Feedback Fast-Forward (3-5 rounds)."""
    graph = StateGraph(SimState, context_schema=context_schema, input_schema=SimInput)
    # Years of Experience in Months, in the guide's order.
    graph.add_node("choose_experience", n.choose_experience)
    graph.add_node("outline_situation", n.outline_situation)
    graph.add_node("ask_approach", n.ask_approach)
    graph.add_node("reveal_response", n.reveal_response)
    graph.add_node("compare_approaches", n.compare_approaches)
    graph.add_node("ask_upcoming", n.ask_upcoming)
    graph.add_node("plan_application", n.plan_application)
    graph.add_node("save_plan", n.save_plan)
    # Feedback Fast-Forward.
    graph.add_node("ask_skill", n.ask_skill)
    graph.add_node("give_guidance", n.give_guidance)
    graph.add_node("ask_report", n.ask_report)
    graph.add_node("observe_round", n.observe_round)
    graph.add_node("summarise_rounds", n.summarise_rounds)
    graph.add_node("finish", n.finish)

    graph.add_conditional_edges(START, n.start_exercise)
    graph.add_edge("choose_experience", "outline_situation")
    graph.add_edge("outline_situation", "ask_approach")
    graph.add_edge("reveal_response", "compare_approaches")
    graph.add_edge("compare_approaches", "ask_upcoming")
    graph.add_edge("plan_application", "save_plan")
    graph.add_edge("save_plan", "finish")
    graph.add_edge("give_guidance", "ask_report")
    graph.add_edge("summarise_rounds", "finish")
    graph.add_edge("finish", END)
    return graph


def compile_simulation(checkpointer: Any = None, store: Any = None) -> Any:
    """The compiled exercise graph (threads need a checkpointer)."""
    return build_simulation_graph().compile(
        checkpointer=checkpointer, store=store, name="session-coach-simulation"
    )
