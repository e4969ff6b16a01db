"""The search snapshot: read instead of Chroma while Chroma is unchanged, never when stale."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from knowledge.store import KnowledgeBase

ROOT = Path(__file__).resolve().parents[2]
RETRO = """---
title: Running retros
topics: [feedback]
stage: [regular]
---
# Running retros

## Ask three questions
Ten minutes at the end: what went well, what was hard, what we change next time.
"""


def _open(path: Path, guides: Path) -> KnowledgeBase:
    return KnowledgeBase.open(path, guides_dir=guides)


def _ranked(kb: KnowledgeBase, query: str, **filters: str) -> list[tuple[str, float, float]]:
    return [(p.id, p.score, p.similarity) for p in kb.search(query, 3, **filters)]


def test_a_fresh_process_searches_the_snapshot_without_opening_chroma(
    tmp_path: Path, fixture_guides: Path
) -> None:
    first = _open(tmp_path / "chroma", fixture_guides)
    through_chroma = _ranked(first, "my mentee keeps missing deadlines")
    assert first.snapshot_path is not None and first.snapshot_path.is_file()
    assert oct(first.snapshot_path.stat().st_mode & 0o777) == "0o600"

    second = _open(tmp_path / "chroma", fixture_guides)
    assert _ranked(second, "my mentee keeps missing deadlines") == through_chroma
    assert second.topics() == first.topics()
    assert second._client is None  # Chroma was never opened


def test_a_change_to_chroma_makes_the_snapshot_stale(tmp_path: Path, fixture_guides: Path) -> None:
    reader = _open(tmp_path / "chroma", fixture_guides)
    reader.search("deadlines", 3)
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "retro.md").write_text(RETRO)
    _open(tmp_path / "chroma", fixture_guides).ingest([folder])  # another process writes

    fresh = _open(tmp_path / "chroma", fixture_guides)
    found = fresh.search("retro questions what went well", 3)
    assert found[0].title == "Running retros"
    assert fresh._client is not None  # the stale snapshot was not used


def test_a_damaged_snapshot_is_ignored(tmp_path: Path, fixture_guides: Path) -> None:
    first = _open(tmp_path / "chroma", fixture_guides)
    expected = _ranked(first, "listening well")
    assert first.snapshot_path is not None
    first.snapshot_path.write_bytes(b"not a snapshot")
    again = _open(tmp_path / "chroma", fixture_guides)
    assert _ranked(again, "listening well") == expected
    assert again._client is not None


def test_a_filtered_search_reads_the_same_from_the_snapshot(
    tmp_path: Path, fixture_guides: Path
) -> None:
    first = _open(tmp_path / "chroma", fixture_guides)
    first.search("deadlines", 3)
    expected = _ranked(first, "deadlines", stage="regular")
    second = _open(tmp_path / "chroma", fixture_guides)
    assert _ranked(second, "deadlines", stage="regular") == expected
    assert second._client is None


def test_a_cold_reframe_does_not_import_chromadb(tmp_path: Path) -> None:
    env = {**os.environ, "COACH_HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    env.pop("OPENAI_API_KEY", None)
    env.pop("OPENAI_BASE_URL", None)
    code = (
        "import json, sys\n"
        "from agent.cli import run\n"
        "assert run(['reframe', 'Why did you not push the PR again?', '--json']) == 0\n"
        "print(json.dumps('chromadb' in sys.modules))\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        for _ in range(2)
    ]
    first, second = (json.loads(run.stdout.strip().splitlines()[-1]) for run in runs)
    assert first is True  # the first run builds the index in Chroma
    assert second is False
    answers = [json.loads("\n".join(run.stdout.strip().splitlines()[:-1])) for run in runs]
    assert answers[0] == answers[1]
