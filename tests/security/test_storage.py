"""Items 2, 3 and 17: ingest never leaves the folder; private files; safe first use."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.api import Coach
from agent.config import Settings
from knowledge.store import KnowledgeBase

GUIDE = "# Listening well\n\n## Pause\n\nLet the silence work; your mentee fills it.\n"


# -- 2. ingest and symbolic links ------------------------------------------------------------
def test_ingest_never_follows_links_out_of_the_folder(tmp_path: Path, fixture_guides: Path) -> None:
    secret_dir = tmp_path / "private"
    secret_dir.mkdir()
    (secret_dir / "passwd.txt").write_text("root:x:0:0 secret-marker-7731 shell\n")
    (secret_dir / "keys.md").write_text("# Keys\n\nsecret-marker-7731 in a folder\n")
    folder = tmp_path / "guides"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "listening.md").write_text(GUIDE)
    (folder / "passwd.txt").symlink_to(secret_dir / "passwd.txt")
    (folder / "outside").symlink_to(secret_dir, target_is_directory=True)
    (folder / "inside.md").symlink_to(folder / "sub" / "listening.md")
    (folder / "dangling.md").symlink_to(tmp_path / "missing.md")

    kb = KnowledgeBase.open(tmp_path / "chroma", guides_dir=fixture_guides)
    report = kb.ingest([folder])

    skipped = {Path(s.path).name: s.reason for s in report.skipped}
    assert set(skipped) == {"passwd.txt", "outside", "dangling.md"}
    assert all("symbolic link to outside the folder" in r for r in skipped.values())
    assert report.added == 1  # listening.md once (inside.md is the same file)
    texts = kb.collection.get(include=["documents"])["documents"]
    assert not any("secret-marker-7731" in t for t in texts)


def test_cli_ingest_reports_each_link_it_skips(
    tmp_path: Path, fixture_guides: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from agent.cli import run

    (tmp_path / "secret.txt").write_text("secret-marker-7731\n")
    folder = tmp_path / "guides"
    folder.mkdir()
    (folder / "listening.md").write_text(GUIDE)
    (folder / "passwd.txt").symlink_to(tmp_path / "secret.txt")
    code = run(["ingest", str(folder), "--json"])
    err = capsys.readouterr().err
    assert code == 0
    assert f"coach: skipped {folder / 'passwd.txt'}: symbolic link to outside the folder" in err


# -- 3. private files whatever the umask -----------------------------------------------------
@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def _modes(root: Path) -> dict[str, int]:
    found = {".": stat.S_IMODE(root.stat().st_mode)}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            found[str(path.relative_to(root))] = stat.S_IMODE(path.lstat().st_mode)
    return found


def test_home_stores_and_index_are_private(
    tmp_path: Path, fixture_guides: Path, umask_022: None
) -> None:
    home = tmp_path / "home"
    settings = Settings(home=home, engine="offline")
    kb = KnowledgeBase.open(settings.chroma_path, guides_dir=fixture_guides)
    with Coach(settings, knowledge=kb) as coach:
        coach.knowledge.ensure_corpus()
        pair = coach.add_pair(mentor="Ana Silva", mentee="Ben Okafor")
        coach.chat("how do I start a first session?", pair_id=pair.id)
        guide = tmp_path / "mine.md"
        guide.write_text(GUIDE)
        coach.ingest([guide])
        # While open: the database, its -wal/-shm and the index are private already.
        live = _modes(home)
        assert {"coach.sqlite", "coach.sqlite-wal", "chroma"} <= set(live)
        assert live["coach.sqlite"] == live["coach.sqlite-wal"] == 0o600
    modes = _modes(home)
    assert any(name.startswith("chroma/") for name in modes)
    wrong = {
        name: oct(mode)
        for name, mode in modes.items()
        if mode != (0o700 if (home / name).is_dir() else 0o600)
    }
    assert wrong == {}


def test_default_data_dir_is_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, umask_022: None
) -> None:
    monkeypatch.delenv("COACH_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    with Coach(Settings()) as coach:
        coach.add_pair(mentor="Ana", mentee="Ben")
        home = coach.settings.home
    assert home.is_relative_to(tmp_path / "xdg")
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE((home / "coach.sqlite").stat().st_mode) == 0o600


def test_existing_loose_permissions_are_tightened(tmp_path: Path, umask_022: None) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    (home / "coach.sqlite").touch(mode=0o644)
    with Coach(Settings(home=home)) as coach:
        coach.list_pairs()
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE((home / "coach.sqlite").stat().st_mode) == 0o600


def test_only_the_coachs_own_files_are_tightened(tmp_path: Path, umask_022: None) -> None:
    home = tmp_path / "shared"  # a COACH_HOME that also holds the user's own files
    (home / "bin").mkdir(parents=True)
    script = home / "bin" / "deploy.sh"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    with Coach(Settings(home=home)) as coach:
        coach.add_pair(mentor="Ana", mentee="Ben")
    assert stat.S_IMODE(script.stat().st_mode) == 0o755
    assert stat.S_IMODE((home / "bin").stat().st_mode) == 0o755
    assert stat.S_IMODE((home / "coach.sqlite").stat().st_mode) == 0o600


def test_a_store_file_never_tightens_the_folder_it_is_put_in(
    tmp_path: Path, umask_022: None
) -> None:
    """A database or sent-mail log placed in a shared folder (``/tmp``) leaves that folder be."""
    from agent.files import make_private_file

    shared = tmp_path / "shared"
    shared.mkdir(mode=0o1777)
    shared.chmod(0o1777)
    log = make_private_file(shared / "sent-mail.sqlite")
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    fresh = make_private_file(tmp_path / "new" / "coach.sqlite")
    assert stat.S_IMODE(fresh.parent.stat().st_mode) == 0o700


def test_a_shared_sticky_folder_is_never_tightened(tmp_path: Path, umask_022: None) -> None:
    """COACH_HOME pointed at a /tmp-like folder leaves that folder open to its other users."""
    shared = tmp_path / "tmp"
    shared.mkdir()
    shared.chmod(0o1777)
    with Coach(Settings(home=shared)) as coach:
        coach.list_pairs()
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777
    assert stat.S_IMODE((shared / "coach.sqlite").stat().st_mode) == 0o600


# -- 17. first use from two processes at once ------------------------------------------------
FIRST_USE = """
import sys, time
from pathlib import Path
from knowledge.store import KnowledgeBase
start = float(sys.argv[2])
while time.time() < start:
    time.sleep(0.005)
kb = KnowledgeBase.open(Path(sys.argv[1]), guides_dir=Path(sys.argv[3]))
listed = kb.client.list_collections


def slow_list(*args, **kwargs):
    # A slow disk: both processes see no collection before either creates it.
    found = listed(*args, **kwargs)
    time.sleep(1.0)
    return found


kb.client.list_collections = slow_list
kb.ensure_corpus()
print(kb.count())
"""


def test_two_processes_on_a_fresh_home_both_get_the_index(
    tmp_path: Path, fixture_guides: Path
) -> None:
    import time

    chroma = tmp_path / "home" / "chroma"
    start = str(time.time() + 3.0)  # both past their imports, then they race
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", FIRST_USE, str(chroma), start, str(fixture_guides)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [p.communicate(timeout=240) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err[-500:] for _, err in results]
    counts = {out.strip() for out, _ in results}
    assert len(counts) == 1 and int(counts.pop()) > 0
