"""Intent classification for free chat text: a small learned model over the MiniLM vectors.

Fitted on chat lines labelled with the capability they ask for
(``agent/data/training/intents.jsonl``; rebuild: ``python -m agent.offline.train intents``).
A line the model reads as off topic but that judges someone is most likely something to
reframe.
"""

from __future__ import annotations

from typing import Any, cast

from agent.offline.judgement import detect_markers
from agent.offline.learned import LabelledText, Matrix, cross_validated_predictions, load_model
from agent.offline.train import TrainingSpec
from agent.state import Intent

__all__ = ["INTENT_SPEC", "classify_intent"]


class IntentSpec(TrainingSpec):
    """The intent model, shipped with its 5-fold cross-validated accuracy."""

    def extra_meta(self, rows: list[LabelledText], features: Matrix) -> dict[str, Any]:
        """Out-of-fold accuracy: each row predicted by a model not fitted on it."""
        classes = sorted({r.label for r in rows})
        out_of_fold = cross_validated_predictions(rows, features, folds=5, **self.fit_args)
        right = sum(
            classes[int(p.argmax())] == r.label for p, r in zip(out_of_fold, rows, strict=True)
        )
        return {"cv_accuracy": round(right / len(rows), 4)}


INTENT_SPEC = IntentSpec("intents", ("intents.jsonl",))


def classify_intent(text: str) -> Intent:
    """The capability free text asks for; ``other`` when it is not about mentoring."""
    if not text.strip():
        return "other"
    intent = cast(Intent, load_model("intents").predict([text])[0])
    return "reframe" if intent == "other" and detect_markers(text) else intent
