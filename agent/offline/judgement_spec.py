"""Training spec of the judgement verdict: the fit and its cross-validated threshold.

Kept out of :mod:`agent.offline.judgement_model` so the engine does not import the trainer.
Rebuild with ``python -m agent.offline.train judgement``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from agent.offline.judgement_model import (
    CURVE,
    FIT_ARGS,
    JUDGEMENTAL,
    NAME,
    TARGET_RECALL,
    featurise,
)
from agent.offline.learned import (
    LabelledText,
    LinearModel,
    Matrix,
    cross_validated_predictions,
    fit,
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


def fit_judgement(rows: Sequence[LabelledText], features: Matrix) -> LinearModel:
    """Fit on ``rows`` and choose the threshold by 5-fold cross-validation on the same rows."""
    labels = [r.label for r in rows]
    oof = cross_validated_predictions(rows, features, folds=5, **FIT_ARGS)
    classes = tuple(sorted(set(labels)))
    column = classes.index(JUDGEMENTAL)
    probabilities = [float(p[column]) for p in oof]
    positive = [label == JUDGEMENTAL for label in labels]
    threshold = pick_threshold(probabilities, positive)
    meta = {
        "rows": len(rows),
        "threshold": threshold,
        "cv": {"folds": 5, **rates(probabilities, positive, threshold)},
        "cv_curve": {f"{t:.2f}": rates(probabilities, positive, t) for t in CURVE},
    }
    return fit(NAME, features, labels, classes=classes, meta=meta, **FIT_ARGS)


@dataclass(frozen=True)
class JudgementSpec(TrainingSpec):
    """The training spec whose fit also stores the cross-validated threshold."""

    def train(self) -> LinearModel:
        """Fit on every row; threshold and CV figures go into the meta."""
        rows = self.rows()
        model = fit_judgement(rows, self.featurise([r.text for r in rows]))
        model.meta["files"] = list(self.files)
        return LinearModel.from_json(model.to_json())


SPEC = JudgementSpec(name=NAME, files=("judgement.jsonl",), featurise=featurise, fit_args=FIT_ARGS)
