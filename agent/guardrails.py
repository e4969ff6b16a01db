"""Checks that every engine's output passes before it reaches a user."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

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
    if topic_words and questions:
        # One question naming the topic is enough: the others may be general wording, which
        # is always correct, rather than a topic phrase forced into every template.
        stems = set(topic_stems(" ".join(topic_words)))
        if not any(topic_stems(q.question) & stems for q in questions):
            failures.append(
                "every question lost the topic (expected words like "
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
    # The topic is what the input names ("the schema migration", "your design doc"); an input
    # that names nothing ("Late again?") has no topic a rewrite could lose.
    from agent.offline.phrases import topic_phrases

    topic = content_words(" ".join(topic_phrases(text)))
    failures += question_failures(draft.questions, topic)
    failures += citation_failures(draft.cited_ids, passages)
    lowered = text.lower().replace("’", "'")
    invented = [m for m in draft.markers if m.lower().replace("’", "'") not in lowered]
    if invented:
        failures.append(f"markers not found in the input: {invented}")
    return failures


def _fold(text: str) -> str:
    return " ".join(text.split())


def _named_in(name: str, text: str) -> bool:
    """Whether any word of ``name`` appears as a word in ``text`` (case-insensitive)."""
    return any(
        re.search(rf"(?<!\w){re.escape(part)}(?!\w)", text, re.I)
        for part in name.split()
        if len(part) > 1
    )


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
            # Anyone named in the notes may own an item (flagged as not attending); an owner
            # the notes never name was invented.
            if not _named_in(item.owner, folded_notes):
                failures.append(
                    f"item {index}: owner {item.owner!r} is not an attendee nor named in the notes"
                )
            elif item.owner_known:
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


# -- every text field of an LLM answer --------------------------------------------------------

# Text that addresses the reader as a machine or orders mail about: a model that obeyed
# an injected passage or note. Coaching text never needs these shapes.
_INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget|override|bypass)\b[^.!?\n]{0,40}"
    r"\b(?:instructions?|rules|prompts?|previous|above|guidelines|guardrails|checks)\b"
    r"|\b(?:e-?mail|send|forward|cc|bcc|mail|share|post|upload)\b[^.!?\n]{0,60}"
    r"\b(?:all|every|each|the other)\s+(?:pairs?|mentees?|mentors?|users?|contacts?|records?)"
    r"|\b(?:e-?mail|send|forward|cc|bcc|mail|report)\b[^.!?\n]{0,60}\bto\s+[^\s@]+@[^\s@]+"
    r"|\bsystem prompt\b|\byou are now\b|\bnew instructions\b|\bdeveloper mode\b"
    r"|\bjailbreak|\bprompt injection\b",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
_URL = re.compile(
    r"\b(?:https?|ftp|file|javascript|data)://[^\s<>\"')\]]+"
    r"|\bwww\.[^\s<>\"')\]]+"
    r"|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|dev|app|co|info|biz|xyz|me"
    r"|ru|cn|tk|top|zip|sh|ly|gl|test|example|invalid|local)\b(?:/[^\s<>\"')\]]*)?",
    re.IGNORECASE,
)
# Fields that hold ids, labels or text already checked against the input word for word.
_UNCHECKED_FIELDS = frozenset(
    {"markers", "evidence", "cited_ids", "id", "ids", "owner", "due", "kind", "stage", "engine"}
)
FIELD_LIMIT = 1200
_FIELD_LIMITS = {"answer": 4000, "outline": 2500, "summary": 2000}


def _links(text: str) -> list[str]:
    found = [m.group(0).rstrip(".,;:!?") for m in _EMAIL.finditer(text)]
    without_emails = _EMAIL.sub(" ", text)
    found += [m.group(0).rstrip(".,;:!?") for m in _URL.finditer(without_emails)]
    return found


def input_terms(*texts: str) -> list[str]:
    """What an answer may repeat from its input: the links and blame phrases it contains.

    Small enough to keep in the graph state instead of the whole prompt. Each delimited
    data block is read on its own (a phrase never spans two blocks), and a block seen
    before (the same guide passage retrieved again) is not read twice.
    """
    terms: set[str] = set()
    for text in texts:
        for block in _DATA_BLOCK.split(text):
            terms |= _block_terms(block)
    return sorted(terms)


_DATA_BLOCK = re.compile(r"\n(?=<data name=)")


@lru_cache(maxsize=1024)
def _block_terms(block: str) -> frozenset[str]:
    terms = {link.casefold() for link in _links(block)}
    terms |= {marker.casefold() for marker in detect_markers(block)}
    return frozenset(terms)


def _strings(value: object, path: str) -> Iterable[tuple[str, str, str]]:
    """(path, field name, text) for every string inside ``value``."""
    if isinstance(value, str):
        yield path, path.rsplit(".", 1)[-1].split("[", 1)[0], value
    elif isinstance(value, dict):
        for key, item in value.items():
            if str(key) not in _UNCHECKED_FIELDS:
                yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")


def text_failures(answer: object, allowed: Iterable[str]) -> list[str]:
    """What is wrong with any text field of a model's answer, field by field.

    ``answer`` is the answer as JSON data (or a pydantic model); ``allowed`` the
    :func:`input_terms` of what the model was given. A field fails when it holds
    instruction-like text, a link or email address the input did not contain, a blame
    phrase the input did not contain, or more text than a field of its kind needs.
    """
    from pydantic import BaseModel

    data = answer.model_dump(mode="json") if isinstance(answer, BaseModel) else answer
    known = {term.casefold() for term in allowed}
    failures: list[str] = []
    for path, name, text in _strings(data, ""):
        if _INSTRUCTION.search(text):
            failures.append(f"{path} gives instructions instead of coaching")
        invented = [link for link in _links(text) if link.casefold() not in known]
        if invented:
            failures.append(f"{path} has a link or address that is not in the input")
        blame = [m for m in detect_markers(text) if m.casefold() not in known]
        if blame:
            failures.append(f"{path} is judgemental ({', '.join(blame)})")
        limit = _FIELD_LIMITS.get(name, FIELD_LIMIT)
        if len(text) > limit:
            failures.append(f"{path} is longer than {limit} characters")
    return failures
