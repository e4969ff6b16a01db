"""Who a sentence judges: the listener, the speaker, a third party, or nobody (learned).

The verdict model reads harsh words as judgement whoever they are aimed at, so a mentee's
self-criticism ("I'm so lazy") or a judgement they report ("My lead said my code is sloppy")
was flagged as if the speaker judged the listener. This small softmax (MiniLM vector of the
text, hashed word 1-3-grams of the text and of its skeleton, where the pronouns survive) is
fitted on ``judgement_target.jsonl`` plus the verdict's judgemental rows, which are by
definition aimed at the listener. Its confident "speaker" and "other" probabilities lower the
verdict's log-odds by weights learned on rows the verdict was not fitted on
(:func:`agent.offline.judgement_spec.fit_target`). Rebuild with
``python -m agent.offline.train judgement_target``; docs/EVALS.md has the figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from agent.offline.judgement_model import hashed_ngrams, skeleton
from agent.offline.learned import Matrix, embed, load_model

NAME = "judgement_target"
# "third": the speaker judges someone who is not in the conversation (judgement all the same);
# "other": someone else's judgement the speaker reports or quotes.
TARGETS = ("listener", "none", "other", "speaker", "third")
# Targets whose confident probability may lower the verdict (self-criticism, reported judgement).
SHIFTED = ("other", "speaker")
# Only a confident "speaker" or "other" moves the verdict: P is read as (P - h) / (1 - h), floored
# at 0, where the hinge h (in the model's meta) is the lowest of HINGES at which no listener or
# third-party row of the training data is, out of fold, that sure of "speaker" or "other".
HINGES = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
DIMENSIONS = 1024
FIT_ARGS: dict[str, Any] = {"l2": 1e-3, "steps": 1000}


def target_features(texts: Sequence[str], vectors: Matrix | None = None) -> Matrix:
    """MiniLM vector, hashed n-grams of the skeleton and of the text, per text."""
    if vectors is None:
        vectors = embed(list(texts))
    return np.hstack(
        [
            vectors,
            hashed_ngrams([skeleton(t) for t in texts], DIMENSIONS),
            hashed_ngrams(texts, DIMENSIONS),
        ]
    )


def hinged(probabilities: Matrix, hinge: float) -> Matrix:
    """Target probabilities above ``hinge``, rescaled to 0-1."""
    out: Matrix = np.clip((probabilities - hinge) / (1 - hinge), 0.0, 1.0)
    return out


def shifted(probabilities: Matrix, texts: Sequence[str], vectors: Matrix | None = None) -> Matrix:
    """Judgemental ``probabilities`` of ``texts`` with the learned target shift applied."""
    model = load_model(NAME)
    shift = np.array([float(model.meta["shift"].get(t, 0.0)) for t in model.labels])
    p = np.clip(np.asarray(probabilities, dtype=np.float64), 1e-6, 1 - 1e-6)
    z = (
        np.log(p / (1 - p))
        + hinged(model.scores(target_features(texts, vectors)), float(model.meta["hinge"])) @ shift
    )
    out: Matrix = 1.0 / (1.0 + np.exp(-z))
    return out
