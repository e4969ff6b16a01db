"""The exercises as a LangGraph subgraph: step order, no leak, gates, durability."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.store.memory import InMemoryStore
from langgraph.types import Command

from agent.api import Coach
from agent.config import Settings
from agent.context import Context
from agent.memory import PairStore, parse_pair_input
from agent.offline.simulation import leak_failures
from agent.scenarios import ScenarioStore
from agent.sim_graph import compile_simulation
from knowledge.store import KnowledgeBase
from tests.scripted_llm import Request, ScriptedLLM

APPROACH = (
    "I'd first roll back the deploy to stop the bleeding, then tell the on-call channel what "
    "I was doing. After that I'd look at the logs with someone else before touching anything."
)
UPCOMING = "Next week I'm on call for the payments service for the first time."


@pytest.fixture
def setup(shipped_kb: KnowledgeBase) -> tuple[Any, Context, PairStore, str]:
    store = InMemoryStore()
    pairs = PairStore(store)
    pair = pairs.add(
        parse_pair_input(
            mentor="Ana Silva", mentee="Ben Okafor", goals=["Handle production incidents calmly"]
        )
    )
    graph = compile_simulation(InMemorySaver(), store)
    return graph, Context(knowledge=shipped_kb, engine="offline"), pairs, pair.id


def gate(graph: Any, thread: str) -> dict[str, Any]:
    snapshot = graph.get_state({"configurable": {"thread_id": thread}})
    return snapshot.interrupts[0].value if snapshot.interrupts else {}


def test_steps_in_order_without_leak_and_plan_becomes_items(
    setup: tuple[Any, Context, PairStore, str],
) -> None:
    graph, ctx, pairs, pair_id = setup
    config = {"configurable": {"thread_id": "sim-1"}}
    graph.invoke({"pair_id": pair_id, "exercise": "experience"}, config, context=ctx)
    first = gate(graph, "sim-1")
    scenario = ScenarioStore(pairs.store).get(
        pair_id, graph.get_state(config).values["scenario"]["id"]
    )
    assert first["step"] == "approach" and "clarify" in first["can"]
    assert scenario.response not in first["prompt"]
    assert leak_failures(graph.get_state(config).values["outline"], scenario) == []

    graph.invoke(
        Command(resume={"kind": "clarify", "text": "Who else was online?"}), config, context=ctx
    )
    again = gate(graph, "sim-1")
    assert again["step"] == "approach" and "Who else was online?" in again["prompt"]
    assert scenario.response not in again["prompt"]

    graph.invoke(Command(resume={"kind": "answer", "text": APPROACH}), config, context=ctx)
    upcoming = gate(graph, "sim-1")
    assert upcoming["step"] == "upcoming"
    assert scenario.response in upcoming["prompt"]  # revealed only now
    values = graph.get_state(config).values
    comparison = values["comparison"]
    assert comparison["similarities"] or comparison["differences"]

    # An answer that names no situation is asked again, and nothing is saved from it.
    for non_answer in ("nothing really", "idk", "/help", "what do you mean?"):
        graph.invoke(Command(resume={"kind": "answer", "text": non_answer}), config, context=ctx)
        asked = gate(graph, "sim-1")
        assert asked["step"] == "upcoming" and "Name one situation coming up" in asked["prompt"]
        assert pairs.items(pair_id, status="open") == []
    graph.invoke(Command(resume={"kind": "answer", "text": UPCOMING}), config, context=ctx)
    final = graph.get_state(config).values
    assert final["done"] and not gate(graph, "sim-1")
    assert not any("nothing really" in step["action"] for step in final["plan"])
    assert len(final["plan"]) >= 2
    stored = pairs.items(pair_id, status="open")
    assert {i.id for i in stored} == set(final["item_ids"])
    assert all(i.owner == "Ben Okafor" for i in stored)


def test_stop_keeps_what_was_done_and_skip_moves_on(
    setup: tuple[Any, Context, PairStore, str],
) -> None:
    graph, ctx, _, pair_id = setup
    stop = {"configurable": {"thread_id": "stop"}}
    graph.invoke({"pair_id": pair_id, "exercise": "experience"}, stop, context=ctx)
    graph.invoke(Command(resume={"kind": "stop"}), stop, context=ctx)
    values = graph.get_state(stop).values
    assert values["done"] and values["stopped"] and values["outline"]

    skip = {"configurable": {"thread_id": "skip"}}
    graph.invoke({"pair_id": pair_id, "exercise": "experience"}, skip, context=ctx)
    graph.invoke(Command(resume={"kind": "skip"}), skip, context=ctx)
    assert gate(graph, "skip")["step"] == "upcoming"
    assert graph.get_state(skip).values["comparison"] is None


def test_feedback_fast_forward_rounds(setup: tuple[Any, Context, PairStore, str]) -> None:
    graph, ctx, _, pair_id = setup
    config = {"configurable": {"thread_id": "ff"}}
    graph.invoke(
        {"pair_id": pair_id, "exercise": "ffwd", "skill": "giving code review feedback"},
        config,
        context=ctx,
    )
    reports = [
        "I left three comments on Sam's PR; two were nitpicks and he got defensive.",
        "This time I asked a question first instead of stating the fix. It landed better.",
        "I grouped nitpicks under one optional comment and praised the test coverage.",
        "I paired with Sam on the review live; we agreed quickly.",
        "I reviewed a senior's PR and asked about the retry logic; they thanked me.",
    ]
    first = gate(graph, "ff")["prompt"]
    for not_tried in ("not yet", "idk", "ok"):  # no round happened: asked again, no round kept
        graph.invoke(Command(resume={"kind": "answer", "text": not_tried}), config, context=ctx)
        asked = gate(graph, "ff")
        assert asked["step"] == "report" and "tried it for real" in asked["prompt"]
        assert asked["prompt"].startswith(first) and not graph.get_state(config).values["rounds"]
    prompts = []
    for report in reports:
        prompts.append(gate(graph, "ff")["prompt"])
        graph.invoke(Command(resume={"kind": "answer", "text": report}), config, context=ctx)
    values = graph.get_state(config).values
    assert values["done"] and len(values["rounds"]) == 5  # stops itself at the maximum
    assert len(set(prompts)) == 5  # guidance changes from round to round
    # Each round's feedback on the report is shown before the next round's guidance (it was
    # stored but never shown to the mentee).
    assert "What your round" not in prompts[0]
    rounds = values["rounds"][:-1]  # the last report ends the loop: its summary follows
    for number, (prompt, record) in enumerate(zip(prompts[1:], rounds, strict=True), 1):
        assert prompt.startswith(f"What your round {number} report shows:\n- "), prompt
        assert all(line in prompt for line in record["observations"])
    assert values["summary"]


def scripted_sim(request: Request) -> dict[str, Any]:
    if request.schema_name == "OutlineDraft":
        return {
            "outline": "It is 2 a.m. and checkout is failing for every customer. "
            "You are the only engineer awake.\n- You have no runbook\n- The deploy is yours."
        }
    raise AssertionError(f"unexpected request {request.schema_name}")


def test_cli_simulation_across_processes_and_crash_resume(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "COACH_HOME": str(home)}

    def coach(*args: str) -> dict[str, Any]:
        done = subprocess.run(
            [sys.executable, "-m", "agent.cli", *args, "--json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return dict(json.loads(done.stdout))

    coach(
        "pair",
        "add",
        "--mentor",
        "Ana Silva",
        "--mentee",
        "Ben Okafor",
        "--goal",
        "Handle production incidents calmly",
    )
    started = coach("simulate", "start", "--pair", "ana-ben")
    assert started["step"] == "approach" and not started["done"]
    thread = started["thread"]
    second = coach("simulate", "answer", "--thread", thread, APPROACH)
    assert second["step"] == "upcoming"
    third = coach("simulate", "answer", "--thread", thread, UPCOMING)
    assert third["done"] is True
    shown = coach("simulate", "show", "--thread", thread)
    assert shown["comparison"] and len(shown["plan"]) >= 2
    items = coach("actions", "list", "--pair", "ana-ben")["items"]
    assert {i["id"] for i in items} == set(shown["item_ids"])


def test_killed_run_resumes_without_repeating_llm_calls(tmp_path: Path) -> None:
    calls: list[str] = []

    def model(request: Request) -> Any:
        calls.append(str(request.schema_name))
        if request.schema_name == "ApproachComparison" and calls.count("ApproachComparison") == 1:
            raise KeyboardInterrupt  # the process is killed mid-step
        if request.schema_name == "ApproachComparison":
            return {
                "similarities": ["You would roll back the deploy, as Ana did."],
                "differences": ["Ana also paged the payments lead; you kept it to yourself."],
                "principles": ["Stabilise first, then investigate."],
                "summary": "You and Ana both roll back the deploy first.",
            }
        return scripted_sim(request)

    settings = Settings(home=tmp_path / "home", engine="llm", openai_api_key="sk-test-not-real")
    llm = ScriptedLLM(fallback=model)
    with Coach(settings, http_client=llm.http_client()) as first:
        first.add_pair(mentor="Ana Silva", mentee="Ben Okafor")
        turn = first.start_simulation("ana-ben", scenario_id=None)
        with pytest.raises(KeyboardInterrupt):
            first.answer_simulation(turn.thread, APPROACH)
    assert calls == ["OutlineDraft", "ApproachComparison"]

    llm2 = ScriptedLLM(fallback=model)
    with Coach(settings, http_client=llm2.http_client()) as second:
        resumed = second.resume_simulation(turn.thread)
        assert resumed.step == "upcoming"
        view = second.show_simulation(turn.thread)
    assert calls == ["OutlineDraft", "ApproachComparison", "ApproachComparison"]
    assert view.approach == APPROACH and view.comparison
    assert "roll back the deploy" in str(view.comparison)


def test_unknown_thread_and_finished_simulation_are_user_errors(tmp_path: Path) -> None:
    from agent.errors import NotFoundError, UserInputError

    with Coach(Settings(home=tmp_path / "home", engine="offline")) as coach:
        coach.add_pair(mentor="Ana Silva", mentee="Ben Okafor")
        with pytest.raises(NotFoundError):
            coach.answer_simulation("sim-nope", "hello")
        turn = coach.start_simulation("ana-ben")
        coach.answer_simulation(turn.thread, kind="stop")
        with pytest.raises(UserInputError, match="has finished"):
            coach.answer_simulation(turn.thread, "more")
        with pytest.raises(UserInputError, match="you can"):
            other = coach.start_simulation("ana-ben")
            coach.answer_simulation(other.thread, kind="skip")
            coach.answer_simulation(other.thread, "x", kind="clarify")


def test_llm_outline_that_leaks_is_repaired_then_replaced(tmp_path: Path) -> None:
    from agent.scenarios import get_starter

    scenario = get_starter("checkout-incident-2am")
    leaky = {"outline": f"{scenario.situation} Hint: {scenario.response}"}
    llm = ScriptedLLM([leaky, leaky])
    settings = Settings(home=tmp_path / "home", engine="llm", openai_api_key="sk-test-not-real")
    with Coach(settings, http_client=llm.http_client()) as coach:
        coach.add_pair(mentor="Ana Silva", mentee="Ben Okafor")
        turn = coach.start_simulation("ana-ben", scenario_id="checkout-incident-2am")
    assert [r.schema_name for r in llm.requests] == ["OutlineDraft", "OutlineDraft"]
    assert "failed these checks" in llm.requests[1].text
    assert scenario.response not in turn.prompt
    assert leak_failures(turn.prompt, scenario) == []
    assert any("built-in coach" in n for n in turn.notes)


def test_a_new_simulation_moves_on_from_a_scenario_already_worked_through(
    tmp_path: Path,
) -> None:
    with Coach(Settings(home=tmp_path / "home", engine="offline")) as coach:
        coach.add_pair(mentor="Ana Silva", mentee="Ben Okafor")

        def scenario(thread: str) -> str:
            return str((coach.show_simulation(thread).scenario or {})["id"])

        first = coach.start_simulation("ana-ben")
        assert scenario(first.thread) == "checkout-incident-2am"
        coach.answer_simulation(first.thread, APPROACH)
        assert coach.answer_simulation(first.thread, UPCOMING).done
        # The pair has worked through it: the next run takes another (it took the same again).
        second = coach.start_simulation("ana-ben")
        assert scenario(second.thread) not in ("checkout-incident-2am", "")
        coach.answer_simulation(second.thread, kind="stop")
        # A stopped run was not worked through, so it can come back; the finished one cannot.
        third = coach.start_simulation("ana-ben")
        assert scenario(third.thread) == scenario(second.thread)
        # Asked for by id, a finished scenario still runs.
        again = coach.start_simulation("ana-ben", scenario_id="checkout-incident-2am")
        assert scenario(again.thread) == "checkout-incident-2am"
