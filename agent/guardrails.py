"""Checks that every engine's output passes before it reaches a user."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from agent.models import ActionItem, CuriousQuestion, ReframeDraft
from agent.offline.judgement import detect_markers
from knowledge.models import Passage

_WORD = re.compile(r"[a-z][a-z'’-]+")
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "if",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "by",
        "from",
        "up",
        "about",
        "into",
        "over",
        "after",
        "before",
        "again",
        "further",
        "then",
        "once",
        "here",
        "there",
        "when",
        "where",
        "why",
        "how",
        "what",
        "who",
        "whom",
        "which",
        "this",
        "that",
        "these",
        "those",
        "am",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "have",
        "has",
        "had",
        "having",
        "do",
        "does",
        "did",
        "doing",
        "would",
        "should",
        "could",
        "ought",
        "can",
        "will",
        "shall",
        "may",
        "might",
        "must",
        "you",
        "your",
        "yours",
        "yourself",
        "i",
        "me",
        "my",
        "we",
        "us",
        "our",
        "ours",
        "they",
        "them",
        "their",
        "he",
        "she",
        "him",
        "her",
        "it",
        "its",
        "not",
        "no",
        "nor",
        "only",
        "own",
        "same",
        "so",
        "than",
        "too",
        "very",
        "just",
        "don't",
        "didn't",
        "haven't",
        "can't",
        "won't",
        "isn't",
        "aren't",
        "wasn't",
        "weren't",
        "hasn't",
        "hadn't",
        "doesn't",
        "never",
        "always",
        "even",
        "still",
        "yet",
        "finally",
        "seriously",
        "clearly",
        "obviously",
        "really",
        "ever",
        "all",
        "any",
        "both",
        "each",
        "few",
        "more",
        "most",
        "other",
        "some",
        "such",
        "get",
        "got",
        "make",
        "made",
        "going",
        "go",
        "went",
        "done",
        "finish",
        "finished",
    ]
)


def content_words(text: str) -> set[str]:
    """Lowercased words that carry the topic (no stop words or blame words)."""
    return {w.strip("'’-") for w in _WORD.findall(text.lower())} - _STOP


def _stem(word: str) -> str:
    stripped = word
    if word.endswith("ied") and len(word) > 4:
        return word[:-3] + "y"
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2 and not word.endswith("ss"):
            stripped = word[: -len(suffix)]
            break
    if stripped != word and len(stripped) > 3 and stripped[-1] == stripped[-2]:
        stripped = stripped[:-1]  # cancelling -> cancel, planned -> plan
    return stripped.rstrip("e") or stripped


def topic_stems(text: str) -> set[str]:
    """Content words, lightly stemmed, so "merged" and "merging" count as the same topic."""
    return {_stem(word) for word in content_words(text)}


def citation_failures(cited: Iterable[str], passages: Sequence[Passage]) -> list[str]:
    """Cited ids that were not retrieved for this answer."""
    retrieved = {p.id for p in passages}
    return [f"cited passage {cid!r} was not retrieved" for cid in cited if cid not in retrieved]


def question_failures(questions: Sequence[CuriousQuestion], topic_words: set[str]) -> list[str]:
    """Blame markers, closed 'why' openings, and questions that lost the topic."""
    failures: list[str] = []
    for index, item in enumerate(questions, start=1):
        text = item.question.strip()
        markers = detect_markers(text)
        if markers:
            failures.append(f"question {index} is judgemental ({', '.join(markers)}): {text!r}")
        if text.lower().startswith("why"):
            failures.append(f"question {index} opens with 'why', which reads as blame")
        if not text.endswith("?"):
            failures.append(f"question {index} is not a question")
        if not item.rationale.strip():
            failures.append(f"question {index} has no rationale")
    if topic_words:
        stems = set(topic_stems(" ".join(topic_words)))
        kept = [q for q in questions if topic_stems(q.question) & stems]
        if len(kept) < max(1, (len(questions) + 1) // 2):
            failures.append(
                "most questions lost the topic (expected words like "
                f"{', '.join(sorted(topic_words)[:4])})"
            )
    return failures


def reframe_failures(draft: ReframeDraft, text: str, passages: Sequence[Passage]) -> list[str]:
    """Everything wrong with a reframe draft for ``text``; empty when it may be shown."""
    failures: list[str] = []
    input_markers = detect_markers(text)
    if input_markers and not draft.judgemental:
        failures.append(
            f"the input is judgemental ({', '.join(input_markers)}) but was not flagged"
        )
    needed = 3 if (draft.judgemental or input_markers) else 1
    if len(draft.questions) < needed:
        failures.append(f"{len(draft.questions)} questions given, at least {needed} needed")
    topic = content_words(text) or content_words(draft.topic)
    failures += question_failures(draft.questions, topic)
    failures += citation_failures(draft.cited_ids, passages)
    lowered = text.lower().replace("’", "'")
    invented = [m for m in draft.markers if m.lower().replace("’", "'") not in lowered]
    if invented:
        failures.append(f"markers not found in the input: {invented}")
    return failures


def _fold(text: str) -> str:
    return " ".join(text.split())


def action_failures(items: Sequence[ActionItem], notes: str, attendees: Sequence[str]) -> list[str]:
    """Evidence not verbatim in the notes, owners who did not attend, empty or duplicate items."""
    failures: list[str] = []
    folded_notes = _fold(notes)
    people = {a.casefold() for a in attendees}
    seen: set[tuple[str, str]] = set()
    for index, item in enumerate(items, start=1):
        if not item.evidence.strip() or _fold(item.evidence) not in folded_notes:
            failures.append(f"item {index}: evidence is not a verbatim quote from the notes")
        if item.owner is not None and item.owner.casefold() not in people:
            failures.append(f"item {index}: owner {item.owner!r} is not an attendee")
        action = item.action.strip()
        if not action or len(action) > 240:
            failures.append(f"item {index}: the action is empty or longer than 240 characters")
        elif action.split()[0].casefold() in {"i", "we", "you", "he", "she", "they"} | people:
            failures.append(f"item {index}: the action should start with a verb: {action!r}")
        key = ((item.owner or "").casefold(), action.casefold())
        if key in seen:
            failures.append(f"item {index} duplicates an earlier item")
        seen.add(key)
    return failures
