"""Shared fixtures: isolated COACH_HOME, fixture guides, knowledge bases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge.store import KnowledgeBase

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own COACH_HOME and no LLM endpoint unless it sets one."""
    monkeypatch.setenv("COACH_HOME", str(tmp_path / "home"))
    for name in (
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "COACH_ENGINE",
        "COACH_CHROMA_URL",
        "COACH_EMBEDDINGS",
        "COACH_DATABASE_URL",
        "COACH_MODEL",
        "COACH_LLM_DEADLINE",
        "COACH_LLM_TIMEOUT",
        "COACH_LLM_RETRY_TIMEOUTS",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _fresh_structured_modes() -> Iterator[None]:
    """Structured-output step-downs are remembered per process; each test starts afresh."""
    yield
    import sys

    llm = sys.modules.get("agent.llm")
    if llm is not None:
        llm.forget_learnt_modes()


@pytest.fixture
def fixture_guides() -> Path:
    return FIXTURES / "guides"


@pytest.fixture
def small_kb(tmp_path: Path, fixture_guides: Path) -> KnowledgeBase:
    """A knowledge base whose built-in corpus is two small fixture guides."""
    return KnowledgeBase.open(tmp_path / "chroma", guides_dir=fixture_guides)


@pytest.fixture(scope="session")
def shipped_kb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeBase]:
    """The real shipped corpus, indexed once per test session."""
    kb = KnowledgeBase.open(tmp_path_factory.mktemp("shipped") / "chroma")
    kb.ensure_corpus()
    yield kb
