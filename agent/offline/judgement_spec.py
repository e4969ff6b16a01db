"""Training spec of the judgement verdict: the fit and its cross-validated threshold.

Kept out of :mod:`agent.offline.judgement_model` so the engine does not import the trainer.
Rebuild with ``python -m agent.offline.train judgement``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from agent.offline.judgement_model import (
    CHAR_DIMENSIONS,
    CHAR_FIT_ARGS,
    CURVE,
    FIT_ARGS,
    JUDGEMENTAL,
    NAME,
    NGRAM_DIMENSIONS,
    TARGET_RECALL,
    blend,
    char_ngrams,
    char_probabilities,
    featurise,
    unshifted,
)
from agent.offline.judgement_target import FIT_ARGS as TARGET_FIT_ARGS
from agent.offline.judgement_target import HINGES, SHIFTED, TARGETS, hinged, target_features
from agent.offline.judgement_target import NAME as TARGET_NAME
from agent.offline.learned import (
    DECIMALS,
    LabelledText,
    LinearModel,
    Matrix,
    balanced_targets,
    cross_validated_predictions,
    data_dir,
    fit,
    fold_of,
    load_model,
    read_labelled,
    softmax,
)
from agent.offline.train import TrainingSpec


def pick_threshold(probabilities: Sequence[float], judgemental: Sequence[bool]) -> float:
    """The highest threshold (0.01 steps) whose recall on these predictions is TARGET_RECALL."""
    p = np.asarray(probabilities)
    positive = np.asarray(judgemental, dtype=bool)
    for step in range(99, 0, -1):
        threshold = step / 100
        if positive.any() and (p[positive] >= threshold).mean() >= TARGET_RECALL:
            return threshold
    return 0.5


def rates(
    probabilities: Sequence[float], judgemental: Sequence[bool], threshold: float
) -> dict[str, float]:
    """Recall on judgemental rows and false-alarm rate on curious ones at ``threshold``."""
    p = np.asarray(probabilities)
    positive = np.asarray(judgemental, dtype=bool)
    flagged = p >= threshold
    recall = float(flagged[positive].mean()) if positive.any() else 0.0
    false_alarms = float(flagged[~positive].mean()) if (~positive).any() else 0.0
    return {"recall": round(recall, 4), "false_alarms": round(false_alarms, 4)}


def fit_sparse(
    name: str,
    features: Matrix,
    labels: Sequence[str],
    classes: Sequence[str],
    *,
    l2: float,
    steps: int,
    learning_rate: float = 2.0,
    meta: dict[str, Any] | None = None,
) -> LinearModel:
    """:func:`agent.offline.learned.fit` (balanced, momentum 0.9, from zeros) on these features.

    The same full-batch gradient descent, but the hashed n-gram columns (the last
    ``2 * NGRAM_DIMENSIONS``, a few dozen non-zeros per row) are kept as index lists instead of
    a dense matrix, so a rebuild (5 CV fits and the final one on ~2,500 rows) takes a fraction
    of the time. Deterministic: no sampling, no random start.
    """
    x = np.asarray(features, dtype=np.float64)
    n, width = x.shape
    split = width - 2 * NGRAM_DIMENSIONS
    dense = np.ascontiguousarray(x[:, :split])
    rows_at, cols_at = np.nonzero(x[:, split:])
    values = x[:, split:][rows_at, cols_at]
    sparse_width = width - split
    k = len(classes)
    y, sample_weight = balanced_targets(labels, classes)
    wd = np.zeros((split, k))
    ws = np.zeros((sparse_width, k))
    b = np.zeros(k)
    vd, vs, vb = np.zeros_like(wd), np.zeros_like(ws), np.zeros_like(b)
    momentum = 0.9
    for _ in range(steps):
        gathered = values[:, None] * ws[cols_at]
        z = dense @ wd + b
        for c in range(k):
            z[:, c] += np.bincount(rows_at, weights=gathered[:, c], minlength=n)
        grad = (softmax(z) - y) * sample_weight[:, None]
        gd = dense.T @ grad + l2 * wd
        spread = values[:, None] * grad[rows_at]
        gs: Matrix = np.stack(
            [np.bincount(cols_at, weights=spread[:, c], minlength=sparse_width) for c in range(k)],
            axis=1,
        )
        gs = gs + l2 * ws
        gb = grad.sum(axis=0)
        vd = momentum * vd - learning_rate * gd
        vs = momentum * vs - learning_rate * gs
        vb = momentum * vb - learning_rate * gb
        wd, ws, b = wd + vd, ws + vs, b + vb
    model = LinearModel(name, tuple(classes), np.vstack([wd, ws]), b, dict(meta or {}))
    # Round-trip through JSON precision so a fresh fit equals the shipped file exactly.
    return LinearModel.from_json(model.to_json())


def fit_chars(
    texts: Sequence[str],
    judgemental: Sequence[bool],
    *,
    l2: float,
    steps: int,
    learning_rate: float,
) -> tuple[Matrix, float]:
    """The second view: a balanced logistic regression over :func:`char_ngrams`, from zeros.

    Full-batch gradient descent with momentum 0.9 on the sparse rows (deterministic).
    """
    rows, columns, values = char_ngrams(texts)
    n = len(texts)
    y = np.asarray(judgemental, dtype=np.float64)
    positives = max(float(y.sum()), 1.0)
    negatives = max(n - float(y.sum()), 1.0)
    sample_weight = np.where(y > 0, 0.5 / positives, 0.5 / negatives)
    w = np.zeros(CHAR_DIMENSIONS)
    b = 0.0
    vw, vb = np.zeros_like(w), 0.0
    for _ in range(steps):
        z = np.bincount(rows, weights=values * w[columns], minlength=n) + b
        grad = (1.0 / (1.0 + np.exp(-z)) - y) * sample_weight
        gw = np.bincount(columns, weights=values * grad[rows], minlength=CHAR_DIMENSIONS) + l2 * w
        vw = 0.9 * vw - learning_rate * gw
        vb = 0.9 * vb - learning_rate * float(grad.sum())
        w, b = w + vw, b + vb
    return np.round(w, DECIMALS), round(b, DECIMALS)


def chars_meta(texts: Sequence[str], judgemental: Sequence[bool]) -> dict[str, Any]:
    """The second view's fitted weights, as they ship in the model's meta."""
    w, b = fit_chars(texts, judgemental, **CHAR_FIT_ARGS)
    return {"bias": b, "weights": [float(x) for x in w]}


def cross_validated(
    rows: Sequence[LabelledText], features: Matrix, classes: Sequence[str], folds: int = 5
) -> list[float]:
    """Out-of-fold blended judgemental probability per row (each by models not fitted on it)."""
    column = list(classes).index(JUDGEMENTAL)
    out_of_fold = cross_validated_predictions(rows, features, folds, fitter=fit_sparse, **FIT_ARGS)
    main = np.array([float(p[column]) for p in out_of_fold])
    chars = np.zeros(len(rows))
    assignment = np.array([fold_of(row.id or row.text, folds) for row in rows])
    texts = [row.text for row in rows]
    positive = [row.label == JUDGEMENTAL for row in rows]
    for fold in range(folds):
        train = np.flatnonzero(assignment != fold)
        test = np.flatnonzero(assignment == fold)
        if not len(test):
            continue
        view = chars_meta([texts[i] for i in train], [positive[i] for i in train])
        probe = LinearModel(
            "cv", tuple(classes), np.zeros((1, len(classes))), np.zeros(2), {"chars": view}
        )
        chars[test] = char_probabilities(probe, [texts[i] for i in test])
    return [float(p) for p in blend(main, chars, texts)]


def fit_judgement(rows: Sequence[LabelledText], features: Matrix) -> LinearModel:
    """Fit both views on ``rows``; choose the threshold by 5-fold CV of the blend on them."""
    labels = [r.label for r in rows]
    classes = tuple(sorted(set(labels)))
    probabilities = cross_validated(rows, features, classes)
    positive = [label == JUDGEMENTAL for label in labels]
    threshold = pick_threshold(probabilities, positive)
    meta = {
        "rows": len(rows),
        "threshold": threshold,
        "cv": {"folds": 5, **rates(probabilities, positive, threshold)},
        "cv_curve": {f"{t:.2f}": rates(probabilities, positive, t) for t in CURVE},
        "chars": chars_meta([r.text for r in rows], positive),
    }
    return fit_sparse(NAME, features, labels, classes, meta=meta, **FIT_ARGS)


@dataclass(frozen=True)
class JudgementSpec(TrainingSpec):
    """The training spec whose fit also stores the cross-validated threshold."""

    def train(self) -> LinearModel:
        """Fit on every row; threshold and CV figures go into the meta."""
        rows = self.rows()
        model = fit_judgement(rows, self.featurise([r.text for r in rows]))
        model.meta["files"] = list(self.files)
        return LinearModel.from_json(model.to_json())


SPEC = JudgementSpec(
    name=NAME,
    files=("judgement.jsonl", "judgement_round11.jsonl", "judgement_round12.jsonl"),
    featurise=featurise,
    fit_args=FIT_ARGS,
)


# Rows the shipped verdict was not fitted on, whose verdict errors the target shift is learned
# from; the target model is not fitted on them either.
SHIFT_FILES = ("judgement_round13.jsonl", "judgement_round14.jsonl")
SHIFT_L2 = 1e-4


def pick_hinge(out_of_fold: Matrix, labels: Sequence[str]) -> float:
    """The lowest of HINGES over which no listener or third-party row's out-of-fold P is.

    P is the larger of P(speaker) and P(other): the hinge is the confidence the target model
    never reached, under 5-fold CV, on judgement aimed at someone (so recall keeps its rows).
    """
    sure = np.asarray(out_of_fold)[:, [TARGETS.index(t) for t in SHIFTED]].max(axis=1)
    aimed = np.isin(np.asarray(labels), ["listener", "third"])
    return next((h for h in HINGES if not (sure[aimed] > h).any()), HINGES[-1])


def fit_shift(
    verdict: Matrix, targets: Matrix, judgemental: Sequence[bool], hinge: float
) -> dict[str, float]:
    """Per-target log-odds shifts (speaker and other only, never upwards), balanced log loss.

    Full-batch gradient descent from zeros, projected after each step (deterministic).
    """
    p = np.clip(np.asarray(verdict, dtype=np.float64), 1e-6, 1 - 1e-6)
    logit = np.log(p / (1 - p))
    h = hinged(targets, hinge)
    y = np.asarray(judgemental, dtype=np.float64)
    weight = np.where(y > 0, 0.5 / max(y.sum(), 1.0), 0.5 / max(len(y) - y.sum(), 1.0))
    free = np.array([t in SHIFTED for t in TARGETS], dtype=np.float64)
    w = np.zeros(len(TARGETS))
    for _ in range(3000):
        grad = (1.0 / (1.0 + np.exp(-(logit + h @ w))) - y) * weight
        w = np.minimum(w - (h.T @ grad + SHIFT_L2 * w), 0.0) * free
    return {t: round(float(x), DECIMALS) for t, x in zip(TARGETS, w, strict=True) if x}


@dataclass(frozen=True)
class TargetSpec(TrainingSpec):
    """Who is judged: the target rows plus the verdict's judgemental rows as "listener"."""

    def rows(self) -> list[LabelledText]:
        """The target rows, then every judgemental verdict row outside the held-out fold 0.

        Fold 0 is left out so the ``judgement`` eval task still scores unseen rows.
        """
        listener = [
            LabelledText(r.text, "listener", r.id)
            for r in SPEC.rows()
            if r.label == JUDGEMENTAL and fold_of(r.id, 5) != 0
        ]
        return super().rows() + listener

    def train(self) -> LinearModel:
        """Fit the target softmax, its hinge by 5-fold CV, then the shift on held-out rows.

        Neither the verdict nor the target model was fitted on the shift's rows.
        """
        rows = self.rows()
        features = self.featurise([r.text for r in rows])
        labels = [r.label for r in rows]
        out_of_fold = np.array(cross_validated_predictions(rows, features, 5, **self.fit_args))
        hinge = pick_hinge(out_of_fold, labels)
        model = fit(self.name, features, labels, classes=TARGETS, **self.fit_args)
        held = [r for f in SHIFT_FILES for r in read_labelled(data_dir() / "training" / f)]
        texts = [r.text for r in held]
        targets = model.scores(self.featurise(texts))
        verdict = unshifted(load_model(NAME), texts)
        model.meta.update(
            rows=len(rows),
            files=list(self.files),
            hinge=hinge,
            shift=fit_shift(verdict, targets, [r.label == JUDGEMENTAL for r in held], hinge),
            shift_files=list(SHIFT_FILES),
        )
        return LinearModel.from_json(model.to_json())


TARGET_SPEC = TargetSpec(
    name=TARGET_NAME,
    files=("judgement_target.jsonl",),
    featurise=target_features,
    fit_args=TARGET_FIT_ARGS,
)
