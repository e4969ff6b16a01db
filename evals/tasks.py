"""Eval tasks: each names its dataset, how to solve a sample, and how to score the output."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from evals.dataset import Sample
from evals.scorers import Score, recall_at_k, reciprocal_rank

if TYPE_CHECKING:
    from agent.api import Coach


@dataclass(frozen=True)
class Task:
    """A capability under test."""

    name: str
    dataset: str
    solve: Callable[[Coach, Sample], Any]
    score: Callable[[Sample, Any], list[Score]]
    engines: tuple[str, ...] = ("offline", "llm")


def _solve_retrieval(coach: Coach, sample: Sample) -> list[str]:
    return [p.doc_id for p in coach.search(str(sample.input), k=5).results]


def _score_retrieval(sample: Sample, output: list[str]) -> list[Score]:
    targets = list(sample.target)
    return [recall_at_k(output, targets, 3), reciprocal_rank(output, targets)]


TASKS: dict[str, Task] = {
    "retrieval": Task("retrieval", "retrieval", _solve_retrieval, _score_retrieval),
    # Written from the source articles by someone who never saw the guides: an honest check
    # that the guides were not tuned to the main set's wording.
    "retrieval_holdout": Task(
        "retrieval_holdout", "retrieval_holdout", _solve_retrieval, _score_retrieval
    ),
}
