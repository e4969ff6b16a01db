"""The llm engine's budget: prompt size per task, bounded agenda prompts, one chat checkpoint."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from agent.api import Coach
from agent.config import Settings
from evals.runner import run_eval
from tests.scripted_llm import Request, ScriptedLLM
from tests.unit.test_eval_llm import baseline_model


def _settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "home", engine="llm", openai_api_key="sk-test-not-real")


def test_eval_report_gives_each_task_its_own_prompt_size(tmp_path: Path) -> None:
    llm = ScriptedLLM(fallback=baseline_model)
    with Coach(_settings(tmp_path), http_client=llm.http_client()) as coach:
        summary = run_eval(coach, engine="llm", tasks=["agendas"], out_dir=tmp_path / "out")
    tasks = {t.task: t for t in summary.tasks}
    sent = [
        sum(len(str(m.get("content", ""))) for m in r.body["messages"])
        for r in llm.requests
        if r.schema_name == "AgendaFill"
    ]
    agendas = tasks["agendas"].tokens
    # Only the task's own calls count: the judge's prompts are not the task's size.
    assert agendas["own_calls"] == len(sent) and agendas["prompt_chars"] == sum(sent)
    report = (tmp_path / "out" / "summary.md").read_text()
    assert "prompt chars per call" in report
    samples = tasks["agendas"].samples
    row = next(line for line in report.splitlines() if line.startswith(f"| agendas | {samples} |"))
    assert f"| {sum(sent) / len(sent):,.0f} |" in row


def test_the_llm_sees_at_most_five_agenda_passages(tmp_path: Path) -> None:
    seen: list[Request] = []

    def answer(request: Request) -> dict[str, Any]:
        seen.append(request)
        return {"blocks": [], "prep_checklist": ["Progress on each open item."]}

    llm = ScriptedLLM(fallback=answer)
    with Coach(_settings(tmp_path), http_client=llm.http_client()) as coach:
        pair = coach.add_pair(mentor="Ana Silva", mentee="Ben Okafor", goals=["Lead a review"])
        agenda = coach.draft_agenda(pair_id=pair.id, prep="I'm stuck on my design doc.")
    assert seen and all(0 < len(r.passage_ids) <= 5 for r in seen)
    assert agenda.engine == "llm"


def test_a_chat_turn_is_checkpointed_once_and_resumes(tmp_path: Path) -> None:
    llm = ScriptedLLM(fallback={"answer": "Ask what they noticed first.", "cited_ids": []})
    with Coach(_settings(tmp_path), http_client=llm.http_client()) as coach:
        puts: list[Any] = []
        saver = coach.checkpointer
        original = saver.put

        def counting(*args: Any, **kwargs: Any) -> Any:
            puts.append(args)
            return original(*args, **kwargs)

        saver.put = counting
        reply = coach.chat("How do I help a mentee who nods along but nothing sticks?")
        assert len(puts) == 1
    with Coach(_settings(tmp_path), http_client=llm.http_client()) as again:
        history = again.history(reply.thread)
    assert [turn["role"] for turn in history][:1] == ["user"] and len(history) >= 2
