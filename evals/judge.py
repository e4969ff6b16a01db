"""LLM-judge scorer: one binary criterion per call, reason first, temperature 0."""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel

import prompts
from evals.scorers import Score


class JudgeVerdict(BaseModel):
    """The judge's reasoning, then its verdict (in that order, so it reasons first)."""

    reason: str
    verdict: Literal["pass", "fail"]


def judge(chat: Any, criterion: str, sample_input: Any, output: Any, index: int) -> Score:
    """Grade ``output`` against ``criterion`` with the configured LLM."""
    messages = prompts.render_messages(
        "judge",
        criterion=criterion,
        input=prompts.delimit("input", json.dumps(sample_input, ensure_ascii=False)[:4000]),
        output=prompts.delimit("output", json.dumps(output, ensure_ascii=False)[:8000]),
    )
    verdict = chat.structured(messages, JudgeVerdict, task="judge", temperature=0.0)
    passed = verdict.verdict == "pass"
    return Score(
        name=f"judge_{index}",
        value=1.0 if passed else 0.0,
        passed=passed,
        explanation=f"{criterion} — {verdict.reason}"[:500],
    )
