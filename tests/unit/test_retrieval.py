"""Retrieval over the shipped corpus in the embedded Chroma."""

from __future__ import annotations

import pytest

from knowledge.store import KnowledgeBase
from tests.retrieval_contract import RetrievalContract


class TestEmbeddedRetrieval(RetrievalContract):
    @pytest.fixture
    def kb(self, shipped_kb: KnowledgeBase) -> KnowledgeBase:
        return shipped_kb
