"""The simulation coaches: a re-ask before any reveal, comparison by meaning, clean texts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from langgraph.types import Command

from agent.api import Coach
from agent.config import Settings
from agent.context import Context
from agent.offline import sim_attempt, sim_match
from agent.offline.learned import model_path
from agent.offline.simulation import (
    application_plan,
    assess_answer,
    compare_approach,
    ffwd_guidance,
    leak_failures,
    reask_prompt,
    text_failures,
)
from agent.scenarios import ScenarioStore, get_starter
from knowledge.store import KnowledgeBase
from tests.sim_graph import design_review_scenario, gate_payload, simulation_setup

INCIDENT = get_starter("checkout-incident-2am")
NOT_ATTEMPTS = [
    "",
    "/help",
    "/reveal",
    "idk",
    "no idea",
    "?",
    "pass",
    "What would you do?",
    "what did you do first?",
    "I like pizza and the weather is nice.",
    "ok",
    "Roll back.",
]
ATTEMPTS = [
    "I'd roll back my deploy and post in the on-call channel that I'm on it.",
    "i think i wud revert the deploy and tell ppl in the channel",
    "Not sure, but probably check the migration first and then revert the app code.",
]


@pytest.mark.parametrize("answer", NOT_ATTEMPTS)
def test_non_attempts_are_not_accepted(answer: str) -> None:
    verdict = assess_answer(answer, INCIDENT.situation)
    assert not verdict.attempt, verdict


@pytest.mark.parametrize("answer", ATTEMPTS)
def test_real_attempts_are_accepted(answer: str) -> None:
    assert assess_answer(answer, INCIDENT.situation).attempt


def test_reasons_and_reask_hints_never_leak() -> None:
    reasons = {a: assess_answer(a, INCIDENT.situation).reason for a in NOT_ATTEMPTS}
    assert reasons[""] == "empty" and reasons["/help"] == "command"
    assert reasons["What would you do?"] == "question" and reasons["idk"] == "dont_know"
    assert reasons["Roll back."] == "too_short"
    for answer in NOT_ATTEMPTS:
        verdict = assess_answer(answer, INCIDENT.situation)
        hint = reask_prompt(verdict, answer, INCIDENT, mentor="Ana")
        assert leak_failures(hint, INCIDENT) == [], (answer, hint)
        assert INCIDENT.response[:40] not in hint
        assert text_failures(hint) == [], (answer, hint)
    assert "/clarify" in reask_prompt(assess_answer("/help", ""), "/help", INCIDENT)


def test_shipped_models_and_their_dev_figures() -> None:
    for name in ("sim_attempt", "sim_steps"):
        assert model_path(name).exists()
    meta = json.loads(model_path("sim_attempt").read_text())["meta"]
    assert meta["rows"] >= 300 and meta["cv"]["leaks"] == 0.0
    assert 0.5 <= meta["threshold"] < 0.95
    # Folds by mentor step, with 124 opposite-move pairs: the honest CV figure is ~0.74.
    assert json.loads(model_path("sim_steps").read_text())["meta"]["cv_accuracy"] >= 0.7
    assert sim_attempt.ATTEMPT_SPEC.name == "sim_attempt"
    assert sim_match.STEPS_SPEC.name == "sim_steps"


@pytest.fixture
def graph_setup(shipped_kb: KnowledgeBase) -> tuple[Any, Context, str]:
    return simulation_setup(shipped_kb)


def test_the_graph_asks_again_at_the_same_step_before_revealing(
    graph_setup: tuple[Any, Context, str],
) -> None:
    graph, ctx, pair_id = graph_setup
    config = {"configurable": {"thread_id": "gate"}}
    start = {"pair_id": pair_id, "exercise": "experience", "scenario_id": INCIDENT.id}
    graph.invoke(start, config, context=ctx)
    for answer in ("idk", "/help", "What did you do?", "I like pizza."):
        graph.invoke(Command(resume={"kind": "answer", "text": answer}), config, context=ctx)
        gate = gate_payload(graph, config)
        assert gate["step"] == "approach", answer
        assert INCIDENT.response not in gate["prompt"]
        assert graph.get_state(config).values.get("approach") is None
        assert "reveal" not in graph.get_state(config).values
    assert "starter scenario from the guide" in gate_payload(graph, config)["prompt"]
    graph.invoke(Command(resume={"kind": "answer", "text": ATTEMPTS[0]}), config, context=ctx)
    gate = gate_payload(graph, config)
    assert gate["step"] == "upcoming" and INCIDENT.response in gate["prompt"]
    assert gate["prompt"].startswith("How it was handled in this starter scenario")


def test_the_cli_api_returns_the_same_step_with_the_reask(tmp_path: Path) -> None:
    with Coach(Settings(home=tmp_path / "home", engine="offline")) as coach:
        pair = coach.add_pair(mentor="Dana Lee", mentee="Sam Roe")
        turn = coach.start_simulation(pair.id, scenario_id=INCIDENT.id)
        again = coach.answer_simulation(turn.thread, "no idea")
        assert again.step == "approach" and not again.done
        assert "Not knowing is fine" in again.prompt and INCIDENT.response not in again.prompt
        skipped = coach.answer_simulation(turn.thread, kind="skip")
        assert skipped.step == "upcoming" and INCIDENT.response in skipped.prompt
        # The re-ask was said once, in its prompt; it is not carried as a note under later steps.
        assert not any("asked again" in note for note in again.notes + skipped.notes)


def test_matching_steps_are_similarities_not_differences() -> None:
    answer = (
        "I'd post an incident update in the on-call channel. I'd check whether the migration "
        "is safe to keep, then roll back the app code. I'd keep a timeline as I work."
    )
    comparison = compare_approach(answer, INCIDENT)
    joined = " ".join(comparison.similarities)
    assert "migration" in joined and "timeline" in joined and "on-call channel" in joined
    assert not any("timeline" in d and "leaves out" in d for d in comparison.differences)


def test_plan_items_keep_the_mentors_voice_and_texts_are_clean() -> None:
    scenario = design_review_scenario(
        "I admitted I had not thought about that failure mode and asked for a day to come "
        "back with an answer. I wrote up two options the next morning."
    )
    comparison = compare_approach("I'd bluff a bit and then look it up later.", scenario)
    plan = application_plan(
        "Next week I present my queue design at the architecture review.",
        comparison,
        scenario,
        "Ben",
        mentor="Dana",
    )
    text = " ".join(step.action for step in plan)
    assert "admit you had not" not in text and "you had not thought" not in text
    assert '"I admitted I had not thought about that failure mode' in text
    assert "as Dana did" in text
    for step in plan:
        assert text_failures(step.action) == [], step.action
        assert not step.action.rstrip(".").endswith("...")
    for item in [*comparison.similarities, *comparison.differences, *comparison.principles]:
        assert text_failures(item) == [], item
    assert "Dana's 1" not in comparison.summary


def test_text_checks_catch_the_reported_defects() -> None:
    assert text_failures("None of your steps lined up closely with Dana's 1.")
    assert text_failures("Round 1 of 3-5: Round 1 of 3-5, practising demos.")
    assert text_failures("Write the the plan.")
    assert text_failures('It\'s 2 a.m. and "quoted" text is fine.') == []
    guidance = ffwd_guidance("presenting at demos", 1, [])
    assert guidance.count("Round 1 of") == 1 and text_failures(guidance) == []


def test_ffwd_prompt_says_the_round_once(graph_setup: tuple[Any, Context, str]) -> None:
    graph, ctx, pair_id = graph_setup
    config = {"configurable": {"thread_id": "ff-label"}}
    graph.invoke(
        {"pair_id": pair_id, "exercise": "ffwd", "skill": "presenting at demos"},
        config,
        context=ctx,
    )
    prompt = gate_payload(graph, config)["prompt"]
    assert prompt.count("Round 1 of 3-5") == 1


def test_only_the_pairs_own_scenarios_are_the_mentors_story(tmp_path: Path) -> None:
    with Coach(Settings(home=tmp_path / "home", engine="offline")) as coach:
        pair = coach.add_pair(mentor="Dana Lee", mentee="Sam Roe")
        own = coach.add_scenario(
            pair.id,
            title="The quiet outage",
            situation="A batch job failed silently for three nights before anyone noticed.",
            response="I added an alert on the job's output count and wrote a short postmortem.",
            outcome="The alert caught the next failure within an hour.",
        )
        turn = coach.start_simulation(pair.id, scenario_id=own.id)
        assert "starter scenario" not in turn.prompt and "Dana will share" in turn.prompt
        starter = coach.start_simulation(pair.id, scenario_id=INCIDENT.id)
        assert "a starter scenario from the guide" in starter.prompt
        assert "Dana will share" not in starter.prompt
        assert ScenarioStore(coach.store).get(pair.id, INCIDENT.id).starter


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any]:
    from agent.cli import run

    code = run(list(args))
    out, _ = capsys.readouterr()
    return int(code), json.loads(out) if "--json" in args else out


def test_scenario_show_hides_the_mentors_side_unless_revealed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = _cli(capsys, "pair", "add", "--mentor", "Ana Silva", "--mentee", "Ben Okafor")
    assert code == 0
    code, data = _cli(capsys, "scenario", "show", INCIDENT.id, "--pair", "ana-ben", "--json")
    assert code == 0
    assert data["response"] is None and data["outcome"] is None and data["principles"] == []
    assert data["situation"] == INCIDENT.situation and data["revealed"] is False
    _, human = _cli(capsys, "scenario", "show", INCIDENT.id, "--pair", "ana-ben")
    assert INCIDENT.response[:30] not in human and "--reveal" in human
    _, revealed = _cli(
        capsys, "scenario", "show", INCIDENT.id, "--pair", "ana-ben", "--reveal", "--json"
    )
    assert revealed["response"] == INCIDENT.response
    _, listing = _cli(capsys, "scenario", "list", "--pair", "ana-ben", "--json")
    assert all(s["response"] is None for s in listing["scenarios"])
    with Coach(Settings(home=tmp_path / "home", engine="offline")) as coach:
        assert coach.show_scenario("ana-ben", INCIDENT.id).response is None
        shown = coach.show_scenario("ana-ben", INCIDENT.id, reveal=True)
        assert shown.outcome == INCIDENT.outcome


def test_every_text_the_offline_simulation_produces_passes_the_checks() -> None:
    from agent.offline.simulation import clarify, ffwd_observe, ffwd_summary, present_situation
    from evals.dataset import load_dataset

    texts: list[str] = []
    for sample in load_dataset("simulations"):
        scenario = get_starter(sample.input["scenario_id"])
        answers = sample.input["answers"]
        comparison = compare_approach(answers["approach"], scenario, mentor="Dana")
        plan = application_plan(answers["upcoming"], comparison, scenario, "Ben", mentor="Dana")
        texts += [*comparison.similarities, *comparison.differences, *comparison.principles]
        texts += [comparison.summary, *(step.action for step in plan)]
        texts.append(clarify("Who else is involved?", scenario, mentor="Dana"))
        outline = present_situation(scenario, mentor="Dana")
        texts.append(outline.split("\n")[-1])  # the engine's own sentence under the situation
    rounds: list[Any] = []
    for report in (
        "I was nervous and ran out of time, nobody asked questions.",
        "Better: I opened with the main point and people asked good questions.",
        "Calm this time, finished on time, and we agreed next steps.",
    ):
        record = ffwd_observe("presenting at sprint demos", report, rounds)
        rounds.append(record)
        texts += [record.guidance, *record.observations, *record.patterns, record.adjustment]
    texts.append(ffwd_summary(rounds))
    problems = {t: text_failures(t) for t in texts if text_failures(t)}
    assert problems == {}


def test_an_attempt_at_another_situation_is_compared_not_called_a_non_answer() -> None:
    # A real attempt (it passed the gate) that fits another scenario: the comparison says it
    # lines up with none of the mentor's steps, and never "doesn't say what you would do";
    # its steps are quoted whole, as written, never joined into one garbled clause.
    review = get_starter("first-performance-review")
    answer = (
        "I would first ask the tech lead for a private chat to understand what worries them, "
        "then propose a smaller first step after the release."
    )
    assert assess_answer(answer, review.situation).attempt
    comparison = compare_approach(answer, review)
    assert comparison.quality == "full"
    assert "doesn't yet say what you would do" not in comparison.summary
    assert comparison.summary.startswith("None of your steps lined up closely with the five steps")
    quoted = [d.split('"')[1] for d in comparison.differences if "didn't do" in d]
    assert sorted(quoted) == [
        "I would first ask the tech lead for a private chat to understand what worries them",
        "propose a smaller first step after the release",
    ]
