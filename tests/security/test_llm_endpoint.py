"""Issue 11, items 12-15: a faulty OpenAI-compatible endpoint on loopback.

The coach talks to a real HTTP server on 127.0.0.1 through OPENAI_BASE_URL and the real
``openai`` client; the server plays scripted answers and counts requests.
"""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

import pytest
from pydantic import BaseModel

from agent.api import Coach
from agent.config import Settings
from agent.errors import LLMError, LLMOutputError
from agent.llm import ChatClient
from knowledge.store import KnowledgeBase
from tests.security.fake_llm import FakeLLM, Scripted, completion, fake_llm


class Verdict(BaseModel):
    label: str
    score: int


GOOD = {"label": "curious", "score": 4}
MESSAGES = [{"role": "user", "content": "Classify: how did the release go?"}]


def client_for(fake: FakeLLM, waits: list[float] | None = None, **settings: object) -> ChatClient:
    """A ChatClient configured like the CLI would be, from OPENAI_BASE_URL."""
    config = Settings(OPENAI_BASE_URL=fake.base_url, model="fake-model", **settings)  # type: ignore[arg-type]
    sleep = waits.append if waits is not None else time.sleep
    return ChatClient.from_settings(config, sleep=sleep)


def rate_limited(retry_after: str, header: str = "Retry-After") -> Scripted:
    error = {"message": "Rate limit reached", "type": "requests", "param": None, "code": None}
    return Scripted(429, {"error": error}, {header: retry_after})


# -- 12: Retry-After values that are not a sane number of seconds ---------------------------


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("Retry-After", "nan"),
        ("Retry-After", "NaN"),
        ("Retry-After", "inf"),
        ("Retry-After", "-Infinity"),
        ("Retry-After", "-5"),
        ("Retry-After", "1e308"),
        ("Retry-After", "Wed, 21 Oct 2099 07:28:00 GMT"),
        ("retry-after-ms", "nan"),
        ("retry-after-ms", "inf"),
    ],
)
def test_odd_retry_after_waits_a_finite_capped_time(header: str, value: str) -> None:
    waits: list[float] = []
    with fake_llm(rate_limited(value, header), json.dumps(GOOD)) as fake:
        client = client_for(fake, waits)
        assert client.structured(MESSAGES, Verdict, task="t") == Verdict(**GOOD)
    assert len(fake.requests) == 2
    [wait] = waits
    assert math.isfinite(wait) and 0.0 <= wait <= client.max_retry_wait


def test_retry_after_nan_does_not_crash_a_real_sleep(
    tmp_path: Path, shipped_kb: KnowledgeBase
) -> None:
    """The coach with the process's own sleep: `Retry-After: nan` used to raise ValueError."""
    with fake_llm(rate_limited("nan"), fallback=rate_limited("nan")) as fake:
        settings = Settings(
            home=tmp_path / "home",
            engine="llm",
            OPENAI_BASE_URL=fake.base_url,
            llm_max_attempts=2,
        )
        with Coach(settings, knowledge=shipped_kb) as coach:
            result = coach.ask("How do I give feedback on a pull request?")
    assert len(fake.requests) == 2  # retried once with a finite wait, then fell back
    assert result.answer and result.engine == "offline"


# -- 13: llama.cpp answers an unsupported response_format with HTTP 500 ---------------------

# llama-server's words (ggml-org/llama.cpp; ik_llama.cpp#778 quotes them).
LLAMA_CPP_500 = Scripted(
    500,
    {
        "error": {
            "code": 500,
            "message": 'response_format type must be one of "text" or "json_object", '
            "but got: json_schema",
            "type": "server_error",
        }
    },
)
# llama-cpp-python's server before it answered 400 for a schema it cannot convert.
LLAMA_CPP_SCHEMA_500 = Scripted(
    500,
    {
        "error": {
            "code": 500,
            "message": "JSON schema conversion failed: Unrecognized schema",
            "type": "server_error",
        }
    },
)


def _like_llama_cpp(body: dict[str, object]) -> object:
    fmt = body.get("response_format") or {}
    if isinstance(fmt, dict) and fmt.get("type") == "json_schema":
        return LLAMA_CPP_500
    return json.dumps(GOOD)


@pytest.mark.parametrize("refusal", [LLAMA_CPP_500, LLAMA_CPP_SCHEMA_500])
def test_500_naming_the_format_steps_down_without_retrying(refusal: Scripted) -> None:
    waits: list[float] = []
    with fake_llm(refusal, fallback=json.dumps(GOOD)) as fake:
        client = client_for(fake, waits)
        assert client.structured(MESSAGES, Verdict, task="t") == Verdict(**GOOD)
    assert fake.formats() == ["json_schema", "json_object"]
    assert waits == []  # no backoff: a format refusal is not transient


def test_step_down_is_remembered_for_the_rest_of_the_process() -> None:
    with fake_llm(fallback=_like_llama_cpp) as fake:
        first = client_for(fake)
        first.structured(MESSAGES, Verdict, task="t")
        first.structured(MESSAGES, Verdict, task="t")
        second = client_for(fake)  # e.g. the next pair of `coach email --all`
        second.structured(MESSAGES, Verdict, task="t")
    assert fake.formats() == ["json_schema", "json_object", "json_object", "json_object"]
    assert second.structured_mode == "json_object"


def test_a_plain_500_is_still_retried() -> None:
    waits: list[float] = []
    crash = Scripted(500, {"error": {"message": "CUDA out of memory", "type": "server_error"}})
    with fake_llm(crash, json.dumps(GOOD)) as fake:
        client = client_for(fake, waits)
        assert client.structured(MESSAGES, Verdict, task="t") == Verdict(**GOOD)
    assert fake.formats() == ["json_schema", "json_schema"]
    assert len(waits) == 1


# -- 14: one answer plus at most one repair per task, end to end ----------------------------


def test_structured_output_costs_at_most_two_requests() -> None:
    with fake_llm(fallback="this is not JSON") as fake:
        client = client_for(fake)
        with pytest.raises(LLMOutputError):
            client.structured(MESSAGES, Verdict, task="t")
    assert len(fake.requests) == 2


def coach_on(fake: FakeLLM, tmp_path: Path, kb: KnowledgeBase, **settings: object) -> Coach:
    config = Settings(
        home=tmp_path / "home",
        engine="llm",
        OPENAI_BASE_URL=fake.base_url,
        **settings,  # type: ignore[arg-type]
    )
    return Coach(config, knowledge=kb)


# Valid JSON for the schema, but the questions fail the guardrails (no question marks).
FAILING_REFRAME = json.dumps(
    {
        "judgemental": True,
        "markers": [],
        "topic": "the build",
        "questions": [{"question": "Tell me about the build", "rationale": "r"}],
        "cited_ids": [],
    }
)


@pytest.mark.parametrize(
    "script",
    [
        pytest.param(["not json"], id="always-invalid-json"),
        pytest.param(["not json", FAILING_REFRAME], id="format-repair-then-guardrail-failure"),
        pytest.param([FAILING_REFRAME], id="always-failing-guardrails"),
    ],
)
def test_a_reframe_costs_at_most_two_requests(
    script: list[str], tmp_path: Path, shipped_kb: KnowledgeBase
) -> None:
    with (
        fake_llm(*script[:-1], fallback=script[-1]) as fake,
        coach_on(fake, tmp_path, shipped_kb) as coach,
    ):
        result = coach.reframe("Why did you break the build again?")
    assert len(fake.requests) <= 2
    assert result.engine == "offline"  # the built-in coach answered instead
    assert result.questions


# -- 15: a total deadline per call; a timed-out request is not sent again --------------------


def test_deadline_bounds_a_slow_answer_and_nothing_is_resent() -> None:
    slow = Scripted(200, completion(json.dumps(GOOD)), delay=3.0)
    with fake_llm(fallback=slow) as fake:
        client = client_for(fake, llm_deadline=0.5, llm_timeout=60.0)
        started = time.monotonic()
        with pytest.raises(LLMError) as caught:
            client.structured(MESSAGES, Verdict, task="t")
        elapsed = time.monotonic() - started
    assert "deadline" in str(caught.value) and "COACH_LLM_DEADLINE" in str(caught.value)
    assert len(fake.requests) == 1
    assert elapsed < 3.0  # the 60 s read timeout did not apply: the deadline did


def test_read_timeout_is_not_retried_unless_asked() -> None:
    slow = Scripted(200, completion(json.dumps(GOOD)), delay=1.5)
    with fake_llm(fallback=slow) as fake:
        client = client_for(fake, llm_timeout=0.3, llm_max_attempts=4)
        with pytest.raises(LLMError, match="timed out after 1 attempt"):
            client.structured(MESSAGES, Verdict, task="t")
    assert len(fake.requests) == 1


def test_resending_after_a_timeout_is_opt_in() -> None:
    slow = Scripted(200, completion(json.dumps(GOOD)), delay=1.5)
    with fake_llm(slow, json.dumps(GOOD)) as fake:
        client = client_for(fake, [], llm_timeout=0.3, llm_max_attempts=3, llm_retry_timeouts=True)
        assert client.structured(MESSAGES, Verdict, task="t") == Verdict(**GOOD)
    assert len(fake.requests) == 2


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "soon"])
def test_bad_deadline_setting_is_refused(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_LLM_DEADLINE", value)
    with pytest.raises(ValueError, match="llm_deadline"):
        Settings()
