"""Deterministic intent classification for free chat text."""

from __future__ import annotations

import re

from agent.offline.judgement import detect_markers
from agent.state import Intent

_RULES: tuple[tuple[Intent, re.Pattern[str]], ...] = (
    ("email", re.compile(r"\b(e-?mail|prep mail|invite|invitation|remind(er)? (them|him|her))\b")),
    (
        "actions",
        re.compile(
            r"\b(action items?|to-?dos?|follow[- ]ups?|extract|commitments?)\b"
            r"|\bwho (agreed|owns)\b"
        ),
    ),
    (
        "agenda",
        re.compile(
            r"\b(agenda|plan (the|our|my|a|next) (session|meeting)|run (the|our) "
            r"(session|meeting)|structure (the|our) (session|meeting))\b"
        ),
    ),
    ("simulate", re.compile(r"\b(simulat\w*|scenario|role[- ]?play|rehears\w*)\b")),
    (
        "suggest_questions",
        re.compile(
            r"\b(what|which) (questions?|should i ask)\b|\bquestions? (to|i could|i should|for) "
            r"(ask|my|the|our|next)\b|\bsuggest (some )?questions\b"
        ),
    ),
    (
        "reframe",
        re.compile(
            r"\b(reframe|rephrase|reword|rewrite|say (it|this) (better|nicer|differently)|"
            r"how (do|should|can) i (ask|say|put)|less (judgemental|judgmental|harsh|blaming))\b"
        ),
    ),
)
_ADVICE = re.compile(
    r"^\s*(how (do|can|should|could) (i|we)|what (should|can|could) (i|we)|any (tips|advice)|"
    r"is it (ok|okay|normal|weird|rude))\b"
)
_GREETING = re.compile(r"^\s*(hi|hello|hey|thanks|thank you|ok|okay|cheers|bye)\b[\s!.]*$")
_MENTORING = re.compile(
    r"\b(mentor\w*|mentee\w*|session|meeting|goal|partner|feedback|learn\w*|stuck|progress|"
    r"agree\w*|question|advice|career|skill|relationship|programme|program|junior|senior)\b"
)


def classify_intent(text: str) -> Intent:
    """The capability free text asks for; ``other`` when it is not about mentoring."""
    lowered = text.lower().replace("’", "'")
    for intent, pattern in _RULES:
        if pattern.search(lowered):
            return intent
    if _ADVICE.match(lowered):
        # "How do I give feedback on sloppy code without crushing him?" wants guidance, even
        # when it contains words the detector flags.
        return "ask"
    if detect_markers(text):
        # A judgemental line on its own is most likely something the user wants to ask.
        return "reframe"
    if _GREETING.match(lowered) or not lowered.strip():
        return "other"
    if _MENTORING.search(lowered) or lowered.rstrip().endswith("?"):
        return "ask"
    return "other"
