"""The llm engine's budget: prompt size per task, bounded agenda prompts, one chat checkpoint."""

from __future__ import annotations

import json
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


def _sent_chars(request: Request) -> int:
    """Characters of the messages in one request body, as the endpoint received them."""
    return sum(len(str(m.get("content", ""))) for m in request.body["messages"])


def test_report_gives_prompt_size_per_task_beside_a_react_agent(tmp_path: Path) -> None:
    from evals.dataset import load_dataset
    from evals.react import react_chars
    from evals.tasks import TASKS

    llm = ScriptedLLM(fallback=baseline_model)
    with Coach(_settings(tmp_path), http_client=llm.http_client()) as coach:
        summary = run_eval(coach, engine="llm", tasks=["agendas"], out_dir=tmp_path / "out")
        samples = load_dataset("agendas")
        request = TASKS["agendas"].react_request
        assert request is not None
        react = sum(
            react_chars(request(s), coach.knowledge.search(request(s)[:2000], k=5)) for s in samples
        )
    agendas = {t.task: t for t in summary.tasks}["agendas"]
    sent = sum(_sent_chars(r) for r in llm.requests if r.schema_name == "AgendaFill")
    assert agendas.react_prompt_chars == react
    row = next(
        line
        for line in (tmp_path / "out" / "summary.md").read_text().splitlines()
        if line.startswith(f"| agendas | {len(samples)} |")
    )
    per_task, react_per_task = sent / len(samples), react / len(samples)
    # Counted at the transport: what the endpoint received, per sample, beside the ReAct agent.
    assert f"| {per_task:,.0f} | {react_per_task:,.0f} | {per_task / react_per_task:.2f}x |" in row


def test_react_agent_sends_its_prompt_twice_and_the_passages_once() -> None:
    from evals.react import SEARCH_TOOL, call_chars, react_calls, react_chars
    from knowledge.models import Passage

    passages = [
        Passage(
            id=f"p{i}",
            text=f"Passage text number {i}.",
            score=1.0,
            title="T",
            section="S",
            source="guide.md",
        )
        for i in range(5)
    ]
    first, second = react_calls("Plan our next session.", passages)
    assert [m["role"] for m in first] == ["system", "user"] and second[:2] == first
    assert all(p.text in second[-1]["content"] for p in passages)
    assert "Plan our next session." in second[2]["content"]  # the tool call's query
    tool = len(json.dumps(SEARCH_TOOL, separators=(",", ":")))
    assert call_chars(first) == sum(len(m["content"]) for m in first) + tool
    assert react_chars("Plan our next session.", passages) == call_chars(first) + call_chars(second)


def test_prompt_size_counts_the_schema_when_the_endpoint_wants_it_in_the_prompt() -> None:
    import httpx

    from agent.models import AnswerDraft

    rejected = httpx.Response(
        400, json={"error": {"message": "Unsupported response_format type: json_schema"}}
    )
    llm = ScriptedLLM(script=[rejected], fallback={"answer": "Ask first.", "cited_ids": []})
    client = llm.chat_client()
    messages = [{"role": "system", "content": "Answer briefly."}, {"role": "user", "content": "Hi"}]
    client.structured(messages, AnswerDraft, task="ask")
    client.structured(messages, AnswerDraft, task="ask")
    sent = [_sent_chars(r) for r in llm.requests]
    # After the rejection the schema is spelled out in the system message, and counted.
    assert sent[1] == sent[2] > sent[0] + 300
    assert [r.prompt_chars for r in client.records] == sent
    assert client.usage_summary()["ask"].prompt_chars == sum(sent)
