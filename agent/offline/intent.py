"""Intent classification for free chat text: a small learned model over the MiniLM vectors.

Fitted on chat lines labelled with the capability they ask for
(``agent/data/training/intents.jsonl``; rebuild: ``python -m agent.offline.train intents``).
A line the model reads as off topic but that judges someone is most likely something to
reframe.
"""

from __future__ import annotations

from typing import cast

from agent.offline.judgement import detect_markers
from agent.offline.learned import load_model
from agent.offline.train import TrainingSpec
from agent.state import Intent

__all__ = ["INTENT_SPEC", "classify_intent"]

INTENT_SPEC = TrainingSpec("intents", ("intents.jsonl",))


def classify_intent(text: str) -> Intent:
    """The capability free text asks for; ``other`` when it is not about mentoring."""
    if not text.strip():
        return "other"
    intent = cast(Intent, load_model("intents").predict([text])[0])
    return "reframe" if intent == "other" and detect_markers(text) else intent
