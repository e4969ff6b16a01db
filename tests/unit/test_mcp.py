"""`coach mcp` driven over stdio by the MCP client: tools, a reframe, a search, a pair resource."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from agent.api import Coach
from agent.cli import run
from agent.config import Settings

pytest.importorskip("mcp", reason="the mcp extra is not installed")

TOOLS = {
    "reframe",
    "search",
    "agenda",
    "questions",
    "actions",
    "simulation_start",
    "simulation_answer",
    "simulation_show",
}


def structured(result: Any) -> dict[str, Any]:
    """A tool result's JSON payload (structured content, else the text block)."""
    if getattr(result, "structured_content", None):
        data = result.structured_content
        return dict(data.get("result", data)) if isinstance(data, dict) else data
    return dict(json.loads(result.content[0].text))


async def session_run(home: Path) -> dict[str, Any]:
    from mcp.client.session import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client

    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "agent.cli", "mcp"],
        env={"COACH_HOME": str(home), "COACH_ENGINE": "offline", **_python_path()},
    )
    seen: dict[str, Any] = {}
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        seen["init"] = await session.initialize()
        tools = await session.list_tools()
        seen["tools"] = {t.name: t for t in tools.tools}
        seen["reframe"] = await session.call_tool(
            "reframe", {"question": "Why didn't you finish the chapter again?"}
        )
        seen["search"] = await session.call_tool(
            "search", {"query": "my mentee keeps not doing what we agreed", "k": 3}
        )
        seen["bad"] = await session.call_tool("search", {"query": "   "})
        seen["questions"] = await session.call_tool("questions", {"pair_id": "ana-ben"})
        seen["agenda"] = await session.call_tool(
            "agenda",
            {"context": {"mentor": "Ana", "mentee": "Ben", "session_number": 1}, "minutes": 45},
        )
        seen["agenda_bad"] = await session.call_tool(
            "agenda", {"context": {"mentor": "Ana", "mentee": "Ben"}}
        )
        seen["pair"] = await session.read_resource("pair://ana-ben")
        seen["list"] = await session.read_resource("pair://list")
        try:
            await session.read_resource("pair://ghost-pair")
        except Exception as exc:  # the protocol error for an unknown resource
            seen["ghost"] = str(exc)
    return seen


def _python_path() -> dict[str, str]:
    # The server subprocess imports this checkout, as the test process does.
    return {"PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}


def test_coach_mcp_over_stdio(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with Coach(Settings(home=home, engine="offline")) as coach:
        coach.add_pair(mentor="Ana Silva", mentee="Ben Okafor", goals=["Lead a design review"])
        coach.pairs.add_items(
            "ana-ben", [{"owner": "Ben Okafor", "action": "Draft the RFC", "due": "2020-01-03"}]
        )
    seen = asyncio.run(asyncio.wait_for(session_run(home), timeout=240))

    from importlib.metadata import version

    assert seen["init"].server_info.version == version("session-coach")  # was ""
    assert set(seen["tools"]) >= TOOLS
    assert "question" in seen["tools"]["reframe"].input_schema["properties"]

    reframed = structured(seen["reframe"])
    assert not seen["reframe"].is_error
    assert reframed["judgemental"] is True and "again" in reframed["markers"]
    assert reframed["questions"] and reframed["citations"][0]["url"].startswith("https://")

    results = structured(seen["search"])["results"]
    assert len(results) == 3 and results[0]["doc_id"] == "curiosity-over-judgement"
    assert results[0]["url"].startswith("https://www.developermentoring.guide/docs/")

    assert seen["bad"].is_error
    assert "the search query is empty" in seen["bad"].content[0].text

    assert structured(seen["questions"])["questions"]
    drafted = structured(seen["agenda"])
    assert drafted["stage"] == "first-session" and drafted["minutes"] == 45
    assert sum(block["minutes"] for block in drafted["blocks"]) == 45
    assert seen["agenda_bad"].is_error and "session_number" in seen["agenda_bad"].content[0].text

    record = json.loads(seen["pair"].contents[0].text)
    assert record["pair"]["mentor"] == "Ana Silva" and record["pair"]["goals"]
    assert [i["action"] for i in record["open_items"]] == ["Draft the RFC"]
    assert record["overdue"] == [record["open_items"][0]["id"]]
    listing = json.loads(seen["list"].contents[0].text)
    assert [p["id"] for p in listing["pairs"]] == ["ana-ben"]
    assert "no pair with id 'ghost-pair'" in seen["ghost"]


def test_coach_mcp_without_the_package_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in [m for m in sys.modules if m.startswith(("mcp.", "mcp_types"))]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "mcp", None)  # import mcp -> ImportError
    monkeypatch.delitem(sys.modules, "agent.mcp", raising=False)
    assert run(["mcp"]) == 1
    err = capsys.readouterr().err
    assert err == (
        "coach: error: coach mcp needs the mcp package: pip install 'session-coach[mcp]'\n"
    )


def test_bad_tool_arguments_are_one_line_errors(tmp_path: Path) -> None:
    from mcp.server.mcpserver.exceptions import ToolError

    from agent.mcp import build_server

    async def refusal(server: Any, name: str, arguments: dict[str, Any]) -> str:
        with pytest.raises(ToolError) as raised:
            await server.call_tool(name, arguments)
        return str(raised.value)

    async def refusals() -> list[str]:
        with Coach(Settings(home=tmp_path / "home", engine="offline")) as coach:
            server = build_server(coach)
            return [
                await refusal(server, "search", {"query": "feedback", "k": "three"}),
                await refusal(server, "search", {}),
                await refusal(server, "search", {"query": "feedback", "count": 3}),
                await refusal(server, "search", {"query": "feedback", "k": 0}),
            ]

    mistyped, missing, unknown, out_of_range = asyncio.run(refusals())
    assert mistyped == (
        "Error executing tool search: k must be a whole number, got 'three'"
    )
    assert missing == "Error executing tool search: query is required"
    # An unknown argument was dropped without a word, and the call ran without it.
    assert "no argument 'count'" in unknown and "query, k, topic, stage" in unknown
    # The API's own check names the tool's parameter, not the CLI's "-k".
    assert out_of_range.endswith(": k must be between 1 and 50, got 0")
    for message in (mistyped, missing, unknown, out_of_range):
        assert "\n" not in message and "pydantic" not in message
