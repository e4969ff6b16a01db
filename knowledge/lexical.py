"""BM25 keyword ranking over the collection's passages, fused with semantic search.

Dense MiniLM retrieval misses literal cues ("ghosting", "k8s", "mock interview") and keyword
search misses paraphrase; reciprocal-rank fusion of the two beats either alone on both
retrieval eval sets (docs/BENCHMARKS.md).
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

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

    Built once per corpus version; a query touches only the postings of its own terms, so
    its cost follows how many passages share those terms, not the size of the corpus.
    """

    ids: list[str]
    postings: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    norms: list[float] = field(default_factory=list)
    k1: float = 1.2
    b: float = 0.75

    @classmethod
    def build(cls, ids: Sequence[str], texts: Sequence[str]) -> BM25Index:
        """Index ``texts`` under ``ids``."""
        index = cls(ids=list(ids))
        postings: dict[str, list[tuple[int, int]]] = {}
        lengths: list[int] = []
        for position, text in enumerate(texts):
            counts = Counter(terms(text))
            lengths.append(sum(counts.values()))
            for term, tf in counts.items():
                postings.setdefault(term, []).append((position, tf))
        average = sum(lengths) / len(lengths) if lengths else 1.0
        average = average or 1.0
        index.postings = postings
        # The length part of BM25's denominator, per passage, computed once.
        index.norms = [index.k1 * (1 - index.b + index.b * n / average) for n in lengths]
        return index

    def rank(self, query: str, allowed: set[str] | None = None, limit: int = 20) -> list[str]:
        """Ids of the best-matching passages (only those in ``allowed`` when given)."""
        n = len(self.ids)
        scores: dict[int, float] = {}
        for term in set(terms(query)):
            postings = self.postings.get(term)
            if not postings:
                continue
            df = len(postings)
            weight = math.log(1 + (n - df + 0.5) / (df + 0.5)) * (self.k1 + 1)
            norms = self.norms
            for position, tf in postings:
                scores[position] = scores.get(position, 0.0) + weight * tf / (tf + norms[position])
        ids = self.ids
        candidates = (
            (-score, ids[position])
            for position, score in scores.items()
            if score > 0 and (allowed is None or ids[position] in allowed)
        )
        return [pid for _, pid in heapq.nsmallest(limit, candidates)]


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
