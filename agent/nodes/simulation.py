"""Nodes of the exercises: one node per step, one node per human gate, side effects last."""

from __future__ import annotations

import hashlib
import logging
from typing import Any, Literal

from langgraph.config import get_config
from langgraph.runtime import Runtime
from langgraph.types import Command, interrupt
from pydantic import BaseModel

import prompts
from agent.context import Context
from agent.errors import LLMError
from agent.memory import PairStore
from agent.offline import simulation as offline
from agent.offline.judgement import detect_markers
from agent.scenarios import Scenario, ScenarioStore
from agent.sim_state import GatePayload, Reply, SimState

log = logging.getLogger(__name__)

# -- helpers -------------------------------------------------------------------------------


def _pairs(runtime: Runtime[Context]) -> PairStore:
    assert runtime.store is not None
    return PairStore(runtime.store)


def scenario_of(state: SimState) -> Scenario:
    """The scenario this simulation runs."""
    return Scenario.model_validate(state["scenario"])


def _llm(runtime: Runtime[Context]) -> bool:
    return runtime.context.engine == "llm" and runtime.context.chat is not None


def _gate(step: Any, prompt: str, can: list[str]) -> Reply:
    payload: GatePayload = {"step": step, "prompt": prompt, "can": can}
    reply = interrupt(payload)
    if isinstance(reply, str):
        return {"kind": "answer", "text": reply}
    return Reply(kind=reply.get("kind", "answer"), text=str(reply.get("text", "")))


class OutlineDraft(BaseModel):
    """An LLM's outline of the situation (never the response)."""

    outline: str


class PlanDraft(BaseModel):
    """An LLM's application plan."""

    steps: list[offline.PlanStep]


def _ask_with_repair(
    runtime: Runtime[Context], template: str, schema: type[Any], check: Any, **values: str
) -> tuple[Any | None, list[str]]:
    """One LLM answer checked by ``check``; one repair in all (format or checks); else None.

    Every text field of the answer also passes :func:`agent.guardrails.text_failures`
    against what the model was given. The notes returned are for the user; the checks'
    own findings go to the log (``coach --verbose``).
    """
    from agent.guardrails import input_terms, text_failures
    from agent.nodes.common import MAX_LLM_REPAIRS, unavailable_note

    chat = runtime.context.chat
    assert chat is not None
    allowed = input_terms(*values.values())
    what = _WHAT.get(template, "answer")
    feedback = ""
    left = MAX_LLM_REPAIRS
    failures: list[str] = []
    while True:
        try:
            answer, spent = chat.structured_counted(
                prompts.render_messages(template, feedback=feedback, **values),
                schema,
                task=template,
                max_repairs=left,
            )
        except LLMError as exc:
            return None, [unavailable_note(exc, f"this {what}")]
        left -= spent
        failures = check(answer) + text_failures(answer, allowed)
        if not failures:
            return answer, []
        if left <= 0:
            break
        left -= 1
        feedback = "\nYour previous answer failed these checks; fix every one:\n" + "\n".join(
            f"- {f}" for f in failures
        )
    log.info("the model's %s failed the checks after a repair: %s", template, "; ".join(failures))
    return None, [
        f"The model's {what} did not pass our checks, so this {what} comes from the built-in coach."
    ]


_WHAT = {"sim_outline": "outline", "sim_compare": "comparison", "sim_plan": "plan"}


# -- Years of Experience in Months -------------------------------------------------------


def start_exercise(state: SimState) -> Literal["choose_experience", "ask_skill"]:
    """Which exercise this thread runs."""
    return "ask_skill" if state.get("exercise") == "ffwd" else "choose_experience"


def choose_experience(state: SimState, runtime: Runtime[Context]) -> dict[str, Any]:
    """Pick the mentor's experience: the one asked for, or the best fit for the goals."""
    assert runtime.store is not None
    pair = _pairs(runtime).get(state["pair_id"])
    library = ScenarioStore(runtime.store)
    if state.get("scenario_id"):
        scenario = library.get(pair.id, str(state["scenario_id"]))
    else:
        scenario = offline.choose_scenario(
            library.list(pair.id), pair.goals, None, exclude=state.get("exclude") or ()
        )
    return {"scenario": scenario.model_dump(mode="json"), "engine": runtime.context.engine}


def outline_situation(state: SimState, runtime: Runtime[Context]) -> dict[str, Any]:
    """The situation as the mentor met it, without what they did (checked for leaks)."""
    scenario = scenario_of(state)
    if _llm(runtime):
        draft, notes = _ask_with_repair(
            runtime,
            "sim_outline",
            OutlineDraft,
            lambda d: offline.leak_failures(d.outline, scenario) + _blame(d.outline),
            scenario=prompts.delimit(
                "scenario", scenario.model_dump_json(include={"title", "situation", "constraints"})
            ),
        )
        if draft is not None:
            label = f"{STARTER_LABEL}\n\n" if scenario.starter else ""
            return {"outline": f"{label}{draft.outline}"}
        return {
            "outline": offline.present_situation(scenario, mentor=_mentor(state, runtime)),
            **_fell_back(notes),
        }
    return {"outline": offline.present_situation(scenario, mentor=_mentor(state, runtime))}


STARTER_LABEL = "(A starter scenario from the guide, not your mentor's own experience.)"


def _origin(scenario: Scenario, mentor: str) -> str:
    """Whose story the scenario is, for the LLM prompts."""
    if scenario.starter:
        return (
            "This is a starter scenario from the guide, not the mentor's own experience: "
            "call the person in it 'the engineer in this starter scenario', never the mentor."
        )
    return f"This is {mentor}'s own experience: call them {mentor}."


def _mentor(state: SimState, runtime: Runtime[Context]) -> str:
    return _pairs(runtime).get(state["pair_id"]).called("mentor")


def _fell_back(notes: list[str]) -> dict[str, Any]:
    """Notes of an LLM step answered offline; the run then no longer reports ``engine: llm``."""
    return {"notes": notes, "engine": "offline"} if notes else {"notes": notes}


def _blame(text: str) -> list[str]:
    markers = detect_markers(text)
    return [f"judgemental wording: {', '.join(markers)}"] if markers else []


def ask_approach(
    state: SimState, runtime: Runtime[Context]
) -> Command[Literal["ask_approach", "reveal_response", "finish"]]:
    """Human gate: the mentee's approach (or a clarifying question, a skip, a stop).

    The mentor's story stays hidden until a real attempt: an answer that is not one ("idk",
    "/help", a question back, off-topic, too short) is asked again, at the same step, with a
    hint that gives nothing away. Skipping is the mentee's explicit choice.
    """
    extra = "".join(f"\n\nQ: {c['q']}\nA: {c['a']}" for c in state.get("clarifications") or [])
    outline = state["outline"]
    reask = state.get("reask") or ""
    ask = "" if "what would you do" in outline.lower() else "\n\nWhat would you do?"
    prompt = f"{outline}{extra}{ask}" + (f"\n\n{reask}" if reask else "")
    reply = _gate("approach", prompt, ["answer", "clarify", "skip", "stop"])
    text = reply.get("text", "").strip()
    scenario = scenario_of(state)
    mentor = _mentor(state, runtime)
    if reply["kind"] == "stop":
        return Command(update={"stopped": True}, goto="finish")
    if reply["kind"] == "skip":
        return Command(
            update={"approach": None, "skipped": ["approach"], "reask": "", "first_try": ""},
            goto="reveal_response",
        )
    if reply["kind"] == "clarify" and text:
        answer = offline.clarify(text, scenario, mentor=mentor)
        return Command(
            update={"clarifications": [{"q": text, "a": answer}], "reask": ""}, goto="ask_approach"
        )
    verdict = offline.assess_answer(text, scenario.situation)
    first = state.get("first_try") or ""
    if first:  # asked once for more: a second try is taken with the first, never a third ask
        if verdict.reason in offline.TRYING:
            return _approach(_joined(first, text))
        taken = offline.assess_answer(first, scenario.situation).attempt
        if verdict.reason in _NO_SITUATION and taken:
            return _approach(first)  # "that's all": the thin attempt stands
    elif verdict.thin or (not verdict.attempt and verdict.reason in offline.TRYING):
        again = offline.reask_prompt(verdict, text, scenario, mentor=mentor)
        return Command(update={"reask": again, "first_try": text}, goto="ask_approach")
    if not verdict.attempt:
        again = offline.reask_prompt(verdict, text, scenario, mentor=mentor)
        # No entry in ``notes``: they accumulate over the thread, so "asked again" would still be
        # printed under every later step; the re-ask prompt itself tells the mentee.
        return Command(update={"reask": again}, goto="ask_approach")
    return _approach(text)


def _approach(text: str) -> Command[Literal["ask_approach", "reveal_response", "finish"]]:
    return Command(update={"approach": text, "reask": "", "first_try": ""}, goto="reveal_response")


def _joined(first: str, more: str) -> str:
    """Two answers as one approach: "I'd talk to them. I'd ask what happened first."."""
    first = first.rstrip()
    return f"{first}{'' if first[-1:] in '.!?' else '.'} {more[:1].upper()}{more[1:]}"


def reveal_response(state: SimState, runtime: Runtime[Context]) -> dict[str, Any]:
    """What was actually done, and how it turned out (a starter is labelled as one)."""
    scenario = scenario_of(state)
    if scenario.starter:
        head = "How it was handled in this starter scenario (an example from the guide)"
    else:
        voice = offline.Voice.of(False, _mentor(state, runtime))
        head = f"What {voice.who} actually did, in {voice.whose} own words"
    return {"reveal": f"{head}:\n{scenario.response}\n\nOutcome: {scenario.outcome}"}


def compare_approaches(state: SimState, runtime: Runtime[Context]) -> dict[str, Any]:
    """Similarities, differences and principles between the mentee's and the mentor's way."""
    approach = state.get("approach")
    if not approach:
        return {"comparison": None}
    scenario = scenario_of(state)
    if _llm(runtime):
        draft, notes = _ask_with_repair(
            runtime,
            "sim_compare",
            offline.ApproachComparison,
            lambda d: offline.comparison_failures(d, approach, scenario) + _blame(d.summary),
            scenario=prompts.delimit(
                "scenario",
                scenario.model_dump_json(
                    include={
                        "title",
                        "situation",
                        "constraints",
                        "response",
                        "outcome",
                        "principles",
                    }
                ),
            ),
            approach=prompts.delimit("approach", approach),
            origin=_origin(scenario, _mentor(state, runtime)),
        )
        if draft is not None:
            return {"comparison": draft.model_dump(mode="json")}
    else:
        notes = []
    comparison = offline.compare_approach(approach, scenario, mentor=_mentor(state, runtime))
    return {"comparison": comparison.model_dump(mode="json"), **_fell_back(notes)}


# Answers that name no situation ("nothing really", "idk", "no", "/help", "what do you mean?").
# Any topic is fine here: the situation to come need not resemble the scenario.
_NO_SITUATION = frozenset({"empty", "command", "dont_know", "filler"})
_REASK_UPCOMING = (
    "Name one situation coming up for you, even a small one: a review, an interview, a "
    "release, a hard conversation. (Or skip this step to finish without a plan.)"
)


_REASK_INSTRUCTION = (
    "That reads as an instruction to the coach rather than a report, so I've set it aside. "
    "Tell me what you did when you tried the skill, how people reacted and what you would change."
)
_REASK_REPORT = (
    "This round starts once you have tried it for real. Then tell me what you did, how people "
    "reacted and what you would change. (Or stop to end the exercise.)"
)


def ask_upcoming(
    state: SimState, runtime: Runtime[Context]
) -> Command[Literal["ask_upcoming", "plan_application", "finish"]]:
    """Human gate: an upcoming situation of the mentee's to apply the lessons to.

    An answer that names no situation is asked again: the plan built from it would be saved
    as action items ("apply it to the nothing really").
    """
    comparison = state.get("comparison") or {}
    summary = comparison.get("summary", "")
    reask = state.get("reask") or ""
    prompt = (
        f"{state['reveal']}\n\n{summary}".strip()
        + "\n\nWhat upcoming situation of yours could these lessons apply to?"
        + (f"\n\n{reask}" if reask else "")
    )
    reply = _gate("upcoming", prompt, ["answer", "skip", "stop"])
    text = reply.get("text", "").strip()
    if reply["kind"] in ("stop", "skip"):
        return Command(
            update={"skipped": ["upcoming"], "stopped": reply["kind"] == "stop", "reask": ""},
            goto="finish",
        )
    verdict = offline.assess_answer(text, scenario_of(state).situation)
    asks = verdict.reason == "question" and text.endswith("?")
    if verdict.reason in _NO_SITUATION or verdict.reason == "instruction" or asks:
        return Command(update={"reask": _REASK_UPCOMING}, goto="ask_upcoming")
    return Command(update={"upcoming": text, "reask": ""}, goto="plan_application")


def plan_application(state: SimState, runtime: Runtime[Context]) -> dict[str, Any]:
    """Concrete steps for the upcoming situation (saved as action items next)."""
    scenario = scenario_of(state)
    pair = _pairs(runtime).get(state["pair_id"])
    upcoming = str(state.get("upcoming") or "")
    comparison = offline.ApproachComparison.model_validate(
        state.get("comparison")
        or {"similarities": [], "differences": [], "principles": scenario.principles, "summary": ""}
    )
    notes: list[str] = []
    if _llm(runtime):
        draft, notes = _ask_with_repair(
            runtime,
            "sim_plan",
            PlanDraft,
            lambda d: offline.plan_failures(
                [s.model_copy(update={"owner": pair.mentee}) for s in d.steps],
                upcoming,
                pair.mentee,
            ),
            upcoming=prompts.delimit("upcoming", upcoming),
            principles="\n".join(f"- {p}" for p in comparison.principles or scenario.principles),
            mentee=pair.mentee,
        )
        if draft is not None:
            steps = [s.model_copy(update={"owner": pair.mentee}) for s in draft.steps]
            return {"plan": [s.model_dump(mode="json") for s in steps]}
    steps = offline.application_plan(
        upcoming, comparison, scenario, pair.mentee, mentor=_mentor(state, runtime)
    )
    return {"plan": [s.model_dump(mode="json") for s in steps], **_fell_back(notes)}


def save_plan(state: SimState, runtime: Runtime[Context]) -> dict[str, Any]:
    """Store the plan's steps as the pair's open action items (idempotent on replay)."""
    from datetime import UTC, datetime, timedelta

    thread = str(get_config()["configurable"]["thread_id"])
    pairs = _pairs(runtime)
    today = datetime.now(UTC).date()
    planned = pairs.get(state["pair_id"]).next_session
    upcoming = planned.date() if planned is not None and planned.date() > today else None
    ids: list[str] = []
    for index, step in enumerate(state.get("plan") or []):
        item_id = hashlib.sha256(f"{thread}/{index}".encode()).hexdigest()[:8]
        due = today + timedelta(days=step["due_days"]) if step.get("due_days") else None
        # "... to your next session" is due at that session when it is booked after the step
        # would fall due anyway (a plan item said "next session" and gave another date).
        if upcoming and "next session" in step["action"] and (due is None or upcoming >= due):
            due = upcoming
        pairs.put_item(
            state["pair_id"],
            item_id,
            {
                "owner": step.get("owner"),
                "action": step["action"],
                "due": due,
                "evidence": f"Application plan from the simulation ({thread})",
            },
        )
        ids.append(item_id)
    return {"item_ids": ids}


def finish(state: SimState) -> dict[str, Any]:
    """Close the exercise; what was done so far is kept."""
    if state.get("exercise") == "ffwd":
        summary = state.get("summary") or "Stopped before any round was reported."
    elif state.get("plan"):
        steps = "\n".join(f"- {s['action']}" for s in state["plan"])
        summary = f"Your plan (saved as action items):\n{steps}"
    else:
        summary = "Simulation stopped. What you did so far is kept."
    return {"done": True, "step": "done", "prompt": summary}


# -- Feedback Fast-Forward ---------------------------------------------------------------


def ask_skill(state: SimState) -> Command[Literal["give_guidance", "ask_skill", "finish"]]:
    """Human gate (skipped when the skill was given at the start)."""
    if state.get("skill"):
        return Command(goto="give_guidance")
    reask = state.get("reask") or ""
    prompt = "Which specific skill do you want to practise?" + (f" ({reask})" if reask else "")
    reply = _gate("skill", prompt, ["answer", "stop"])
    text = reply.get("text", "").strip()
    if reply["kind"] == "stop" or not text:
        return Command(update={"stopped": True, "reask": ""}, goto="finish")
    # "asdf" or a paragraph of instructions is asked again, with the reason, not practised.
    problem = offline.skill_problem(text)
    if problem:
        return Command(update={"reask": problem[:1].upper() + problem[1:]}, goto="ask_skill")
    return Command(update={"skill": text, "reask": ""}, goto="give_guidance")


def give_guidance(state: SimState) -> dict[str, Any]:
    """Focused guidance before the next attempt, adjusted by earlier rounds."""
    rounds = [offline.RoundRecord.model_validate(r) for r in state.get("rounds") or []]
    guidance = offline.ffwd_guidance(str(state["skill"]), len(rounds) + 1, rounds)
    return {"guidance": guidance}


def ask_report(
    state: SimState,
) -> Command[Literal["observe_round", "summarise_rounds", "ask_report"]]:
    """Human gate: the mentee's report on trying the skill for real."""
    # The guidance already opens with "Round N of 3-5" and asks for a real attempt; neither
    # is repeated here.
    reask = state.get("reask") or ""
    prompt = f"{state['guidance']}\n\nWhen you have tried it, tell me how it went." + (
        f"\n\n{reask}" if reask else ""
    )
    rounds = completed_rounds(state)
    if rounds:  # the feedback on the report just given comes before the next round's guidance
        last = rounds[-1]
        seen = "\n".join(f"- {line}" for line in [*last.observations, *last.patterns])
        prompt = f"What your round {last.round_no} report shows:\n{seen}\n\n{prompt}"
    reply = _gate("report", prompt, ["answer", "stop"])
    text = reply.get("text", "").strip()
    if reply["kind"] == "stop":
        return Command(update={"stopped": True, "reask": ""}, goto="summarise_rounds")
    # "not yet", "idk", "ok": no round happened, so there is nothing to observe or adjust.
    reason = offline.assess_answer(text, str(state.get("skill") or "")).reason
    if reason in _NO_SITUATION:
        return Command(update={"reask": _REASK_REPORT}, goto="ask_report")
    if reason == "instruction":  # "ignore previous instructions ...": not analysed
        return Command(update={"reask": _REASK_INSTRUCTION}, goto="ask_report")
    return Command(update={"report": text, "reask": ""}, goto="observe_round")


def observe_round(state: SimState) -> Command[Literal["give_guidance", "summarise_rounds"]]:
    """Observations, patterns and one adjustment from the latest report."""
    earlier = completed_rounds(state)
    record = offline.ffwd_observe(str(state["skill"]), str(state.get("report") or ""), earlier)
    update = {"rounds": [record.model_dump(mode="json")]}
    goto: Literal["give_guidance", "summarise_rounds"] = (
        "summarise_rounds" if len(earlier) + 1 >= offline.MAX_ROUNDS else "give_guidance"
    )
    return Command(update=update, goto=goto)


def completed_rounds(state: SimState) -> list[offline.RoundRecord]:
    """The observed rounds so far."""
    return [offline.RoundRecord.model_validate(r) for r in state.get("rounds") or []]


def summarise_rounds(state: SimState) -> dict[str, Any]:
    """Patterns across the rounds and what to keep doing."""
    rounds = completed_rounds(state)
    if not rounds:
        return {"summary": "Stopped before any round was reported."}
    return {"summary": offline.ffwd_summary(rounds)}
