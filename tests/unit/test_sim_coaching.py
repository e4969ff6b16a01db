"""The simulation as a new user meets it: comparison by meaning, the mentor's story, FFwd.

Each test runs the real path (the Coach API over the offline graph, or the offline
functions the graph calls) on a scripted simulation and asserts what the mentee reads.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from agent.api import Coach
from agent.config import Settings
from agent.offline.sim_text import steps
from agent.offline.simulation import (
    application_plan,
    compare_approach,
    ffwd_observe,
    text_failures,
)
from agent.scenarios import get_starter, sentence_case

SCOPE = get_starter("stakeholder-scope-creep")
SCOPE_ANSWER = (
    "I would set up a meeting with the head of support instead of replying in Slack. Before "
    "that I'd list every request with an estimate in days and what it pushes out. In the "
    "meeting I'd ask what she actually needs most, and offer to ship the button on the date and "
    "move the rest into a second phase. Then I'd write the decision down and send it to her, "
    "my manager and the team."
)


def _all_text(comparison: object) -> str:
    parts = [*comparison.similarities, *comparison.differences, *comparison.principles]  # type: ignore[attr-defined]
    return " ".join([*parts, comparison.summary])  # type: ignore[attr-defined]


def test_a_scripted_simulation_lists_matching_steps_as_similarities(tmp_path: Path) -> None:
    with Coach(Settings(home=tmp_path / "home", engine="offline")) as coach:
        pair = coach.add_pair(mentor="Dana Reyes", mentee="Sam Lee")
        turn = coach.start_simulation(pair.id, scenario_id=SCOPE.id)
        turn = coach.answer_simulation(turn.thread, SCOPE_ANSWER)
        assert turn.step == "upcoming"
        comparison = coach.show_simulation(turn.thread).comparison
    assert comparison is not None
    # Every step of the answer does something the engineer did: two of them ("offer to ship
    # the button on the date" and "move the rest into a second phase") one mentor step.
    assert len(comparison["similarities"]) == 5
    assert not any("didn't do" in d or "leaves out" in d for d in comparison["differences"])
    assert any("move the rest into a second phase" in s for s in comparison["similarities"])
    assert comparison["summary"].startswith(
        "Your approach matches all five steps the engineer in this starter scenario took "
        '(among them "'  # five matched, two quoted: the quotes are not the whole match
    )


def test_counts_read_as_a_mentor_would_write_them() -> None:
    text = _all_text(
        compare_approach(
            "Talk to my manager first and then get everyone in a room to agree what is in and out.",
            SCOPE,
        )
    )
    assert not re.search(r"\b\d+ of \d+ steps?\b", text)
    assert re.search(r"\b(?:one|two|three|four|five|none|None)\b", text)


def test_reason_clauses_stay_with_their_move() -> None:
    incident = steps(get_starter("checkout-incident-2am").response, 4)
    assert not any(s.lower().startswith(("it ", "it's ")) for s in incident)
    assert any(s.endswith("it only added a nullable column") for s in incident)
    assert any(s.startswith("I rolled back the application code") for s in incident)
    legacy = steps(get_starter("inherited-legacy-service").response, 4)
    assert "Following the data through the code" not in legacy
    assert any(s.startswith("Following the data through the code, I found") for s in legacy)


def test_an_accepted_attempt_is_never_called_a_non_answer() -> None:
    comparison = compare_approach(
        "I would tell her that everything new goes to v2 after launch", SCOPE, mentor="Dana"
    )
    assert comparison.quality != "off-topic"
    assert "doesn't yet say what you would do" not in comparison.summary
    assert "everything new goes to v2 after launch" in _all_text(comparison)


def test_a_mentors_own_scenario_is_told_as_their_story(tmp_path: Path) -> None:
    with Coach(Settings(home=tmp_path / "home", engine="offline")) as coach:
        pair = coach.add_pair(mentor="Dana Reyes", mentee="Sam Lee")
        coach.add_scenario(
            pair.id,
            title="the time marketing kept adding features",
            situation="two weeks before launch, our marketing lead kept adding features to the "
            "landing page and my team was already behind.",
            response="i asked for a call with her and my manager. i listed each request with "
            "what it would cost in days. we agreed to ship two of them and park the rest.",
            outcome="we launched on time.",
            principles=["make the cost visible"],
        )
        turn = coach.start_simulation(pair.id)
        outline = turn.prompt
        turn = coach.answer_simulation(
            turn.thread, "I'd call the marketing lead and show her what each feature costs."
        )
    assert outline.startswith("Scenario: The time marketing kept adding features\n")
    assert "(Dana's own experience, in Dana's words)" in outline
    assert "Two weeks before launch, our marketing lead" in outline
    assert "What would you do in Dana's place?" in outline
    assert "starter" not in outline
    assert turn.prompt.startswith("What Dana actually did, in Dana's own words:\nI asked for")
    assert " i " not in turn.prompt


def test_a_starter_is_labelled_as_a_starter_before_its_story(tmp_path: Path) -> None:
    with Coach(Settings(home=tmp_path / "home", engine="offline")) as coach:
        pair = coach.add_pair(mentor="Dana Reyes", mentee="Sam Lee")
        turn = coach.start_simulation(pair.id, scenario_id=SCOPE.id)
    first, label = turn.prompt.splitlines()[:2]
    assert first == f"Scenario: {SCOPE.title}"
    assert label == "(a starter scenario from the guide, not your mentor's own experience)"
    assert "Dana" not in turn.prompt


def test_sentence_case_capitalises_only_what_a_fast_typist_left_lower_case() -> None:
    assert sentence_case("two weeks in, i asked. then i'd wait.") == (
        "Two weeks in, I asked. Then I'd wait."
    )
    assert sentence_case("iOS broke, e.g. the login. gRPC too.") == (
        "iOS broke, e.g. the login. gRPC too."
    )


def test_ffwd_a_negated_attempt_is_not_tried() -> None:
    for report in (
        "I did not get a chance to try it, the call got moved.",
        "I never got to open with the main point, the demo was cancelled.",
    ):
        record = ffwd_observe("presenting at sprint demos", report, [])
        assert not record.focus_tried
        assert record.next_focus_index == record.focus_index
        assert not any(o.startswith("You tried") for o in record.observations)
    tried = ffwd_observe(
        "presenting at sprint demos", "I opened with the main point and people remembered it.", []
    )
    assert tried.focus_tried and tried.next_focus_index == tried.focus_index + 1


def test_plan_items_keep_the_mentees_people_in_the_right_voice() -> None:
    comparison = compare_approach(SCOPE_ANSWER, SCOPE, mentor="Dana")
    plan = application_plan(
        "Next Tuesday my PM wants me to add two more reports to the dashboard release.",
        comparison,
        SCOPE,
        "Sam Lee",
        mentor="Dana",
        today=date(2026, 12, 7),
    )
    actions = [s.action for s in plan]
    assert any("with Dana playing your PM," in a for a in actions)
    team = application_plan(
        "On Friday I present the roadmap to Priya's team.",
        comparison,
        SCOPE,
        "Sam Lee",
        mentor="Dana",
        today=date(2026, 12, 7),
    )
    assert not any("the Priya's" in s.action for s in team)
    for action in [*actions, *(s.action for s in team)]:
        assert text_failures(action) == []
        assert action.endswith((".", '."'))


def test_a_plan_item_for_the_next_session_is_due_at_the_booked_session(tmp_path: Path) -> None:
    # "Bring notes on how it went ... to your next session" was due two days after the event,
    # not on the session the pair had booked.
    from datetime import datetime, timedelta

    booked = (datetime.now() + timedelta(days=20)).replace(hour=10, minute=0, second=0)
    with Coach(Settings(home=tmp_path / "home", engine="offline")) as coach:
        pair = coach.add_pair(mentor="Dana Reyes", mentee="Sam Lee", next_session=booked)
        turn = coach.start_simulation(pair.id, scenario_id=SCOPE.id)
        turn = coach.answer_simulation(turn.thread, SCOPE_ANSWER)
        assert turn.step == "upcoming"
        coach.answer_simulation(
            turn.thread,
            "In three days the sales lead wants four extra features in the release I'm shipping.",
        )
        items = coach.items(pair.id)
    bring = [i for i in items if "next session" in i.action]
    assert bring, [i.action for i in items]
    assert all(i.due == booked.date() for i in bring)
    others = [i for i in items if i not in bring and i.due is not None]
    assert others and all(i.due < booked.date() for i in others)
