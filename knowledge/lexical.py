"""BM25 keyword ranking over the collection's passages, fused with semantic search.

Dense MiniLM retrieval misses literal cues ("ghosting", "k8s", "mock interview") and keyword
search misses paraphrase; reciprocal-rank fusion of the two beats either alone on both
retrieval eval sets (docs/BENCHMARKS.md).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

IntArray = np.ndarray[Any, np.dtype[np.int64]]
FloatArray = np.ndarray[Any, np.dtype[np.float64]]
BoolArray = np.ndarray[Any, np.dtype[np.bool_]]

_TOKEN = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    "a an the and or but if of to in on at for with by from is are was were be been it its "
    "this that i you we they he she my your our their me us them do does did not no so as "
    "can will just what how when why who which than then there here about into over".split()
)
_SUFFIXES = ("ing", "ed", "es", "s", "ly")
RRF_K = 60


def terms(text: str) -> list[str]:
    """Lowercased, lightly stemmed content terms."""
    out = []
    for word in _TOKEN.findall(text.lower()):
        if word in _STOP:
            continue
        for suffix in _SUFFIXES:
            if len(word) > 4 and word.endswith(suffix):
                word = word[: -len(suffix)]
                break
        out.append(word)
    return out


@dataclass
class BM25Index:
    """An Okapi BM25 inverted index over passages (k1=1.2, b=0.75).

    Built once per corpus version. Each term's postings hold its passages and their whole
    BM25 contribution (idf included), as numpy arrays: a query adds a few arrays into one
    score vector, and a filter is a boolean mask over it.
    """

    ids: list[str]
    postings: dict[str, tuple[IntArray, FloatArray]] = field(default_factory=dict)
    k1: float = 1.2
    b: float = 0.75

    @classmethod
    def build(cls, ids: Sequence[str], texts: Sequence[str]) -> BM25Index:
        """Index ``texts`` under ``ids``."""
        index = cls(ids=list(ids))
        raw: dict[str, tuple[list[int], list[int]]] = {}
        lengths: list[int] = []
        for position, text in enumerate(texts):
            counts = Counter(terms(text))
            lengths.append(sum(counts.values()))
            for term, tf in counts.items():
                where, freqs = raw.setdefault(term, ([], []))
                where.append(position)
                freqs.append(tf)
        n = len(lengths)
        average = (sum(lengths) / n if n else 1.0) or 1.0
        norms = index.k1 * (1 - index.b + index.b * np.asarray(lengths, dtype=np.float64) / average)
        for term, (where, freqs) in raw.items():
            at = np.asarray(where, dtype=np.int64)
            counts_at = np.asarray(freqs, dtype=np.float64)
            idf = math.log(1 + (n - len(where) + 0.5) / (len(where) + 0.5))
            index.postings[term] = (
                at,
                idf * counts_at * (index.k1 + 1) / (counts_at + norms[at]),
            )
        return index

    def mask(self, allowed: Iterable[str]) -> BoolArray:
        """A boolean mask over the passages for the ids in ``allowed``."""
        keep = set(allowed)
        return np.fromiter((pid in keep for pid in self.ids), dtype=bool, count=len(self.ids))

    def rank(
        self,
        query: str,
        allowed: set[str] | BoolArray | None = None,
        limit: int = 20,
    ) -> list[str]:
        """Ids of the best-matching passages (only those ``allowed``: ids or a mask)."""
        scores = np.zeros(len(self.ids), dtype=np.float64)
        for term in set(terms(query)):
            found = self.postings.get(term)
            if found is not None:
                scores[found[0]] += found[1]
        if allowed is not None:
            keep = allowed if isinstance(allowed, np.ndarray) else self.mask(allowed)
            scores[~keep] = 0.0
        hits = np.flatnonzero(scores > 0)
        if len(hits) > limit:
            # Everything tied with the limit-th best stays in, so ties break by id below.
            kth = np.partition(scores[hits], len(hits) - limit)[len(hits) - limit]
            hits = hits[scores[hits] >= kth]
        ranked = sorted((-float(scores[i]), self.ids[i]) for i in hits)
        return [pid for _, pid in ranked[:limit]]


def fuse(rankings: Sequence[Sequence[str]]) -> list[tuple[str, float]]:
    """Reciprocal-rank fusion; scores scaled so first place in every ranking is 1.0."""
    fused: dict[str, float] = {}
    for ranking in rankings:
        for position, pid in enumerate(ranking):
            fused[pid] = fused.get(pid, 0.0) + 1.0 / (RRF_K + position)
    best = len(rankings) / RRF_K
    return [
        (pid, score / best) for pid, score in sorted(fused.items(), key=lambda i: (-i[1], i[0]))
    ]
