"""A scripted OpenAI-compatible chat-completions server on loopback, for attack tests.

Unlike tests/scripted_llm.py (an httpx.MockTransport), this is a real HTTP server on
127.0.0.1, so the coach talks to it exactly as to Ollama or llama.cpp: through
OPENAI_BASE_URL, the real ``openai`` client, sockets and timeouts.

Each script entry answers one request. An entry is a ``Scripted`` (status, JSON body,
headers, delay), a dict (the JSON content of a successful answer), a str (the raw content
of a successful answer) or a callable taking the request body and returning one of those.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Scripted:
    """One HTTP answer."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


Entry = Scripted | dict[str, Any] | str | Callable[[dict[str, Any]], Any]


def completion(content: str) -> dict[str, Any]:
    """A chat.completion body whose message is ``content``."""
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": "fake-model",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": None},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }


@dataclass
class FakeLLM:
    """The server's script and what it was sent."""

    script: list[Entry] = field(default_factory=list)
    fallback: Entry | None = None
    requests: list[dict[str, Any]] = field(default_factory=list)
    base_url: str = ""

    def answer(self, body: dict[str, Any]) -> Scripted:
        self.requests.append(body)
        if self.script:
            entry: Entry | None = self.script.pop(0)
        else:
            entry = self.fallback
        if entry is None:
            return Scripted(500, {"error": {"message": "script exhausted"}})
        if callable(entry):
            entry = entry(body)
        if isinstance(entry, Scripted):
            return entry
        content = entry if isinstance(entry, str) else json.dumps(entry)
        return Scripted(200, completion(content))

    def formats(self) -> list[str | None]:
        """The response_format type of every request (None when there was none)."""
        return [(r.get("response_format") or {}).get("type") for r in self.requests]


@contextmanager
def fake_llm(*script: Entry, fallback: Entry | None = None) -> Iterator[FakeLLM]:
    """Serve ``script`` on 127.0.0.1:<free port>; yields the FakeLLM with its base_url."""
    fake = FakeLLM(list(script), fallback)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            reply = fake.answer(body)
            if reply.delay:
                time.sleep(reply.delay)
            data = json.dumps(reply.body).encode()
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a deadline test)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
