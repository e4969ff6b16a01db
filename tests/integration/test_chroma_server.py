"""The same retrieval contract against a real `chroma run` server on loopback."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.api import Coach
from agent.config import Settings
from knowledge.store import KnowledgeBase
from tests.retrieval_contract import RetrievalContract

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def kb(chroma_server: str, tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    server_kb = KnowledgeBase.open(tmp_path_factory.mktemp("unused"), chroma_server)
    server_kb.ensure_corpus()
    return server_kb


class TestServerRetrieval(RetrievalContract):
    """Runs every retrieval contract test against the server."""


def test_coach_uses_the_server_when_configured(chroma_server: str, tmp_path: Path) -> None:
    note = tmp_path / "server-only.md"
    note.write_text("# Whiteboard drills\n\n## Practise aloud\nSketch a system aloud weekly.\n")
    coach = Coach(Settings(home=tmp_path / "home", chroma_url=chroma_server, collection="srv"))
    assert coach.ingest([note]).added == 1
    assert coach.ingest([note]).unchanged == 1
    top = coach.search("practise drawing architecture out loud", k=1).results[0]
    assert top.title == "Whiteboard drills"
    assert not (tmp_path / "home" / "chroma").exists()
