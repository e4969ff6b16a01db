"""Progress for long runs: totals and ticks from ingest, a bar on a terminal, one line off it."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from agent.progress import ingest_progress, pair_progress
from knowledge.store import KnowledgeBase
from tests.unit.test_cli import cli


class Recorder:
    """Keeps every progress call."""

    def __init__(self) -> None:
        self.totals: tuple[int, int] | None = None
        self.calls: list[int] = []
        self.files: list[str] = []

    def start(self, files: int, passages: int) -> None:
        self.totals = (files, passages)

    def embedded(self, passages: int) -> None:
        self.calls.append(passages)

    def file_done(self, path: str) -> None:
        self.files.append(path)


def _guides(folder: Path, count: int) -> list[Path]:
    folder.mkdir()
    paths = []
    for n in range(count):
        body = "\n\n".join(
            f"## Part {p}\n" + " ".join(["Listen first and ask what got in the way."] * (1 + n * p))
            for p in range(1, 4)
        )
        path = folder / f"guide-{n}.md"
        path.write_text(f"# Guide {n}\n\n{body}\n")
        paths.append(path)
    return paths


def test_ingest_reports_totals_then_every_passage_and_file(
    small_kb: KnowledgeBase, tmp_path: Path
) -> None:
    small_kb.ensure_corpus()
    _guides(tmp_path / "g", 5)
    recorder = Recorder()
    report = small_kb.ingest([tmp_path / "g"], progress=recorder)
    assert recorder.totals == (report.added, report.chunks_added)
    assert sum(recorder.calls) == report.chunks_added > 5
    assert len(recorder.files) == report.added == 5
    again = Recorder()
    small_kb.ingest([tmp_path / "g"], progress=again)
    assert again.totals == (0, 0) and again.calls == [] and again.files == []


def test_ingest_embeds_shortest_passages_first(small_kb: KnowledgeBase, tmp_path: Path) -> None:
    small_kb.ensure_corpus()
    _guides(tmp_path / "g", 6)
    original = small_kb.embedding_function
    batches: list[list[int]] = []

    def recording(texts: list[str]) -> Any:
        batches.append([len(t) for t in texts])
        return original(texts)

    small_kb.embedding_function = recording  # type: ignore[assignment]
    small_kb.ingest([tmp_path / "g"])
    lengths = [n for batch in batches for n in batch]
    assert len(lengths) > 6 and lengths == sorted(lengths)
    assert small_kb.search("what got in the way", k=1)[0].title.startswith("Guide")


def test_off_a_terminal_ingest_prints_one_summary_line() -> None:
    out = io.StringIO()
    with ingest_progress(Console(file=out, force_terminal=False)) as hook:
        hook.start(2, 10)
        hook.embedded(6)
        hook.file_done("a.md")
        hook.embedded(4)
        hook.file_done("b.md")
    assert re.fullmatch(
        r"ingested: 2 files, 10 passages in \d+\.\d s, \d+\.\d passages/s\n", out.getvalue()
    )


def test_on_a_terminal_the_bar_shows_files_passages_rate_and_eta() -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=140, color_system=None)
    with ingest_progress(console) as hook:
        hook.start(4, 100)
        hook.embedded(30)
        hook.file_done("a.md")
        hook.progress.refresh()
        frame = out.getvalue()
    assert "30/100 passages" in frame and "1/4 files" in frame
    assert re.search(r"(\d+\.\d|--) passages/s", frame)
    assert re.search(r"ETA (\d+:\d\d|--:--)", frame)


def test_batch_emails_print_one_line_per_run_off_a_terminal() -> None:
    out = io.StringIO()
    with pair_progress(Console(file=out, force_terminal=False)) as tick:
        tick.start(3)
        for pair in ("a-b", "c-d", "e-f"):
            tick(pair)
    assert re.fullmatch(r"prepared: 3 pairs in \d+\.\d s, \d+\.\d pairs/s\n", out.getvalue())


def test_cli_ingest_summarises_on_stderr_but_not_with_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _guides(tmp_path / "g", 2)
    code, _, err = cli(capsys, "ingest", str(tmp_path / "g"))
    assert code == 0 and re.search(r"^ingested: 2 files, \d+ passages in ", err, re.M)
    (tmp_path / "g" / "guide-0.md").write_text("# Guide 0\n\n## New\nA new passage.\n")
    code, data, err = cli(capsys, "ingest", str(tmp_path / "g"), "--json")
    assert code == 0 and data["updated"] == 1 and err == ""
