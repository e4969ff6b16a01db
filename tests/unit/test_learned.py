"""The shared learned-component base: deterministic fit, JSON round trip, rebuild check."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from agent.offline import train
from agent.offline.learned import (
    LabelledText,
    LinearModel,
    cross_validated_predictions,
    fit,
    read_labelled,
    save_model,
)


def _blobs() -> tuple[np.ndarray, list[str]]:
    rng = np.random.default_rng(7)
    a = rng.normal(loc=(2.0, 0.0, 0.0), scale=0.4, size=(30, 3))
    b = rng.normal(loc=(0.0, 2.0, 0.0), scale=0.4, size=(30, 3))
    c = rng.normal(loc=(0.0, 0.0, 2.0), scale=0.4, size=(6, 3))
    return np.vstack([a, b, c]), ["a"] * 30 + ["b"] * 30 + ["c"] * 6


def test_fit_separates_classes_and_is_deterministic() -> None:
    x, y = _blobs()
    first = fit("blobs", x, y, steps=500)
    second = fit("blobs", x, y, steps=500)
    assert first.labels == ("a", "b", "c")
    assert first.to_json() == second.to_json()
    predicted = [first.labels[i] for i in first.scores(x).argmax(axis=1)]
    assert sum(p == t for p, t in zip(predicted, y, strict=True)) >= 64
    # The small class is not drowned: balanced weights give it its own region.
    assert first.labels[int(first.scores(np.array([[0.0, 0.0, 2.0]])).argmax())] == "c"


def test_round_trip_through_saved_json(tmp_path: Path) -> None:
    x, y = _blobs()
    model = fit("blobs", x, y, steps=200, meta={"note": "test"})
    path = save_model(model, tmp_path / "blobs.json")
    loaded = LinearModel.from_json(json.loads(path.read_text()))
    assert loaded.to_json() == model.to_json()
    assert np.allclose(loaded.scores(x), model.scores(x))


def test_cross_validation_predicts_every_row_out_of_fold() -> None:
    x, y = _blobs()
    rows = [LabelledText(f"row {i}", label, str(i)) for i, label in enumerate(y)]
    probabilities = cross_validated_predictions(rows, x, folds=4, steps=300)
    assert len(probabilities) == len(rows)
    assert all(abs(float(p.sum()) - 1.0) < 1e-6 for p in probabilities)
    predicted = [("a", "b", "c")[int(p.argmax())] for p in probabilities]
    accuracy = np.mean([p == t for p, t in zip(predicted, y, strict=True)])
    assert accuracy > 0.9


def test_read_labelled_skips_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text('{"text": "hi", "label": "x"}\n\n{"id": "b", "text": "yo", "label": "y"}\n')
    rows = read_labelled(path)
    assert [(r.text, r.label) for r in rows] == [("hi", "x"), ("yo", "y")]
    assert rows[1].id == "b"


@pytest.mark.timeout(1200)  # rebuilds every model: minutes on two busy cores
def test_shipped_weights_match_their_training_data(capsys: pytest.CaptureFixture[str]) -> None:
    """Every registered model rebuilds exactly from the labelled data in the repo."""
    if not train.SPECS:
        pytest.skip("no learned models registered")
    assert train.main(["--check"]) == 0, capsys.readouterr().out


def test_unknown_model_name_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert train.main(["no-such-model"]) == 2
    assert "unknown model" in capsys.readouterr().out


def test_shipped_vectors_are_used_only_for_the_texts_they_were_built_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agent.offline import learned

    monkeypatch.setattr(learned, "data_dir", lambda: tmp_path)
    calls: list[list[str]] = []

    def fake_embed(texts: list[str]) -> np.ndarray:
        calls.append(list(texts))
        return np.array([[float(len(t)), 1.0] for t in texts])

    monkeypatch.setattr(learned, "embed", fake_embed)
    texts = ["What helped?", "What got in the way?"]
    learned.save_vectors("bank", texts)
    calls.clear()
    assert np.allclose(learned.shipped_vectors("bank", texts), [[12.0, 1.0], [20.0, 1.0]])
    assert calls == []  # read from the file, nothing embedded
    edited = [*texts, "What would you try next?"]
    assert learned.shipped_vectors("bank", edited).shape == (3, 2)
    assert calls == [edited]  # stale file: embedded now, not mixed with old vectors
    assert not learned.vectors_match("bank", edited)
    assert learned.vectors_match("bank", texts)


def test_a_rebuild_matches_within_cpu_noise_but_not_after_a_real_change() -> None:
    shipped = {"labels": ["a", "b"], "meta": {"rows": 3, "cv": 0.91}, "weights": [[0.123456]]}
    noisy = {"labels": ["a", "b"], "meta": {"rows": 3, "cv": 0.91}, "weights": [[0.123457]]}
    assert train.same_model(shipped, noisy)
    assert not train.same_model(shipped, {**noisy, "weights": [[0.1235]]})
    assert not train.same_model(shipped, {**noisy, "labels": ["a", "c"]})
    assert not train.same_model(shipped, {**noisy, "meta": {"rows": 4, "cv": 0.91}})
