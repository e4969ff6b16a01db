"""The judgement-detection eval: a held-out split of the training data, and the blind set.

``judgement`` scores the rows of ``agent/data/training/judgement.jsonl`` whose id falls in
fold 0 of 5 (:func:`agent.offline.learned.fold_of`, listed in ``datasets/judgement.jsonl``)
with a model fitted on the other four folds, its threshold chosen by cross-validation on
those four folds only; so neither the weights nor the threshold saw the rows scored.
``judgement_blind`` scores ``datasets/blind/judgement_blind.jsonl`` (written by someone who
never saw the detector) with the shipped model. Non-English rows go through ``coach
reframe``, which must answer that the offline engine works in English only.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from evals.dataset import Sample
from evals.scorers import Score

if TYPE_CHECKING:
    from agent.api import Coach
    from agent.offline.learned import LinearModel

HELD_OUT_FOLD = 0
FOLDS = 5


@cache
def held_out_model() -> LinearModel:
    """A model fitted without the held-out fold (threshold by CV on the training folds)."""
    from agent.offline.judgement_model import featurise
    from agent.offline.judgement_spec import SPEC, fit_judgement
    from agent.offline.learned import fold_of

    rows = [r for r in SPEC.rows() if fold_of(r.id, FOLDS) != HELD_OUT_FOLD]
    return fit_judgement(rows, featurise([r.text for r in rows]))


def _verdict(text: str, model: LinearModel | None) -> tuple[bool, float]:
    from agent.offline.judgement_model import (
        is_judgemental_utterance,
        judgemental_probabilities,
        sentences,
        utterance_score,
    )

    if model is None:
        return is_judgemental_utterance(text), utterance_score(text)
    score = float(judgemental_probabilities(model, sentences(text)).max())
    return score >= float(model.meta["threshold"]), score


def _solve(coach: Coach, sample: Sample, model: LinearModel | None) -> dict[str, Any]:
    text = str(sample.input)
    target = sample.target or {}
    if target.get("language") == "non-English":
        result = coach.reframe(text)
        return {"language": result.language, "notes": result.notes, "markers": result.markers}
    from agent.offline.judgement import detect_markers
    from agent.offline.language import is_english

    flagged, score = _verdict(text, model)
    markers = detect_markers(text) if model is None and flagged else []
    return {
        "english": is_english(text),
        "judgemental": flagged,
        "score": round(score, 3),
        "markers": markers,
    }


def solve_dev(coach: Coach, sample: Sample) -> dict[str, Any]:
    """The held-out model's verdict (or the English-only answer)."""
    return _solve(coach, sample, held_out_model())


def solve_blind(coach: Coach, sample: Sample) -> dict[str, Any]:
    """The shipped detector's verdict (or the English-only answer)."""
    return _solve(coach, sample, None)


def score(sample: Sample, output: dict[str, Any]) -> list[Score]:
    """Recall on judgemental rows, no false alarm on curious ones, English-only handling."""
    target = sample.target or {}
    if target.get("language") == "non-English":
        from agent.offline.language import ENGLISH_ONLY

        ok = output.get("language") == "non-English" and ENGLISH_ONLY in output.get("notes", [])
        said = f"language={output.get('language')}"
        return [Score(name="english_only", value=float(ok), passed=ok, explanation=said)]
    expected = target.get("judgemental")
    if expected is None:
        return []
    flagged = bool(output.get("judgemental"))
    name = "recall" if expected else "no_false_alarm"
    ok = flagged == bool(expected)
    detail = f"score {output.get('score')}, flagged={flagged}"
    scores = [Score(name=name, value=float(ok), passed=ok, explanation=detail)]
    english = bool(output.get("english"))
    kept = "read as English" if english else "declined as non-English"
    scores.append(
        Score(name="english_kept", value=float(english), passed=english, explanation=kept)
    )
    return scores
