"""Small learned components over the local MiniLM embeddings.

A :class:`LinearModel` is a softmax (multinomial logistic) classifier over sentence vectors,
trained deterministically with numpy (full-batch gradient descent from zeros, fixed steps), so
one command rebuilds exactly the weights that ship: ``python -m agent.offline.train``. Weights
live as small JSON files under ``agent/data/models/``; labelled data under
``agent/data/training/`` as JSONL rows ``{"text": ..., "label": ...}``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

Matrix = np.ndarray[Any, np.dtype[np.float64]]
Featuriser = Callable[[Sequence[str]], Matrix]
DECIMALS = 6
PAIR_SEP = "\n\u241e\n"  # packs two texts (a situation and an answer, two steps) into one row


def data_dir() -> Path:
    """``agent/data`` (package data: training rows and fitted weights)."""
    return Path(str(resources.files("agent") / "data"))


@cache
def word_list(name: str) -> frozenset[str]:
    """A word list of ``agent/data/word_lists.json`` ("module.list": lexical data, not rules)."""
    lists: dict[str, list[str]] = json.loads((data_dir() / "word_lists.json").read_text("utf-8"))
    return frozenset(lists[name])


def embed(texts: Sequence[str]) -> Matrix:
    """Unit-length MiniLM vectors as float64 rows (the default features)."""
    from knowledge.minilm import embed_texts

    return np.asarray(embed_texts(list(texts)), dtype=np.float64)


@dataclass(frozen=True)
class LabelledText:
    """One training or evaluation row."""

    text: str
    label: str
    id: str = ""


def training_rows(name: str) -> list[dict[str, Any]]:
    """The JSON rows of ``agent/data/training/<name>``."""
    lines = (data_dir() / "training" / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def training_lines(name: str) -> list[str]:
    """The lines of ``training/<name>`` (blank lines and ``#`` comments skipped)."""
    text = (data_dir() / "training" / name).read_text(encoding="utf-8")
    return [s.strip() for s in text.splitlines() if s.strip() and not s.startswith("#")]


def sentence_rows(lines: Sequence[str]) -> list[LabelledText]:
    """A plain-text training file's sentences as rows, numbered from 1."""
    return [LabelledText(s, "sentence", str(i)) for i, s in enumerate(lines, 1)]


def state_features(words: Sequence[str], offsets: Sequence[int], scale: float) -> Matrix:
    """Per word: the scaled MiniLM states of the words ``offsets`` away (zeros past the ends)."""
    from knowledge.minilm import word_states

    if not words:
        return np.zeros((0, len(offsets) * 384))
    _, states = word_states(" ".join(words))
    x = scale * np.asarray(states, dtype=np.float64)
    k, n = max(map(abs, offsets)), x.shape[0]
    padded = np.vstack([np.zeros((k, x.shape[1])), x, np.zeros((k, x.shape[1]))])
    return np.hstack([padded[k + o : k + o + n] for o in offsets])


def read_labelled(path: Path) -> list[LabelledText]:
    """Rows of a JSONL file with ``text`` and ``label`` (and an optional ``id``)."""
    lines = enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
    rows = [(number, json.loads(line)) for number, line in lines if line.strip()]
    return [LabelledText(str(r["text"]), str(r["label"]), str(r.get("id", n))) for n, r in rows]


@dataclass(frozen=True)
class LinearModel:
    """A fitted softmax classifier: ``probabilities = softmax(features @ weights + bias)``."""

    name: str
    labels: tuple[str, ...]
    weights: Matrix  # (dimensions, len(labels))
    bias: Matrix  # (len(labels),)
    meta: dict[str, Any] = field(default_factory=dict)

    def scores(self, features: Matrix) -> Matrix:
        """Class probabilities for rows of features."""
        return softmax(features @ self.weights + self.bias)

    def probabilities(self, texts: Sequence[str], featurise: Featuriser = embed) -> Matrix:
        """Class probabilities for ``texts`` (rows follow ``self.labels``)."""
        if not texts:
            return np.zeros((0, len(self.labels)))
        return self.scores(featurise(texts))

    def predict(self, texts: Sequence[str], featurise: Featuriser = embed) -> list[str]:
        """The most probable label of each text."""
        return [self.labels[int(i)] for i in self.probabilities(texts, featurise).argmax(axis=1)]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict; floats rounded so a rebuild compares exactly."""
        return {
            "name": self.name,
            "labels": list(self.labels),
            "meta": self.meta,
            "bias": [round(float(b), DECIMALS) for b in self.bias],
            "weights": [[round(float(w), DECIMALS) for w in row] for row in self.weights],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LinearModel:
        """Inverse of :meth:`to_json`."""
        return cls(
            name=str(data["name"]),
            labels=tuple(str(label) for label in data["labels"]),
            weights=np.asarray(data["weights"], dtype=np.float64),
            bias=np.asarray(data["bias"], dtype=np.float64),
            meta=dict(data.get("meta", {})),
        )


def softmax(z: Matrix) -> Matrix:
    """Row-wise softmax, shifted by each row's maximum so it never overflows."""
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    out: Matrix = e / e.sum(axis=1, keepdims=True)
    return out


def balanced_targets(labels: Sequence[str], classes: Sequence[str]) -> tuple[Matrix, Matrix]:
    """One-hot targets and per-row weights: each class weighted by its inverse frequency."""
    index = {label: i for i, label in enumerate(classes)}
    y = np.zeros((len(labels), len(classes)))
    for row, label in enumerate(labels):
        y[row, index[label]] = 1.0
    counts = y.sum(axis=0)
    class_weight = np.where(counts > 0, len(labels) / (len(classes) * np.maximum(counts, 1)), 0)
    sample_weight: Matrix = (y * class_weight).sum(axis=1) / len(labels)
    return y, sample_weight


def fit(
    name: str,
    features: Matrix,
    labels: Sequence[str],
    *,
    classes: Sequence[str] | None = None,
    l2: float = 1e-3,
    steps: int = 3000,
    learning_rate: float = 2.0,
    meta: dict[str, Any] | None = None,
    offset: Matrix | None = None,
) -> LinearModel:
    """Fit a softmax classifier by full-batch gradient descent with momentum, from zeros.

    Deterministic (the same rows give the same weights); classes weighted by inverse frequency.
    With ``offset`` (fixed per-row scores, e.g. another model's) only weights on top of it are
    fitted, with no bias.
    """
    order = tuple(classes) if classes else tuple(sorted(set(labels)))
    y, sample_weight = balanced_targets(labels, order)
    x = np.asarray(features, dtype=np.float64)
    w = np.zeros((x.shape[1], len(order)))
    b = np.zeros(len(order))
    vw = np.zeros_like(w)
    vb = np.zeros_like(b)
    momentum = 0.9
    fixed = np.zeros((x.shape[0], len(order))) if offset is None else offset
    for _ in range(steps):
        p = softmax(x @ w + b + fixed)
        grad = (p - y) * sample_weight[:, None]
        gw = x.T @ grad + l2 * w
        gb = grad.sum(axis=0)
        vw = momentum * vw - learning_rate * gw
        vb = momentum * vb - learning_rate * gb * (offset is None)
        w = w + vw
        b = b + vb
    model = LinearModel(name, order, w, b, dict(meta or {}))
    # Round-trip through JSON precision so a fresh fit equals the shipped file exactly.
    return LinearModel.from_json(model.to_json())


def fold_of(key: str, folds: int) -> int:
    """A stable fold number for a row id (for cross-validation that does not depend on order)."""
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % folds


def cross_validated_predictions(
    rows: Sequence[LabelledText],
    features: Matrix,
    folds: int = 5,
    fitter: Callable[..., LinearModel] | None = None,
    **fit_args: Any,
) -> list[Matrix]:
    """Out-of-fold class probabilities per row (each row predicted by a model not fitted on it).

    ``fitter`` is :func:`fit` unless a model fits its features another way (the judgement
    model's sparse n-gram fit); it is called as ``fitter(name, x, labels, classes=..., **args)``.
    """
    classes = tuple(sorted({row.label for row in rows}))
    out: list[Matrix] = [np.zeros(len(classes)) for _ in rows]
    assignment = [fold_of(row.id or row.text, folds) for row in rows]
    for fold in range(folds):
        train = [i for i, f in enumerate(assignment) if f != fold]
        test = [i for i, f in enumerate(assignment) if f == fold]
        if not test:
            continue
        model = (fitter or fit)(
            "cv", features[train], [rows[i].label for i in train], classes=classes, **fit_args
        )
        probs = model.scores(features[test])
        for i, p in zip(test, probs, strict=True):
            out[i] = p
    return out


def model_path(name: str) -> Path:
    """Where the weights of model ``name`` ship."""
    return data_dir() / "models" / f"{name}.json"


@cache
def load_model(name: str) -> LinearModel:
    """The shipped model ``name`` (read once per process)."""
    path = model_path(name)
    if not path.exists():
        raise FileNotFoundError(
            f"model {name!r} is missing: rebuild it with 'python -m agent.offline.train {name}'"
        )
    return LinearModel.from_json(json.loads(path.read_text(encoding="utf-8")))


def _texts_key(texts: Sequence[str]) -> str:
    return hashlib.sha256("\x1f".join(texts).encode()).hexdigest()


def vectors_path(name: str) -> Path:
    """Where the precomputed vectors of the shipped texts ``name`` live."""
    return data_dir() / "models" / f"{name}.vectors.npz"


def shipped_vectors(name: str, texts: Sequence[str]) -> Matrix:
    """Unit MiniLM vectors of shipped ``texts`` (a question bank), precomputed when they match.

    Embedding hundreds of texts costs seconds per process; stale vectors are embedded now.
    """
    path = vectors_path(name)
    if path.exists():
        with np.load(path) as data:
            if str(data["key"]) == _texts_key(texts):
                return np.asarray(data["vectors"], dtype=np.float64)
    return embed(texts)


def save_vectors(name: str, texts: Sequence[str]) -> Path:
    """Embed ``texts`` and write them, keyed by the texts, for :func:`shipped_vectors`."""
    path = vectors_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    vectors = embed(texts).astype(np.float32)
    with path.open("wb") as handle:
        np.savez_compressed(handle, key=np.array(_texts_key(texts)), vectors=vectors)
    return path


def vectors_match(name: str, texts: Sequence[str]) -> bool:
    """Whether the shipped vectors are those of ``texts`` (same texts, same embeddings)."""
    path = vectors_path(name)
    if not path.exists():
        return False
    with np.load(path) as data:
        if str(data["key"]) != _texts_key(texts):
            return False
        return bool(np.allclose(data["vectors"], embed(texts), atol=1e-4))


def save_model(model: LinearModel, path: Path | None = None) -> Path:
    """Write ``model`` as compact JSON (one weight row per line, for readable diffs)."""
    target = path or model_path(model.name)
    target.parent.mkdir(parents=True, exist_ok=True)
    data = model.to_json()
    weights = data.pop("weights")
    head = json.dumps(data, sort_keys=True)[:-1]
    rows = ",\n".join(json.dumps(row) for row in weights)
    target.write_text(f'{head}, "weights": [\n{rows}\n]}}\n', encoding="utf-8")
    return target
