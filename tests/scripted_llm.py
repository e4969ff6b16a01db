"""A scripted OpenAI-compatible endpoint at the HTTP layer (httpx.MockTransport)."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from agent.config import Settings
from agent.llm import ChatClient

Reply = dict[str, Any] | str | httpx.Response | Callable[["Request"], Any]
PASSAGE_ID = re.compile(r'<data name="passage ([0-9a-f]+)">')


@dataclass
class Request:
    """What the coach sent in one chat-completion request."""

    body: dict[str, Any]

    @property
    def schema_name(self) -> str | None:
        fmt = self.body.get("response_format") or {}
        return (fmt.get("json_schema") or {}).get("name")

    @property
    def text(self) -> str:
        return "\n".join(str(m.get("content", "")) for m in self.body.get("messages", []))

    @property
    def passage_ids(self) -> list[str]:
        return PASSAGE_ID.findall(self.text)


def completion(content: str, model: str = "scripted-model") -> dict[str, Any]:
    """A chat.completion body with usage."""
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": None},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": {"prompt_tokens": 120, "completion_tokens": 40, "total_tokens": 160},
    }


@dataclass
class ScriptedLLM:
    """Answers requests from a script, one entry per request; records every request."""

    script: list[Reply] = field(default_factory=list)
    delay: float = 0.0
    fallback: Reply | None = None  # answers every request once the script is used up
    requests: list[Request] = field(default_factory=list)

    def handler(self, request: httpx.Request) -> httpx.Response:
        seen = Request(json.loads(request.content or b"{}"))
        self.requests.append(seen)
        if self.delay:
            time.sleep(self.delay)
        if not self.script and self.fallback is None:
            return httpx.Response(500, json={"error": {"message": "script exhausted"}})
        reply = self.script.pop(0) if self.script else self.fallback
        if callable(reply):
            reply = reply(seen)
        if isinstance(reply, httpx.Response):
            return reply
        content = reply if isinstance(reply, str) else json.dumps(reply)
        return httpx.Response(200, json=completion(content))

    def http_client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self.handler))

    def chat_client(self, settings: Settings | None = None) -> ChatClient:
        settings = settings or Settings(openai_api_key="sk-test-not-real", engine="llm")
        return ChatClient.from_settings(
            settings, http_client=self.http_client(), sleep=lambda _: None
        )
