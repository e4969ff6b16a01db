"""The eval harness on the llm engine, with a scripted endpoint: graph, baseline and judge."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from agent.api import Coach
from agent.config import Settings
from agent.offline.reframe import reframe_offline
from evals.runner import compare_runs, run_eval
from tests.scripted_llm import Request, ScriptedLLM

QUESTION = re.compile(r'<data name="question">\n(.*?)\n</data>', re.DOTALL)


def scripted_model(request: Request) -> dict[str, Any]:
    """A stand-in model: answers each schema plausibly so the mechanism runs end to end."""
    if request.schema_name == "JudgeVerdict":
        return {"reason": "The output meets the criterion.", "verdict": "pass"}
    found = QUESTION.search(request.text)
    question = found.group(1) if found else request.body["messages"][-1]["content"]
    draft = reframe_offline(question, []).model_dump(mode="json")
    draft["cited_ids"] = request.passage_ids[:1]
    return draft


def test_llm_eval_reports_graph_baseline_judge_and_tokens(tmp_path: Path) -> None:
    llm = ScriptedLLM(fallback=scripted_model)
    settings = Settings(
        home=tmp_path / "home",
        engine="llm",
        openai_api_key="sk-test-not-real",
        model="scripted-model",
    )
    with Coach(settings, http_client=llm.http_client()) as coach:
        summary = run_eval(coach, engine="llm", tasks=["reframe"], out_dir=tmp_path / "out")
    tasks = {t.task: t for t in summary.tasks}
    assert set(tasks) == {"reframe", "reframe/baseline"}
    assert summary.ok, summary.failures
    graph, baseline = tasks["reframe"], tasks["reframe/baseline"]
    assert graph.engine == "llm" and baseline.baseline_of == "reframe"
    assert graph.tokens["prompt"] > 0 and baseline.tokens["calls"] > 0
    assert graph.judge and all(m.pass_rate == 1.0 for m in graph.judge.values())
    # The baseline has no retrieval, so it never cites; the graph does.
    schemas = [r.schema_name for r in llm.requests]
    assert schemas.count("JudgeVerdict") >= 3 * 40
    assert any('<data name="passage' in r.text for r in llm.requests)
    report = (tmp_path / "out" / "summary.md").read_text()
    assert "Graph vs no-retrieval baseline" in report and "LLM judge" in report
    assert "scripted-model" in report


def test_compare_names_the_samples_that_changed(tmp_path: Path) -> None:
    with Coach(Settings(home=tmp_path / "home", engine="offline")) as coach:
        run_eval(coach, engine="offline", tasks=["retrieval"], out_dir=tmp_path / "a")
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    rows = [
        json.loads(line) for line in (tmp_path / "b" / "results.jsonl").read_text().splitlines()
    ]
    flipped = next(r for r in rows if all(s["passed"] for s in r["scores"]))
    for score in flipped["scores"]:
        score["passed"] = False
    (tmp_path / "b" / "results.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    comparison = compare_runs(tmp_path / "a", tmp_path / "b")
    assert [(c.sample_id, c.old, c.new) for c in comparison.changed] == [
        (flipped["sample_id"], True, False)
    ]
    assert {d.metric for d in comparison.metrics} == {"recall_at_3", "mrr"}


def baseline_model(request: Request) -> dict[str, Any]:
    """Minimal valid answers for every schema the action and agenda tasks ask for."""
    name = request.schema_name
    if name == "JudgeVerdict":
        return {"reason": "Looks specific.", "verdict": "fail"}
    if name == "ActionsDraft":
        return {"items": [], "cited_ids": []}
    if name == "AgendaFill":
        return {"blocks": [], "prep_checklist": ["Progress on each open item."]}
    if name == "Agenda":
        return {
            "stage": "regular",
            "minutes": 60,
            "prep_checklist": [],
            "citations": [],
            "engine": "llm",
            "notes": [],
            "blocks": [{"name": "Chat", "minutes": 60, "items": ["Talk"], "citations": []}],
        }
    raise AssertionError(f"unexpected schema {name}")


def test_baselines_run_for_actions_and_agendas(tmp_path: Path) -> None:
    llm = ScriptedLLM(fallback=baseline_model)
    settings = Settings(home=tmp_path / "home", engine="llm", openai_api_key="sk-test-not-real")
    with Coach(settings, http_client=llm.http_client()) as coach:
        summary = run_eval(
            coach, engine="llm", tasks=["actions", "agendas"], out_dir=tmp_path / "out"
        )
    tasks = {t.task: t for t in summary.tasks}
    assert set(tasks) == {"actions", "actions/baseline", "agendas", "agendas/baseline"}
    assert all(t.errors == 0 for t in tasks.values())
    # The graph's guardrails keep the agenda's invariants; the plain baseline breaks them.
    assert tasks["agendas"].metrics["invariants"].mean == 1.0
    assert tasks["agendas/baseline"].metrics["invariants"].mean < 1.0
    # Judge failures are reported, never gated: the baselines and judge do not fail the run.
    assert tasks["actions"].judge and not any("judge" in f for f in summary.failures)
    assert not any("baseline" in f for f in summary.failures)


def test_a_failed_run_leaves_the_earlier_report_whole_and_one_run_writes_a_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from filelock import FileLock

    from agent.errors import CoachError, UserInputError

    out = tmp_path / "out"
    with Coach(Settings(home=tmp_path / "home", engine="offline")) as coach:
        run_eval(coach, engine="offline", tasks=["retrieval"], out_dir=out)
    before = {name: (out / name).read_bytes() for name in ("results.jsonl", "summary.json")}
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    # No endpoint: the run fails on its first request. It had emptied results.jsonl first.
    with Coach(Settings(home=tmp_path / "home", engine="llm")) as coach:
        with pytest.raises(CoachError):
            run_eval(coach, engine="llm", tasks=["reframe"], out_dir=out)
        assert {n: (out / n).read_bytes() for n in before} == before
        with FileLock(str(out / ".eval.lock")), pytest.raises(UserInputError, match="another"):
            run_eval(coach, engine="offline", tasks=["retrieval"], out_dir=out)
    assert {n: (out / n).read_bytes() for n in before} == before
