"""Round fourteen's new-user faults: a thin first answer revealed the story, steps mis-paired."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from langgraph.types import Command

from agent.context import Context
from agent.offline.sim_compare import _assign, _pairs
from agent.offline.simulation import assess_answer, compare_approach, reask_prompt, text_failures
from agent.scenarios import Scenario, get_starter
from knowledge.store import KnowledgeBase
from tests.sim_graph import gate_payload, simulation_setup

INCIDENT = get_starter("checkout-incident-2am")
DEV = Path(__file__).parents[1] / "data" / "sim_round14.jsonl"


def _dev(part: str) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line]
    return [r for r in rows if r["part"] == part]


def _scenario(row: dict[str, Any]) -> Scenario:
    return Scenario(
        title=row["title"],
        situation=row["situation"],
        response=row["response"],
        outcome="It worked out.",
        principles=["Fix the cause, not only the symptom."],
        id="r14",
        created_at="2025-01-01T00:00:00Z",
    )


def test_thin_attempts_are_never_taken_at_once_and_full_ones_are_not_nudged() -> None:
    rows = _dev("thin")
    assert len(rows) >= 20
    thin_taken = [
        r["answer"]
        for r in rows
        if r["kind"] == "thin"
        and (v := assess_answer(r["answer"], r["situation"])).attempt
        and not v.thin
    ]
    assert thin_taken == []
    full = [r for r in rows if r["kind"] == "full"]
    nudged = [r["answer"] for r in full if assess_answer(r["answer"], r["situation"]).thin]
    assert nudged == []
    # One full answer is still asked again by the gate (P(attempt) 0.5); the rest are taken.
    taken = sum(assess_answer(r["answer"], r["situation"]).attempt for r in full)
    assert taken >= len(full) - 1


def test_the_thin_reask_asks_for_more_and_reveals_nothing() -> None:
    verdict = assess_answer("Roll back my deploy right away.", INCIDENT.situation)
    assert verdict.attempt and verdict.thin
    hint = reask_prompt(verdict, "Roll back my deploy right away.", INCIDENT)
    assert hint.startswith("That's a start.") and INCIDENT.response[:40] not in hint
    assert text_failures(hint) == []


@pytest.fixture
def graph_setup(shipped_kb: KnowledgeBase) -> tuple[Any, Context, str]:
    return simulation_setup(shipped_kb)


def _answer(graph: Any, config: dict[str, Any], ctx: Context, text: str) -> dict[str, Any]:
    graph.invoke(Command(resume={"kind": "answer", "text": text}), config, context=ctx)
    return gate_payload(graph, config)


def test_a_thin_answer_is_asked_once_and_the_second_try_is_taken_with_it(
    graph_setup: tuple[Any, Context, str],
) -> None:
    graph, ctx, pair_id = graph_setup
    config = {"configurable": {"thread_id": "thin"}}
    start = {"pair_id": pair_id, "exercise": "experience", "scenario_id": INCIDENT.id}
    graph.invoke(start, config, context=ctx)
    gate = _answer(graph, config, ctx, "Roll back my deploy right away.")
    assert gate["step"] == "approach" and "That's a start." in gate["prompt"]
    assert INCIDENT.response not in gate["prompt"]
    gate = _answer(graph, config, ctx, "and tell the on-call channel")
    assert gate["step"] == "upcoming" and INCIDENT.response in gate["prompt"]
    approach = graph.get_state(config).values["approach"]
    assert approach == "Roll back my deploy right away. And tell the on-call channel"


def test_a_vague_answer_never_loops_and_idk_never_reveals(
    graph_setup: tuple[Any, Context, str],
) -> None:
    graph, ctx, pair_id = graph_setup
    config = {"configurable": {"thread_id": "vague"}}
    start = {"pair_id": pair_id, "exercise": "experience", "scenario_id": INCIDENT.id}
    graph.invoke(start, config, context=ctx)
    assert _answer(graph, config, ctx, "I'd talk to them")["step"] == "approach"
    for answer in ("idk", "I like pizza.", "/help"):  # no second try: still asked, no reveal
        gate = _answer(graph, config, ctx, answer)
        assert gate["step"] == "approach" and INCIDENT.response not in gate["prompt"], answer
    gate = _answer(graph, config, ctx, "I'd sort it out with them")
    assert gate["step"] == "upcoming"


def test_a_thin_attempt_then_thats_all_is_taken_as_it_is(
    graph_setup: tuple[Any, Context, str],
) -> None:
    graph, ctx, pair_id = graph_setup
    config = {"configurable": {"thread_id": "all"}}
    start = {"pair_id": pair_id, "exercise": "experience", "scenario_id": INCIDENT.id}
    graph.invoke(start, config, context=ctx)
    assert _answer(graph, config, ctx, "Roll back my deploy right away.")["step"] == "approach"
    assert _answer(graph, config, ctx, "idk")["step"] == "upcoming"
    assert graph.get_state(config).values["approach"] == "Roll back my deploy right away."


def test_the_assignment_is_global_not_first_come() -> None:
    # Greedy would give mentee 0 mentor 0 (0.9) and leave mentor 1 unmatched.
    same = np.array([[0.9, 0.88], [0.89, 0.1]])
    matched, partial, also = _assign(same, same, np.ones_like(same))
    assert matched == {0: 1, 1: 0} and partial == {} and also == {}
    assert _pairs(np.zeros((2, 3))) == {}


def test_a_step_is_not_paired_with_another_while_its_own_match_is_taken() -> None:
    # Mentee 1's best is mentor 0 (taken by mentee 0): it is a second match of mentor 0, not a
    # pairing with mentor 2, which mentee 2 matches loosely.
    same = np.array([[0.93, 0.28, 0.52], [0.89, 0.17, 0.71], [0.16, 0.28, 0.41]])
    matched, partial, also = _assign(same, same, np.ones_like(same))
    assert matched == {0: 0} and also == {1: 0} and partial == {2: 2}


def test_dev_pairs_are_similarities_and_unrelated_steps_are_not() -> None:
    rows = _dev("pairing")
    right = total = 0
    for row in rows:
        comparison = compare_approach(row["answer"], _scenario(row), mentor="Dana")
        sims = [s.lower() for s in comparison.similarities]
        for mine, theirs in row["pairs"]:
            total += 1
            right += any(mine.lower() in s and theirs.lower() in s for s in sims)
        for mine in row["unpaired"]:
            total += 1
            right += not any(mine.lower() in s for s in sims)
        # A step listed as a similarity is never also a difference.
        for mine, _ in row["pairs"]:
            if any(mine.lower() in s for s in sims):
                assert not any(mine.lower() in d.lower() for d in comparison.differences)
    # 25 of 29 before round fourteen (one step paired with an unrelated mentor step).
    assert right >= 26, (right, total)
