"""Embedding functions registered with Chroma: local MiniLM (int8 ONNX) and OpenAI."""

from __future__ import annotations

from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function

from knowledge.minilm import LOCAL_MODEL, MAX_TOKENS, embed_texts, tokenizer_path

__all__ = [
    "LOCAL_MODEL",
    "MAX_TOKENS",
    "LocalMiniLMEmbedding",
    "OpenAICompatibleEmbedding",
    "embed_texts",
    "embedding_label",
    "make_embedding_function",
    "tokenizer_path",
]


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
