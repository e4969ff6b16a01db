"""A read-only snapshot of an embedded guide index, so searches need not import chromadb.

Importing chromadb and opening its store cost a fresh ``coach reframe`` about as much CPU as
the rest of the run. A local (embedded) index is small — passages, metadata and one unit
vector each — so after a process reads it from Chroma it also writes it here (one ``.npz``),
stamped with the size, mtime and inode of every file in the Chroma folder. A later process
whose stamp still matches reads the snapshot instead; any write to Chroma by anyone changes
the stamp, and a stale or unreadable snapshot is simply ignored (the caller uses Chroma).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

FORMAT = 1
Stamp = tuple[tuple[str, int, int, int], ...]


def chroma_stamp(folder: Path) -> Stamp | None:
    """Every file under the Chroma folder with its size, mtime and inode (None if absent)."""
    found = []
    try:
        for root, dirs, files in os.walk(folder):
            dirs.sort()
            for name in sorted(files):
                path = Path(root) / name
                info = path.stat()
                found.append(
                    (str(path.relative_to(folder)), info.st_size, info.st_mtime_ns, info.st_ino)
                )
    except OSError:
        return None
    return tuple(found) or None


@dataclass(frozen=True)
class Snapshot:
    """What a search reads from the index: rows in order and their unit vectors."""

    ids: list[str]
    documents: list[str]
    metadatas: list[dict[str, Any]]
    vectors: np.ndarray[Any, np.dtype[np.float32]]
    label: str
    corpus_fingerprint: str | None
    revision: str | None
    stamp: Stamp

    @classmethod
    def of(
        cls,
        ids: list[str],
        rows: dict[str, tuple[str, dict[str, Any]]],
        vectors: np.ndarray[Any, np.dtype[np.float32]],
        metadata: dict[str, Any],
        stamp: Stamp,
    ) -> Snapshot:
        """A snapshot of a keyword index's rows, their unit vectors and the collection's state."""
        from knowledge.minilm import LOCAL_MODEL

        return cls(
            ids=list(ids),
            documents=[rows[cid][0] for cid in ids],
            metadatas=[rows[cid][1] for cid in ids],
            vectors=vectors,
            label=LOCAL_MODEL,
            corpus_fingerprint=metadata.get("corpus_fingerprint"),
            revision=metadata.get("revision"),
            stamp=stamp,
        )


def write_snapshot(path: Path, snapshot: Snapshot) -> None:
    """Write atomically (a temporary file renamed over the old one), private to the owner."""
    header = {
        "format": FORMAT,
        "ids": snapshot.ids,
        "documents": snapshot.documents,
        "metadatas": snapshot.metadatas,
        "label": snapshot.label,
        "corpus_fingerprint": snapshot.corpus_fingerprint,
        "revision": snapshot.revision,
        "stamp": [list(entry) for entry in snapshot.stamp],
    }
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            np.savez(
                handle,
                header=np.frombuffer(json.dumps(header).encode("utf-8"), dtype=np.uint8),
                vectors=snapshot.vectors.astype(np.float32),
            )
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def read_snapshot(path: Path, folder: Path, label: str) -> Snapshot | None:
    """The snapshot if it matches the Chroma folder as it is now and ``label``; else None."""
    stamp = chroma_stamp(folder)
    if stamp is None or not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            header = json.loads(bytes(data["header"]).decode("utf-8"))
            vectors = np.asarray(data["vectors"], dtype=np.float32)
        stored = tuple(tuple(entry) for entry in header["stamp"])
        if header["format"] != FORMAT or header["label"] != label or stored != stamp:
            return None
        ids, documents = list(header["ids"]), list(header["documents"])
        metadatas = [dict(m) for m in header["metadatas"]]
        if not (len(ids) == len(documents) == len(metadatas) == len(vectors)):
            return None
        return Snapshot(
            ids=ids,
            documents=documents,
            metadatas=metadatas,
            vectors=vectors,
            label=label,
            corpus_fingerprint=header.get("corpus_fingerprint"),
            revision=header.get("revision"),
            stamp=stamp,
        )
    except (OSError, ValueError, KeyError, TypeError):  # torn, foreign or old: use Chroma
        return None
