"""`langgraph dev` on loopback serving langgraph.json's graphs, driven through langgraph_sdk.

Skipped (not failed) only when the environment cannot run the server at all: the
`langgraph-cli[inmem]` or `langgraph-sdk` packages are not installed (they come with the dev
extra), or this machine does not allow listening on 127.0.0.1. A server that is installed
but fails to start or to answer is a test failure.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from agent.api import Coach
from agent.config import Settings

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
APPROACH = "I would roll back the deploy first, then page my lead and check the migration."
UPCOMING = "Next Friday I ship a schema change to the billing service on my own."


def _loopback_port() -> int:
    try:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return int(sock.getsockname()[1])
    except OSError as exc:
        pytest.skip(f"cannot listen on 127.0.0.1 here: {exc}")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """`langgraph dev` with COACH_HOME in a temporary folder; yields (url, COACH_HOME)."""
    for module in ("langgraph_cli", "langgraph_runtime_inmem", "langgraph_sdk"):
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"{module} is not installed: pip install -e '.[dev]'")
    work = tmp_path_factory.mktemp("langgraph-dev")
    home = work / "home"
    with Coach(Settings(home=home, engine="offline")) as coach:
        coach.add_pair(mentor="Ana Silva", mentee="Ben Okafor", goals=["Lead a design review"])
    port = _loopback_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "COACH_"))},
        "COACH_HOME": str(home),
        "COACH_ENGINE": "offline",
        "LANGSMITH_TRACING": "false",
        "LANGGRAPH_CLI_NO_ANALYTICS": "1",
    }
    log_path = work / "server.log"
    tail = lambda: log_path.read_text(errors="replace")[-3000:]  # noqa: E731
    log = log_path.open("wb")
    cli = Path(sys.executable).with_name("langgraph")
    command = [str(cli), "dev", "--no-browser", "--no-reload", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--config", str(ROOT / "langgraph.json")]
    proc = subprocess.Popen(
        command,
        cwd=work,  # the dev server keeps its own state (.langgraph_api) in its working folder
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            if proc.poll() is not None:
                pytest.fail(
                    f"langgraph dev exited {proc.returncode}: {log_path.read_text()[-3000:]}"
                )
            try:
                if httpx.get(f"{url}/ok", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"langgraph dev not ready in 180 s: {tail()}")
            time.sleep(0.5)
        yield url, home
    finally:
        # The server runs reloader and worker processes: stop the whole group we started.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        log.close()


def _client(url: str) -> Any:
    from langgraph_sdk import get_sync_client

    return get_sync_client(url=url, timeout=120)


def test_both_graphs_are_served(server: tuple[str, Path]) -> None:
    graphs = {a["graph_id"] for a in _client(server[0]).assistants.search()}
    assert graphs == {"coach", "simulation"}


def test_reframe_run_uses_the_knowledge_base_from_the_context(server: tuple[str, Path]) -> None:
    client = _client(server[0])
    out = client.runs.wait(
        None,
        "coach",
        input={"text": "Why didn't you finish the chapter again?", "task": "reframe"},
        context={"engine": "offline", "top_k": 3},
    )
    assert out["intent"] == "reframe" and out["engine"] == "offline"
    result = out["result"]
    assert result["judgemental"] is True and "again" in result["markers"]
    assert result["questions"] and all(q["question"].endswith("?") for q in result["questions"])
    assert result["citations"] and set(c["id"] for c in result["citations"]) <= set(
        out["retrieved"]
    )
    assert all(c["url"].startswith("https://") for c in result["citations"])
    # A run with no context gets the configured engine and the same knowledge base.
    plain = client.runs.wait(None, "coach", input={"text": "how do we split the hour?"})
    assert plain["engine"] == "offline" and plain["retrieved"]


def test_a_run_for_an_unknown_pair_says_so(server: tuple[str, Path]) -> None:
    client = _client(server[0])
    thread = client.threads.create()["thread_id"]
    # It reached the client as "NotFoundError: An internal error occurred".
    with pytest.raises(Exception, match="no pair with id 'nope'"):
        client.runs.wait(thread, "simulation", input={"pair_id": "nope"}, raise_error=True)


def test_full_simulation_with_interrupts_and_resumes(server: tuple[str, Path]) -> None:
    url, home = server
    client = _client(url)
    thread = client.threads.create()["thread_id"]
    # APPROACH answers the checkout incident; for another scenario it is off topic (asked again).
    start = {"pair_id": "ana-ben", "exercise": "experience", "scenario_id": "checkout-incident-2am"}
    client.runs.wait(thread, "simulation", input=start)
    state = client.threads.get_state(thread)
    (gate,) = state["interrupts"]
    assert gate["value"]["step"] == "approach"
    assert "answer" in gate["value"]["can"] and gate["value"]["prompt"].strip()
    scenario = state["values"]["scenario"]
    assert scenario["response"] not in gate["value"]["prompt"]  # the mentor's answer is hidden

    # Not an attempt: asked again at the same step, nothing revealed.
    client.runs.wait(thread, "simulation", command={"resume": {"kind": "answer", "text": "idk"}})
    state = client.threads.get_state(thread)
    assert [i["value"]["step"] for i in state["interrupts"]] == ["approach"]
    assert scenario["response"] not in state["interrupts"][0]["value"]["prompt"]

    client.runs.wait(thread, "simulation", command={"resume": {"kind": "answer", "text": APPROACH}})
    state = client.threads.get_state(thread)
    assert [i["value"]["step"] for i in state["interrupts"]] == ["upcoming"]
    assert state["values"]["approach"] == APPROACH
    assert state["values"]["comparison"]

    client.runs.wait(thread, "simulation", command={"resume": {"kind": "answer", "text": UPCOMING}})
    state = client.threads.get_state(thread)
    values = state["values"]
    assert state["interrupts"] == [] and state["next"] == []
    assert values["done"] is True and values["plan"] and values["item_ids"]
    # The plan was saved on the pair in COACH_HOME's store, where the CLI sees it.
    with Coach(Settings(home=home, engine="offline")) as coach:
        open_ids = {item.id for item in coach.items("ana-ben")}
    assert set(values["item_ids"]) <= open_ids
