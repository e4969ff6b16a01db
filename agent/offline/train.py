"""Rebuild the offline engine's learned weights from the labelled data shipped in the repo.

``python -m agent.offline.train`` rebuilds every model; ``python -m agent.offline.train NAME``
one; ``--check`` rebuilds in memory and exits 1 if any shipped file differs beyond the last-digit
noise of another CPU (CI runs it, so the weights in the repo are always the ones the data
produces).

Each model is a :class:`TrainingSpec` registered in :data:`SPECS` by the module that uses it;
shipped texts whose vectors ship precomputed (the question bank) are listed in :data:`VECTORS`.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from agent.offline.learned import (
    Featuriser,
    LabelledText,
    LinearModel,
    Matrix,
    data_dir,
    embed,
    fit,
    model_path,
    read_labelled,
    save_model,
    save_vectors,
    vectors_match,
)


@dataclass(frozen=True)
class TrainingSpec:
    """How to fit one model: its data files (under ``agent/data/training``) and settings."""

    name: str
    files: tuple[str, ...]
    featurise: Featuriser = embed
    fit_args: dict[str, Any] = field(default_factory=dict)

    def rows(self) -> list[LabelledText]:
        """The labelled rows of :attr:`files`."""
        return [row for name in self.files for row in read_labelled(data_dir() / "training" / name)]

    def extra_meta(self, rows: list[LabelledText], features: Matrix) -> dict[str, Any]:
        """What a model ships besides its weights (a threshold, CV figures); none by default."""
        return {}

    def train(self) -> LinearModel:
        """Fit on every row, with :meth:`extra_meta` worked out on the same rows."""
        rows = self.rows()
        features = self.featurise([r.text for r in rows])
        meta = {"rows": len(rows), "files": list(self.files), **self.extra_meta(rows, features)}
        return fit(self.name, features, [r.label for r in rows], meta=meta, **self.fit_args)


# name -> "module:attribute" of a TrainingSpec; modules register their own models here.
SPECS: dict[str, str] = {
    "action_lines": "agent.offline.actions:ACTION_LINES",
    "action_owner": "agent.offline.action_owners:OWNER_SPEC",
    "sim_attempt": "agent.offline.sim_attempt:ATTEMPT_SPEC",
    "sim_steps": "agent.offline.sim_match:STEPS_SPEC",
    "situations": "agent.offline.questions:SITUATION_SPEC",
    "judgement": "agent.offline.judgement_spec:SPEC",
    "judgement_target": "agent.offline.judgement_spec:TARGET_SPEC",
    "blame_words": "agent.offline.phrases:BLAME_SPEC",
    "people_words": "agent.offline.phrases:PEOPLE_SPEC",
    "ffwd_themes": "agent.offline.ffwd:THEME_SPEC",
    "ffwd_how": "agent.offline.ffwd:HOW_SPEC",
    "ffwd_tried": "agent.offline.ffwd:TRIED_SPEC",
    "sim_clarify": "agent.offline.sim_scenario:CLARIFY_SPEC",
    "intents": "agent.offline.intent:INTENT_SPEC",
    "instructions": "agent.offline.instruction:INSTRUCTION_SPEC",
    "prep_sentences": "agent.offline.agenda:PREP_SPEC",
    "clause_bounds": "agent.offline.clauses:CLAUSE_SPEC",
    "name_words": "agent.offline.people:NAME_WORDS",
    "topic_words": "agent.offline.topic_words:TOPIC_WORDS_SPEC",
}


# name -> "module:function" returning shipped texts whose vectors ship precomputed.
VECTORS: dict[str, str] = {
    "question_bank": "agent.offline.questions:bank_texts",
}


# int8 inference and BLAS sums differ in the last bits from one CPU to another, so a rebuild on
# another machine can move a weight by one unit in its sixth decimal; a real change of data or
# settings moves many weights by far more.
TOLERANCE = 1e-5


def same_model(a: Any, b: Any) -> bool:
    """Whether rebuilt ``b`` is shipped ``a``: same labels and meta, weights within noise."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_model(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_model(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float | int) and isinstance(b, float | int) and not isinstance(a, bool):
        return abs(a - b) <= TOLERANCE * max(1.0, abs(a), abs(b))
    return bool(a == b)


def spec(name: str) -> TrainingSpec:
    """The registered spec ``name``."""
    module, attribute = SPECS[name].split(":")
    value = getattr(importlib.import_module(module), attribute)
    # Under ``python -m`` this file runs as __main__: check against the importable class.
    assert isinstance(value, importlib.import_module("agent.offline.train").TrainingSpec)
    return value  # type: ignore[no-any-return]


def main(argv: Sequence[str] | None = None) -> int:
    """Rebuild (or ``--check``) the named models, or all of them."""
    parser = argparse.ArgumentParser(prog="python -m agent.offline.train", description=__doc__)
    parser.add_argument("names", nargs="*", help="models to rebuild (default: all)")
    parser.add_argument("--check", action="store_true", help="compare with the shipped files")
    args = parser.parse_args(argv)
    known = sorted([*SPECS, *VECTORS])
    unknown = [n for n in args.names if n not in known]
    if unknown:
        print(f"unknown model(s): {', '.join(unknown)}; known: {', '.join(known)}")
        return 2
    stale = []
    for name in args.names or known:
        if name in VECTORS:
            module, attribute = VECTORS[name].split(":")
            texts = list(getattr(importlib.import_module(module), attribute)())
            if args.check:
                fresh = vectors_match(name, texts)
                stale += [] if fresh else [name]
                print(f"{name}: {'matches the shipped vectors' if fresh else 'stale'}")
            else:
                print(f"{name}: {len(texts)} texts -> {save_vectors(name, texts)}")
            continue
        model = spec(name).train()
        if args.check:
            path = model_path(name)
            shipped = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
            if shipped is None or not same_model(shipped, model.to_json()):
                stale.append(name)
            print(f"{name}: {'stale' if name in stale else 'matches the shipped weights'}")
        else:
            print(f"{name}: {model.meta['rows']} rows -> {save_model(model)}")
    if stale:
        print(f"rebuild with: python -m agent.offline.train {' '.join(stale)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    # Run the package's copy of this module: specs registered by modules that
    # ``agent.offline`` imports were built with its TrainingSpec, not this __main__ one.
    from agent.offline import train as _package

    raise SystemExit(_package.main())
