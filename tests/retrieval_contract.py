"""Retrieval behaviour every Chroma backend must show (embedded and server)."""

from __future__ import annotations

from knowledge.store import KnowledgeBase


class RetrievalContract:
    """Mixed into test classes that provide a ``kb`` fixture over the shipped corpus."""

    def test_unkept_agreement_ranks_curiosity_first(self, kb: KnowledgeBase) -> None:
        results = kb.search("my mentee keeps not doing what we agreed", k=3)
        assert results[0].doc_id == "curiosity-over-judgement"
        assert results[0].score > results[-1].score

    def test_results_carry_metadata_and_ordered_scores(self, kb: KnowledgeBase) -> None:
        results = kb.search("how should we split the hour of a session", k=5)
        assert len(results) == 5
        assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)
        for passage in results:
            assert passage.title and passage.section and passage.text
            assert passage.source.startswith("http")
        assert results[0].doc_id == "meeting-template"

    def test_stage_filter_keeps_only_matching_or_any(self, kb: KnowledgeBase) -> None:
        results = kb.search("wrapping up at the end of the programme", k=8, stage="graduation")
        assert results
        assert all({"graduation", "any"} & set(p.stage) for p in results)

    def test_topic_filter(self, kb: KnowledgeBase) -> None:
        results = kb.search("what to do", k=5, topic="curiosity")
        assert results and all("curiosity" in p.topics for p in results)
