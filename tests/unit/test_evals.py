"""The eval harness: the retrieval gate passes, and a missed threshold fails the command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.cli import run
from evals.dataset import load_dataset
from evals.report import mean_ci
from evals.scorers import recall_at_k, reciprocal_rank

FRAMEWORK_NAMES = (
    "wisdom-to-action",
    "stale patch",
    "six-week itch",
    "6-week",
    "graduation",
    "next chapter",
    "unstuck",
    "fast-forward",
    "years of experience",
    "getting real",
    "let's get clear",
    "wasted meetings",
)


def test_retrieval_dataset_is_realistic() -> None:
    samples = load_dataset("retrieval")
    assert len(samples) >= 30
    guides = {p.stem for p in Path("knowledge/guides").glob("*.md")}
    covered = {t for s in samples for t in s.target}
    assert covered <= guides, covered - guides
    assert covered == guides, f"guides with no query: {guides - covered}"
    for sample in samples:
        lowered = str(sample.input).lower()
        assert not any(name in lowered for name in FRAMEWORK_NAMES), sample.id


def test_scorers() -> None:
    assert recall_at_k(["a", "a", "b", "c"], ["c"], 3).passed  # duplicates collapse
    assert not recall_at_k(["a", "b", "c", "d"], ["d"], 3).passed
    assert reciprocal_rank(["a", "b"], ["b"]).value == 0.5
    assert reciprocal_rank(["a"], ["z"]).value == 0.0
    mean, (low, high) = mean_ci([1.0, 0.0, 1.0, 1.0])
    assert mean == 0.75 and 0.0 <= low < mean < high <= 1.0


def test_offline_retrieval_eval_meets_thresholds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(
        ["eval", "--engine", "offline", "--task", "retrieval", "--out", str(tmp_path), "--json"]
    )
    summary = json.loads(capsys.readouterr().out)
    metrics = summary["tasks"][0]["metrics"]
    assert code == 0, summary["failures"]
    assert metrics["recall_at_3"]["mean"] >= 0.9
    rows = [json.loads(line) for line in (tmp_path / "results.jsonl").read_text().splitlines()]
    assert len(rows) == len(load_dataset("retrieval"))
    assert (tmp_path / "summary.md").read_text().startswith("# Eval report (offline engine)")


def test_a_missed_threshold_fails_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    strict = tmp_path / "strict.toml"
    strict.write_text("[retrieval]\nrecall_at_3 = 1.01\n")
    code = run(
        [
            "eval",
            "--engine",
            "offline",
            "--task",
            "retrieval",
            "--out",
            str(tmp_path / "out"),
            "--thresholds",
            str(strict),
            "--json",
        ]
    )
    summary = json.loads(capsys.readouterr().out)
    assert code == 1
    assert summary["failures"] == [
        f"retrieval.recall_at_3: {summary['tasks'][0]['metrics']['recall_at_3']['mean']:.3f} < 1.01"
    ]


def test_every_capability_has_a_dataset_of_the_promised_size() -> None:
    from evals.tasks import TASKS

    assert {"retrieval", "reframe", "actions", "agendas", "simulations", "emails"} <= set(TASKS)
    reframe = load_dataset("reframe")
    curious = [s for s in reframe if s.target.get("judgemental") is False]
    assert len(reframe) >= 40 and len(curious) * 4 >= len(reframe)
    assert len(load_dataset("actions")) >= 15 and len(load_dataset("agendas")) >= 10
    assert len(load_dataset("simulations")) >= 8
    stages = {s.target["stage"] for s in load_dataset("agendas")}
    assert stages == {"first-session", "regular", "stale-patch", "stalled", "graduation"}
    kinds = {s.metadata.get("kind") for s in reframe}
    assert "adversarial" in kinds


def test_item_and_html_scorers() -> None:
    from evals.scorers import item_precision_recall, unsafe_html

    gold = [{"owner": "Ben", "action_keywords": ["rfc"], "due": "2026-11-20"}]
    good = [{"owner": "Ben", "action": "Draft the RFC", "due": "2026-11-20"}]
    wrong_date = [{"owner": "Ben", "action": "Draft the RFC", "due": None}]
    assert [s.value for s in item_precision_recall(good, gold)] == [1.0, 1.0]
    assert [s.value for s in item_precision_recall(wrong_date, gold)] == [0.0, 0.0]
    assert [s.value for s in item_precision_recall([], [])] == [1.0, 1.0]
    assert unsafe_html("<p>&lt;img src=x&gt;</p>") == []
    assert unsafe_html('<p><img src="x"></p>') == ["<img>", "img[src]"]


def test_action_sets_are_reported_side_by_side_with_f1() -> None:
    from evals.dataset import Sample
    from evals.report import SampleResult, Summary, summarise, to_markdown
    from evals.tasks import TASKS

    sample = Sample(
        id="s",
        input={},
        target=[{"owner": "Ben", "action_keywords": ["rfc"], "due": None}],
    )
    notes = "Ben will draft the RFC. Ana will book a room."
    output = {
        "refused": False,
        "notes": notes,
        "attendees": ["Ana", "Ben"],
        "items": [
            {"owner": "Ben", "action": "Draft the RFC", "due": None,
             "evidence": "Ben will draft the RFC."},
            {"owner": "Ana", "action": "Book a room", "due": None,
             "evidence": "Ana will book a room."},
        ],
    }
    scores = {s.name: s.value for s in TASKS["actions"].score(sample, output)}
    assert scores["precision"] == 0.5 and scores["recall"] == 1.0
    assert scores["f1"] == pytest.approx(2 / 3)

    def task(name: str) -> object:
        result = SampleResult(
            task=name, sample_id="s", output=output,
            scores=TASKS["actions"].score(sample, output), latency_s=0.1,
        )
        return summarise(name, "offline", [result], {})

    tasks = [task("actions"), task("actions_blind"), task("actions_blind2")]
    summary = Summary(engine="offline", model=None, git_revision=None, prompt_hashes={},
                      tasks=tasks, failures=[])  # type: ignore[arg-type]
    text = to_markdown(summary)
    assert "## Action items: dev and blind side by side" in text
    assert "| actions | dev | 1 | 0.500 | 1.000 | 0.667 |" in text
    assert "| actions_blind2 | blind | 1 | 0.500 | 1.000 | 0.667 |" in text
    assert "Judgement detection" not in text  # no judgement task ran


def test_blind_floors_get_the_margin_and_invariants_do_not(tmp_path: Path) -> None:
    from evals.report import load_gates

    path = tmp_path / "thresholds.toml"
    path.write_text(
        "[gates]\nblind_margin = 0.03\n"
        "[actions]\nf1 = 0.83\n"
        "[actions_blind3]\nf1 = 0.6\nevidence_verbatim = 1.0\n"
        '[pooled.actions_blind]\ntasks = ["actions_blind3"]\nf1 = 0.7\n'
    )
    gates = load_gates(path)
    assert gates.tasks["actions"] == {"f1": 0.83}  # a dev set keeps its floor
    assert gates.tasks["actions_blind3"] == {"f1": 0.57, "evidence_verbatim": 1.0}
    assert gates.pooled["actions_blind"].tasks == ["actions_blind3"]
    assert gates.pooled["actions_blind"].thresholds == {"f1": 0.7}  # no margin on pooled


def test_a_pooled_gate_scores_its_sets_together_and_only_when_all_ran() -> None:
    from evals.report import Gates, PooledGate, SampleResult
    from evals.runner import _pooled
    from evals.scorers import Score

    def rows(task: str, values: list[float]) -> list[SampleResult]:
        return [
            SampleResult(task=task, sample_id=str(i), output=None, latency_s=0.0,
                         scores=[Score(name="f1", value=v, passed=v >= 0.5, explanation="")])
            for i, v in enumerate(values)
        ]

    gates = Gates(tasks={}, pooled={"a": PooledGate(tasks=["x", "y"], thresholds={"f1": 0.6})})
    # Means per sample over both sets: y's weak samples fail the pool while x is small ...
    ran = {"x": rows("x", [1.0]), "y": rows("y", [0.5, 0.0, 0.25])}
    (pooled,) = _pooled("offline", gates, ran)
    assert pooled.task == "pooled:a" and pooled.samples == 4
    assert pooled.metrics["f1"].mean == pytest.approx(0.4375) and not pooled.metrics["f1"].ok
    ran["x"] = rows("x", [1.0, 1.0, 1.0])  # ... and pass it once x's samples outweigh them
    (pooled,) = _pooled("offline", gates, ran)
    assert pooled.metrics["f1"].mean == pytest.approx(0.625) and pooled.metrics["f1"].ok
    assert _pooled("offline", gates, {"x": ran["x"]}) == []  # y did not run: no pooled figure


def test_every_scored_blind_set_is_in_its_area_pool() -> None:
    from evals.report import load_gates
    from evals.tasks import TASKS

    gates = load_gates()
    pooled = {task for gate in gates.pooled.values() for task in gate.tasks}
    assert all(task in TASKS and not TASKS[task].sealed for task in pooled)
    areas = ("actions_blind", "judgement_blind", "rewrite_blind")
    blind = {name for name, task in TASKS.items() if not task.sealed and name.startswith(areas)}
    assert blind == pooled



def test_a_sealed_blind_set_runs_only_when_named(monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    from evals import runner
    from evals.tasks import TASKS

    open_task = TASKS["actions_blind"]
    sealed = dataclasses.replace(open_task, name="actions_sealed", sealed=True)
    monkeypatch.setitem(runner.TASKS, "actions_sealed", sealed)
    default = {task.name for task in runner.select_tasks(None, "offline")}
    assert open_task.name in default and "actions_sealed" not in default
    assert [t.name for t in runner.select_tasks(["actions_sealed"], "offline")] == [
        "actions_sealed"
    ]
