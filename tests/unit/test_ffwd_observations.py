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
