"""The embedding cache: a full cache is cleared without losing a vector a call still needs."""

from __future__ import annotations

import numpy as np
import pytest

from knowledge import minilm


def test_a_call_that_fills_the_cache_still_returns_the_vectors_it_found_there(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # An eval run hit KeyError: a text found cached was looked up again after the cache,
    # full, was cleared to make room for the call's new texts.
    first = minilm.embed_texts(["Bold strategy."])
    monkeypatch.setattr(minilm, "_CACHE_LIMIT", len(minilm._CACHE))
    both = minilm.embed_texts(["Bold strategy.", "a sentence not embedded before"])
    assert both.shape == (2, 384)
    assert np.allclose(both[0], first[0])
    assert "Bold strategy." not in minilm._CACHE  # the clear happened
