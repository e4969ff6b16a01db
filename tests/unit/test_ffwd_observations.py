"""The Feedback Fast-Forward observations come from a learned model, clause by clause."""

from __future__ import annotations

import pytest

from agent.offline.ffwd import ffwd_observe


@pytest.mark.parametrize(
    ("report", "hard", "well"),
    [
        (
            "Rehearsed the opening twice, felt calmer. Still ran over by five minutes but "
            "people asked questions.",
            ["time"],
            ["nerves", "preparation", "engagement"],
        ),
        (
            "Finished on time. The PM said it was easy to follow and we agreed who owns the "
            "rollout.",
            [],
            ["time", "clarity", "follow-through"],
        ),
        (
            "I forgot the demo data, so I winged it. The tone was friendly.",
            ["preparation"],
            ["tone"],
        ),
        ("I wasn't nervous at all and nobody was confused.", [], ["nerves", "clarity"]),
    ],
)
def test_report_clauses_are_read_by_theme_and_by_how_they_went(
    report: str, hard: list[str], well: list[str]
) -> None:
    record = ffwd_observe("presenting at sprint demos", report, [])
    assert (record.struggles, record.went_well) == (hard, well)


def test_a_report_with_nothing_to_say_about_how_it_went_names_no_theme() -> None:
    record = ffwd_observe(
        "presenting at sprint demos", "I shared my screen and showed the new search page.", []
    )
    assert record.struggles == [] and record.went_well == []


def test_a_sentence_that_also_went_badly_is_not_kept_as_what_worked() -> None:
    from agent.offline.ffwd import ffwd_guidance, ffwd_observe

    report = "I said my point about idempotency but Tom interrupted me and I stopped talking."
    first = ffwd_observe("speaking up in meetings", report, [])
    assert not any(o.startswith("Went well") for o in first.observations)
    # Round two told the mentee: 'Keep what worked last time: "... I stopped talking"'.
    assert "Keep what worked" not in ffwd_guidance("speaking up in meetings", 2, [first])
    good = ffwd_observe(
        "speaking up in meetings",
        "I opened with my main point and the team listened. My lead said it was clear.",
        [],
    )
    assert any(o.startswith("Went well") for o in good.observations)


def test_speaking_up_is_coached_as_speaking_up_not_as_running_the_meeting() -> None:
    from agent.offline.ffwd import ffwd_guidance

    # It was matched to facilitation: "state the meeting's purpose and end time", advice for
    # the person chairing, not for the mentee who wants to be heard in it.
    for skill in ("speaking up in meetings", "being heard in design reviews"):
        guidance = ffwd_guidance(skill, 1, [])
        assert "purpose and end time" not in guidance
        assert "point" in guidance and "meeting" in guidance, guidance
    assert "purpose and end time" in ffwd_guidance("running retros", 1, [])


def test_a_focus_that_was_tried_but_went_wrong_is_practised_again() -> None:
    from agent.offline.ffwd import ffwd_observe

    skill = "writing incident updates for non-technical stakeholders"
    first = ffwd_observe(skill, "I led with the user impact and support said it was clear.", [])
    report = "I promised the next update in half an hour but I forgot and it went out late."
    second = ffwd_observe(skill, report, [first])
    assert (first.focus_index, first.next_focus_index) == (0, 1)
    assert second.focus_tried and second.next_focus_index == second.focus_index == 1
    assert not second.adjustment.startswith("Keep what worked")


def test_the_next_focus_is_named_once_in_the_guidance() -> None:
    from agent.offline.ffwd import _family, ffwd_guidance, ffwd_observe

    skill = "estimating work"
    report = "I gave a range of three to five days and said what it assumed."
    first = ffwd_observe(skill, report, [])
    guidance = ffwd_guidance(skill, 2, [first])
    assert first.next_focus_index == 1
    tip = _family(skill)["focus"][1]["tip"]
    assert guidance.count(tip) == 1, guidance
