"""Benchmark: the llm engine's own overhead per task, against a 1 s endpoint over real HTTP.

Run from the repo root: python -m bench.bench_llm [--runs 5] [--delay 1.0]
(figures go into docs/BENCHMARKS.md)

A tiny OpenAI-compatible server on 127.0.0.1 answers every chat completion after ``--delay``
seconds with a valid answer for the schema asked for. Each task runs ``--runs`` times through
Coach (engine llm, real openai client, real loopback HTTP); the overhead is the wall time
not spent waiting for the server, as a share of the task's wall time, and the CPU time the
process spent per task (the server's thread included). The prompt size is the characters of
the messages the server received, per call and per task, beside a plain ReAct agent with one
retrieval tool given the same request (evals.react: two calls, each with its system prompt
and tool definition, the second with the top 5 passages as the tool's JSON result); its
final call alone is shown too.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

PASSAGE = "passage "


def _answer(body: dict[str, Any]) -> dict[str, Any]:
    fmt = body.get("response_format") or {}
    name = (fmt.get("json_schema") or {}).get("name")
    text = "\n".join(str(m.get("content", "")) for m in body.get("messages", []))
    ids = []
    for part in text.split(f'<data name="{PASSAGE}')[1:]:
        ids.append(part.split('"', 1)[0])
    if name == "ReframeDraft":
        return {
            "judgemental": True,
            "markers": ["why didn't you"],
            "topic": "finishing the chapter",
            "questions": [
                {"question": "What got in the way of the chapter this week?", "rationale": "Open."},
                {"question": "How did the chapter feel as a week's task?", "rationale": "Size."},
                {"question": "What would help you finish it before we meet?", "rationale": "Next."},
            ],
            "cited_ids": ids[:2],
        }
    if name == "QuestionsDraft":
        return {
            "questions": [
                {"question": "What felt like progress on your goals this week?", "rationale": "."},
                {"question": "Where did you get stuck, and what did you try?", "rationale": "."},
                {"question": "What would make next week's plan easier to keep?", "rationale": "."},
            ],
            "cited_ids": ids[:1],
        }
    if name == "AnswerDraft":
        return {
            "answer": "Start with what they noticed themselves, then agree one small next step.",
            "cited_ids": ids[:1],
        }
    if name == "AgendaFill":
        return {"blocks": [], "prep_checklist": ["Progress on each open item."]}
    if name == "ActionsDraft":
        return {"items": [], "cited_ids": []}
    return {}


class _Handler(BaseHTTPRequestHandler):
    delay = 1.0
    prompts: ClassVar[list[tuple[str, int]]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        chars = sum(len(str(m.get("content", ""))) for m in body.get("messages", []))
        fmt = (body.get("response_format") or {}).get("json_schema") or {}
        type(self).prompts.append((str(fmt.get("name")), chars))
        time.sleep(self.delay)
        content = json.dumps(_answer(body))
        payload = json.dumps(
            {
                "id": "chatcmpl-bench",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": "bench-model",
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": content},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {"prompt_tokens": chars // 4, "completion_tokens": 60},
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self) -> None:
        # The prompt sizes received since the last GET (the server runs in its own process).
        payload = json.dumps(type(self).prompts).encode()
        type(self).prompts.clear()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        return


def _serve(delay: float) -> None:
    """Run the fake endpoint in this process; print its port, serve until killed."""
    _Handler.delay = delay
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


def _received(base_url: str) -> list[int]:
    """Characters of each prompt the server received since the last call."""
    with urllib.request.urlopen(f"{base_url}/prompts") as answer:  # loopback only
        return [int(chars) for _, chars in json.loads(answer.read())]


NOTES = (
    "Ana and Ben, 3 March. Ben will draft the RFC intro by Friday. Ana will send two example "
    "RFCs tomorrow. We agreed to review the flaky test together next session."
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--delay", type=float, default=1.0)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        _serve(args.delay)
        return
    # The endpoint is its own process, so the CPU time measured here is the coach's alone.
    server = subprocess.Popen(
        [sys.executable, "-m", "bench.bench_llm", "--serve", "--delay", str(args.delay)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    base_url = f"http://127.0.0.1:{server.stdout.readline().strip()}/v1"
    try:
        _measure(args.runs, args.delay, base_url)
    finally:
        server.terminate()
        server.wait()


def _measure(runs: int, delay: float, base_url: str) -> None:
    """Run every task ``runs`` times against the endpoint and print one table row per task."""
    from agent.api import Coach
    from agent.config import Settings
    from evals.react import QUERY_LIMIT, TOP_K, call_chars, react_calls

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            home=Path(tmp),
            engine="llm",
            openai_api_key="sk-bench-not-real",
            openai_base_url=base_url,
        )
        with Coach(settings) as coach:
            pair = coach.add_pair(
                mentor="Ana Silva",
                mentee="Ben Okafor",
                goals=["Lead a design review"],
                next_session=datetime.now() + timedelta(days=3),
            )
            question = "Why didn't you finish the chapter again?"
            asked = "How do I help a mentee who nods along but nothing sticks?"
            tasks = {
                "reframe": (lambda: coach.reframe(question), question),
                "ask": (lambda: coach.ask(asked), asked),
                "chat": (lambda: coach.chat(asked), asked),
                "suggest_questions": (
                    lambda: coach.suggest_questions(pair.id),
                    "questions for our next session Lead a design review",
                ),
                # A plain agent would be handed the pair's context to plan from.
                "agenda": (
                    lambda: coach.draft_agenda(pair_id=pair.id),
                    coach.agenda_context(pair.id).model_dump_json(),
                ),
                "actions": (
                    lambda: coach.extract_actions(NOTES, pair_id=pair.id),
                    NOTES,
                ),
            }
            for run, _ in tasks.values():  # open stores, load the model, first connection
                run()
            print(
                "| task | calls | wall p50 | overhead p50 | overhead max | CPU/task | "
                "prompt chars/call | ReAct final call | prompt chars/task | ReAct/task | "
                "vs ReAct |\n|---|---|---|---|---|---|---|---|---|---|---|"
            )
            for name, (run, text) in tasks.items():
                walls, overheads, cpus, calls = [], [], [], 0
                _received(base_url)
                for _ in range(runs):
                    before = len(coach.chat_client.records)
                    started, cpu = time.perf_counter(), time.process_time()
                    run()
                    wall = time.perf_counter() - started
                    cpus.append(time.process_time() - cpu)
                    calls = len(coach.chat_client.records) - before
                    walls.append(wall)
                    overheads.append((wall - calls * delay) / wall)
                sent = _received(base_url)
                per_call = statistics.mean(sent) if sent else 0
                per_task = sum(sent) / runs
                found = coach.knowledge.search(text[:QUERY_LIMIT], k=TOP_K)
                first, final = (call_chars(call) for call in react_calls(text, found))
                print(
                    f"| {name} | {calls} | {statistics.median(walls):.3f} s | "
                    f"{statistics.median(overheads) * 100:.1f} % | "
                    f"{max(overheads) * 100:.1f} % | {statistics.median(cpus) * 1000:.0f} ms | "
                    f"{per_call:,.0f} | {final:,} | {per_task:,.0f} | {first + final:,} | "
                    f"{per_task / (first + final):.2f}x |"
                )


if __name__ == "__main__":
    main()
