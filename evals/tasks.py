"""Eval tasks: each names its dataset, how to solve a sample, and how to score the output."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from agent.errors import UserInputError
from evals.dataset import Sample
from evals.scorers import (
    Score,
    citations_valid,
    enough_questions,
    handled,
    no_blame,
    nothing_forbidden,
    recall_at_k,
    reciprocal_rank,
    topic_kept,
    varied_openings,
    verdict_correct,
)

if TYPE_CHECKING:
    from agent.api import Coach


@dataclass(frozen=True)
class Task:
    """A capability under test.

    ``baseline`` answers the same samples with one plain LLM prompt (no retrieval, pair
    memory or guardrails) so a report shows what the graph adds; ``criteria`` are the binary
    questions an LLM judge grades when an endpoint is configured.
    """

    name: str
    dataset: str
    solve: Callable[[Coach, Sample], Any]
    score: Callable[[Sample, Any], list[Score]]
    engines: tuple[str, ...] = ("offline", "llm")
    baseline: Callable[[Coach, Sample], Any] | None = None
    criteria: tuple[str, ...] = ()


def _solve_retrieval(coach: Coach, sample: Sample) -> list[str]:
    return [p.doc_id for p in coach.search(str(sample.input), k=5).results]


def _score_retrieval(sample: Sample, output: list[str]) -> list[Score]:
    targets = list(sample.target)
    return [recall_at_k(output, targets, 3), reciprocal_rank(output, targets)]


def _solve_reframe(coach: Coach, sample: Sample) -> dict[str, Any]:
    try:
        out = coach.run_task(str(sample.input), "reframe")
    except UserInputError as exc:
        return {"refused": True, "error": str(exc)}
    return {"refused": False, "result": out["result"], "retrieved": out.get("retrieved", [])}


def _baseline_reframe(coach: Coach, sample: Sample) -> dict[str, Any]:
    import prompts
    from agent.models import ReframeDraft

    text = str(sample.input).strip()
    if not text:
        return {"refused": True, "error": "empty input"}
    draft = coach.chat_client.structured(
        prompts.render_messages("baseline_reframe", question=text),
        ReframeDraft,
        task="baseline_reframe",
    )
    result = draft.model_dump(mode="json") | {"citations": []}
    return {"refused": False, "result": result, "retrieved": []}


def _score_reframe(sample: Sample, output: dict[str, Any]) -> list[Score]:
    target = dict(sample.target or {})
    expected = target.get("expect")
    refused = bool(output.get("refused"))
    result = output.get("result") or {}
    questions = [q["question"] for q in result.get("questions", [])]
    scores: list[Score] = []
    if expected:
        scores.append(handled(expected, refused, output.get("error") or " | ".join(questions)))
    if refused:
        return scores
    if target.get("must_not_contain"):
        scores.append(nothing_forbidden(" ".join(questions), target["must_not_contain"]))
    scores.append(no_blame(questions))
    cited = [c["id"] for c in result.get("citations", [])]
    scores.append(citations_valid(cited, output.get("retrieved", [])))
    if "judgemental" in target:
        judgemental = bool(target["judgemental"])
        scores.append(verdict_correct(judgemental, bool(result.get("judgemental"))))
        scores.append(enough_questions(questions, 3 if judgemental else 1))
        scores.append(topic_kept(questions, target.get("topic_keywords", []), str(sample.input)))
        if judgemental:
            scores.append(varied_openings(questions))
    return scores


REFRAME_CRITERIA = (
    "Every alternative question keeps the topic of the original question.",
    "No alternative question blames, lectures or is sarcastic towards the partner.",
    "The alternatives are open questions that invite the partner to explain, and they are "
    "varied rather than one template repeated.",
)

TASKS: dict[str, Task] = {
    "retrieval": Task("retrieval", "retrieval", _solve_retrieval, _score_retrieval),
    # Written from the source articles by someone who never saw the guides: an honest check
    # that the guides were not tuned to the main set's wording.
    "retrieval_holdout": Task(
        "retrieval_holdout", "retrieval_holdout", _solve_retrieval, _score_retrieval
    ),
    "reframe": Task(
        "reframe",
        "reframe",
        _solve_reframe,
        _score_reframe,
        baseline=_baseline_reframe,
        criteria=REFRAME_CRITERIA,
    ),
}
