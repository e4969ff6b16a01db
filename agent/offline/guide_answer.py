"""Offline answers to "ask the guide": the most relevant passages, condensed and cited."""

from __future__ import annotations

import re
from collections.abc import Sequence

from knowledge.models import Passage

_SENTENCES = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")
MIN_SCORE = 0.2
NO_ANSWER = (
    "I found nothing close enough on that to quote. I can help you reframe a question, suggest "
    "questions for your next session, or find guidance on a mentoring situation — try "
    "describing what is happening between you and your partner."
)
_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")


def _lead(text: str, limit: int = 2, items: int = 5) -> str:
    """The passage's opening sentences, or its lead-in and list kept as a list."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    listed = [line for line in lines if _LIST_ITEM.match(line)]
    if listed:
        lead = " ".join(line for line in lines[: lines.index(listed[0])])
        bullets = [f"   - {_LIST_ITEM.sub('', line)}" for line in listed[:items]]
        more = ["   - …"] if len(listed) > items else []
        head = " ".join(_SENTENCES.split(lead)[:limit]).strip()
        # With no lead-in the list starts on its own line, not glued to the title (": - ...").
        return "\n".join([head, *bullets, *more]) if head else "\n" + "\n".join([*bullets, *more])
    sentences = _SENTENCES.split(" ".join(lines))
    return " ".join(sentences[:limit]).strip()


def answer_offline(question: str, passages: Sequence[Passage]) -> tuple[str, list[str]]:
    """An answer built from up to three passages of different guides, and the ids it used."""
    by_guide: dict[str, Passage] = {}
    for passage in passages:
        if passage.similarity >= MIN_SCORE:
            by_guide.setdefault(passage.doc_id, passage)
    chosen = list(by_guide.values())[:3]
    if not chosen:
        return NO_ANSWER, []
    parts = [f"Here is what the guides suggest for “{question.strip().rstrip('?')}”:"]
    leads = [(passage.title, _lead(passage.text)) for passage in chosen]
    parts += [
        f"\n• {title}:{'' if lead.startswith(chr(10)) else ' '}{lead}" for title, lead in leads
    ]
    return "\n".join(parts), [p.id for p in chosen]
