"""BM25 keyword ranking over the collection's passages, fused with semantic search.

Dense MiniLM retrieval misses literal cues ("ghosting", "k8s", "mock interview") and keyword
search misses paraphrase; reciprocal-rank fusion of the two beats either alone on both
retrieval eval sets (docs/BENCHMARKS.md).
"""

from __future__ import annotations

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
    """An Okapi BM25 index over passages (k1=1.2, b=0.75)."""

    ids: list[str]
    docs: list[Counter[str]] = field(default_factory=list)
    lengths: list[int] = field(default_factory=list)
    df: Counter[str] = field(default_factory=Counter)
    k1: float = 1.2
    b: float = 0.75

    @classmethod
    def build(cls, ids: Sequence[str], texts: Sequence[str]) -> BM25Index:
        """Index ``texts`` under ``ids``."""
        index = cls(ids=list(ids))
        for text in texts:
            counts = Counter(terms(text))
            index.docs.append(counts)
            index.lengths.append(sum(counts.values()))
            index.df.update(counts.keys())
        return index

    def rank(self, query: str, allowed: set[str] | None = None, limit: int = 20) -> list[str]:
        """Ids of the best-matching passages (only those in ``allowed`` when given)."""
        query_terms = set(terms(query))
        if not query_terms or not self.docs:
            return []
        n = len(self.docs)
        average = sum(self.lengths) / n or 1.0
        idf = {t: math.log(1 + (n - self.df[t] + 0.5) / (self.df[t] + 0.5)) for t in query_terms}
        scored: list[tuple[float, str]] = []
        for pid, counts, length in zip(self.ids, self.docs, self.lengths, strict=True):
            if allowed is not None and pid not in allowed:
                continue
            score = 0.0
            for term in query_terms & counts.keys():
                tf = counts[term]
                score += (
                    idf[term]
                    * tf
                    * (self.k1 + 1)
                    / (tf + self.k1 * (1 - self.b + self.b * length / average))
                )
            if score > 0:
                scored.append((score, pid))
        scored.sort(key=lambda item: (-item[0], item[1]))
        return [pid for _, pid in scored[:limit]]


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
