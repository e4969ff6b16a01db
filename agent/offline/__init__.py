"""The deterministic offline engine: guide-grounded answers with no network and no LLM.

It is the default when no LLM endpoint is configured, and its detector is the guardrail both
engines' output must pass.
"""

from agent.offline.judgement import (
    MARKER_KINDS,
    MARKERS,
    Marker,
    all_markers,
    detect,
    detect_markers,
    is_judgemental,
    marker_kinds,
)
from agent.offline.reframe import extract_topic, reframe_offline, suggest_questions_offline

__all__ = [
    "MARKERS",
    "MARKER_KINDS",
    "Marker",
    "all_markers",
    "detect",
    "detect_markers",
    "extract_topic",
    "is_judgemental",
    "marker_kinds",
    "reframe_offline",
    "suggest_questions_offline",
]
