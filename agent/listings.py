"""The CLI's list and detail answers (pydantic models kept out of ``agent.cli``'s import)."""

from __future__ import annotations

from pydantic import BaseModel

from agent.memory import Pair, StoredItem


class PairList(BaseModel):
    """The answer to ``coach pair list``."""

    pairs: list[Pair]


class ItemList(BaseModel):
    """The answer to ``coach actions list``."""

    items: list[StoredItem]


class PairDetail(BaseModel):
    """The answer to ``coach pair show``."""

    pair: Pair
    open_items: list[StoredItem]
    overdue: list[str] = []  # ids of open items past their due date


class ScenarioList(BaseModel):
    """The answer to ``coach scenario list``."""

    scenarios: list[dict[str, object]]
