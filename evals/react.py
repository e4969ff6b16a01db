"""The prompts a plain ReAct agent with one retrieval tool would send for the same request.

This is the yardstick for the coach's prompt size (issue 12): the eval report and
``bench/bench_llm.py`` put the characters the coach sent per task beside these. The agent
gets the request as its user message and a ``search_guides`` tool; it makes two calls:
one that asks for the tool, and one that answers from the tool's result (the top 5
passages as JSON, as a tool returns them). Every call carries the system prompt and the
tool's definition. Nothing is sent anywhere: the messages are built and measured.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import prompts
from knowledge.models import Passage

TOP_K = 5
QUERY_LIMIT = 2000  # the coach's own search caps a query at this many characters

SEARCH_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "search_guides",
        "description": "Search the mentoring guide corpus for passages relevant to a query.",
        "parameters": {
            "type": "object",
            "properties": {"query": {"type": "string"}, "k": {"type": "integer"}},
            "required": ["query"],
        },
    },
}


def react_calls(request: str, passages: Sequence[Passage]) -> list[list[dict[str, str]]]:
    """The messages of the agent's two calls: the tool request, then the answer."""
    first = [
        {"role": "system", "content": prompts.load("react_agent").strip()},
        {"role": "user", "content": request},
    ]
    arguments = json.dumps({"query": request[:QUERY_LIMIT], "k": TOP_K})
    result = json.dumps([p.model_dump(mode="json") for p in passages])
    second = [
        *first,
        {"role": "assistant", "content": arguments},
        {"role": "tool", "content": result},
    ]
    return [first, second]


def call_chars(messages: Sequence[dict[str, str]]) -> int:
    """Characters of one call's prompt: its messages plus the tool definition it carries."""
    tool = json.dumps(SEARCH_TOOL, separators=(",", ":"))
    return sum(len(m["content"]) for m in messages) + len(tool)


def react_chars(request: str, passages: Sequence[Passage]) -> int:
    """Prompt characters the agent sends for one request, both calls together."""
    return sum(call_chars(call) for call in react_calls(request, passages))
