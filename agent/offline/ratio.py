"""The Wisdom-to-Action ratio: how a session's notes split into insight, action and relationship.

Commitments (the action-line classifier's) are action; check-ins, feelings, thanks and personal
news are relationship; everything else is insight. Sentences are weighted by their number of
words, a proxy for the time they took, and compared with the guide's 60/30/10.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from agent.models import WisdomRatio
from agent.offline.actions import is_probably_english, sentence_kinds

__all__ = ["ratio_verdict", "wisdom_ratio"]
_RELATIONSHIP = re.compile(
    r"\b(?:thanks|thank\s+you|thank|grateful|appreciat\w*|congrat\w*|glad|good\s+to\s+(?:see|hear)"
    r"|great\s+to\s+(?:see|hear)|nice\s+to\s+(?:see|meet)|how\s+are\s+you|how\s+was\s+your|how's"
    r"|weekend|holidays?|vacation|trip|family|kids?|baby|partner|wife|husband|cat|dog|birthday"
    r"|wedding|apartment|flat|moved\s+house|feel|feels|feeling|felt|nervous|anxious|stressed"
    r"|excited|proud|tired|exhausted|rested|relieved|relief|laugh\w*|fun|coffee|sleep|cuddle"
    r"|lighter|warm|means\s+a\s+lot|hope\s+you|take\s+care|talk\s+soon|looking\s+forward|personal"
    r"|welcome|hi|hey|hello|morning|merry|christmas|love\s+that|spirits|grandparents|running"
    r"|marathon|well\s+done|earned|dreading|frustrated|panicky|oof|ha|happy|sorry|enjoy\w*"
    r"|to\s+know\s+each\s+other|get\s+to\s+know)\b",
    re.I,
)
_ACK = re.compile(
    r"^(?:ok|okay|agreed|yes|yep|yeah|got\s+it|fair|sure|great|perfect|exactly(?:\s+that)?|relief"
    r"|good|right|cool|nice|makes\s+sense)[.!?]*$",
    re.I,
)


_ADVICE = {  # what to change, by how a session's split is off the guide's 60/30/10
    "Action-light": "end with concrete next steps",
    "Action-heavy": "keep room for the why behind each task, or sessions turn into box-ticking",
    "Relationship-light": "leave a few minutes to connect as people",
    "Relationship-heavy": "keep the check-in short and protect time for insight and next steps",
    "Insight-light": "bring in experience and the reasoning behind the actions",
}


def ratio_verdict(insight: float, action: float, relationship: float) -> str:
    """One line comparing a session's split with the guide's 60/30/10."""
    i, a, r = (round(x * 100) for x in (insight, action, relationship))
    rel = "on the relationship"
    for off, label, share, what, target in (
        (a < 20, "Action-light", a, "action", 30),
        (a > 45, "Action-heavy", a, "action", 30),
        (r < 5, "Relationship-light", r, rel, 10),
        (r > 25, "Relationship-heavy", r, rel, 10),
        (i < 45, "Insight-light", i, "insight", 60),
    ):
        if off:
            return (
                f"{label}: {share}% {what} vs the {target}% the guide suggests — {_ADVICE[label]}."
            )
    return f"Balanced: {i}/{a}/{r} is close to the guide's 60/30/10."


def _hundredths(weights: Sequence[float]) -> list[int]:
    """Integer percentages summing to exactly 100 (largest remainder)."""
    total = sum(weights)
    raw = [w * 100 / total for w in weights]
    floors = [int(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda k: (raw[k] - floors[k], -k), reverse=True)
    for k in order[: 100 - sum(floors)]:
        floors[k] += 1
    return floors


def wisdom_ratio(notes: str) -> WisdomRatio:
    """Share of the notes spent on insight, action and the relationship (hundredths, summing to 1).

    Empty or non-English notes give 0/0/0 and say so.
    """
    reason = "No notes to assess"
    weights = [0.0, 0.0, 0.0]  # insight, action, relationship
    if notes.strip() and not is_probably_english(notes):
        reason = "Notes not in English"
    elif notes.strip():
        for text, kind in sentence_kinds(notes):
            words = len(re.findall(r"[^\W_][\w'’-]*", text))
            if kind == "ignore" or words == 0 or _ACK.match(text.strip(" *_")):
                continue
            social = kind != "done" and _RELATIONSHIP.search(text)
            weights[1 if kind == "commitment" else 2 if social else 0] += words
    if sum(weights) == 0:
        verdict = f"{reason}: nothing to compare with the guide's 60/30/10."
        return WisdomRatio(insight=0.0, action=0.0, relationship=0.0, verdict=verdict)
    insight, action, relationship = (p / 100 for p in _hundredths(weights))
    return WisdomRatio(
        insight=insight,
        action=action,
        relationship=relationship,
        verdict=ratio_verdict(insight, action, relationship),
    )
