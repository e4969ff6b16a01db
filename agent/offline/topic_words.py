"""Whether a word continues a noun phrase, read in its sentence (a learned model).

"Why the reserved instances expire" and "the instance expiry report" differ only in what the
word after the noun is doing there; word lists cannot tell, the sentence can. For each token, a
logistic regression over the MiniLM contextual states of the token and its two neighbours
(:func:`knowledge.minilm.word_states`) gives the probability that it is part of a noun phrase.
Fitted on ``agent/data/training/topic_words.txt`` (sentences with their noun phrases in
brackets); ``python -m agent.offline.train topic_words`` rebuilds it, and its meta holds the
accuracy on sentences held out of a trial fit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from agent.offline.learned import (
    LabelledText,
    LinearModel,
    Matrix,
    fit,
    fold_of,
    load_model,
    sentence_rows,
    state_features,
    training_lines,
)
from agent.offline.train import TrainingSpec

__all__ = ["TOKEN", "TOPIC_WORDS_SPEC", "in_noun_phrase", "noun_probabilities"]

TRAINING_FILE = "topic_words.txt"
LABELS = ("noun", "other")
SCALE = 0.1  # word states have a norm of about 6; the fit's fixed step size suits them scaled
FOLDS = 5  # fold 0 of the sentences is held out of the trial fit for the reported accuracy
# The phrases' own tokens ("ur", "1:1s", "A/B", "?!"), so a state lines up with its token.
TOKEN = re.compile(
    r"\d+:\d+s?|[A-Za-z0-9][A-Za-z0-9'’+#./-]*[A-Za-z0-9+#]|[A-Za-z0-9]|[^\sA-Za-z0-9]"
)


def features(tokens: Sequence[str]) -> Matrix:
    """Per token: its MiniLM state, the previous and the next token's (zeros at the edges)."""
    return state_features(tokens, (0, -1, 1), SCALE)


def labelled(sentence: str) -> tuple[list[str], list[str]]:
    """The tokens of a bracketed training sentence and, per token, "noun" or "other"."""
    tokens: list[str] = []
    labels: list[str] = []
    for n, part in enumerate(re.split(r"[\[\]]", sentence)):
        said = TOKEN.findall(part)
        tokens += said
        labels += [LABELS[n % 2 == 0]] * len(said)
    return tokens, labels


def sentences() -> list[str]:
    """The training sentences (blank lines and ``#`` comments skipped)."""
    return training_lines(TRAINING_FILE)


def _rows(texts: Sequence[str]) -> tuple[Matrix, list[str]]:
    pairs = [labelled(t) for t in texts]
    return np.vstack([features(tokens) for tokens, _ in pairs]), [y for _, ys in pairs for y in ys]


@dataclass(frozen=True)
class TopicWordsSpec(TrainingSpec):
    """Rows are the tokens of the bracketed sentences, not lines of a JSONL file."""

    def rows(self) -> list[LabelledText]:
        """One row per training sentence."""
        return sentence_rows(sentences())

    def train(self) -> LinearModel:
        """Fit on every sentence; the accuracy in meta comes from held-out sentences."""
        texts = [row.text for row in self.rows()]
        held = [t for t in texts if fold_of(t, FOLDS) == 0]
        x, y = _rows([t for t in texts if fold_of(t, FOLDS) != 0])
        trial = fit(self.name, x, y, classes=LABELS, **self.fit_args)
        hx, hy = _rows(held)
        said = [LABELS[int(i)] for i in trial.scores(hx).argmax(axis=1)]
        accuracy = float(np.mean([a == b for a, b in zip(said, hy, strict=True)]))
        x, y = _rows(texts)
        meta = {
            "rows": len(y),
            "sentences": len(texts),
            "files": list(self.files),
            "heldout_sentences": len(held),
            "heldout_accuracy": round(accuracy, 3),
        }
        return fit(self.name, x, y, classes=LABELS, meta=meta, **self.fit_args)


TOPIC_WORDS_SPEC = TopicWordsSpec(
    "topic_words", (TRAINING_FILE,), fit_args={"l2": 1e-4, "steps": 3000, "learning_rate": 1.0}
)


@cache
def _probabilities(tokens: tuple[str, ...]) -> tuple[float, ...]:
    model = load_model(TOPIC_WORDS_SPEC.name)
    return tuple(map(float, model.scores(features(tokens))[:, 0]))


def in_noun_phrase(tokens: Sequence[str], index: int, bar: float = 0.5) -> bool:
    """Whether ``tokens[index]`` is part of a noun phrase in the sentence ``tokens`` make."""
    return _probabilities(tuple(tokens))[index] >= bar


def noun_probabilities(tokens: Sequence[str]) -> tuple[float, ...]:
    """Per token, the probability that it is part of a noun phrase in its sentence."""
    return _probabilities(tuple(tokens))
