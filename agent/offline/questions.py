"""The curious-question bank, how questions are retrieved for an input, and how a topic is filled.

The bank (``agent/data/question_bank.jsonl``) holds questions tagged with a situation, the
framework they apply and the guide they draw on. An input is matched by MiniLM similarity and
a learned situation classifier; three questions from different frameworks are picked
MMR-style. A ``{topic}`` or ``{person}`` slot is filled only with a phrase that passes
:mod:`agent.offline.phrases`; otherwise the general questions are used, correct for any input.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from agent.guardrails import content_words, topic_stems
from agent.offline.judgement import is_judgemental
from agent.offline.learned import LabelledText, data_dir, embed, load_model
from agent.offline.phrases import NOUN_VERBS, labels_word
from agent.offline.train import TrainingSpec
from agent.offline.words import KNOWN_VERBS, grammar_problems, stable_int, to_base

__all__ = ["BankQuestion", "Pick", "choose", "load_bank"]

Vector = np.ndarray[Any, np.dtype[np.float32]]
SESSION_PREFIXES = ("session-", "first-session")


@dataclass(frozen=True)
class BankQuestion:
    """One question of the bank; ``slot`` is ``"{topic}"`` when it takes a noun phrase."""

    id: str
    question: str
    situation: str
    framework: str
    guide: str
    slot: str | None
    rationale: str

    @property
    def plain(self) -> str:
        """The question as it is embedded: a topic slot read as "this", a person as "them"."""
        return self.question.replace("{topic}", "this").replace("{person}", "them")

    def filled(self, topic: str | None) -> str:
        """The question with its slot filled (a slotted question needs a topic)."""
        if self.slot is None:
            return self.question
        if not topic:
            raise ValueError(f"{self.id} needs a topic")
        return self.question.replace(self.slot, topic)


@cache
def load_bank() -> tuple[BankQuestion, ...]:
    """Every question of the shipped bank, in file order."""
    path = data_dir() / "question_bank.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    fields = ("id", "question", "situation", "framework", "guide", "rationale")
    return tuple(
        BankQuestion(**{f: str(r[f]) for f in fields}, slot=r.get("slot") or None) for r in rows
    )


@cache
def reframe_rows() -> tuple[BankQuestion, ...]:
    """The questions offered as rewrites (the session-planning ones are kept apart)."""
    return tuple(q for q in load_bank() if not q.situation.startswith(SESSION_PREFIXES))


class _SituationSpec(TrainingSpec):
    """The situation classifier learns from example inputs and from the bank's own questions."""

    def rows(self) -> list[LabelledText]:
        """Labelled example inputs plus every rewrite question labelled with its situation."""
        bank = [LabelledText(q.plain, q.situation, q.id) for q in reframe_rows()]
        return [*super().rows(), *bank]


# Fewer steps than the default, as the classes are many and the rows few.
SITUATION_SPEC = _SituationSpec("situations", ("situations.jsonl",), fit_args={"steps": 1500})


def bank_texts() -> list[str]:
    """The rewrite questions as they are embedded (a slot read as "this")."""
    return [q.plain for q in reframe_rows()]


@cache
def _vectors() -> Vector:
    """One unit row per rewrite question: shipped precomputed (``train question_bank``)."""
    from agent.offline.learned import shipped_vectors

    return shipped_vectors("question_bank", bank_texts()).astype(np.float32)


def situation_scores(text: str) -> list[tuple[str, float]]:
    """Situations by the classifier's probability for the input, most likely first."""
    model = load_model("situations")
    probs = model.scores(embed([text]))[0]
    return sorted(zip(model.labels, map(float, probs), strict=True), key=lambda p: -p[1])


@dataclass(frozen=True)
class Pick:
    """A chosen question, its slot filled (or not), with the row it came from."""

    row: BankQuestion
    question: str
    relevance: float


_OPEN = re.compile(r"^(?:what|what's|how|how's|which|where|when|who)\b", re.IGNORECASE)


def _opening(question: str) -> str:
    return " ".join(question.lower().split()[:2])


def choose(
    text: str,
    count: int,
    topics: Sequence[str],
    *,
    slotted: int = 0,
    avoid: Sequence[str] = (),
    people: Sequence[str] = (),
) -> list[Pick]:
    """``count`` diverse questions for ``text``: different frameworks, openings and wording.

    The first ``slotted`` picks take a topic phrase from ``topics`` in turn (with none, one may
    name a person from ``people``); ``avoid`` are questions not to repeat. A question that
    fails the checks or repeats a word of the input that judges ("wrong") is skipped.
    """
    rows, vectors = reframe_rows(), _vectors()
    sims = vectors @ embed([text])[0].astype(np.float32)
    ranked = situation_scores(text)
    probability = dict(ranked)
    top = ranked[0][1]
    # Draw on the likely situations; slotted questions only from confident ones, since a
    # question about "the startup" asked as if it were a missed task would invert the intent.
    near = {name for name, p in ranked[:3] if p >= 0.7 * top} | {"general"}
    # An unsure classifier (a flat spread, as for the bottom quarter of the test inputs)
    # leaves the topic to the general questions, which read well about anything.
    sure = {ranked[0][0], "general"} if top >= 0.16 else {"general"}
    said = _named(text)
    relevance = [
        float(sims[i])
        + 1.5 * probability.get(q.situation, 0.0)
        - 0.05 * (q.situation == "general")
        + 0.1 * bool(said & _named(q.plain))  # names something the input names ("deadline")
        for i, q in enumerate(rows)
    ]
    avoided = {_normal(a) for a in avoid}
    pool = [
        i
        for i, q in enumerate(rows)
        if (q.situation in sure if q.slot else q.situation in near)
        and (q.slot is None or (people if q.slot == "{person}" else topics))
        and _normal(q.question) not in avoided
    ]
    chosen: list[int] = []
    picks: list[Pick] = []
    while len(picks) < count and pool:
        want_slot = bool(topics or people) and len(picks) < slotted
        named = [p for p in picks if p.row.slot]
        best: tuple[float, int, str, str] | None = None
        for i in pool:
            row = rows[i]
            if want_slot != (row.slot is not None):
                continue
            if any(rows[j].framework == row.framework for j in chosen):
                continue
            if row.slot == "{person}" and (topics or named):
                continue  # a person only when the input names nothing else, and once
            topic = (
                people[0]
                if row.slot == "{person}"
                else topics[len(named) % len(topics)]
                if row.slot
                else None
            )
            if topic and _repeats(row.question, topic):
                continue
            question = row.filled(topic)
            if _opening(question) in {_opening(p.question) for p in picks}:
                continue
            redundancy = max((float(vectors[i] @ vectors[j]) for j in chosen), default=0)
            closed = not _OPEN.match(question) and any(not _OPEN.match(p.question) for p in picks)
            score = relevance[i] - 0.3 * redundancy - 0.2 * closed
            if best is None or (score, -i) > (best[0], -best[1]):
                best = (score, i, question, topic or "")
        if best is None:
            if want_slot:
                slotted = len(picks)  # no slotted question fits: general wording from here
                continue
            break
        score, i, question, filled = best
        pool.remove(i)
        if grammar_problems(question) or is_judgemental(question):
            continue
        if _repeats_a_label(question, text, filled):
            continue
        chosen.append(i)
        picks.append(Pick(rows[i], question, relevance[i]))
    return picks


def _repeats_a_label(question: str, text: str, topic: str) -> bool:
    """The question says again a word of the input that judges ("wrong"), outside the topic.

    The topic phrase was checked when it was taken (its noun may be close to the labels).
    """
    said = set(re.findall(r"[a-z][a-z-]+", text.lower())) - set(topic.lower().split())
    return any(labels_word(w) for w in re.findall(r"[a-z][a-z-]+", question.lower()) if w in said)


def _named(text: str) -> set[str]:
    """The things ``text`` names, lightly stemmed; verbs any sentence may use ("make") aside."""
    words = [
        w
        for w in content_words(text)
        if len(w) > 2
        and (w in NOUN_VERBS or to_base(w) in NOUN_VERBS or to_base(w) not in KNOWN_VERBS)
    ]
    return topic_stems(" ".join(words))


def _repeats(template: str, topic: str) -> bool:
    """The template already names the topic's words ("the plan for the query plan")."""
    stems = [
        {w[:5] for w in re.findall(r"[a-z]{4,}", text.lower())}
        for text in (re.sub(r"\{\w+\}", "", template), topic)
    ]
    return bool(stems[0] & stems[1])


def _normal(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def stable_order(items: Sequence[BankQuestion], *key: str) -> list[BankQuestion]:
    """``items`` in a stable pseudo-random order keyed by ``key``."""
    return sorted(items, key=lambda q: stable_int(*key, q.id))
