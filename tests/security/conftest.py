"""Shared helpers for the security regression suite (issue 11)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.api import Coach
from agent.config import Settings
from knowledge.store import KnowledgeBase


@pytest.fixture
def coach(tmp_path: Path, shipped_kb: KnowledgeBase) -> Iterator[Coach]:
    """An offline coach on a fresh home, sharing the session's indexed shipped corpus."""
    with Coach(Settings(home=tmp_path / "home", engine="offline"), knowledge=shipped_kb) as c:
        yield c
