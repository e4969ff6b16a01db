"""Scorers: pure functions of (sample, output) returning a Score."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel


class Score(BaseModel):
    """One scorer's verdict on one sample."""

    name: str
    value: float
    passed: bool
    explanation: str


def recall_at_k(ranked_ids: Sequence[str], targets: Sequence[str], k: int = 3) -> Score:
    """1 if any target guide is among the first ``k`` distinct results."""
    top = list(dict.fromkeys(ranked_ids))[:k]
    hit = next((t for t in targets if t in top), None)
    return Score(
        name=f"recall_at_{k}",
        value=1.0 if hit else 0.0,
        passed=hit is not None,
        explanation=f"{hit} in top {k}" if hit else f"none of {list(targets)} in top {k}: {top}",
    )


def reciprocal_rank(ranked_ids: Sequence[str], targets: Sequence[str]) -> Score:
    """1/rank of the first target among the distinct results (0 if absent)."""
    distinct = list(dict.fromkeys(ranked_ids))
    rank = next((i for i, doc in enumerate(distinct, start=1) if doc in targets), None)
    return Score(
        name="mrr",
        value=1.0 / rank if rank else 0.0,
        passed=rank == 1,
        explanation=f"first target at rank {rank}" if rank else "no target retrieved",
    )


def citations_valid(cited: Sequence[str], retrieved: Sequence[str]) -> Score:
    """Every cited passage id was actually retrieved for this answer."""
    unknown = [c for c in cited if c not in set(retrieved)]
    return Score(
        name="citations_valid",
        value=0.0 if unknown else 1.0,
        passed=not unknown,
        explanation=f"cited but not retrieved: {unknown}" if unknown else f"{len(cited)} valid",
    )
