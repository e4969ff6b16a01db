"""Private files under COACH_HOME, and locks that serialise processes sharing it.

Everything the coach keeps (pairs, notes, threads, the guide index, the sent-mail log) is
personal data, so its folders are 0700 and its files 0600 whatever the user's umask: files
are created under a 0077 umask and what already exists is tightened when a store opens.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from agent.errors import CoachError

PRIVATE_UMASK = 0o077
DIR_MODE = 0o700
FILE_MODE = 0o600


@contextmanager
def private_umask() -> Iterator[None]:
    """Create files and folders inside this block readable by their owner only."""
    previous = os.umask(PRIVATE_UMASK)
    try:
        yield
    finally:
        os.umask(previous)


def make_private_dir(path: Path) -> Path:
    """``path`` (and missing parents) as 0700 folders; an existing ``path`` is tightened."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    with private_umask():
        path.mkdir(parents=True, exist_ok=True)
    for folder in [path, *missing]:
        _chmod(folder, DIR_MODE)
    return path


def make_private_file(path: Path) -> Path:
    """``path`` created empty if missing, and 0600 either way (before anything writes to it).

    Missing parent folders are created 0700; an existing parent is left as it is, since it may
    be a shared folder (``/tmp``, the user's home) that is not the coach's to tighten.
    """
    if not path.parent.exists():
        make_private_dir(path.parent)
    with private_umask():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE))
    _chmod(path, FILE_MODE)
    return path


def secure_tree(root: Path) -> None:
    """Tighten every folder (0700) and file (0600) under ``root``; links are not followed."""
    if not root.is_dir() or root.is_symlink():
        return
    _chmod(root, DIR_MODE)
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            _chmod(Path(folder) / name, DIR_MODE)
        for name in files:
            _chmod(Path(folder) / name, FILE_MODE)


# What the coach itself keeps in COACH_HOME: only these are tightened, so a COACH_HOME that
# is shared with other files (say, the user's home folder) keeps those files as they are.
HOME_FILES = ("coach.sqlite", "sent-mail.sqlite", "chat_history", "chroma.lock")
HOME_DIRS = ("chroma", "locks")


def secure_home(home: Path) -> None:
    """Tighten COACH_HOME (0700) and the coach's own files and folders in it."""
    if not home.is_dir() or home.is_symlink():
        return
    _chmod(home, DIR_MODE)
    for name in HOME_FILES:
        for suffix in ("", "-wal", "-shm", "-journal"):
            _chmod(home / f"{name}{suffix}", FILE_MODE)
    for name in HOME_DIRS:
        secure_tree(home / name)


def _chmod(path: Path, mode: int) -> None:
    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode) or stat.S_IMODE(info.st_mode) == mode:
            return
        if stat.S_ISDIR(info.st_mode) and info.st_mode & stat.S_ISVTX:
            return  # a sticky folder (/tmp) is shared by design: never the coach's to close
        if info.st_uid == getattr(os, "getuid", lambda: info.st_uid)():
            path.chmod(mode)
    except OSError:
        pass  # a file that vanished meanwhile, or one we do not own: leave it be


@contextmanager
def process_lock(
    path: Path, *, wait: float | None = None, busy: CoachError | None = None
) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` shared with other processes on this machine.

    ``wait`` is how many seconds to wait for another holder (None: as long as it takes);
    when it runs out, ``busy`` is raised. The lock is released when the block ends or the
    process dies, so a crash never leaves it stuck.
    """
    from filelock import FileLock, Timeout

    make_private_dir(path.parent)
    lock = FileLock(str(path), timeout=-1 if wait is None else wait, mode=FILE_MODE)
    try:
        with lock:
            yield
    except Timeout:
        raise busy or CoachError(f"{path.name} is locked by another coach process") from None
