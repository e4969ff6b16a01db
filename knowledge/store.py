"""The guide knowledge base in Chroma: open, index the shipped corpus, ingest files, search."""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

import numpy as np

from knowledge.chunking import Chunk, chunk_markdown
from knowledge.lexical import BM25Index, BoolArray, fuse
from knowledge.models import FileWarning, IngestReport, Passage, SkippedFile
from knowledge.progress import IngestInterrupted, IngestProgress, as_progress, whole_write
from knowledge.snapshot import Snapshot, chroma_stamp, read_snapshot, write_snapshot

if TYPE_CHECKING:
    from chromadb.api.types import Documents, EmbeddingFunction

    # Reading files (ftfy, yaml) is for ingestion only; searches never need it.
    from knowledge.documents import Document

BUILTIN_PREFIX = "builtin:"
REBUILD_SUFFIX = "-rebuild"  # the collection a --reindex writes before it replaces the index
SCHEMA_VERSION = 2  # 2: passages carry the article "url"
# Passages embedded before their files are written; bigger windows sort lengths better.
EMBED_WINDOW = 512
EMBED_BATCH = 64
LOOKUP_GROUP = 200
# Search results kept per corpus version (a batch of prep emails repeats its queries).
RESULT_CACHE = 512
# Cosine similarities of MiniLM passages to a query: unrelated queries ("best pizza in
# Naples") reach about 0.15 at the top, the right guide's passage is about 0.5 (median on
# evals/datasets/retrieval.jsonl). Relevance is scaled between the two.
SIMILARITY_UNRELATED = 0.15
SIMILARITY_CLEAR = 0.5
STAMP_TTL = 1.0
ProgressHook = IngestProgress | Callable[[str], None]
FloatMatrix = np.ndarray[Any, np.dtype[np.float32]]


class KnowledgeError(Exception):
    """The knowledge base cannot be used as configured (message is one line for the user)."""


class KnowledgeSettingError(KnowledgeError):
    """A setting's value is malformed (the user's input: exit 2 in the CLI)."""


class EmbeddingMismatchError(KnowledgeError):
    """The collection was built with a different embedding model."""


def meaning(similarity: float) -> float:
    """How clearly a passage is about the query, 0-1, from its cosine similarity."""
    span = SIMILARITY_CLEAR - SIMILARITY_UNRELATED
    return min(1.0, max(0.0, (similarity - SIMILARITY_UNRELATED) / span))


def shipped_guides_dir() -> Path:
    """The folder of guides shipped inside the package."""
    return Path(str(resources.files("knowledge") / "guides"))


def shipped_guides(folder: Path | None = None) -> list[Path]:
    """The shipped guide files (or those of ``folder``), sorted."""
    return sorted((folder or shipped_guides_dir()).glob("*.md"))


def corpus_fingerprint(paths: Sequence[Path]) -> str:
    """A hash of the shipped guides, so a changed corpus is re-indexed on first use."""
    stats = tuple((path, path.stat().st_mtime_ns, path.stat().st_size) for path in paths)
    return _fingerprint(stats)


@cache
def _fingerprint(stats: tuple[tuple[Path, int, int], ...]) -> str:
    # Every search checks the corpus: hash the files once per version, not on every call.
    paths = [path for path, _, _ in stats]
    digest = hashlib.sha256(f"schema{SCHEMA_VERSION}".encode())
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def make_chroma_client(chroma_path: Path, chroma_url: str | None) -> Any:
    """A Chroma HttpClient for ``chroma_url``, else a PersistentClient at ``chroma_path``."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if chroma_url:
        parsed = urlparse(chroma_url)
        if parsed.scheme not in {"http", "https"} or not parsed.hostname:
            raise KnowledgeSettingError(
                f"COACH_CHROMA_URL must be http(s)://host:port, got {chroma_url!r}"
            )
        try:
            return chromadb.HttpClient(
                host=parsed.hostname,
                port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                ssl=parsed.scheme == "https",
                settings=chroma_settings,
            )
        except Exception as exc:
            raise KnowledgeError(f"cannot reach the Chroma server at {chroma_url}: {exc}") from exc
    from agent.files import make_private_dir, private_umask, process_lock, secure_tree

    make_private_dir(chroma_path)
    # Chroma creates its tables on first open: two processes on a fresh home must not race.
    with process_lock(chroma_path.with_name(chroma_path.name + ".lock")), private_umask():
        client = chromadb.PersistentClient(path=str(chroma_path), settings=chroma_settings)
    secure_tree(chroma_path)
    return client


@dataclass
class _Planned:
    document: Document
    chunks: list[Chunk]


@dataclass
class _Change:
    document: Document
    old: bool
    to_add: list[Chunk]
    to_delete: list[str]


def _metadata(document: Document, chunk: Chunk) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "doc_id": document.doc_id,
        "title": document.title,
        "section": " > ".join(chunk.section),
        "source": document.source,
        "url": document.url,
        "source_key": document.source_key,
        "fingerprint": document.fingerprint,
        "position": chunk.position,
        "topics": ",".join(document.topics),
        "stage": ",".join(document.stage),
    }
    for topic in document.topics:
        meta[f"topic:{topic}"] = True
    for stage in document.stage:
        meta[f"stage:{stage}"] = True
    return meta


def _embedding_text(document: Document, chunk: Chunk) -> str:
    # Title and section carry the framework's subject into chunks whose text alone does not.
    heading = " — ".join(dict.fromkeys((document.title, *chunk.section)))
    return f"{heading}\n{chunk.text}"


def user_sources(collection: Any) -> list[str]:
    """Paths of the user files indexed in ``collection`` (shipped guides excluded)."""
    everything = collection.get(include=["metadatas"])
    keys = {str((m or {}).get("source_key", "")) for m in everything["metadatas"] or []}
    return sorted(k for k in keys if k and not k.startswith(BUILTIN_PREFIX))


def iter_files(path: Path, skipped: list[SkippedFile] | None = None) -> Iterator[Path]:
    """Files under a folder that ingestion understands, in a stable order.

    Symbolic links that lead out of the folder (to a file or a folder) are never followed:
    each is added to ``skipped`` with the reason. Links to folders inside it are not walked
    either (their files are reached by their own path).
    """
    from knowledge.documents import SUPPORTED_SUFFIXES

    root = path.resolve()
    for folder, dirs, files in os.walk(root):
        for name in sorted(dirs):
            candidate = Path(folder) / name
            if candidate.is_symlink() and not _inside(candidate, root) and skipped is not None:
                skipped.append(SkippedFile(path=str(candidate), reason=_LINK_OUT))
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            candidate = Path(folder) / name
            suffix = candidate.suffix.lower()
            if name.startswith(".") or not suffix or suffix not in SUPPORTED_SUFFIXES:
                continue
            if candidate.is_symlink() and not _inside(candidate, root):
                if skipped is not None:
                    skipped.append(SkippedFile(path=str(candidate), reason=_LINK_OUT))
                continue
            yield candidate


_LINK_OUT = "symbolic link to outside the folder: not followed"


def _inside(link: Path, root: Path) -> bool:
    """Whether a link's final target is inside ``root`` (a dangling link counts as outside)."""
    try:
        return link.resolve(strict=True).is_relative_to(root)
    except (OSError, RuntimeError):  # dangling, a loop, or unreadable
        return False


class KnowledgeBase:
    """The guide collection: created on first use with the shipped corpus already indexed."""

    def __init__(
        self,
        client: Any,
        *,
        embeddings: str = "local",
        collection: str = "guides",
        embedding_client: Any = None,
        guides_dir: Path | None = None,
    ) -> None:
        self._client = client
        self._connect: Callable[[], Any] | None = None
        self.guides_dir = guides_dir or shipped_guides_dir()
        self.embeddings = embeddings
        self.collection_name = collection
        self._embedding_client = embedding_client
        self._embedding_function: EmbeddingFunction[Documents] | None = None
        self._collection: Any = None
        self._lexical: (
            tuple[tuple[Any, ...], BM25Index, dict[str, tuple[str, dict[str, Any]]]] | None
        )
        self._lexical = None
        self._filtered: dict[tuple[str, str], BoolArray] = {}
        self._matrix: tuple[BM25Index, FloatMatrix] | None = None
        self.local_path: Path | None = None
        self.lock_path: Path | None = None
        self._checked = 0.0
        self._corpus_checked = -STAMP_TTL
        self._results: OrderedDict[tuple[Any, ...], list[Passage]] = OrderedDict()
        self.snapshot_path: Path | None = None
        self._snapshot: Snapshot | None = None  # what the current keyword index came from
        self._snapshot_off = False
        self._file_prints: dict[tuple[str, int, int], str | None] = {}

    @property
    def client(self) -> Any:
        """The Chroma client (opened, and chromadb imported, on first use)."""
        if self._client is None and self._connect is not None:
            self._client = self._connect()
        return self._client

    @property
    def embedding_function(self) -> EmbeddingFunction[Documents]:
        """The configured embedding function (chromadb is imported only when one is needed)."""
        if self._embedding_function is None:
            from knowledge.embeddings import make_embedding_function

            self._embedding_function = make_embedding_function(
                self.embeddings, client=self._embedding_client
            )
        return self._embedding_function

    @embedding_function.setter
    def embedding_function(self, function: EmbeddingFunction[Documents]) -> None:
        self._embedding_function = function

    @classmethod
    def open(cls, chroma_path: Path, chroma_url: str | None = None, **kwargs: Any) -> KnowledgeBase:
        """Open the embedded or server-backed knowledge base."""
        kb = cls(None, **kwargs)
        kb._connect = lambda: make_chroma_client(chroma_path, chroma_url)
        kb.local_path = None if chroma_url else chroma_path
        if kb.local_path is not None and kb.embeddings == "local":
            # Searches read this instead of Chroma while nothing has changed (no chromadb import).
            kb.snapshot_path = chroma_path.with_name(chroma_path.name + ".snapshot.npz")
        # Processes sharing this home build the shipped index one at a time.
        kb.lock_path = chroma_path.with_name(chroma_path.name + ".lock")
        return kb

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Around index writes: new files private, and the whole index 0600/0700 after."""
        if self.local_path is None:
            yield
            return
        from agent.files import private_umask, secure_tree

        with private_umask():
            yield
        secure_tree(self.local_path)

    @contextmanager
    def _first_use_lock(self) -> Iterator[None]:
        """Serialise creating the collection and indexing the shipped corpus across processes."""
        if self.lock_path is None:
            yield
            return
        from agent.files import process_lock

        self.client  # noqa: B018  opening Chroma takes this lock itself: open it first
        with process_lock(self.lock_path):
            yield

    # -- collection --------------------------------------------------------------------
    @property
    def collection(self) -> Any:
        """The Chroma collection, checked against the configured embedding model."""
        if self._collection is None:
            with self._first_use_lock(), self._writing():
                self._collection = self._open_collection()
        return self._collection

    def _open_collection(self) -> Any:
        from knowledge.embeddings import embedding_label

        label = embedding_label(self.embeddings)
        existing = {
            c.name if hasattr(c, "name") else str(c) for c in self.client.list_collections()
        }
        if self.collection_name in existing:
            raw = self.client.get_collection(self.collection_name, embedding_function=None)
            stored = (raw.metadata or {}).get("embedding_model")
            if stored and stored != label:
                raise EmbeddingMismatchError(
                    f"the guide index was built with embeddings {stored!r} but COACH_EMBEDDINGS "
                    f"selects {label!r}; run `coach ingest --reindex` to rebuild it"
                )
            return self.client.get_collection(
                self.collection_name, embedding_function=self.embedding_function
            )
        return self.client.create_collection(
            self.collection_name,
            embedding_function=self.embedding_function,
            metadata={"embedding_model": label, "schema": SCHEMA_VERSION},
            configuration={"hnsw": {"space": "cosine"}},
        )

    def _set_metadata(self, **values: Any) -> None:
        metadata = dict(self.collection.metadata or {})
        metadata.update(values)
        self.collection.modify(metadata=metadata)

    def ensure_corpus(self) -> IngestReport | None:
        """Index the shipped guides if this collection has not seen this version of them."""
        guides = shipped_guides(self.guides_dir)
        fingerprint = corpus_fingerprint(guides)
        snapshot = self._fresh_snapshot()
        if snapshot is not None and snapshot.corpus_fingerprint == fingerprint:
            return None
        if (self.collection.metadata or {}).get("corpus_fingerprint") == fingerprint:
            return None
        with self._first_use_lock(), self._writing():
            # Another process may have built it while this one waited for the lock.
            self._collection = self._open_collection()
            if (self.collection.metadata or {}).get("corpus_fingerprint") == fingerprint:
                return None
            report = self._ingest_documents(
                [(path, BUILTIN_PREFIX + path.name) for path in guides],
                stale_prefixes=[BUILTIN_PREFIX],
            )
            self._set_metadata(corpus_fingerprint=fingerprint)
        return report

    # -- ingestion ---------------------------------------------------------------------
    def ingest(self, paths: Iterable[Path], progress: ProgressHook | None = None) -> IngestReport:
        """Ingest files and folders; a folder's vanished files have their chunks removed."""
        self.ensure_corpus()
        targets: list[tuple[Path, str]] = []
        skipped: list[SkippedFile] = []
        prefixes: list[str] = []
        gone: list[Path] = []
        for path in paths:
            if not path.exists():
                gone.append(path)
            elif path.is_dir():
                resolved = path.resolve()
                prefixes.append(str(resolved) + os.sep)
                targets.extend((f, str(f.resolve())) for f in iter_files(resolved, skipped))
            else:
                targets.append((path, str(path.resolve())))
        with self._writing():
            report = self._ingest_documents(targets, stale_prefixes=prefixes, progress=progress)
            for path in gone:  # a guide deleted since it was ingested leaves the index
                if not self._remove_gone(path, report):
                    skipped.append(SkippedFile(path=str(path), reason="no such file or directory"))
        report.skipped = skipped + report.skipped
        return report

    def _remove_gone(self, path: Path, report: IngestReport) -> bool:
        """Remove the passages of a named file or folder that no longer exists (True if any)."""
        key = str(path.resolve())
        everything = self.collection.get(include=["metadatas"])
        found: dict[str, list[str]] = {}
        for cid, meta in zip(everything["ids"], everything["metadatas"] or [], strict=False):
            source = str((meta or {}).get("source_key", ""))
            if source == key or source.startswith(key + os.sep):
                found.setdefault(source, []).append(cid)
        if not found:
            return False
        for ids in found.values():
            self.collection.delete(ids=ids)
            report.removed += 1
            report.chunks_removed += len(ids)
        report.gone.append(str(path))
        self._set_metadata(revision=uuid.uuid4().hex[:12])  # as _ingest_documents does
        self._lexical = None
        return True

    def _plan(self, path: Path, key: str) -> _Planned:
        from knowledge.documents import SkipFile, load_document

        document = load_document(path, key)
        chunks = chunk_markdown(document.body, document.title, key)
        if not chunks:
            raise SkipFile("no text to index")
        return _Planned(document, chunks)

    def _ingest_documents(
        self,
        targets: Sequence[tuple[Path, str]],
        *,
        stale_prefixes: Sequence[str] = (),
        progress: ProgressHook | None = None,
    ) -> IngestReport:
        report = IngestReport()
        hook = as_progress(progress)
        held: list[bool] = []  # a Ctrl-C that came while a window was being written
        windows: list[list[_Change]] = []
        written = 0
        try:
            seen_keys, planned = self._read_targets(targets, report)
            changes = [c for c in self._changes(planned, report) if c.to_add or c.to_delete]
            if hook:
                hook.start(len(changes), sum(len(c.to_add) for c in changes))
            for change in changes:
                if not windows or sum(len(c.to_add) for c in windows[-1]) >= EMBED_WINDOW:
                    windows.append([])
                windows[-1].append(change)
            for window in windows:
                self._write_window(window, report, hook, held)
                written += 1
            if stale_prefixes:
                with whole_write([]):
                    self._remove_vanished(stale_prefixes, seen_keys, report)
        except KeyboardInterrupt:
            # A stop held until its window was written leaves that window whole and written.
            done = written + 1 if held else written
            pending = [c.document.source_key for w in windows[done:] for c in w]
            if not windows:  # still reading the files: none was written
                pending = list(dict.fromkeys(key for _, key in targets))
            raise IngestInterrupted(report, pending) from None
        finally:
            if report.chunks_added or report.chunks_removed or report.updated:
                # Other processes' keyword indexes notice the change through this stamp.
                self._set_metadata(revision=uuid.uuid4().hex[:12])
                self._lexical = None
        return report

    def _read_targets(
        self, targets: Sequence[tuple[Path, str]], report: IngestReport
    ) -> tuple[set[str], list[_Planned]]:
        """Each file read and cut into passages once; unreadable ones go to ``skipped``."""
        from knowledge.documents import SkipFile

        seen_keys: set[str] = set()
        planned: list[_Planned] = []
        for path, key in targets:
            if key in seen_keys:
                continue
            seen_keys.add(key)
            report.files += 1
            try:
                planned.append(self._plan(path, key))
            except SkipFile as exc:
                report.skipped.append(SkippedFile(path=str(path), reason=str(exc)))
                continue
            for warning in planned[-1].document.warnings:
                report.warnings.append(FileWarning(path=str(path), warning=warning))
        return seen_keys, planned

    def _changes(self, planned: Sequence[_Planned], report: IngestReport) -> list[_Change]:
        """What each file adds and deletes, from one lookup per group of files."""
        changes: list[_Change] = []
        for start in range(0, len(planned), LOOKUP_GROUP):
            group = planned[start : start + LOOKUP_GROUP]
            keys = [p.document.source_key for p in group]
            where = {"source_key": keys[0]} if len(keys) == 1 else {"source_key": {"$in": keys}}
            found = self.collection.get(where=where, include=["metadatas"])
            stored: dict[str, dict[str, dict[str, Any]]] = {}
            for cid, meta in zip(found["ids"], found["metadatas"] or [], strict=False):
                stored.setdefault(str((meta or {}).get("source_key", "")), {})[cid] = meta or {}
            for item in group:
                changes.append(self._change(item, stored.get(item.document.source_key, {}), report))
        return changes

    def _change(
        self, planned: _Planned, old: dict[str, dict[str, Any]], report: IngestReport
    ) -> _Change:
        document = planned.document
        new = {chunk.id: chunk for chunk in planned.chunks}
        change = _Change(
            document,
            old=bool(old),
            to_add=[chunk for cid, chunk in new.items() if cid not in old],
            to_delete=sorted(old.keys() - new.keys()),
        )
        # Chunk ids hash only the text, so a front-matter edit (title, url, topics) keeps the
        # ids; rewrite the metadata of kept chunks whose file has changed since.
        stale = [
            new[cid]
            for cid, meta in old.items()
            if cid in new and meta.get("fingerprint") != document.fingerprint
        ]
        if stale:
            self.collection.update(
                ids=[c.id for c in stale], metadatas=[_metadata(document, c) for c in stale]
            )
        if not change.to_add and not change.to_delete:
            if stale:
                report.updated += 1
            else:
                report.unchanged += 1
        return change

    def _embed_sorted(
        self, texts: list[str], hook: IngestProgress | None
    ) -> list[Any]:
        """Vectors for ``texts``, embedded shortest first so each batch pads little."""
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors: list[Any] = [None] * len(texts)
        for start in range(0, len(order), EMBED_BATCH):
            batch = order[start : start + EMBED_BATCH]
            for index, vector in zip(
                batch, self.embedding_function([texts[i] for i in batch]), strict=True
            ):
                vectors[index] = vector
            if hook:
                hook.embedded(len(batch))
        return vectors

    def _write_window(
        self,
        window: Sequence[_Change],
        report: IngestReport,
        hook: IngestProgress | None,
        held: list[bool],
    ) -> None:
        # Embed the whole window before writing: a failure leaves its files' old chunks as
        # they were.
        texts = [_embedding_text(c.document, chunk) for c in window for chunk in c.to_add]
        vectors = iter(self._embed_sorted(texts, hook))
        pending: list[tuple[Document, Chunk, Any]] = []
        for change in window:
            pending += [(change.document, chunk, next(vectors)) for chunk in change.to_add]
        with whole_write(held):
            self._store_window(window, pending, report, hook)

    def _store_window(
        self,
        window: Sequence[_Change],
        pending: Sequence[tuple[Document, Chunk, Any]],
        report: IngestReport,
        hook: IngestProgress | None,
    ) -> None:
        size = self._batch_size()
        for start in range(0, len(pending), size):
            batch = pending[start : start + size]
            self.collection.upsert(
                ids=[chunk.id for _, chunk, _ in batch],
                documents=[chunk.text for _, chunk, _ in batch],
                metadatas=[_metadata(document, chunk) for document, chunk, _ in batch],
                embeddings=[vector for _, _, vector in batch],
            )
        # New chunks are in place before old ones go, so a crash leaves a superset that
        # the next ingest of the same files converges from.
        doomed = [cid for change in window for cid in change.to_delete]
        for start in range(0, len(doomed), size):
            self.collection.delete(ids=doomed[start : start + size])
        for change in window:
            if change.old:
                report.updated += 1
            else:
                report.added += 1
            report.chunks_added += len(change.to_add)
            report.chunks_removed += len(change.to_delete)
            if hook:
                hook.file_done(change.document.source_key)

    def _remove_vanished(
        self, prefixes: Sequence[str], seen_keys: set[str], report: IngestReport
    ) -> None:
        everything = self.collection.get(include=["metadatas"])
        vanished: dict[str, list[str]] = {}
        for cid, meta in zip(everything["ids"], everything["metadatas"] or [], strict=False):
            key = str((meta or {}).get("source_key", ""))
            if key in seen_keys or not any(key.startswith(p) for p in prefixes):
                continue
            if key.startswith(BUILTIN_PREFIX) or not Path(key).exists():
                vanished.setdefault(key, []).append(cid)
        for ids in vanished.values():
            self.collection.delete(ids=ids)
            report.removed += 1
            report.chunks_removed += len(ids)

    def _batch_size(self) -> int:
        try:
            return max(1, min(int(self.client.get_max_batch_size()), 1000))
        except Exception:
            return 500

    def reindex(
        self, extra: Iterable[Path] = (), progress: ProgressHook | None = None
    ) -> IngestReport:
        """Rebuild the collection with the configured embeddings, then put it in place.

        The user files already in the index are read again from disk, with ``extra`` added.
        The rebuild is written beside the index and swapped in when it is complete: a stop
        (Ctrl-C, :class:`IngestInterrupted` with ``kept``) or a failure before then leaves the
        index whole, as it was (dropping it first left a stopped rebuild with some guides).
        """
        name = self.collection_name
        staging = name + REBUILD_SUFFIX
        sources: list[str] = []
        with contextlib.suppress(Exception):  # no index yet: nothing to carry over
            # Opened without an embedding function: the stored one may be the model being replaced.
            sources = user_sources(self.client.get_collection(name, embedding_function=None))
        with contextlib.suppress(Exception):  # what a rebuild killed mid-way left behind
            self.client.delete_collection(staging)
        targets = [Path(s) for s in sources if Path(s).exists()]
        known = {p.resolve() for p in targets}
        targets += [p for p in extra if p.resolve() not in known]
        self.collection_name, self._collection, self._lexical = staging, None, None
        try:
            report = self.ingest(targets, progress=progress)
        except BaseException as exc:
            with contextlib.suppress(Exception):
                self.client.delete_collection(staging)
            if isinstance(exc, IngestInterrupted):
                pending = [str(p) for p in targets]
                raise IngestInterrupted(IngestReport(), pending, kept=True) from None
            raise
        finally:
            self.collection_name, self._collection, self._lexical = name, None, None
        held: list[bool] = []
        with contextlib.suppress(KeyboardInterrupt), whole_write(held), self._writing():
            # A Ctrl-C now waits for the swap: the rebuild is complete, so it stands.
            with contextlib.suppress(Exception):
                self.client.delete_collection(name)
            self.client.get_collection(staging, embedding_function=None).modify(name=name)
        return report

    def stale_guides(self) -> dict[str, list[str]]:
        """The user guides the index is older than: each one's source key and passage ids.

        A guide edited or deleted since it was ingested, or ingested before passages carried
        the article's URL (schema 2), would be cited as it was: a section or words the file
        no longer has. The shipped guides are re-indexed on first use when they change.
        """
        _, rows = self._lexical_index()
        guides: dict[str, tuple[str, list[str]]] = {}
        older: set[str] = set()
        for cid, (_, meta) in rows.items():
            key = str(meta.get("source_key", ""))
            if not key or key.startswith(BUILTIN_PREFIX):
                continue
            guides.setdefault(key, (str(meta.get("fingerprint", "")), []))[1].append(cid)
            if "url" not in meta:  # written before SCHEMA_VERSION 2
                older.add(key)
        return {
            key: ids
            for key, (fingerprint, ids) in sorted(guides.items())
            if key in older or self._file_print(Path(key)) != fingerprint
        }

    def _file_print(self, path: Path) -> str | None:
        """The fingerprint ingest would give the file now (None when it cannot be read)."""
        try:
            stat = path.stat()
        except OSError:
            return None
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        if key not in self._file_prints:  # read once per version of the file
            from knowledge.documents import SkipFile, read_text, text_fingerprint

            try:
                self._file_prints[key] = text_fingerprint(read_text(path))
            except SkipFile:
                self._file_prints[key] = None
        return self._file_prints[key]

    def count(self) -> int:
        """Number of chunks in the collection."""
        return int(self.collection.count())

    # -- retrieval ---------------------------------------------------------------------
    def _lexical_index(self) -> tuple[BM25Index, dict[str, tuple[str, dict[str, Any]]]]:
        now = time.monotonic()
        if self._lexical is not None and now - self._checked < STAMP_TTL:
            return self._lexical[1], self._lexical[2]
        # Counting asks Chroma (milliseconds): other processes' ingests are noticed within
        # STAMP_TTL; this process's own ingests drop the index at once.
        self._checked = now
        snapshot = self._fresh_snapshot()
        if snapshot is not None:
            if self._lexical is None or self._lexical[0] != ("snapshot", snapshot.stamp):
                rows = {
                    cid: (text, meta)
                    for cid, text, meta in zip(
                        snapshot.ids, snapshot.documents, snapshot.metadatas, strict=True
                    )
                }
                self._replace_lexical(("snapshot", snapshot.stamp), rows)
                self._snapshot = snapshot
            assert self._lexical is not None
            return self._lexical[1], self._lexical[2]
        self._snapshot = None
        stamp = (self.collection.count(), (self.collection.metadata or {}).get("revision"))
        if self._lexical is None or self._lexical[0] != stamp:
            before = (
                chroma_stamp(self.local_path) if self.local_path and self.snapshot_path else None
            )
            everything = self.collection.get(include=["documents", "metadatas"])
            rows = {
                cid: (text, meta or {})
                for cid, text, meta in zip(
                    everything["ids"],
                    everything["documents"],
                    everything["metadatas"],
                    strict=True,
                )
            }
            self._replace_lexical(stamp, rows)
            if before is not None:
                self._save_snapshot(before)
        assert self._lexical is not None
        return self._lexical[1], self._lexical[2]

    def _replace_lexical(
        self, stamp: tuple[Any, ...], rows: dict[str, tuple[str, dict[str, Any]]]
    ) -> None:
        index = BM25Index.build(
            list(rows),
            [f"{m.get('title', '')} {m.get('section', '')} {t}" for t, m in rows.values()],
        )
        self._lexical = (stamp, index, rows)
        self._filtered.clear()
        self._results.clear()

    def _fresh_snapshot(self) -> Snapshot | None:
        """The snapshot, while Chroma is unopened here and unchanged by anyone; else None."""
        if self.snapshot_path is None or self._snapshot_off or self._collection is not None:
            return None
        assert self.local_path is not None
        if self._snapshot is not None and chroma_stamp(self.local_path) == self._snapshot.stamp:
            return self._snapshot
        from knowledge.minilm import LOCAL_MODEL

        found = read_snapshot(self.snapshot_path, self.local_path, LOCAL_MODEL)
        if found is None:
            self._snapshot_off = True  # from now on this process reads Chroma
        return found

    def _save_snapshot(self, before: tuple[Any, ...]) -> None:
        """Write what was just read from Chroma, unless Chroma changed while it was read."""
        assert self._lexical is not None and self.snapshot_path and self.local_path
        _, index, rows = self._lexical
        vectors = self._vectors(index)
        stamp = chroma_stamp(self.local_path)
        if stamp is None or stamp != before:
            return
        with contextlib.suppress(OSError):  # a read-only home still searches, through Chroma
            write_snapshot(
                self.snapshot_path,
                Snapshot.of(index.ids, rows, vectors, self.collection.metadata or {}, stamp),
            )

    def _allowed_mask(
        self,
        index: BM25Index,
        rows: dict[str, tuple[str, dict[str, Any]]],
        topic: str | None,
        stage: str | None,
    ) -> BoolArray | None:
        """The passages a filter lets through, worked out once per filter and corpus version."""
        if not topic and not stage:
            return None
        key = ((topic or "").lower(), stage or "")
        if key not in self._filtered:
            self._filtered[key] = index.mask(
                cid for cid, (_, meta) in rows.items() if self._allowed(meta, topic, stage)
            )
        return self._filtered[key]

    def _vectors(self, index: BM25Index) -> FloatMatrix:
        """Every passage's unit vector, in the keyword index's order (loaded once per version).

        Only filtered searches need it: Chroma's metadata-filtered query scans the filter's
        matches in its own store (tens of milliseconds at 100x), while an exact dot product
        over the allowed rows here takes about one.
        """
        if self._matrix is None or self._matrix[0] is not index:
            if self._snapshot is not None:
                self._matrix = (index, self._snapshot.vectors)  # unit rows, in index order
                return self._matrix[1]
            found = self.collection.get(include=["embeddings"])
            position = {cid: i for i, cid in enumerate(index.ids)}
            matrix = np.zeros((len(index.ids), len(found["embeddings"][0]) if found["ids"] else 1))
            for cid, vector in zip(found["ids"], found["embeddings"], strict=True):
                if cid in position:
                    matrix[position[cid]] = vector
            norms = np.linalg.norm(matrix, axis=1, keepdims=True)
            self._matrix = (index, (matrix / np.clip(norms, 1e-12, None)).astype(np.float32))
        return self._matrix[1]

    def _semantic(
        self, query_vector: Any, depth: int, index: BM25Index, mask: BoolArray | None
    ) -> tuple[list[str], dict[str, float]]:
        """The ``depth`` nearest passages (among those ``mask`` allows) and their similarity."""
        if mask is None and self._snapshot is not None:
            mask = np.ones(len(index.ids), dtype=np.bool_)  # exact search over the snapshot
        if mask is None:
            found = self.collection.query(
                query_embeddings=[query_vector], n_results=depth, include=["distances"]
            )
            ids = list(found["ids"][0])
            return ids, {
                cid: 1.0 - float(d) for cid, d in zip(ids, found["distances"][0], strict=True)
            }
        allowed = np.flatnonzero(mask)
        if not len(allowed):
            return [], {}
        query_array = np.asarray(query_vector, dtype=np.float32)
        query_array = query_array / max(float(np.linalg.norm(query_array)), 1e-12)
        scores = self._vectors(index)[allowed] @ query_array
        top = allowed[np.argsort(-scores, kind="stable")[:depth]]
        similarity = {index.ids[i]: float(s) for i, s in zip(allowed, scores, strict=True)}
        ids = [index.ids[i] for i in top]
        return ids, {cid: similarity[cid] for cid in ids}

    def topics(self) -> list[str]:
        """Every topic some passage carries (for filter validation and help)."""
        self.ensure_corpus()
        _, rows = self._lexical_index()
        found = {t for _, meta in rows.values() for t in str(meta.get("topics", "")).split(",")}
        return sorted(t for t in found if t)

    @staticmethod
    def _allowed(meta: dict[str, Any], topic: str | None, stage: str | None) -> bool:
        if topic and not meta.get(f"topic:{topic.lower()}"):
            return False
        return not stage or bool(meta.get(f"stage:{stage}") or meta.get("stage:any"))

    def search(
        self,
        query: str,
        k: int = 5,
        *,
        topic: str | None = None,
        stage: str | None = None,
    ) -> list[Passage]:
        """The ``k`` most relevant passages: semantic and keyword rankings fused."""
        if not query.strip():
            raise ValueError("the query is empty")
        if not 1 <= k <= 50:
            raise ValueError("k must be between 1 and 50")
        if time.monotonic() - self._corpus_checked >= STAMP_TTL:
            # A search checks the shipped guides at most once per STAMP_TTL (a stat per file).
            self.ensure_corpus()
            self._corpus_checked = time.monotonic()
        index, rows = self._lexical_index()
        # Batch runs (prep emails for every pair) ask the same questions again and again.
        key = (self._lexical[0] if self._lexical else None, query, k, topic, stage)
        cached = self._results.get(key)
        if cached is not None:
            self._results.move_to_end(key)
            return [passage.model_copy() for passage in cached]
        passages = self._search(query, k, topic, stage, index, rows)
        self._results[key] = passages
        if len(self._results) > RESULT_CACHE:
            self._results.popitem(last=False)
        return [passage.model_copy() for passage in passages]

    def _search(
        self,
        query: str,
        k: int,
        topic: str | None,
        stage: str | None,
        index: BM25Index,
        rows: dict[str, tuple[str, dict[str, Any]]],
    ) -> list[Passage]:
        depth = max(20, k)
        if self._snapshot is not None and self._embedding_function is None:
            from knowledge.minilm import embed_texts  # what LocalMiniLMEmbedding calls

            query_vector: Any = embed_texts([query])[0]
        else:
            query_vector = self.embedding_function([query])[0]
        mask = self._allowed_mask(index, rows, topic, stage)
        semantic, similarity = self._semantic(query_vector, depth, index, mask)
        keyword = index.rank(query, allowed=mask, limit=depth)
        ranked = [(cid, score) for cid, score in fuse([semantic, keyword]) if cid in rows][:k]
        missing = [cid for cid, _ in ranked if cid not in similarity]
        if missing and self._snapshot is not None:
            position = {cid: i for i, cid in enumerate(index.ids)}
            query_unit = np.asarray(query_vector, dtype=np.float32)
            for cid in missing:
                similarity[cid] = float(self._vectors(index)[position[cid]] @ query_unit)
        elif missing:
            extra = self.collection.get(ids=missing, include=["embeddings"])
            query_array = np.asarray(query_vector, dtype=np.float32)
            for cid, vector in zip(extra["ids"], extra["embeddings"], strict=True):
                similarity[cid] = float(np.dot(np.asarray(vector, dtype=np.float32), query_array))
        # Rank fusion alone says only which passages come first, so its top passage scored
        # 1.0 even for a query no guide is about. The fused score is scaled by how close in
        # meaning each passage is, so relevance is absolute (see Passage); the fused order is
        # kept (re-sorting by the product lost the right guide on held-out queries), so a
        # passage's relevance is also capped by the one above it.
        capped = 1.0
        for n, (cid, score) in enumerate(ranked):
            capped = min(capped, score * meaning(similarity.get(cid, 0.0)))
            ranked[n] = (cid, capped)
        passages: list[Passage] = []
        for cid, score in ranked:
            text, meta = rows[cid]
            passages.append(
                Passage(
                    id=cid,
                    text=text,
                    score=round(score, 4),
                    similarity=round(similarity.get(cid, 0.0), 4),
                    title=str(meta.get("title", "")),
                    section=str(meta.get("section", "")),
                    source=str(meta.get("source", "")),
                    url=str(meta.get("url", "")),
                    doc_id=str(meta.get("doc_id", "")),
                    topics=[t for t in str(meta.get("topics", "")).split(",") if t],
                    stage=[s for s in str(meta.get("stage", "")).split(",") if s],
                )
            )
        return passages
