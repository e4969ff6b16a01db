"""Ingestion into Chroma: idempotent, precise updates, removals, bad input, model changes."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from knowledge.store import BUILTIN_PREFIX, EmbeddingMismatchError, KnowledgeBase

NOTE = """---
title: Running retros
topics: [feedback]
stage: [regular]
---
# Running retros

## Keep it short
Ten minutes at the end of a session is enough to look back.

## Ask three questions
- what went well
- what was hard
- what we change next time
"""


def keys(kb: KnowledgeBase) -> dict[str, int]:
    got = kb.collection.get(include=["metadatas"])
    counts: dict[str, int] = {}
    for meta in got["metadatas"]:
        counts[meta["source_key"]] = counts.get(meta["source_key"], 0) + 1
    return counts


def test_builtin_corpus_is_indexed_on_first_use_once(small_kb: KnowledgeBase) -> None:
    first = small_kb.ensure_corpus()
    assert first is not None and first.added == 2
    assert small_kb.ensure_corpus() is None
    assert set(keys(small_kb)) == {BUILTIN_PREFIX + "deadlines.md", BUILTIN_PREFIX + "listening.md"}


def test_ingest_is_idempotent(small_kb: KnowledgeBase, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "retro.md").write_text(NOTE)
    first = small_kb.ingest([folder])
    assert (first.files, first.added, first.unchanged) == (1, 1, 0)
    before = small_kb.collection.get()
    second = small_kb.ingest([folder])
    assert (second.files, second.added, second.updated, second.removed, second.unchanged) == (
        1,
        0,
        0,
        0,
        1,
    )
    assert small_kb.collection.get()["ids"] == before["ids"]


def test_edit_replaces_exactly_its_own_chunks(small_kb: KnowledgeBase, tmp_path: Path) -> None:
    path = tmp_path / "retro.md"
    path.write_text(NOTE)
    small_kb.ingest([path])
    ids, metas = _ids_meta(small_kb)
    builtin_ids = {i for i, m in zip(ids, metas, strict=True) if m["source_key"].startswith("bui")}
    old = _ids_for(small_kb, str(path.resolve()))

    path.write_text(NOTE.replace("Ten minutes", "Fifteen minutes"))
    report = small_kb.ingest([path])
    new = _ids_for(small_kb, str(path.resolve()))
    assert (report.updated, report.chunks_added, report.chunks_removed) == (1, 1, 1)
    assert len(old & new) == len(old) - 1
    texts = small_kb.collection.get(ids=sorted(new))["documents"]
    assert any("Fifteen minutes" in t for t in texts)
    assert not any("Ten minutes" in t for t in texts)
    assert builtin_ids <= set(small_kb.collection.get()["ids"])


def test_removed_section_disappears(small_kb: KnowledgeBase, tmp_path: Path) -> None:
    path = tmp_path / "retro.md"
    path.write_text(NOTE)
    small_kb.ingest([path])
    path.write_text(NOTE.split("## Ask three questions")[0])
    small_kb.ingest([path])
    texts = small_kb.collection.get(ids=sorted(_ids_for(small_kb, str(path.resolve()))))
    assert not any("what went well" in t for t in texts["documents"])
    assert small_kb.search("what went well, what was hard", k=5)[0].section != (
        "Running retros > Ask three questions"
    )


def test_removed_file_in_folder_is_removed(small_kb: KnowledgeBase, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "retro.md").write_text(NOTE)
    (folder / "other.txt").write_text("Pairing Sessions For Juniors\n\nPair often and rotate.\n")
    small_kb.ingest([folder])
    (folder / "other.txt").unlink()
    report = small_kb.ingest([folder])
    assert (report.removed, report.unchanged) == (1, 1)
    assert str((folder / "other.txt").resolve()) not in keys(small_kb)


def test_bad_files_are_skipped_and_the_rest_ingested(
    small_kb: KnowledgeBase, tmp_path: Path
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "a_good.md").write_text(NOTE)
    (folder / "b_empty.md").write_text("")
    (folder / "c_binary.txt").write_bytes(b"\x00\x01\x02")
    (folder / "d_latin.txt").write_bytes(b"na\xefve")
    (folder / "e_good.txt").write_text("Shadowing Senior Engineers\n\nSit in on a design review.\n")
    report = small_kb.ingest([folder, tmp_path / "missing.md"])
    reasons = {Path(s.path).name: s.reason for s in report.skipped}
    assert set(reasons) == {"b_empty.md", "c_binary.txt", "d_latin.txt", "missing.md"}
    assert reasons["missing.md"] == "no such file or directory"
    assert report.added == 2


def test_failure_while_embedding_leaves_old_chunks_intact(
    small_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "retro.md"
    path.write_text(NOTE)
    small_kb.ingest([path])
    before = small_kb.collection.get()["ids"]

    def broken(_: Any) -> Any:
        raise RuntimeError("embedding backend died")

    monkeypatch.setattr(small_kb, "embedding_function", broken)
    path.write_text(NOTE.replace("Ten minutes", "Twenty minutes"))
    with pytest.raises(RuntimeError):
        small_kb.ingest([path])
    assert small_kb.collection.get()["ids"] == before
    monkeypatch.undo()
    assert small_kb.ingest([path]).updated == 1


def test_topic_and_stage_filters(small_kb: KnowledgeBase) -> None:
    assert {p.doc_id for p in small_kb.search("listen", k=5, topic="listening")} == {"listening"}
    staged = small_kb.search("listen to your partner", k=5, stage="stalled")
    assert {p.doc_id for p in staged} == {"deadlines", "listening"}  # listening is stage any
    assert small_kb.search("listen", k=5, topic="nothing-has-this") == []


def test_other_embedding_model_is_a_clear_error(
    small_kb: KnowledgeBase, tmp_path: Path, fixture_guides: Path
) -> None:
    small_kb.ensure_corpus()
    other = KnowledgeBase(
        small_kb.client, embeddings="openai:text-embedding-3-small", guides_dir=fixture_guides
    )
    with pytest.raises(EmbeddingMismatchError, match="coach ingest --reindex"):
        other.search("listening", k=1)


def test_reindex_rebuilds_and_keeps_user_files(small_kb: KnowledgeBase, tmp_path: Path) -> None:
    path = tmp_path / "retro.md"
    path.write_text(NOTE)
    small_kb.ingest([path])
    count = small_kb.count()
    report = small_kb.reindex()
    assert report.added == 1
    assert small_kb.count() == count


def test_shipped_corpus_change_is_picked_up(tmp_path: Path, fixture_guides: Path) -> None:
    guides = tmp_path / "guides"
    shutil.copytree(fixture_guides, guides)
    kb = KnowledgeBase.open(tmp_path / "chroma", guides_dir=guides)
    kb.ensure_corpus()
    (guides / "listening.md").unlink()
    report = kb.ensure_corpus()
    assert report is not None and report.removed == 1
    assert {p.doc_id for p in kb.search("listen", k=5)} == {"deadlines"}


def _ids_meta(kb: KnowledgeBase) -> tuple[list[str], list[dict[str, Any]]]:
    got = kb.collection.get(include=["metadatas"])
    return got["ids"], got["metadatas"]


def _ids_for(kb: KnowledgeBase, key: str) -> set[str]:
    return set(kb.collection.get(where={"source_key": key})["ids"])


def test_keyword_ranking_finds_literal_terms_and_fusion_orders_scores() -> None:
    from knowledge.lexical import BM25Index, fuse

    index = BM25Index.build(
        ["a", "b", "c"],
        ["Pair on Kubernetes upgrades", "Write a design doc", "Review the design doc together"],
    )
    assert index.rank("kubernetes") == ["a"]
    assert index.rank("design docs")[:2] == ["b", "c"]  # stemmed plural; shorter doc first
    assert index.rank("design", allowed={"c"}) == ["c"]
    assert index.rank("the of and") == []
    fused = fuse([["x", "y"], ["y", "z"]])
    assert [pid for pid, _ in fused] == ["y", "x", "z"]
    assert fused[0][1] < 1.0 and fuse([["x"], ["x"]])[0][1] == 1.0


def test_keyword_index_follows_ingests(small_kb: KnowledgeBase, tmp_path: Path) -> None:
    small_kb.search("listen", k=1)  # builds the keyword index
    path = tmp_path / "zebra.md"
    path.write_text("# Zebra crossings\n\n## Rule\nZebras cross first.\n")
    small_kb.ingest([path])
    top = small_kb.search("zebras", k=1)[0]
    assert top.title == "Zebra crossings" and top.score == 1.0


def test_inverted_keyword_index_ranks_like_plain_bm25() -> None:
    import math
    import random
    from collections import Counter

    from knowledge.lexical import BM25Index, terms

    rng = random.Random(3)
    vocabulary = "goal review design mentee stuck feedback plan habit ticket doc pair".split()
    texts = [" ".join(rng.choices(vocabulary, k=rng.randint(3, 15))) for _ in range(60)]
    ids = [f"p{i:02d}" for i in range(60)]
    index = BM25Index.build(ids, texts)

    def plain(query: str, allowed: set[str] | None) -> list[str]:
        docs = [Counter(terms(t)) for t in texts]
        average = sum(sum(d.values()) for d in docs) / len(docs)
        scored = []
        for pid, counts in zip(ids, docs, strict=True):
            score = 0.0
            for term in set(terms(query)) & counts.keys():
                df = sum(1 for d in docs if term in d)
                idf = math.log(1 + (len(docs) - df + 0.5) / (df + 0.5))
                tf = counts[term]
                length = sum(counts.values())
                score += idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * length / average))
            if score > 0 and (allowed is None or pid in allowed):
                scored.append((-score, pid))
        return [pid for _, pid in sorted(scored)[:10]]

    for query in ("stuck on the design doc", "feedback habit", "reviews plans", "zebra"):
        assert index.rank(query, limit=10) == plain(query, None)
        allowed = set(ids[::3])
        assert index.rank(query, allowed=allowed, limit=10) == plain(query, allowed)


def test_filters_are_worked_out_once_per_corpus_version(small_kb: KnowledgeBase) -> None:
    calls = {"n": 0}
    original = KnowledgeBase._allowed

    def counting(meta: dict[str, Any], topic: str | None, stage: str | None) -> bool:
        calls["n"] += 1
        return original(meta, topic, stage)

    small_kb._allowed = counting  # type: ignore[method-assign]
    small_kb.search("listen well", k=2, stage="regular")
    first = calls["n"]
    small_kb.search("plan the hour", k=2, stage="regular")
    assert first > 0 and calls["n"] == first


def test_repeated_searches_see_a_new_ingest(small_kb: KnowledgeBase, tmp_path: Path) -> None:
    assert all(p.title != "Zebra crossings" for p in small_kb.search("zebras crossing", k=3))
    path = tmp_path / "zebra.md"
    path.write_text("# Zebra crossings\n\n## Rule\nZebras cross first.\n")
    small_kb.ingest([path])
    assert small_kb.search("zebras crossing", k=3)[0].title == "Zebra crossings"


def test_filtered_semantic_ranking_matches_chromas_own_filter(shipped_kb: KnowledgeBase) -> None:
    query = "how should we split an hour"
    vector = shipped_kb.embedding_function([query])[0]
    index, rows = shipped_kb._lexical_index()
    for topic, stage, where in (
        (None, "regular", {"$or": [{"stage:regular": True}, {"stage:any": True}]}),
        ("goals", None, {"topic:goals": True}),
    ):
        mask = shipped_kb._allowed_mask(index, rows, topic, stage)
        ours, similarity = shipped_kb._semantic(vector, 10, index, mask)
        chroma = shipped_kb.collection.query(
            query_embeddings=[vector], n_results=10, where=where, include=["distances"]
        )
        assert ours == chroma["ids"][0]
        for cid, distance in zip(chroma["ids"][0], chroma["distances"][0], strict=True):
            assert abs(similarity[cid] - (1 - distance)) < 1e-4
