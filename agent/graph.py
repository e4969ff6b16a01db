"""build_graph(): the coaching StateGraph, compiled with a checkpointer and a store."""

from __future__ import annotations

from typing import Any

from langgraph.graph import END, START, StateGraph

from agent.context import Context
from agent.nodes.actions import extract_actions
from agent.nodes.agenda import draft_agenda
from agent.nodes.checking import check_output
from agent.nodes.guide import answer_from_guides
from agent.nodes.reframing import reframe_question, suggest_questions
from agent.nodes.responding import respond
from agent.nodes.retrieval import retrieve_guides
from agent.nodes.routing import pick_capability, route_request
from agent.state import InputState, OutputState, State


def build_graph(
    context_schema: type[Any] = Context,
) -> StateGraph[State, Context, InputState, OutputState]:
    """The uncompiled graph: route -> retrieve -> capability -> check -> respond."""
    graph = StateGraph(
        State, context_schema=context_schema, input_schema=InputState, output_schema=OutputState
    )
    graph.add_node("route_request", route_request)
    graph.add_node("retrieve_guides", retrieve_guides)
    graph.add_node("reframe_question", reframe_question)
    graph.add_node("suggest_questions", suggest_questions)
    graph.add_node("answer_from_guides", answer_from_guides)
    graph.add_node("draft_agenda", draft_agenda)
    graph.add_node("extract_actions", extract_actions)
    graph.add_node("check_output", check_output)
    graph.add_node("respond", respond)

    graph.add_edge(START, "route_request")
    graph.add_conditional_edges("retrieve_guides", pick_capability)
    for capability in (
        "reframe_question",
        "suggest_questions",
        "answer_from_guides",
        "draft_agenda",
        "extract_actions",
    ):
        graph.add_edge(capability, "check_output")
    graph.add_edge("respond", END)
    return graph


def compile_graph(checkpointer: Any = None, store: Any = None) -> Any:
    """The compiled graph (tests pass a fresh InMemorySaver each time)."""
    return build_graph().compile(checkpointer=checkpointer, store=store, name="session-coach")
