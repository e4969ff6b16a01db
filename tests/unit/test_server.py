"""agent.server: the context class server runs get, and the store adapter it serves pairs from."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from langgraph.store.memory import InMemoryStore

from agent.config import Settings
from agent.server import ThreadedStore, coach_graph, server_context, simulation_graph


def test_empty_context_gets_the_configured_engine_and_clients(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", engine="offline")
    schema = server_context(settings)
    context = schema()  # what the server builds from a run that sends no context
    assert (context.engine, context.top_k, context.chat) == ("offline", 5, None)
    assert context.knowledge is schema(top_k=3).knowledge  # opened once, shared by runs
    assert set(schema.__dataclass_fields__) == {"engine", "top_k"}  # only JSON is settable
    with pytest.raises(ValueError, match="engine llm needs OPENAI_API_KEY"):
        schema(engine="llm")
    with pytest.raises(ValueError, match="top_k must be between"):
        schema(top_k=0)


def test_factories_compile_with_a_json_context_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_ENGINE", "offline")
    for graph in (coach_graph(), simulation_graph()):
        schema = graph.get_context_jsonschema()
        assert set(schema["properties"]) == {"engine", "top_k"}


def test_threaded_store_serves_async_calls_from_a_sync_store() -> None:
    store = ThreadedStore(InMemoryStore())
    store.put(("pairs",), "ana-ben", {"mentor": "Ana"})
    item = asyncio.run(store.aget(("pairs",), "ana-ben"))
    assert item is not None and item.value == {"mentor": "Ana"}


def test_a_user_error_reaches_a_server_client_with_its_message(tmp_path: Path) -> None:
    # LangGraph Server sends a run's error message only for built-in types such as
    # ValueError; an unknown pair reached the client as "An internal error occurred".
    serde = pytest.importorskip("langgraph_api.serde")
    from agent.api import Coach
    from agent.errors import CoachError

    with (
        Coach(Settings(home=tmp_path / "home", engine="offline")) as coach,
        pytest.raises(CoachError) as info,
    ):
        coach.start_simulation("nope")
    sent = serde.default(info.value)
    assert sent["error"] == "NotFoundError"
    assert sent["message"].startswith("no pair with id 'nope'")
