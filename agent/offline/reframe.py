"""The offline reframe: judgemental question in, curious questions out, with no network or LLM.

Pattern: *retrieve, fill, check* over the question bank (:mod:`agent.offline.questions`).
Session questions for a pair come from the same bank, filled from goals and items.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from agent.models import CuriousQuestion, ReframeDraft
from agent.offline.judgement import detect_markers
from agent.offline.judgement_model import is_judgemental_utterance
from agent.offline.phrases import (
    activity_phrases,
    clean_topic,
    model_phrases,
    person_phrases,
    topic_phrases,
)
from agent.offline.questions import (
    BankQuestion,
    choose,
    load_bank,
    situation_scores,
    stable_order,
)
from agent.offline.words import KNOWN_VERBS, gerund, grammar_problems
from knowledge.models import Passage

__all__ = ["Topic", "extract_topic", "reframe_offline", "suggest_questions_offline"]

# What a reframe is about when no clean phrase could be taken from the input.
_SITUATION_TOPICS = {
    "missed-commitment": "an agreed task that didn't happen",
    "late-work": "work running behind its date",
    "code-quality": "the quality of a piece of work",
    "career-move": "a career move",
    "interview": "interviewing",
    "design-decision": "a design decision",
    "data-work": "data and modelling work",
    "on-call": "on-call and incidents",
    "conflict": "a disagreement at work",
    "communication": "staying in touch",
    "learning": "learning something new",
    "motivation": "motivation and energy",
    "attendance": "our sessions",
    "feedback": "feedback",
    "stuck": "stalled progress",
    "asking-for-help": "asking for help",
    "preparation": "getting ready beforehand",
    "general": "the situation",
}


@dataclass(frozen=True)
class Topic:
    """What an input is about: a clean phrase from it (if any) and its closest situation."""

    phrases: tuple[str, ...]
    situation: str

    @property
    def label(self) -> str:
        """The phrase shown to the user as the topic."""
        return self.phrases[0] if self.phrases else _SITUATION_TOPICS.get(self.situation, "")


def extract_topic(text: str) -> Topic:
    """The clean noun phrases of ``text`` and the bank situation it is closest to."""
    situation = situation_scores(text)[0][0] if text.strip() else "general"
    acts = activity_phrases(text)  # "pushing to main" says more than "main"
    found = topic_phrases(text) or model_phrases(text)
    said = {w for a in acts for w in a.lower().split()}
    phrases = [*acts, *(p for p in found if p.split()[-1].lower() not in said)]
    return Topic(tuple(phrases[:2]), situation)


def _cite(passages: Sequence[Passage], guides: Sequence[str], limit: int = 3) -> list[str]:
    """Retrieved passages from the chosen questions' guides, else the best-scored one."""
    wanted = list(dict.fromkeys(guides))
    matching = sorted(
        (p for p in passages if p.doc_id in wanted),
        key=lambda p: (wanted.index(p.doc_id), -p.score),
    )
    ids = list(dict.fromkeys(p.id for p in matching))[:limit]
    if ids or not passages:
        return ids
    return [max(passages, key=lambda p: p.score).id]


def reframe_offline(text: str, passages: list[Passage]) -> ReframeDraft:
    """Turn a judgemental question into curious ones (or refine an already-curious one), offline.

    A judgemental input gets three questions, two naming its topic when a clean phrase exists;
    a curious input gets two refinements. ``cited_ids`` are ids from ``passages`` only.

    Raises:
        ValueError: the text is empty.
    """
    if not text or not text.strip():
        raise ValueError("nothing to reframe: the text is empty")
    # The verdict is learned; the listed phrases only explain it.
    judgemental = is_judgemental_utterance(text)
    markers = detect_markers(text) if judgemental else []
    topic = extract_topic(text)
    count = 3 if judgemental else 2
    picks = choose(
        text,
        count,
        topic.phrases,
        slotted=2 if judgemental else 1,
        avoid=[text.strip()],
        people=person_phrases(text)[:1],
    )
    guides = [p.row.guide for p in picks]
    if len(guides) < 2:  # cite what the input is closest to when few questions fit
        guides += [q.guide for q in load_bank() if q.situation == topic.situation]
    return ReframeDraft(
        judgemental=judgemental,
        markers=markers,
        topic=topic.label,
        questions=[CuriousQuestion(question=p.question, rationale=p.row.rationale) for p in picks],
        cited_ids=_cite(passages, guides),
    )


_OWNER_PREFIX = re.compile(
    r"^\s*(?:\[[ xX]\]\s*)?(?:[-*•]\s*)?(?:[A-Z][\w .'-]{0,30}:\s+|(?:TODO|todo):?\s+)?"
)
_DUE_SUFFIX = re.compile(
    r"\s*(?:\((?:due|by)[^)]*\)|\b(?:by|before|due|until)\s+(?:next\s+\w+|the next session"
    r"|our next session|\w+day|tomorrow|tonight|end of (?:the )?(?:week|month|day)|eo[dw]"
    r"|\d{1,2}(?:st|nd|rd|th)?(?: \w+)?|\d{4}-\d{2}-\d{2}|\w+ \d{1,2}(?:st|nd|rd|th)?))\s*$",
    re.IGNORECASE,
)
_INTENT = re.compile(
    r"^(?:(?:i|we|you|he|she|they) (?:will|'ll|am going to|are going to|want to|would like to)"
    r"|i want to|i'd like to|to)\s+",
    re.IGNORECASE,
)


def _item_text(item: str) -> str:
    """An action item or goal without its owner, due date or "I will"."""
    text = _DUE_SUFFIX.sub("", _OWNER_PREFIX.sub("", item.replace("’", "'"))).strip(" .;")
    return _INTENT.sub("", text).strip()


def item_phrase(text: str) -> str | None:
    """An action item or goal as a phrase for a slot: "Write the doc" -> "writing the doc".

    Only its first task ("Add the numbers, cut the intro" asks about adding the numbers), and
    none when it points back at something unnamed ("Try it in the review": try what?).
    """
    text = re.split(r"\s*(?:[,;:]|\s[-–—]\s|->|→)\s*", text, maxsplit=1)[0]
    if re.search(r"\b(?:it|them|him|her|this|that)\b", text, re.I):
        return None
    words = text.split()
    if not words or len(words) > 12:
        return None
    first = words[0]
    if first.lower() in KNOWN_VERBS and not first.isupper():
        phrase = " ".join([gerund(first.lower()), *words[1:]])
    else:
        phrases = topic_phrases(text)
        if not phrases:
            return None
        phrase = phrases[0]
    phrase = re.sub(r"\b[Mm]y\b", "your", phrase)
    if not clean_topic(phrase, max_words=12) or grammar_problems(f"How is {phrase}?"):
        return None
    return phrase


def _rows(situation: str) -> list[BankQuestion]:
    return [q for q in load_bank() if q.situation == situation]


def _by_guides(
    rows: list[BankQuestion], passages: Sequence[Passage], key: str
) -> list[BankQuestion]:
    """Rows whose guide was retrieved first (higher-scored first), the rest in a stable order."""
    scores: dict[str, float] = {}
    for p in passages:
        scores[p.doc_id] = scores.get(p.doc_id, 0.0) + max(p.score, 0.0) + 0.1
    order = {q.id: n for n, q in enumerate(stable_order(rows, key))}
    return sorted(rows, key=lambda q: (-scores.get(q.guide, 0.0), order[q.id]))


def suggest_questions_offline(
    goals: list[str],
    open_items: list[str],
    passages: list[Passage],
    mentee: str | None = None,
) -> list[CuriousQuestion]:
    """3-8 curious questions for an upcoming session, from the pair's goals and open items.

    A check-in, one question per open item (up to three) and goal (up to two), and a closing
    question on the relationship; with no goals or items, first-session questions. An item
    that cannot be phrased cleanly is left to the general questions rather than garbled.
    """
    name = (mentee or "").strip().split(" ")[0]
    key = "|".join([name.lower(), *[g.lower() for g in goals], *[i.lower() for i in open_items]])
    out: list[CuriousQuestion] = []

    def add(row: BankQuestion, topic: str | None = None, address: bool = False) -> bool:
        question = row.filled(topic)
        if address and name:
            question = f"{name}, {question[0].lower()}{question[1:]}"
        if grammar_problems(question) or detect_markers(question):
            return False
        if any(q.question.lower() == question.lower() for q in out):
            return False
        out.append(CuriousQuestion(question=question, rationale=row.rationale))
        return True

    items: list[str] = []
    owed: list[str] = []  # what the mentor owes the mentee ("Send Sam the ADR example")
    for item in open_items:
        if not item.strip():
            continue
        named = name and re.search(rf"(?<!^)\b{re.escape(name)}\b", item.strip(), re.IGNORECASE)
        if named:
            owed += topic_phrases(_item_text(item))[:1]
            continue
        phrase = item_phrase(_item_text(item))
        if phrase:
            items.append(phrase)
    goal_phrases = [p for p in (item_phrase(_item_text(g)) for g in goals if g.strip()) if p]

    if not items and not goal_phrases and not owed:
        first = _by_guides(_rows("first-session"), passages, key)
        add(first[0], address=True)
        for row in first[1:]:
            if len(out) >= 5:
                break
            add(row)
        return out

    add(stable_order(_rows("session-opener"), key, "opener")[0], address=True)
    for rows, phrases, limit in (
        (_rows("session-item"), items, 3),
        (_rows("session-owed"), owed, 1),
        (_rows("session-goal"), goal_phrases, 2),
    ):
        used: set[str] = set()
        for index, phrase in enumerate(phrases[:limit]):
            for row in stable_order(rows, key, phrase, str(index)):
                if row.id not in used and clean_topic(phrase, 12) and add(row, phrase):
                    used.add(row.id)
                    break
    for row in _by_guides(_rows("session-closer"), passages, key):
        add(row)
        if len(out) >= 3 and not row.question.startswith("What would you like to make sure"):
            break
    return out[:8]
