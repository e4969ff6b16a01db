"""Ctrl-C during ingest: the index holds whole files only, and the user is told what changed."""

from __future__ import annotations

import io
import os
import signal
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

import agent.progress
import knowledge.store
from agent.progress import ingest_progress
from knowledge.models import IngestReport
from knowledge.progress import MEASURED_RATE, IngestInterrupted, long_ingest_note
from knowledge.store import KnowledgeBase
from tests.unit.test_cli import cli


def _guides(folder: Path, count: int) -> list[Path]:
    folder.mkdir()
    paths = []
    for n in range(count):
        parts = "\n\n".join(
            f"## Part {p}\nGuide {n} part {p}: ask what got in the way, then listen {p} minutes."
            for p in range(1, 4)
        )
        path = folder / f"guide-{n}.md"
        path.write_text(f"# Guide {n}\n\n{parts}\n")
        paths.append(path)
    return paths


def _indexed(kb: KnowledgeBase, folder: Path) -> dict[str, int]:
    """Passages per file of ``folder`` in the index."""
    found: dict[str, int] = {}
    for meta in kb.collection.get(include=["metadatas"])["metadatas"] or []:
        key = str((meta or {}).get("source_key", ""))
        if key.startswith(str(folder.resolve())):
            found[Path(key).name] = found.get(Path(key).name, 0) + 1
    return found


@pytest.fixture
def windows_of_two(small_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> KnowledgeBase:
    """Guides of 3+ passages each, written two files to a window."""
    small_kb.ensure_corpus()
    monkeypatch.setattr(knowledge.store, "EMBED_WINDOW", 4)
    return small_kb


def test_a_stop_while_embedding_keeps_the_files_already_written_whole(
    windows_of_two: KnowledgeBase, tmp_path: Path
) -> None:
    kb = windows_of_two
    _guides(tmp_path / "g", 5)
    original = kb.embedding_function
    calls = 0

    def stopped_on_the_second_window(texts: list[str]) -> Any:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise KeyboardInterrupt
        return original(texts)

    kb.embedding_function = stopped_on_the_second_window  # type: ignore[assignment]
    before = kb.count()
    with pytest.raises(IngestInterrupted) as stop:
        kb.ingest([tmp_path / "g"])
    written = _indexed(kb, tmp_path / "g")
    assert stop.value.report.added == len(written) == 2
    assert sorted(Path(p).name for p in stop.value.pending) == [
        "guide-2.md",
        "guide-3.md",
        "guide-4.md",
    ]
    assert set(written.values()) == {3}  # whole files: every passage of each
    assert kb.count() == before + 6
    kb.embedding_function = original
    again = kb.ingest([tmp_path / "g"])
    assert (again.unchanged, again.added) == (2, 3)
    assert set(_indexed(kb, tmp_path / "g").values()) == {3}


def test_a_stop_while_writing_lets_the_window_finish_first(
    windows_of_two: KnowledgeBase, tmp_path: Path
) -> None:
    kb = windows_of_two
    _guides(tmp_path / "g", 4)
    collection = kb.collection
    upsert = collection.upsert
    calls = 0

    def ctrl_c_midway(**kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 1:
            os.kill(os.getpid(), signal.SIGINT)  # lands while the window is being written
        return upsert(**kwargs)

    collection.upsert = ctrl_c_midway
    with pytest.raises(IngestInterrupted) as stop:
        kb.ingest([tmp_path / "g"])
    collection.upsert = upsert
    written = _indexed(kb, tmp_path / "g")
    assert stop.value.report.added == len(written) == 2 and set(written.values()) == {3}
    assert len(stop.value.pending) == 2
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # handler restored


def test_a_stopped_reindex_leaves_the_index_whole_as_it_was(
    windows_of_two: KnowledgeBase, tmp_path: Path
) -> None:
    # The rebuild dropped the old index first: a Ctrl-C left it with some guides only.
    kb = windows_of_two
    _guides(tmp_path / "g", 5)
    kb.ingest([tmp_path / "g"])
    before = sorted(kb.collection.get()["ids"])
    embed = KnowledgeBase._embed_sorted

    def stopped_at_the_fourth_guide(self: KnowledgeBase, texts: list[str], hook: Any) -> Any:
        if any("Guide 3 part" in text for text in texts):
            raise KeyboardInterrupt
        return embed(self, texts, hook)

    with pytest.MonkeyPatch.context() as patch, pytest.raises(IngestInterrupted) as stop:
        patch.setattr(KnowledgeBase, "_embed_sorted", stopped_at_the_fourth_guide)
        kb.reindex()
    assert stop.value.kept  # the old index is untouched
    assert sorted(kb.collection.get()["ids"]) == before
    assert _indexed(kb, tmp_path / "g") == {f"guide-{n}.md": 3 for n in range(5)}
    assert [c.name for c in kb.client.list_collections()] == [kb.collection_name]
    assert kb.search("what got in the way", k=3)  # searchable as before
    report = kb.reindex()
    assert report.added == 5  # the user's guides, read again from disk
    assert sorted(kb.collection.get()["ids"]) == before
    assert [c.name for c in kb.client.list_collections()] == [kb.collection_name]


def test_the_cli_says_what_was_written_and_what_was_left(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agent.api import Coach

    report = IngestReport(files=3, added=1, chunks_added=40)

    def interrupted(self: Any, paths: Any, *, progress: Any = None) -> Any:
        raise IngestInterrupted(report, [str(tmp_path / "b.md"), str(tmp_path / "c.md")])

    monkeypatch.setattr(Coach, "ingest", interrupted)
    code, out, err = cli(capsys, "ingest", str(tmp_path), "--json")
    assert code == 130 and out == ""
    assert err == (
        "coach: interrupted: 1 file written (40 passages added), searchable now; 2 files left "
        "as before; run the same command again to finish (the files written are then reported "
        "unchanged).\n"
    )
    def rebuild_stopped(self: Any, paths: Any, *, progress: Any = None) -> Any:
        raise IngestInterrupted(report, [str(tmp_path / "b.md")], kept=True)

    monkeypatch.setattr(Coach, "reindex", rebuild_stopped)
    code, _, err = cli(capsys, "ingest", "--reindex")
    assert code == 130
    assert err == (
        "coach: interrupted: the rebuild stopped before it finished, so the index is as it "
        "was; run `coach ingest --reindex` again to rebuild it.\n"
    )


def test_a_long_ingest_says_so_first_then_reports_as_it_goes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    long = int(MEASURED_RATE * 600)  # ten minutes at the measured rate
    assert long_ingest_note(1, 100) is None
    note = long_ingest_note(2, long)
    assert note is not None and f"{long:,} passages from 2 files" in note and "10 min" in note
    monkeypatch.setattr(agent.progress, "REPORT_EVERY", 0.0)  # a line per call, not per 30 s
    out = io.StringIO()
    with ingest_progress(Console(file=out, force_terminal=False, width=300)) as hook:
        hook.start(2, long)
        hook.embedded(64)
        hook.file_done("a.md")
        hook.embedded(64)
    lines = out.getvalue().splitlines()
    assert lines[0] == note
    assert lines[1].startswith(f"ingesting: 64/{long:,} passages, 0/2 files, ")
    assert lines[2].startswith(f"ingesting: 128/{long:,} passages, 1/2 files, ")
    assert lines[-1].startswith("ingested: 1 file, 128 passages in ")
    quiet = io.StringIO()
    with ingest_progress(Console(file=quiet, force_terminal=False, width=300), quiet=True) as hook:
        hook.start(2, long)
        hook.embedded(64)
    assert quiet.getvalue().splitlines() == [note]  # --json: the note, nothing else
