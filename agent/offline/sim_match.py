"""Do a mentee's step and a mentor's step mean the same move? A small learned matcher.

Features of a pair: the MiniLM cosine, the share and number of shared content words, and the
cosine of what each step says that the other does not ("roll back" against "push a fix
forward" once the shared topic is removed). A logistic model fitted on
``training/sim_steps.jsonl`` (rebuild: ``python -m agent.offline.train sim_steps``) gives
P(same): >= 0.5 is a similarity, between :data:`PARTIAL_AT` and 0.5 the same point handled
differently.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from agent.offline.learned import (
    PAIR_SEP,
    LabelledText,
    LinearModel,
    Matrix,
    cross_validated_predictions,
    load_model,
    training_rows,
)
from agent.offline.sim_text import GENERIC_STEMS, term_set, words
from agent.offline.train import TrainingSpec
from knowledge.minilm import embed_texts

__all__ = ["STEPS_SPEC", "pair_features", "same_probabilities"]

MODEL = "sim_steps"
DATA = "sim_steps.jsonl"
SAME_AT = 0.5
PARTIAL_AT = 0.25


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
        # The share of the mentee's content words the mentor's step also uses, and their number.
        theirs, mine = term_set(a) - GENERIC_STEMS, term_set(b) - GENERIC_STEMS
        shared = mine & theirs
        contained = len(shared) / len(mine) if mine else 0.0
        rows.append([float(cosine), contained, min(len(shared), 4) / 4.0, float(rest)])
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), _WIDTH)


def pair_features(texts: Sequence[str]) -> Matrix:
    """Features of packed "mentor <SEP> mentee" texts (see the module docstring)."""
    pairs = [t.partition(PAIR_SEP) for t in texts]
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


class StepsSpec(TrainingSpec):
    """The step matcher: rows are (mentor step, mentee step, same) triples."""

    def rows(self) -> list[LabelledText]:
        """Packed "mentor <SEP> mentee" pairs."""
        return [
            LabelledText(
                f"{r['mentor_step']}{PAIR_SEP}{r['mentee_step']}",
                "same" if r["same"] else "different",
                r["id"],
            )
            for r in training_rows(DATA)
        ]

    def extra_meta(self, rows: list[LabelledText], features: Matrix) -> dict[str, Any]:
        """The accuracy of 5-fold out-of-fold predictions at P(same) >= 0.5.

        Folds are drawn by mentor step, so no step is matched by a model that saw it.
        """
        classes = tuple(sorted({r.label for r in rows}))
        grouped = [LabelledText(r.text, r.label, r.text.partition(PAIR_SEP)[0]) for r in rows]
        out_of_fold = cross_validated_predictions(grouped, features, folds=5, **self.fit_args)
        said = [float(p[classes.index("same")]) >= SAME_AT for p in out_of_fold]
        right = sum(s == (r.label == "same") for s, r in zip(said, rows, strict=True))
        return {"cv_accuracy": round(right / len(rows), 4)}


STEPS_SPEC = StepsSpec(MODEL, (DATA,), featurise=pair_features, fit_args={"l2": 1e-4})
