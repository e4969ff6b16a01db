"""The OpenAI-compatible chat client: structured output, retries, repair and usage accounting.

One :class:`ChatClient` wraps one ``openai.OpenAI`` client and one model name. It talks to
anything that speaks the chat-completions API (OpenAI, Azure's v1 endpoint, Ollama, vLLM,
llama.cpp server, LM Studio), so it copes with the ways those servers differ:

* **Transport retries** are ours (tenacity), not the SDK's: only transient failures (429
  without ``insufficient_quota``, connection errors, 5xx) are retried, a
  ``Retry-After``/``retry-after-ms`` header is honoured up to ``max_retry_wait`` seconds
  (a value that is not a finite number of seconds or a date is ignored), otherwise the
  wait is exponential with jitter. The sleep function is injectable.
* **Deadline**: each request, its retries and waits included, ends after ``deadline``
  seconds (``COACH_LLM_DEADLINE``); every attempt's socket timeout is the time left.
  A timed-out request is not sent again unless ``retry_timeouts`` is set, because the
  server is most likely still working on it and a resend only doubles its load.
* **Structured output** goes through ``chat.completions.parse`` with a strict
  ``json_schema`` response format. When a server rejects that (HTTP 400/422, or a 500
  naming ``response_format``/``json_schema`` as llama.cpp's server sends), the client falls
  back to ``json_object`` with the schema in the system message, and then to the schema
  in the prompt alone; the step down is remembered for the rest of the process for that
  endpoint and model.
* **Repair** is a separate loop: an answer that is not valid JSON or fails validation is
  sent back with the validation error, at most :data:`MAX_REPAIRS` time (or fewer when the
  caller says how many repairs its task has left), before :class:`LLMOutputError`.
  Callers whose own guardrails reject an answer use :meth:`ChatClient.repair`.
* **Usage**: every request is one :class:`CallRecord`; :meth:`ChatClient.usage_summary`
  totals them per task.

Failures surface as one-line :class:`LLMError` messages a CLI can print. The API key never
appears in a message, a log line or a repr. Importing this module has no side effects.
"""

from __future__ import annotations

import email.utils
import json
import logging
import math
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache, partial
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Self, TypeVar, cast
from urllib.parse import urlsplit

import openai
from openai.lib._parsing import type_to_response_format_param
from pydantic import BaseModel, ConfigDict, ValidationError
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    wait_exponential_jitter,
)

from agent.errors import LLMError, LLMOutputError
from agent.text import clean_text, clean_value

if TYPE_CHECKING:
    import httpx
    import httpx2
    from openai._legacy_response import LegacyAPIResponse
    from openai.types.chat import ChatCompletionMessageParam
    from openai.types.shared_params import ResponseFormatJSONSchema

    from agent.config import Settings

__all__ = [
    "MAX_REPAIRS",
    "CallRecord",
    "ChatClient",
    "LLMError",
    "LLMOutputError",
    "TaskUsage",
    "forget_learnt_modes",
]

log = logging.getLogger(__name__)

T = TypeVar("T", bound=BaseModel)
_R = TypeVar("_R")

MAX_REPAIRS = 1
"""How many times a bad answer is sent back per task: one answer plus one repair, end to end.

The client's own format repair and a caller's guardrail repair share this budget (see the
``max_repairs`` argument of :meth:`ChatClient.structured`).
"""

# Key-less local servers (Ollama, llama.cpp, LM Studio) still need *some* bearer value,
# because the SDK refuses to build a client without one.
PLACEHOLDER_API_KEY = "not-needed"

StructuredMode = Literal["json_schema", "json_object", "prompt"]
# Each step trusts the server less: the SDK's strict schema, then JSON mode with the
# schema spelled out, then the schema in the prompt alone (e.g. LM Studio rejects
# json_object).
_MODE_ORDER: tuple[StructuredMode, ...] = ("json_schema", "json_object", "prompt")

_FORMAT_MARKERS = (
    "response_format",
    "response format",
    "json_schema",
    "json schema",
    "json_object",
)
# Step-downs learnt from an endpoint, per (endpoint, model), for the rest of the process:
# a server that rejected json_schema once will reject it for every later client too.
_LEARNT_MODES: dict[tuple[str, str], StructuredMode] = {}
_LEARNT_LOCK = threading.Lock()

_SK_PATTERN = re.compile(r"\bsk-[A-Za-z0-9_\-*.]{4,}")
_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL | re.IGNORECASE)


class CallRecord(BaseModel):
    """One chat-completion request: its tokens, wall time (retries included) and outcome.

    ``ok`` is false when the request failed or its answer was not valid for the schema.
    """

    model_config = ConfigDict(frozen=True)

    task: str
    model: str
    prompt_chars: int = 0  # characters of the messages sent: comparable across endpoints
    prompt_tokens: int
    completion_tokens: int
    latency_s: float
    attempts: int
    ok: bool


class TaskUsage(BaseModel):
    """Totals of the :class:`CallRecord` entries of one task."""

    calls: int = 0
    failed: int = 0
    attempts: int = 0
    prompt_chars: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_s: float = 0.0

    @property
    def total_tokens(self) -> int:
        """Prompt plus completion tokens."""
        return self.prompt_tokens + self.completion_tokens


@dataclass(frozen=True)
class _Answer:
    """What one completion said, read leniently from the raw JSON body."""

    content: str | None
    refusal: str | None
    finish_reason: str | None
    prompt_tokens: int
    completion_tokens: int

    @classmethod
    def from_body(cls, body: object) -> _Answer:
        # Read the wire JSON instead of the SDK's model so that an unparseable answer
        # (which makes ``parse()`` raise) still yields its text and its token counts.
        body = body if isinstance(body, dict) else {}
        choices = body.get("choices")
        choice = choices[0] if isinstance(choices, list) and choices else {}
        choice = choice if isinstance(choice, dict) else {}
        message = choice.get("message")
        message = message if isinstance(message, dict) else {}
        usage = body.get("usage")
        usage = usage if isinstance(usage, dict) else {}
        return cls(
            content=_str_or_none(message.get("content")),
            refusal=_str_or_none(message.get("refusal")),
            finish_reason=_str_or_none(choice.get("finish_reason")),
            prompt_tokens=_int(usage.get("prompt_tokens")),
            completion_tokens=_int(usage.get("completion_tokens")),
        )


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


class ChatClient:
    """A chat-completions client for one model with retries, structured output and usage.

    Args:
        client: the SDK client; it is copied with the SDK's own retries switched off,
            because retrying is this class's job and double retries multiply waits.
        model: the model name sent with every request.
        max_attempts: transport attempts per request (first try included).
        sleep: how to wait between attempts; tests pass a recorder.
        max_retry_wait: ceiling in seconds for any single wait, ``Retry-After`` included.
        deadline: seconds one request may take in total, retries and waits included.
        retry_timeouts: whether a request that timed out is sent again (off by default).
    """

    def __init__(
        self,
        client: openai.OpenAI,
        model: str,
        *,
        max_attempts: int = 4,
        sleep: Callable[[float], None] = time.sleep,
        max_retry_wait: float = 30.0,
        deadline: float = 300.0,
        retry_timeouts: bool = False,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if not (math.isfinite(deadline) and deadline > 0):
            raise ValueError("deadline must be a positive number of seconds")
        self._client = client.with_options(max_retries=0)
        self.model = model
        self.max_attempts = max_attempts
        self.max_retry_wait = max_retry_wait
        self.deadline = deadline
        self.retry_timeouts = retry_timeouts
        self._read_timeout = _read_timeout(self._client.timeout)
        self._sleep = sleep
        self._backoff = wait_exponential_jitter(multiplier=1, max=max_retry_wait, jitter=1)
        self.records: list[CallRecord] = []

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        http_client: httpx.Client | httpx2.Client | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> ChatClient:
        """Build the client for the configured endpoint (``OPENAI_API_KEY``/``OPENAI_BASE_URL``).

        A base URL without a key is a key-less local server, which gets a placeholder key.
        ``http_client`` is for tests and proxies; openai 3.x accepts a legacy
        ``httpx.Client`` at run time only, hence the cast.
        """
        api_key = settings.openai_api_key
        if not api_key:
            if not settings.openai_base_url:
                raise LLMError("no LLM endpoint configured: set OPENAI_API_KEY or OPENAI_BASE_URL")
            api_key = PLACEHOLDER_API_KEY
        client = openai.OpenAI(
            api_key=api_key,
            base_url=settings.openai_base_url,
            max_retries=0,
            timeout=settings.llm_timeout,
            http_client=cast(Any, http_client),
        )
        return cls(
            client,
            settings.model,
            max_attempts=settings.llm_max_attempts,
            sleep=sleep,
            deadline=settings.llm_deadline,
            retry_timeouts=settings.llm_retry_timeouts,
        )

    def __repr__(self) -> str:
        mode = self.structured_mode
        return f"ChatClient(model={self.model!r}, endpoint={self.endpoint!r}, mode={mode!r})"

    @property
    def endpoint(self) -> str:
        """The base URL without credentials, query or fragment; safe to print."""
        parts = urlsplit(str(self._client.base_url))
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://{host}{port}{parts.path}"

    @property
    def structured_mode(self) -> StructuredMode:
        """How structured output is requested now; it only ever steps down."""
        with _LEARNT_LOCK:
            return _LEARNT_MODES.get((self.endpoint, self.model), "json_schema")

    def _step_down(self, mode: StructuredMode) -> StructuredMode:
        """Remember that ``mode`` was rejected; return the mode to use from now on."""
        next_mode = _MODE_ORDER[_MODE_ORDER.index(mode) + 1]
        key = (self.endpoint, self.model)
        with _LEARNT_LOCK:
            current = _LEARNT_MODES.get(key, "json_schema")
            if _MODE_ORDER.index(next_mode) > _MODE_ORDER.index(current):
                _LEARNT_MODES[key] = next_mode
            return _LEARNT_MODES.get(key, next_mode)

    def close(self) -> None:
        """Close the underlying HTTP client."""
        self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # ------------------------------------------------------------------ public calls

    def structured(
        self,
        messages: Sequence[dict[str, str]],
        schema: type[T],
        *,
        task: str,
        temperature: float = 0.2,
        max_repairs: int = MAX_REPAIRS,
    ) -> T:
        """Ask for an answer that validates as ``schema``; repair it up to ``max_repairs`` times.

        A bad answer (invalid JSON, failed validation, a refusal, a truncated reply) is
        sent back with the conversation and the validation error. Raises
        :class:`LLMOutputError` when the last repair is still bad, and :class:`LLMError`
        when the endpoint fails. Use :meth:`structured_counted` to learn how many repairs
        were spent, so that a caller's own guardrail repair stays within the task's budget.
        """
        value, _ = self.structured_counted(
            messages, schema, task=task, temperature=temperature, max_repairs=max_repairs
        )
        return value

    def structured_counted(
        self,
        messages: Sequence[dict[str, str]],
        schema: type[T],
        *,
        task: str,
        temperature: float = 0.2,
        max_repairs: int = MAX_REPAIRS,
    ) -> tuple[T, int]:
        """Like :meth:`structured`, also returning how many repairs the answer took."""
        max_repairs = max(0, min(max_repairs, MAX_REPAIRS))
        conversation = list(messages)
        problem = ""
        for repairs in range(max_repairs + 1):
            answer, value, problem = self._structured_once(conversation, schema, task, temperature)
            if value is not None:
                return value, repairs
            log.info(
                "LLM task %s: invalid %s answer (%s)%s",
                task,
                schema.__name__,
                problem,
                "; asking for a repair" if repairs < max_repairs else "",
            )
            bad = answer.content if answer.content is not None else (answer.refusal or "")
            conversation = [
                *messages,
                {"role": "assistant", "content": bad or "(no answer)"},
                {"role": "user", "content": _repair_request(problem)},
            ]
        spent = f"after {max_repairs} repair{'s' if max_repairs != 1 else ''}"
        raise LLMOutputError(
            f"the LLM gave no valid {schema.__name__} for task {task!r} {spent}: {problem}"
        )

    def repair(
        self,
        messages: Sequence[dict[str, str]],
        schema: type[T],
        rejected: BaseModel | str,
        problems: str | Sequence[str],
        *,
        task: str,
        temperature: float = 0.2,
    ) -> T:
        """Ask again, once, after the caller's guardrails rejected a valid-looking answer.

        ``messages`` is the original conversation, ``rejected`` the answer that failed
        (model or raw JSON) and ``problems`` what was wrong with it, in words the model can
        act on ("the evidence quote is not in the notes: ..."). The new answer goes through
        :meth:`structured` with no repair left (this call *is* the task's repair), so it
        is schema-validated but not format-repaired; the caller re-checks its guardrails.
        """
        rejected_json = rejected.model_dump_json() if isinstance(rejected, BaseModel) else rejected
        listed = [problems] if isinstance(problems, str) else list(problems)
        feedback = "\n".join(f"- {_one_line(p)}" for p in listed)
        conversation = [
            *messages,
            {"role": "assistant", "content": rejected_json},
            {
                "role": "user",
                "content": "Your answer failed these checks:\n"
                f"{feedback}\n"
                "Fix them and reply with only the corrected JSON object.",
            },
        ]
        return self.structured(
            conversation, schema, task=task, temperature=temperature, max_repairs=0
        )

    def text(
        self,
        messages: Sequence[dict[str, str]],
        *,
        task: str,
        temperature: float = 0.2,
    ) -> str:
        """Return a plain completion's text; raise LLMOutputError when it is empty."""
        raw, attempts, latency = self._send(
            task,
            lambda timeout: self._client.chat.completions.with_raw_response.create(
                model=self.model,
                messages=_sdk_messages(messages),
                temperature=temperature,
                timeout=timeout,
            ),
            _chars(messages),
        )
        answer = _Answer.from_body(raw.http_response.json())
        ok = bool(answer.content and answer.content.strip())
        self._record(task, answer, latency, attempts, ok=ok, prompt_chars=_chars(messages))
        if not ok or answer.content is None:
            reason = f"refused: {_one_line(answer.refusal)}" if answer.refusal else "empty answer"
            raise LLMOutputError(f"the LLM gave no text for task {task!r} ({reason})")
        return clean_text(answer.content)

    def usage_summary(self) -> dict[str, TaskUsage]:
        """Totals per task over every request this client made."""
        summary: dict[str, TaskUsage] = {}
        for record in self.records:
            usage = summary.setdefault(record.task, TaskUsage())
            usage.calls += 1
            usage.failed += 0 if record.ok else 1
            usage.attempts += record.attempts
            usage.prompt_chars += record.prompt_chars
            usage.prompt_tokens += record.prompt_tokens
            usage.completion_tokens += record.completion_tokens
            usage.latency_s += record.latency_s
        return summary

    # ------------------------------------------------------------ structured output

    def _structured_once(
        self,
        messages: list[dict[str, str]],
        schema: type[T],
        task: str,
        temperature: float,
    ) -> tuple[_Answer, T | None, str]:
        """One answer (after any format fallback): (answer, value or None, problem)."""
        while True:
            mode = self.structured_mode
            sent = _chars(_sent_messages(mode, messages, schema))
            try:
                raw, attempts, latency = self._send(
                    task, partial(self._post_structured, mode, messages, schema, temperature), sent
                )
            except _FormatRejected as rejected:
                next_mode = self._step_down(mode)
                log.warning(
                    "LLM endpoint %s rejected response_format %s (%s); using %s from now on",
                    self.endpoint,
                    mode,
                    rejected.detail,
                    next_mode,
                )
                continue
            answer = _Answer.from_body(raw.http_response.json())
            value, problem = _validate(schema, answer)
            if value is not None:
                value, problem = _cleaned(schema, value)
            self._record(
                task,
                answer,
                latency,
                attempts,
                ok=value is not None,
                prompt_chars=sent,
            )
            return answer, value, problem

    def _post_structured(
        self,
        mode: StructuredMode,
        messages: list[dict[str, str]],
        schema: type[T],
        temperature: float,
        timeout: float,
    ) -> LegacyAPIResponse[Any]:
        try:
            if mode == "json_schema":
                # The strict schema is built once per model class (see _response_format) and
                # the answer validated by _validate, as in the other modes: the SDK's parse()
                # would rebuild the schema and validate the answer a second time per call.
                return self._client.chat.completions.with_raw_response.create(
                    model=self.model,
                    messages=_sdk_messages(messages),
                    response_format=_response_format(schema),
                    temperature=temperature,
                    timeout=timeout,
                )
            with_schema = _sdk_messages(_sent_messages(mode, messages, schema))
            if mode == "json_object":
                return self._client.chat.completions.with_raw_response.create(
                    model=self.model,
                    messages=with_schema,
                    response_format={"type": "json_object"},
                    temperature=temperature,
                    timeout=timeout,
                )
            return self._client.chat.completions.with_raw_response.create(
                model=self.model, messages=with_schema, temperature=temperature, timeout=timeout
            )
        except openai.APIStatusError as err:
            # 400/422 is the norm; llama.cpp's server (and llama-cpp-python's) answer a
            # format they do not support with a 500, which is no reason to retry.
            rejectable = err.status_code in (400, 422) or err.status_code >= 500
            if rejectable and mode != _MODE_ORDER[-1] and _mentions_response_format(err):
                raise _FormatRejected(self._detail(err)) from None
            raise

    # ----------------------------------------------------------------- transport

    def _send(
        self, task: str, request: Callable[[float], _R], prompt_chars: int = 0
    ) -> tuple[_R, int, float]:
        """Run ``request(timeout)`` with retries within the deadline: (result, attempts, seconds).

        Failures are recorded (with the ``prompt_chars`` that were sent all the same).
        """
        attempts = 0
        ends = time.monotonic() + self.deadline

        def attempt() -> _R:
            nonlocal attempts
            left = ends - time.monotonic()
            if left <= 0:
                raise _DeadlinePassed
            attempts += 1
            return request(min(self._read_timeout, left))

        def stop(state: RetryCallState) -> bool:
            return state.attempt_number >= self.max_attempts or time.monotonic() >= ends

        def wait(state: RetryCallState) -> float:
            # Never sleep past the deadline: the attempt after it would not run anyway.
            return max(0.0, min(self._wait(state), ends - time.monotonic()))

        def before_sleep(state: RetryCallState) -> None:
            error = state.outcome.exception() if state.outcome else None
            wait = state.next_action.sleep if state.next_action else 0.0
            log.warning(
                "LLM task %s: %s; retrying in %.1f s (attempt %d of %d)",
                task,
                self._describe(error, attempts) if isinstance(error, Exception) else "failed",
                wait,
                state.attempt_number + 1,
                self.max_attempts,
            )

        retrying = Retrying(
            stop=stop,
            retry=retry_if_exception(self._is_transient),
            wait=wait,
            sleep=self._sleep,
            before_sleep=before_sleep,
            reraise=True,
        )
        started = time.perf_counter()

        def failed() -> None:
            latency = time.perf_counter() - started
            self._record(task, None, latency, attempts, ok=False, prompt_chars=prompt_chars)

        try:
            result = retrying(attempt)
        except _FormatRejected:
            failed()
            raise
        except _DeadlinePassed:
            failed()
            message = self._late(attempts)
            log.error("LLM task %s failed: %s", task, message)
            raise LLMError(message) from None
        except openai.OpenAIError as err:
            failed()
            if isinstance(err, openai.APITimeoutError) and time.monotonic() >= ends - 0.05:
                message = self._late(attempts)
            else:
                message = self._describe(err, attempts)
            log.error("LLM task %s failed: %s", task, message)
            raise LLMError(message, status_code=_status(err)) from None
        return result, attempts, time.perf_counter() - started

    def _is_transient(self, err: BaseException) -> bool:
        if isinstance(err, openai.APITimeoutError):
            return self.retry_timeouts
        return _is_transient(err)

    def _late(self, attempts: int) -> str:
        tries = f"{attempts} attempt{'s' if attempts != 1 else ''}"
        return (
            f"the LLM endpoint {self.endpoint} did not answer within the {self.deadline:g} s "
            f"deadline ({tries}); a slow local model may need a larger COACH_LLM_DEADLINE"
        )

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        hinted = _retry_after(error)
        if hinted is not None:
            return min(hinted, self.max_retry_wait)
        return float(self._backoff(state))

    def _record(
        self,
        task: str,
        answer: _Answer | None,
        latency: float,
        attempts: int,
        *,
        ok: bool,
        prompt_chars: int = 0,
    ) -> None:
        self.records.append(
            CallRecord(
                task=task,
                model=self.model,
                prompt_chars=prompt_chars,
                prompt_tokens=answer.prompt_tokens if answer else 0,
                completion_tokens=answer.completion_tokens if answer else 0,
                latency_s=latency,
                attempts=attempts,
                ok=ok,
            )
        )

    # ------------------------------------------------------------------ messages

    def _describe(self, err: BaseException, attempts: int) -> str:
        """Explain an SDK failure in one key-free line."""
        tries = f"after {attempts} attempt{'s' if attempts != 1 else ''}"
        if isinstance(err, openai.APITimeoutError):
            return f"the LLM endpoint {self.endpoint} timed out {tries}"
        if isinstance(err, openai.APIConnectionError):
            return f"could not connect to the LLM endpoint {self.endpoint} {tries}"
        if isinstance(err, openai.AuthenticationError):
            # The server's text can echo part of the key, so it is left out entirely.
            return "the LLM endpoint rejected the API key (401); check OPENAI_API_KEY"
        if isinstance(err, openai.PermissionDeniedError):
            return f"the LLM endpoint refused access (403): {self._detail(err)}"
        if isinstance(err, openai.RateLimitError):
            if _is_insufficient_quota(err):
                return (
                    "the LLM account has no quota left (429 insufficient_quota); "
                    "check the plan and billing"
                )
            return f"the LLM endpoint kept rate-limiting (429) {tries}"
        if isinstance(err, openai.NotFoundError):
            return (
                f"the LLM endpoint has no model {self.model!r} or the URL is wrong "
                f"(404): {self._detail(err)}"
            )
        if isinstance(err, openai.BadRequestError):
            return f"the LLM endpoint rejected the request (400): {self._detail(err)}"
        if isinstance(err, openai.APIStatusError):
            if err.status_code >= 500:
                return f"the LLM endpoint failed with HTTP {err.status_code} {tries}"
            return f"the LLM endpoint answered HTTP {err.status_code}: {self._detail(err)}"
        return f"unexpected failure talking to the LLM endpoint ({type(err).__name__})"

    def _detail(self, err: openai.APIStatusError) -> str:
        """Return the server's own error text: one short line, any key masked."""
        body = err.body
        text: object = body
        if isinstance(body, dict):
            text = body.get("message") or body.get("error") or body.get("detail") or body
        if text is None or text == "":
            text = f"HTTP {err.status_code}"
        return _one_line(self._redact(text if isinstance(text, str) else json.dumps(text)))

    def _redact(self, text: str) -> str:
        secret = self._client.api_key
        if isinstance(secret, str) and len(secret) >= 4:
            text = text.replace(secret, "***")
        return _SK_PATTERN.sub("sk-***", text)


def forget_learnt_modes() -> None:
    """Forget every endpoint's structured-output step-down (for tests and long-lived servers)."""
    with _LEARNT_LOCK:
        _LEARNT_MODES.clear()


class _DeadlinePassed(Exception):
    """The request's total deadline passed before another attempt could start."""


class _FormatRejected(Exception):
    """The server refused the requested response_format; step down a mode."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


# ---------------------------------------------------------------------- helpers


def _chars(messages: Sequence[dict[str, str]]) -> int:
    return sum(len(str(m.get("content", ""))) for m in messages)


def _sdk_messages(messages: Sequence[dict[str, str]]) -> list[ChatCompletionMessageParam]:
    # The SDK types messages as role-specific TypedDicts; ours are plain role/content dicts.
    return cast("list[ChatCompletionMessageParam]", list(messages))


@cache
def _response_format(schema: type[BaseModel]) -> ResponseFormatJSONSchema:
    """The strict ``json_schema`` response format for ``schema``, built once per class."""
    return cast("ResponseFormatJSONSchema", type_to_response_format_param(schema))


def _sent_messages(
    mode: StructuredMode, messages: Sequence[dict[str, str]], schema: type[BaseModel]
) -> Sequence[dict[str, str]]:
    """The messages as sent in ``mode``: with the schema spelled out below json_schema."""
    return messages if mode == "json_schema" else _with_schema_instruction(messages, schema)


def _cleaned(schema: type[T], value: T) -> tuple[T | None, str]:
    """The answer with every string normalised like any other input (see agent.text)."""
    try:
        return schema.model_validate(clean_value(value.model_dump())), ""
    except ValidationError as err:  # e.g. a field that held only invisible characters
        return None, _summarise(err)


def _validate(schema: type[T], answer: _Answer) -> tuple[T | None, str]:
    """Validate an answer's text as ``schema``: (value, "") or (None, what was wrong)."""
    if answer.refusal and not answer.content:
        return None, f"the answer was a refusal: {_one_line(answer.refusal)}"
    if answer.finish_reason == "content_filter":
        return None, "the answer was stopped by the content filter"
    content = (answer.content or "").strip()
    if not content:
        return None, "the answer was empty"
    try:
        return schema.model_validate_json(content), ""
    except ValidationError as err:
        first_error = err
    # Local models often wrap JSON in a code fence or a sentence; try the bare object.
    candidate = _extract_json_object(content)
    if candidate is not None and candidate != content:
        try:
            return schema.model_validate_json(candidate), ""
        except ValidationError as err:
            first_error = err
    problem = _summarise(first_error)
    if answer.finish_reason == "length":
        problem = f"the answer was cut off at the token limit ({problem}); answer more briefly"
    return None, problem


def _extract_json_object(content: str) -> str | None:
    fenced = _FENCE.match(content)
    if fenced:
        content = fenced.group(1)
    start, end = content.find("{"), content.rfind("}")
    return content[start : end + 1] if 0 <= start < end else None


def _summarise(err: ValidationError, limit: int = 5) -> str:
    """Pydantic's errors as ``loc: msg`` items; never the input values."""
    items = []
    for detail in err.errors(include_url=False, include_input=False)[:limit]:
        loc = ".".join(str(part) for part in detail["loc"])
        items.append(f"{loc}: {detail['msg']}" if loc else str(detail["msg"]))
    more = err.error_count() - limit
    if more > 0:
        items.append(f"and {more} more")
    return _one_line("; ".join(items))


def _repair_request(problem: str) -> str:
    return (
        f"That answer is not valid: {problem}. "
        "Reply again with only the corrected JSON object: no prose and no code fences."
    )


@cache
def _schema_instruction(schema: type[BaseModel]) -> str:
    """The schema spelled out for a prompt, built once per model class."""
    return (
        "Reply with a single JSON object, and nothing else, that validates against this "
        f"JSON Schema:\n{json.dumps(schema.model_json_schema(), separators=(',', ':'))}"
    )


def _with_schema_instruction(
    messages: Sequence[dict[str, str]], schema: type[BaseModel]
) -> list[dict[str, str]]:
    """Spell the JSON Schema out in the system message for servers without json_schema."""
    instruction = _schema_instruction(schema)
    # Merged into a leading system message rather than added as a second one, because
    # several local chat templates reject more than one system message.
    if messages and messages[0].get("role") == "system":
        first = messages[0]
        return [{**first, "content": f"{first.get('content', '')}\n\n{instruction}"}, *messages[1:]]
    return [{"role": "system", "content": instruction}, *messages]


def _mentions_response_format(err: openai.APIStatusError) -> bool:
    if getattr(err, "param", None) == "response_format":
        return True
    text = f"{err.message} {err.body}".lower()
    return any(marker in text for marker in _FORMAT_MARKERS)


def _is_insufficient_quota(err: openai.APIStatusError) -> bool:
    return err.code == "insufficient_quota" or "insufficient_quota" in str(err.body)


def _is_transient(err: BaseException) -> bool:
    """Whether another attempt could succeed: rate limits, timeouts, lost connections, 5xx."""
    if isinstance(err, openai.RateLimitError):
        return not _is_insufficient_quota(err)
    if isinstance(err, openai.APIConnectionError):  # APITimeoutError is a subclass
        return True
    return isinstance(err, openai.APIStatusError) and err.status_code >= 500


def _retry_after(err: BaseException | None) -> float | None:
    """Seconds the server asked us to wait (``retry-after-ms`` or ``retry-after``), if any."""
    if not isinstance(err, openai.APIStatusError):
        return None
    headers = err.response.headers
    millis = _seconds(headers.get("retry-after-ms"))
    if millis is not None:
        return millis / 1000.0
    value = headers.get("retry-after")
    if value is None:
        return None
    seconds = _seconds(value)
    if seconds is not None:
        return seconds
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - datetime.now(UTC)).total_seconds(), 0.0)


def _seconds(value: str | None) -> float | None:
    """A header's non-negative finite number, or None ("nan", "inf", "-3", "soon")."""
    if value is None:
        return None
    try:
        number = float(value.strip())
    except ValueError:
        return None
    return number if math.isfinite(number) and number >= 0 else None


def _read_timeout(timeout: object) -> float:
    """The SDK client's timeout as seconds per read (its default when not a number)."""
    if isinstance(timeout, (int, float)) and not isinstance(timeout, bool):
        return float(timeout)
    read = getattr(timeout, "read", None)
    return float(read) if isinstance(read, (int, float)) else 600.0


def _status(err: openai.OpenAIError) -> int | None:
    return err.status_code if isinstance(err, openai.APIStatusError) else None


def _one_line(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
