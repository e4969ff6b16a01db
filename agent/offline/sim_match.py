"""Do a mentee's step and a mentor's step mean the same move? A small learned matcher.

Features of a pair: the MiniLM cosine of the two steps, the share of the mentee's content
words (light stems) the mentor's step also uses, and their number; the cosine of what each step
says that the other does not (its leftover words: "roll back" against "push a fix forward"
once the shared topic is removed). A logistic model fitted on
``agent/data/training/sim_steps.jsonl`` (pairs written for the starter stories and 77 other
moves: paraphrases as "same"; other steps of the same story and the opposite move on the same
topic as "different") turns them into P(same);
rebuild with
``python -m agent.offline.train sim_steps``. P(same) >= 0.5 is a similarity; a pair between
:data:`PARTIAL_AT` and 0.5 is "the same point, handled differently".
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np

from agent.offline.learned import (
    LabelledText,
    LinearModel,
    Matrix,
    cross_validated_predictions,
    data_dir,
    load_model,
)
from agent.offline.sim_text import GENERIC_STEMS, term_set, words
from agent.offline.train import TrainingSpec
from knowledge.minilm import embed_texts

__all__ = ["STEPS_SPEC", "pair_features", "same_probabilities"]

MODEL = "sim_steps"
DATA = "sim_steps.jsonl"
SAME_AT = 0.5
PARTIAL_AT = 0.25
_SEP = "\n\u241e\n"


def _overlap(mentor: str, mentee: str) -> tuple[float, float]:
    """Share of the mentee's content words the mentor's step also uses, and shared words / 4."""
    theirs, mine = term_set(mentor) - GENERIC_STEMS, term_set(mentee) - GENERIC_STEMS
    shared = mine & theirs
    return (len(shared) / len(mine) if mine else 0.0), min(len(shared), 4) / 4.0


_WIDTH = 4


def _leftover(step: str, other: str) -> str:
    """The words of ``step`` whose stems ``other`` lacks (its own part of the move)."""
    theirs = term_set(other) | GENERIC_STEMS
    return " ".join(w for w in words(step) if term_set(w) - theirs)


def _features(cosines: Matrix, lefts: Sequence[str], rights: Sequence[str]) -> Matrix:
    if not lefts:
        return np.zeros((0, _WIDTH))
    own = [_leftover(a, b) for a, b in zip(lefts, rights, strict=True)]
    own += [_leftover(b, a) for a, b in zip(lefts, rights, strict=True)]
    vectors = np.asarray(embed_texts([o or "-" for o in own]), dtype=np.float64)
    leftover_cosines = (vectors[: len(lefts)] * vectors[len(lefts) :]).sum(axis=1)
    # A step that adds nothing of its own to the other says the same thing, only shorter.
    empty = np.array([not own[i] or not own[i + len(lefts)] for i in range(len(lefts))])
    leftover_cosines = np.where(empty, 1.0, leftover_cosines)
    rows = []
    for cosine, rest, a, b in zip(cosines, leftover_cosines, lefts, rights, strict=True):
        contained, shared = _overlap(a, b)
        rows.append([float(cosine), contained, shared, float(rest)])
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), _WIDTH)


def pair_features(texts: Sequence[str]) -> Matrix:
    """Features of packed "mentor <SEP> mentee" texts (see the module docstring)."""
    pairs = [t.partition(_SEP) for t in texts]
    mentors, mentees = [p[0] for p in pairs], [p[2] for p in pairs]
    if not pairs:
        return np.zeros((0, _WIDTH))
    a = np.asarray(embed_texts(mentors), dtype=np.float64)
    b = np.asarray(embed_texts(mentees), dtype=np.float64)
    return _features((a * b).sum(axis=1), mentors, mentees)


def same_probabilities(
    mentee_steps: Sequence[str], mentor_steps: Sequence[str], model: LinearModel | None = None
) -> Matrix:
    """P(same move) for every (mentee step, mentor step) pair: ``len(mentee) x len(mentor)``."""
    if not mentee_steps or not mentor_steps:
        return np.zeros((len(mentee_steps), len(mentor_steps)))
    model = model or load_model(MODEL)
    a = np.asarray(embed_texts(list(mentee_steps)), dtype=np.float64)
    b = np.asarray(embed_texts(list(mentor_steps)), dtype=np.float64)
    cosines = a @ b.T
    lefts = [m for m in mentee_steps for _ in mentor_steps]
    rights = [u for _ in mentee_steps for u in mentor_steps]
    features = _features(cosines.reshape(-1), rights, lefts)
    same = model.scores(features)[:, model.labels.index("same")]
    return np.asarray(same, dtype=np.float64).reshape(len(mentee_steps), len(mentor_steps))


def _read_rows() -> list[LabelledText]:
    rows: list[LabelledText] = []
    for line in (data_dir() / "training" / DATA).read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            text = f"{row['mentor_step']}{_SEP}{row['mentee_step']}"
            rows.append(LabelledText(text, "same" if row["same"] else "different", row["id"]))
    return rows


def dev_accuracy(rows: Sequence[LabelledText], features: Matrix, fit_args: dict[str, Any]) -> float:
    """Accuracy of 5-fold out-of-fold predictions at P(same) >= 0.5.

    Folds are drawn by mentor step, so no step is matched by a model that saw it.
    """
    classes = tuple(sorted({r.label for r in rows}))
    grouped = [LabelledText(r.text, r.label, r.text.partition(_SEP)[0]) for r in rows]
    out_of_fold = cross_validated_predictions(grouped, features, folds=5, **fit_args)
    said = [float(p[classes.index("same")]) >= SAME_AT for p in out_of_fold]
    return round(
        sum(s == (r.label == "same") for s, r in zip(said, rows, strict=True)) / len(rows), 4
    )


class StepsSpec(TrainingSpec):
    """The step matcher: rows are (mentor step, mentee step, same) triples."""

    def rows(self) -> list[LabelledText]:
        """Packed pairs."""
        return _read_rows()

    def extra_meta(self, rows: list[LabelledText], features: Matrix) -> dict[str, Any]:
        """The cross-validated accuracy ships in the metadata."""
        return {"cv_accuracy": dev_accuracy(rows, features, self.fit_args)}


STEPS_SPEC = StepsSpec(MODEL, (DATA,), featurise=pair_features, fit_args={"l2": 1e-4})
