"""The learned judgement verdict: features, the two views' blend and the decision.

The main view is a softmax over the MiniLM vectors of a text and of its *skeleton* (content
words replaced by "something": the tone without the topic), seven surface cues, one 0/1 per
kind of listed blame phrase (the list explains; the classifier weighs it) and hashed word
1-3-grams of text and skeleton. The second view, a logistic regression over hashed character
2-5-grams and word 1-2-grams, weighs up to :data:`CHAR_WEIGHT`, ramped in by a text's n-gram
count (:data:`CHAR_RAMP`). The threshold is the highest whose 5-fold cross-validated recall of
the blend is :data:`TARGET_RECALL`. Rebuild with ``python -m agent.offline.train judgement``
(the spec is :mod:`agent.offline.judgement_spec`); docs/EVALS.md has the figures.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from typing import Any, get_args

import numpy as np

from agent.offline.learned import (
    LinearModel,
    Matrix,
    embed,
    load_model,
)

NAME = "judgement"
JUDGEMENTAL = "judgemental"
TARGET_RECALL = 0.9
CURVE = (0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7)
NGRAM_DIMENSIONS = 2048
FIT_ARGS: dict[str, Any] = {"l2": 3e-4, "steps": 1000}
CHAR_DIMENSIONS = 8192
CHAR_WEIGHT = 0.3
# The second view's weight ramps from 0 to CHAR_WEIGHT between these numbers of distinct
# n-grams: a short text has few, each weighing much in a unit row, so it is the main model's.
CHAR_RAMP = (80, 120)
CHAR_FIT_ARGS: dict[str, Any] = {"l2": 1e-5, "steps": 1500, "learning_rate": 10.0}

# Words the skeleton keeps: function words plus the few that carry tone whatever the topic.
_KEEP = frozenset(
    """a an the i you u ya your ur yourself you're youre we us our me my he she they them it its
    this that these those is are was were be been being am do does did done have has had can
    could will would shall should may might must not no never always ever again even really just
    only still already yet so too very actually honestly seriously clearly obviously obvious
    surely what why how who whom whose which where when whether if or and but because since until
    while for to of in on at by with without about there here any some every all each more most
    much many another other same such own isn't aren't wasn't weren't don't doesn't didn't
    haven't hasn't hadn't can't couldn't won't wouldn't shouldn't okay ok fine good great nice
    idea right wrong think thought know knew supposed going gonna try trying bother please let's
    thanks thank sorry excuse excuses point fault wow lol come on time once""".split()
)
_TOKEN = re.compile(r"[\w']+|[?!.,]")
_CUES = tuple(
    re.compile(p)
    for p in (
        r"\b(?:you|u|ya|your|ur|yourself|you're|youre)\b",
        r"\b(?:even|really|seriously|actually|honestly|clearly|obviously|surely)\b",
        r"\b(?:always|never|ever|again|agian|every time|for once)\b",
        r"\?\?|!",
        r"^(?:isn't|aren't|don't|didn't|wasn't|shouldn't|wouldn't|haven't|can't)\b",
        r"\b(?:what|how|which|where|when|who)\b",
        r"\b(?:we|us|our|let's|together|help)\b",
    )
)


def _lower(text: str) -> str:
    return text.lower().replace("’", "'")


def skeleton(text: str) -> str:
    """``text`` lowercased with content words replaced by "something" (the tone, not the topic)."""
    tokens = _TOKEN.findall(_lower(text))
    return " ".join(t if t in _KEEP or not t[0].isalpha() else "something" for t in tokens)


def cues(texts: Sequence[str]) -> Matrix:
    """The seven 0/1 surface cues, then one 0/1 per kind of listed blame phrase, per text."""
    from agent.offline.judgement import MarkerKind, marker_kinds, normalise

    kinds = get_args(MarkerKind)
    rows = []
    for text in texts:
        low = normalise(text)
        found = set(marker_kinds(text))
        surface = [float(bool(c.search(low))) for c in _CUES]
        rows.append(surface + [float(k in found) for k in kinds])
    return np.array(rows).reshape(len(texts), len(_CUES) + len(kinds))


def hashed_ngrams(texts: Sequence[str], dimensions: int = NGRAM_DIMENSIONS) -> Matrix:
    """Word 1-3-grams of each text (with start and end marks) hashed into 0/1 columns; unit rows."""
    out = np.zeros((len(texts), dimensions))
    for row, text in enumerate(texts):
        tokens = ["<s>", *_TOKEN.findall(_lower(text)), "</s>"]
        for n in (1, 2, 3):
            for i in range(len(tokens) - n + 1):
                out[row, zlib.crc32(" ".join(tokens[i : i + n]).encode()) % dimensions] = 1.0
        out[row] /= max(float(np.linalg.norm(out[row])), 1.0)
    return out


def char_ngrams(
    texts: Sequence[str], dimensions: int = CHAR_DIMENSIONS
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], Matrix]:
    """Hashed character 2-5-grams and word 1-2-grams per text, as (row, column, value) lists.

    Sparse because a fit sees thousands of rows of ~180 non-zeros each; values make each row
    unit length.
    """
    rows: list[int] = []
    columns: list[int] = []
    for row, text in enumerate(texts):
        low = _lower(text)
        padded = f" {' '.join(low.split())} "
        grams = {"c" + padded[i : i + n] for n in range(2, 6) for i in range(len(padded) - n + 1)}
        tokens = ["<s>", *_TOKEN.findall(low), "</s>"]
        grams |= {
            "w" + " ".join(tokens[i : i + n]) for n in (1, 2) for i in range(len(tokens) - n + 1)
        }
        found = sorted({zlib.crc32(g.encode()) % dimensions for g in grams})
        rows += [row] * len(found)
        columns += found
    at = np.array(rows, dtype=np.int64)
    counts = np.bincount(at, minlength=len(texts)).astype(np.float64)
    return at, np.array(columns, dtype=np.int64), 1.0 / np.sqrt(counts[at])


def char_probabilities(model: LinearModel, texts: Sequence[str]) -> Matrix:
    """The second view's judgemental probability per text (weights in ``model.meta``)."""
    view = model.meta["chars"]
    weights = np.asarray(view["weights"], dtype=np.float64)
    rows, columns, values = char_ngrams(texts, len(weights))
    z = np.bincount(rows, weights=values * weights[columns], minlength=len(texts))
    out: Matrix = 1.0 / (1.0 + np.exp(-(z + float(view["bias"]))))
    return out


def judgemental_probabilities(model: LinearModel, texts: Sequence[str]) -> Matrix:
    """``model``'s judgemental probability per text, shifted by who the text judges."""
    from agent.offline.judgement_target import shifted

    features = featurise(texts)
    # featurise: text vectors, skeleton vectors (same width), cues, two n-gram blocks.
    width = (features.shape[1] - 2 * NGRAM_DIMENSIONS - cues([""]).shape[1]) // 2
    return shifted(unshifted(model, texts, features), texts, features[:, :width])


def unshifted(model: LinearModel, texts: Sequence[str], features: Matrix | None = None) -> Matrix:
    """The main classifier blended with the second view, before the target shift."""
    if features is None:
        features = featurise(texts)
    main = model.scores(features)[:, model.labels.index(JUDGEMENTAL)]
    return blend(main, char_probabilities(model, texts), texts)


def blend(main: Matrix, chars: Matrix, texts: Sequence[str]) -> Matrix:
    """Both views mixed; the second weighs :data:`CHAR_WEIGHT` ramped in by n-gram count."""
    counts = np.bincount(char_ngrams(texts)[0], minlength=len(texts)).astype(np.float64)
    low, high = CHAR_RAMP
    weight = CHAR_WEIGHT * np.clip((counts - low) / (high - low), 0.0, 1.0)
    out: Matrix = (1 - weight) * main + weight * chars
    return out


def featurise(texts: Sequence[str]) -> Matrix:
    """Text vector, skeleton vector, cues and phrase kinds, hashed n-grams of text and skeleton."""
    skeletons = [skeleton(t) for t in texts]
    vectors = embed(list(texts) + skeletons)
    half = len(texts)
    return np.hstack(
        [
            vectors[:half],
            vectors[half:],
            cues(texts),
            hashed_ngrams(texts),
            hashed_ngrams(skeletons),
        ]
    )


def probabilities(texts: Sequence[str]) -> list[float]:
    """The shipped model's judgemental probability per text."""
    if not texts:
        return []
    return [float(p) for p in judgemental_probabilities(load_model(NAME), texts)]


def decision_threshold() -> float:
    """The cross-validated threshold stored with the shipped weights."""
    return float(load_model(NAME).meta["threshold"])


_SENTENCE = re.compile(r"[^.?!…]+(?:[.?!…]+|$)")
_WORD = re.compile(r"[^\W_]")
_WORDS = re.compile(r"[\w']+")


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` (the verdict is per sentence: one reproach flags the whole).

    One-word sentences ("Really?", "Again.") are read with the next sentence, or the one before
    at the end: the rows teach such words inside a text, and alone "Really?" reads as a jab.
    """
    found = [m.group().strip() for m in _SENTENCE.finditer(text) if re.search(r"\w", m.group())]
    out: list[str] = []
    carry = ""
    for i, sentence in enumerate(found):
        if len(found) > 1 and len(_WORDS.findall(sentence)) <= 1:
            if out and i == len(found) - 1:
                out[-1] += " " + sentence
            else:
                carry = f"{carry} {sentence}".strip()
            continue
        out.append(f"{carry} {sentence}".strip())
        carry = ""
    return out + [carry] * bool(carry) or [text.strip()]


def utterance_score(text: str) -> float:
    """The judgemental probability of the most judgemental sentence of ``text``."""
    return max(probabilities(sentences(text)), default=0.0)


def is_judgemental_utterance(text: str) -> bool:
    """The learned verdict on something a person says (the text a user asks to reframe).

    Listed phrases are features the classifier weighs, and the explanation shown to the user,
    but not the verdict. Engine-written text (rationales, agenda lines) is not an utterance and
    stays with the phrase detector, which the classifier was not fitted to. Text with no word
    in it ("?", "...", "!!!", an emoji) says nothing to judge: never judgemental, never scored.
    """
    return bool(_WORD.search(text)) and utterance_score(text) >= decision_threshold()
