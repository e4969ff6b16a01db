"""agent.llm through the real openai client, with scripted answers at the HTTP layer.

Each test hands the SDK an ``httpx.Client`` (or an ``httpx2.Client``: openai 3.x's native
client family, which production uses) on a ``MockTransport`` whose handler plays a script
of responses and transport errors. Nothing touches the network and nothing really sleeps:
the client's sleep is a recorder.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Literal

import pytest
from pydantic import BaseModel

from agent.config import Settings
from agent.errors import CoachError
from agent.llm import MAX_REPAIRS, ChatClient, LLMError, LLMOutputError

API_KEY = "sk-test-Sup3rS3cretKey-0123456789"
BASE_URL = "http://llm.test/v1"
MODEL = "coach-test-model"


class Verdict(BaseModel):
    label: Literal["curious", "judgemental"]
    score: int
    reasons: list[str]


VALID = {"label": "curious", "score": 4, "reasons": ["open question", "no blame"]}
VALID_JSON = json.dumps(VALID)


# ------------------------------------------------------------------ scripted server


@dataclass
class Reply:
    """An HTTP response the server sends."""

    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Fail:
    """A transport error the server raises instead of answering (e.g. "ReadTimeout")."""

    error: str


Step = Reply | Fail


def completion(
    content: str | None,
    *,
    prompt_tokens: int = 50,
    completion_tokens: int = 20,
    finish_reason: str = "stop",
    refusal: str | None = None,
) -> Reply:
    """A realistic chat.completion body."""
    return Reply(
        200,
        {
            "id": "chatcmpl-test123",
            "object": "chat.completion",
            "created": 1_760_000_000,
            "model": MODEL,
            "system_fingerprint": "fp_test",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content, "refusal": refusal},
                    "logprobs": None,
                    "finish_reason": finish_reason,
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        },
        {"x-request-id": "req_test"},
    )


def api_error(
    status: int,
    message: str,
    *,
    type_: str = "invalid_request_error",
    code: str | None = None,
    param: str | None = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    """An OpenAI-style error body."""
    error = {"message": message, "type": type_, "param": param, "code": code}
    return Reply(status, {"error": error}, headers or {})


class Server:
    """Plays ``steps`` in order, one per request, and keeps what it was sent."""

    def __init__(self, http: ModuleType, steps: list[Step]) -> None:
        self.http = http
        self.steps = list(steps)
        self.bodies: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []

    def __call__(self, request: Any) -> Any:
        self.bodies.append(json.loads(request.content))
        self.headers.append(dict(request.headers))
        assert self.steps, "the client sent more requests than the script has answers"
        step = self.steps.pop(0)
        if isinstance(step, Fail):
            raise getattr(self.http, step.error)("scripted failure", request=request)
        return self.http.Response(step.status, json=step.body, headers=step.headers)

    @property
    def count(self) -> int:
        return len(self.bodies)

    def http_client(self) -> Any:
        return self.http.Client(transport=self.http.MockTransport(self))


@pytest.fixture(params=["httpx", "httpx2"])
def http(request: pytest.FixtureRequest) -> ModuleType:
    """The HTTP client family: legacy httpx (runtime escape hatch) and native httpx2."""
    module: ModuleType = pytest.importorskip(request.param)
    return module


@pytest.fixture(autouse=True)
def _no_endpoint_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "COACH_MODEL", "COACH_LLM_MAX_ATTEMPTS"):
        monkeypatch.delenv(name, raising=False)


@dataclass
class Harness:
    server: Server
    client: ChatClient
    waits: list[float]


MakeClient = Callable[..., Harness]


@pytest.fixture
def make(http: ModuleType) -> MakeClient:
    def build(
        steps: list[Step],
        *,
        max_attempts: int = 4,
        api_key: str | None = API_KEY,
        base_url: str | None = BASE_URL,
        retry_timeouts: bool = False,
    ) -> Harness:
        server = Server(http, steps)
        waits: list[float] = []
        settings = Settings(
            OPENAI_API_KEY=api_key,
            OPENAI_BASE_URL=base_url,
            model=MODEL,
            llm_max_attempts=max_attempts,
            llm_timeout=5.0,
            llm_retry_timeouts=retry_timeouts,
        )
        client = ChatClient.from_settings(settings, server.http_client(), sleep=waits.append)
        return Harness(server, client, waits)

    return build


MESSAGES = [
    {"role": "system", "content": "You classify mentoring questions."},
    {"role": "user", "content": "Why did you break the build again?"},
]


def last_user_message(body: dict[str, Any]) -> str:
    return str([m for m in body["messages"] if m["role"] == "user"][-1]["content"])


# ------------------------------------------------------------------ structured output


def test_valid_structured_output_is_parsed_and_usage_recorded(make: MakeClient) -> None:
    h = make([completion(VALID_JSON, prompt_tokens=123, completion_tokens=45)])

    result = h.client.structured(MESSAGES, Verdict, task="reframe", temperature=0.1)

    assert result == Verdict(**VALID)
    assert h.server.count == 1
    sent = h.server.bodies[0]
    assert sent["model"] == MODEL
    assert sent["temperature"] == 0.1
    assert sent["messages"] == MESSAGES
    rf = sent["response_format"]
    assert rf["type"] == "json_schema"
    assert rf["json_schema"]["name"] == "Verdict"
    assert rf["json_schema"]["strict"] is True
    assert set(rf["json_schema"]["schema"]["required"]) == {"label", "score", "reasons"}
    assert h.server.headers[0]["authorization"] == f"Bearer {API_KEY}"
    [record] = h.client.records
    assert (record.task, record.model) == ("reframe", MODEL)
    assert (record.prompt_tokens, record.completion_tokens) == (123, 45)
    assert record.latency_s >= 0
    assert (record.attempts, record.ok) == (1, True)
    assert h.waits == []


@pytest.mark.parametrize(
    ("bad", "error_text"),
    [
        ('Sure! Here it is: {"label": "curious", "score": 4', "Invalid JSON"),
        ('{"label": "curious", "score": "high", "reasons": []}', "score: Input should be"),
        ('{"label": "nosy", "score": 1, "reasons": []}', "label: Input should be 'curious'"),
    ],
)
def test_invalid_answer_is_repaired_once(make: MakeClient, bad: str, error_text: str) -> None:
    h = make([completion(bad, prompt_tokens=10), completion(VALID_JSON, prompt_tokens=30)])

    result = h.client.structured(MESSAGES, Verdict, task="reframe")

    assert result == Verdict(**VALID)
    assert h.server.count == 2
    repair = h.server.bodies[1]
    assert repair["messages"][: len(MESSAGES)] == MESSAGES
    assert repair["messages"][len(MESSAGES)] == {"role": "assistant", "content": bad}
    assert error_text in last_user_message(repair)
    assert "JSON" in last_user_message(repair)
    assert repair["response_format"]["type"] == "json_schema"
    assert [r.ok for r in h.client.records] == [False, True]
    assert h.client.usage_summary()["reframe"].prompt_tokens == 40
    assert h.waits == []  # a bad answer is repaired at once, not backed off


def test_always_invalid_raises_output_error_after_one_repair(make: MakeClient) -> None:
    h = make([completion("not json at all") for _ in range(1 + MAX_REPAIRS)])

    with pytest.raises(LLMOutputError) as caught:
        h.client.structured(MESSAGES, Verdict, task="reframe")

    assert MAX_REPAIRS == 1
    assert h.server.count == 2
    assert isinstance(caught.value, CoachError)
    message = str(caught.value)
    assert "\n" not in message
    assert "Verdict" in message and "reframe" in message and "Invalid JSON" in message
    assert [r.ok for r in h.client.records] == [False, False]
    # the repair restarts from the original conversation plus only the latest bad answer
    assert len(h.server.bodies[1]["messages"]) == len(MESSAGES) + 2


def test_refusal_is_sent_back_for_repair(make: MakeClient) -> None:
    h = make([completion(None, refusal="I can't help with that."), completion(VALID_JSON)])

    assert h.client.structured(MESSAGES, Verdict, task="reframe") == Verdict(**VALID)
    assert "refusal" in last_user_message(h.server.bodies[1])


def test_fenced_json_is_accepted_without_a_repair(make: MakeClient) -> None:
    h = make([completion(f"```json\n{VALID_JSON}\n```")])

    assert h.client.structured(MESSAGES, Verdict, task="reframe") == Verdict(**VALID)
    assert h.server.count == 1


def test_repair_helper_sends_the_rejected_answer_and_the_problems(make: MakeClient) -> None:
    h = make([completion(VALID_JSON)])
    rejected = Verdict(label="judgemental", score=1, reasons=["you always break it"])

    result = h.client.repair(
        MESSAGES,
        Verdict,
        rejected,
        ["reason 1 uses judgemental language: 'always'"],
        task="reframe",
    )

    assert result == Verdict(**VALID)
    sent = h.server.bodies[0]["messages"]
    assert sent[len(MESSAGES)] == {"role": "assistant", "content": rejected.model_dump_json()}
    assert "judgemental language: 'always'" in sent[-1]["content"]


# ------------------------------------------------------------ json_schema fallback


SCHEMA_UNSUPPORTED = Reply(
    400,
    {
        "error": {
            "code": 400,
            "message": "Unsupported response_format type: json_schema",
            "type": "invalid_request_error",
        }
    },
)


def test_endpoint_without_json_schema_falls_back_to_json_object(make: MakeClient) -> None:
    h = make([SCHEMA_UNSUPPORTED, completion(VALID_JSON), completion(VALID_JSON)])

    first = h.client.structured(MESSAGES, Verdict, task="reframe")
    second = h.client.structured(MESSAGES, Verdict, task="agenda")

    assert first == second == Verdict(**VALID)
    assert h.server.count == 3
    kinds = [body["response_format"]["type"] for body in h.server.bodies]
    assert kinds == ["json_schema", "json_object", "json_object"]
    fallback = h.server.bodies[1]["messages"]
    # the schema is merged into the caller's system message, not added as a second one
    assert [m["role"] for m in fallback] == ["system", "user"]
    assert fallback[0]["content"].startswith(MESSAGES[0]["content"])
    assert '"reasons"' in fallback[0]["content"] and "JSON Schema" in fallback[0]["content"]
    assert h.client.structured_mode == "json_object"
    assert [r.ok for r in h.client.records] == [False, True, True]
    assert h.waits == []


def test_fallback_validates_and_repairs_in_json_object_mode(make: MakeClient) -> None:
    h = make([SCHEMA_UNSUPPORTED, completion('{"label": "curious"}'), completion(VALID_JSON)])

    assert h.client.structured(MESSAGES, Verdict, task="reframe") == Verdict(**VALID)
    assert h.server.count == 3
    assert "score: Field required" in last_user_message(h.server.bodies[2])
    assert h.server.bodies[2]["response_format"] == {"type": "json_object"}


def test_endpoint_without_json_object_falls_back_to_prompt_only(make: MakeClient) -> None:
    no_json_object = api_error(
        400, "'response_format.type' must be 'json_schema' or 'text'", param="response_format"
    )
    h = make([SCHEMA_UNSUPPORTED, no_json_object, completion(VALID_JSON)])

    assert h.client.structured(MESSAGES, Verdict, task="reframe") == Verdict(**VALID)
    assert "response_format" not in h.server.bodies[2]
    assert h.client.structured_mode == "prompt"


# ------------------------------------------------------------------ retries


def test_429_honours_retry_after_seconds(make: MakeClient) -> None:
    busy = api_error(429, "Rate limit reached", type_="requests", headers={"Retry-After": "2"})
    h = make([busy, completion(VALID_JSON)])

    assert h.client.structured(MESSAGES, Verdict, task="reframe") == Verdict(**VALID)
    assert h.server.count == 2
    assert h.waits == [2.0]
    [record] = h.client.records
    assert (record.attempts, record.ok) == (2, True)


def test_429_honours_retry_after_ms_and_caps_long_waits(make: MakeClient) -> None:
    h = make(
        [
            api_error(429, "slow down", headers={"retry-after-ms": "1500", "retry-after": "9"}),
            api_error(429, "slow down", headers={"Retry-After": "3600"}),
            completion(VALID_JSON),
        ]
    )

    h.client.structured(MESSAGES, Verdict, task="reframe")

    assert h.waits == [1.5, 30.0]


def test_429_insufficient_quota_is_not_retried(make: MakeClient) -> None:
    quota = api_error(
        429,
        "You exceeded your current quota, please check your plan and billing details.",
        type_="insufficient_quota",
        code="insufficient_quota",
    )
    h = make([quota, completion(VALID_JSON)])

    with pytest.raises(LLMError) as caught:
        h.client.structured(MESSAGES, Verdict, task="reframe")

    assert h.server.count == 1
    assert h.waits == []
    assert "quota" in str(caught.value) and "429" in str(caught.value)
    assert caught.value.status_code == 429
    assert not isinstance(caught.value, LLMOutputError)


def test_500_is_retried_with_backoff(make: MakeClient) -> None:
    h = make(
        [api_error(500, "The server had an error", type_="server_error"), completion(VALID_JSON)]
    )

    assert h.client.structured(MESSAGES, Verdict, task="reframe") == Verdict(**VALID)
    assert h.server.count == 2
    [wait] = h.waits
    assert 0 < wait <= 30.0


def test_5xx_gives_up_after_max_attempts(make: MakeClient) -> None:
    h = make([api_error(503, "overloaded", type_="server_error")] * 3, max_attempts=3)

    with pytest.raises(LLMError, match=r"HTTP 503 after 3 attempts"):
        h.client.structured(MESSAGES, Verdict, task="reframe")

    assert h.server.count == 3
    assert len(h.waits) == 2
    # exponential: the second wait's floor is above the first one's
    assert h.waits[1] >= 2.0 and h.waits[0] >= 1.0


def test_401_is_not_retried_and_never_leaks_the_key(
    make: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    h = make(
        [
            api_error(401, f"Incorrect API key provided: {API_KEY}.", code="invalid_api_key"),
            completion(VALID_JSON),
        ]
    )

    with pytest.raises(LLMError) as caught:
        h.client.structured(MESSAGES, Verdict, task="reframe")

    assert h.server.count == 1
    message = str(caught.value)
    assert "401" in message and "API key" in message
    assert "\n" not in message
    assert API_KEY not in message
    assert caught.value.__cause__ is None  # the SDK error carries the request headers
    assert API_KEY not in caplog.text
    assert caplog.text  # the failure was logged, just not the key
    assert API_KEY not in repr(h.client)


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (api_error(400, "Invalid value for 'temperature'", param="temperature"), "(400)"),
        (api_error(403, "Project does not have access to model"), "(403)"),
        (api_error(404, f"The model `{MODEL}` does not exist", code="model_not_found"), "(404)"),
    ],
)
def test_client_errors_are_not_retried(make: MakeClient, reply: Reply, expected: str) -> None:
    h = make([reply, completion(VALID_JSON)])

    with pytest.raises(LLMError) as caught:
        h.client.structured(MESSAGES, Verdict, task="reframe")

    assert h.server.count == 1
    assert expected in str(caught.value)
    assert reply.body["error"]["message"] in str(caught.value)
    assert h.client.structured_mode == "json_schema"  # not mistaken for a format rejection


AZURE_STYLE_KEY = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"


@pytest.mark.parametrize("key", [API_KEY, AZURE_STYLE_KEY])
def test_server_text_in_error_messages_has_the_key_masked(make: MakeClient, key: str) -> None:
    h = make([api_error(403, f"key {key} is blocked; so is sk-otherKey12345678")], api_key=key)

    with pytest.raises(LLMError) as caught:
        h.client.structured(MESSAGES, Verdict, task="reframe")

    message = str(caught.value)
    assert key not in message
    assert "sk-otherKey" not in message
    assert "is blocked" in message


def test_timeout_is_not_resent_by_default(make: MakeClient) -> None:
    h = make([Fail("ReadTimeout")], max_attempts=3)

    with pytest.raises(LLMError) as caught:
        h.client.structured(MESSAGES, Verdict, task="reframe")

    assert h.server.count == 1
    assert "timed out after 1 attempt" in str(caught.value)
    assert h.waits == []


def test_timeout_on_every_attempt_when_resending_is_asked_for(make: MakeClient) -> None:
    h = make([Fail("ReadTimeout")] * 3, max_attempts=3, retry_timeouts=True)

    with pytest.raises(LLMError) as caught:
        h.client.structured(MESSAGES, Verdict, task="reframe")

    assert h.server.count == 3
    assert "timed out after 3 attempts" in str(caught.value)
    assert "llm.test" in str(caught.value)
    assert len(h.waits) == 2
    [record] = h.client.records
    assert (record.attempts, record.ok, record.prompt_tokens) == (3, False, 0)


def test_connection_error_then_success(make: MakeClient) -> None:
    h = make([Fail("ConnectError"), completion(VALID_JSON)])

    assert h.client.structured(MESSAGES, Verdict, task="reframe") == Verdict(**VALID)
    assert h.server.count == 2
    assert len(h.waits) == 1


def test_connection_error_every_time_names_the_endpoint(make: MakeClient) -> None:
    h = make([Fail("ConnectError")] * 2, max_attempts=2)

    with pytest.raises(LLMError, match=r"could not connect .*http://llm\.test/v1.* 2 attempts"):
        h.client.structured(MESSAGES, Verdict, task="reframe")


# ------------------------------------------------------------- text, usage, setup


def test_text_completion(make: MakeClient) -> None:
    h = make([completion("Hello Sam,\n\nSee you Thursday.", prompt_tokens=7, completion_tokens=9)])

    assert h.client.text(MESSAGES, task="email") == "Hello Sam,\n\nSee you Thursday."
    assert "response_format" not in h.server.bodies[0]
    assert h.client.records[0].completion_tokens == 9


def test_usage_summary_totals_per_task(make: MakeClient) -> None:
    h = make(
        [
            completion("oops", prompt_tokens=10, completion_tokens=1),
            completion(VALID_JSON, prompt_tokens=20, completion_tokens=5),
            completion(VALID_JSON, prompt_tokens=100, completion_tokens=50),
            completion("Dear Sam", prompt_tokens=3, completion_tokens=4),
        ]
    )
    h.client.structured(MESSAGES, Verdict, task="reframe")
    h.client.structured(MESSAGES, Verdict, task="agenda")
    h.client.text(MESSAGES, task="email")

    summary = h.client.usage_summary()

    assert set(summary) == {"reframe", "agenda", "email"}
    reframe = summary["reframe"]
    assert (reframe.calls, reframe.failed, reframe.attempts) == (2, 1, 2)
    assert (reframe.prompt_tokens, reframe.completion_tokens, reframe.total_tokens) == (30, 6, 36)
    assert summary["agenda"].total_tokens == 150
    assert summary["email"].calls == 1


def test_base_url_without_key_uses_a_placeholder_key(make: MakeClient) -> None:
    h = make([completion(VALID_JSON)], api_key=None, base_url="http://localhost:11434/v1")

    h.client.structured(MESSAGES, Verdict, task="reframe")

    assert h.server.headers[0]["authorization"] == "Bearer not-needed"
    assert h.client.endpoint == "http://localhost:11434/v1/"


def test_no_endpoint_configured_is_a_clear_error() -> None:
    with pytest.raises(LLMError, match="OPENAI_API_KEY or OPENAI_BASE_URL"):
        ChatClient.from_settings(Settings())


def test_sdk_retries_are_off_even_for_a_caller_built_client(http: ModuleType) -> None:
    import openai

    server = Server(http, [api_error(500, "boom")] * 2)
    sdk = openai.OpenAI(api_key=API_KEY, base_url=BASE_URL, http_client=server.http_client())
    assert sdk.max_retries > 0
    client = ChatClient(sdk, MODEL, max_attempts=1, sleep=lambda _: None)

    with pytest.raises(LLMError):
        client.structured(MESSAGES, Verdict, task="reframe")

    assert server.count == 1
