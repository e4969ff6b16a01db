"""Saved notes against a pair's open items: lines that close one, and items that repeat one.

Both comparisons are by meaning (the local MiniLM vectors) with the owner as a hard
condition. Neither changes a stored item: a closed item is *suggested* for ``actions done``
(a wrong guess must not silently drop an open commitment from the next agenda, and a done
item has no undo), and a repeat is not stored beside the open item it repeats, which keeps
its id, due date and history. Both are reported, so the user sees every decision.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from agent.offline.action_items import other_numbers
from agent.text import mention_pattern, names_person

# A "done" line names the task with a status around it; the status words only blur the
# comparison with the item's wording ("handover draft - DONE" vs "Finish the handover draft").
_STATUS = re.compile(
    r"\b(?:already|done|closed|complete|completed|finished|happened)\b|[✅✔✓]", re.I
)
# "Dana: ...", "Lena + Dana: ...", "Dana -> ...": the owner a closed line names first.
_HEAD = re.compile(
    r"^\W*(?P<who>[^\W\d][\w'’.-]*(?:\s*(?:\+|&|and|,)\s*[^\W\d][\w'’.-]*)*)\s*(?::|->|→|—|–)"
)
# Thresholds fitted on a small hand-written list of item pairs (tests/unit/test_item_match.py):
# a repeat must be close in meaning *and* share its content words, because two steps on one
# object ("Start a brag document" / "Bring the first five brag-document entries", cosine
# 0.71) are as close in meaning as a reworded repeat ("Ask our director whether ..." / "Get
# answer from director about ...", 0.72).
DUPLICATE_CLOSE = 0.80
DUPLICATE_NEAR = 0.72
DUPLICATE_SHARED = 0.40
# A done line is shorter and noisier than an item, so it is compared more loosely; it only
# ever produces a suggestion.
DONE_NEAR = 0.55
_STOP = frozenset(
    "a an the to of for in on at with and or by from about our my your his her their this that "
    "these those whether can will be is are it its i we you he she they me us".split()
)


@dataclass(frozen=True)
class OpenItem:
    """What matching needs of a stored item."""

    id: str
    owner: str | None
    action: str


def person_of(owner: str | None, people: Sequence[tuple[str, str | None]]) -> str | None:
    """The attendee an owner string names (``tomasz`` -> "Tomasz Nowicki"), else itself."""
    if owner is None:
        return None
    for name, preferred in people:
        if names_person(owner, name, preferred):
            return name
    return " ".join(owner.split()).casefold()


def _words(text: str) -> set[str]:
    # Five-letter stems: "reviews"/"review", "ownership"/"owner" without a stemmer.
    return {w[:5] for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP}


def shared_words(a: str, b: str) -> float:
    """Jaccard overlap of the two texts' content-word stems."""
    left, right = _words(a), _words(b)
    return len(left & right) / len(left | right) if left | right else 0.0


def _named_alike(text: str, people: Sequence[tuple[str, str | None]]) -> str:
    """``text`` with each pair member called by their full name ("Add Seun" = "Add Oluwaseun").

    Minutes use the short name and a recap email the given one; left as written, the two
    wordings of one task fell below the repeat threshold.
    """
    for name, preferred in people:
        pattern = mention_pattern(name, preferred)
        if pattern is not None:
            text = pattern.sub(name, text)
    return text


# "TF", "ADR", "SD", "PRs": a short all-capitals word, as tech notes abbreviate.
_ABBREVIATION = re.compile(r"\b[A-Z][a-z]?[A-Z]{1,3}s?\b")


def _spelled_out(abbreviation: str, text: str) -> str | None:
    """The words of ``text`` that ``abbreviation`` stands for, if exactly one reading fits.

    Either its letters are the initials of consecutive content words ("SD" = "system
    design") or, for one word, its letters appear in order from that word's first letter
    ("TF" = "Terraform"). Nothing is assumed about which abbreviations exist: only the
    other wording of the same item can spell one out.
    """
    letters = abbreviation.rstrip("s").lower() if len(abbreviation) > 2 else abbreviation.lower()
    words = re.findall(r"[A-Za-z][\w-]*", text)
    found: set[str] = set()
    for start in range(len(words)):
        span = words[start : start + len(letters)]
        if (
            len(span) == len(letters) > 1
            and "".join(w[0].lower() for w in span) == letters
            and not any(w.lower() in _STOP for w in span)
        ):
            found.add(" ".join(span))
        word = words[start]
        # Three letters of word per letter: "QA" is not "quota", "TF" is "Terraform".
        if len(word) >= 3 * len(letters) and word[0].lower() == letters[0]:
            rest = iter(word[1:].lower())
            if all(letter in rest for letter in letters[1:]):
                found.add(word)
    return found.pop() if len(found) == 1 else None


def spell_out(text: str, other: str) -> str:
    """``text`` with each abbreviation ``other`` spells out written in full."""

    def full(match: re.Match[str]) -> str:
        short = match.group(0)
        if re.search(rf"\b{re.escape(short)}\b", other):
            return short
        return _spelled_out(short, other) or short

    return _ABBREVIATION.sub(full, text)


def _cosines(
    left: Sequence[str], right: Sequence[str], people: Sequence[tuple[str, str | None]] = ()
) -> list[list[float]]:
    from agent.offline.learned import embed

    if not left or not right:
        return [[] for _ in left]
    vectors = embed([_named_alike(t, people) for t in (*left, *right)])
    return (vectors[: len(left)] @ vectors[len(left) :].T).tolist()  # type: ignore[no-any-return]


def repeats(
    new: Sequence[tuple[str | None, str]],
    open_items: Sequence[OpenItem],
    people: Sequence[tuple[str, str | None]],
) -> list[OpenItem | None]:
    """For each new (owner, action), the open item of the same owner it repeats, if any."""
    sims = _cosines([action for _, action in new], [i.action for i in open_items], people)
    found: list[OpenItem | None] = []
    for (owner, action), row in zip(new, sims, strict=True):
        who = person_of(owner, people)
        best: tuple[float, OpenItem] | None = None
        for item, cosine in zip(open_items, row, strict=True):
            if person_of(item.owner, people) != who:
                continue
            # "the TF PR" and "the Terraform PR" are one item: compare them spelt out alike.
            action_full, item_full = spell_out(action, item.action), spell_out(item.action, action)
            if (action_full, item_full) != (action, item.action):
                cosine = _cosines([action_full], [item_full], people)[0][0]
            close = cosine >= DUPLICATE_CLOSE or (
                cosine >= DUPLICATE_NEAR
                and shared_words(action_full, item_full) >= DUPLICATE_SHARED
            )
            if close and (best is None or cosine > best[0]):
                best = (cosine, item)
        found.append(best[1] if best else None)
    return found


def _named_owners(line: str, people: Sequence[tuple[str, str | None]]) -> set[str] | None:
    """The attendees a line's head label names, or None when it names none."""
    head = _HEAD.match(line)
    if not head:
        return None
    names = re.split(r"\s*(?:\+|&|\band\b|,)\s*", head.group("who"))
    owners = {p for n in names if (p := person_of(n, people)) in {x for x, _ in people}}
    return {o for o in owners if o is not None} or None


def _covered(line: str, action: str) -> bool:
    """Most of a done line's content words are the item's."""
    mine = _words(_STATUS.sub(" ", line))
    shared = mine & _words(action)
    return len(shared) >= 2 and 2 * len(shared) >= len(mine)


def closed_by(
    done_lines: Sequence[str],
    open_items: Sequence[OpenItem],
    people: Sequence[tuple[str, str | None]],
) -> list[tuple[str, OpenItem]]:
    """(line, item) for each notes line saying an open item is done: its best match by meaning.

    A line that names its owner first ("Dana: intro Lena to Ruth") only closes that owner's
    items; an item is suggested once, for the line closest to it.
    """
    tasks = [" ".join(_STATUS.sub(" ", line).split()) or line for line in done_lines]
    sims = _cosines(tasks, [i.action for i in open_items], people)
    best_for: dict[str, tuple[float, str, OpenItem]] = {}
    for line, row in zip(done_lines, sims, strict=True):
        owners = _named_owners(line, people)
        # A terse done line ("Raj intro sent", "#platform-eng: done") is far from its item by
        # meaning; most of its words being the item's words says the same. Ties: by meaning.
        ranked = sorted(
            (
                (
                    DONE_NEAR
                    if cosine < DONE_NEAR and _covered(spell_out(line, item.action), item.action)
                    else cosine,
                    cosine,
                    item,
                )
                for item, cosine in zip(open_items, row, strict=True)
                if (owners is None or person_of(item.owner, people) in owners)
                and not other_numbers(line, item.action)  # "build 13 fixed" is not build 12
            ),
            key=lambda scored: (-scored[0], -scored[1]),
        )
        if not ranked or ranked[0][0] < DONE_NEAR:
            continue
        cosine, _, item = ranked[0]
        if item.id not in best_for or cosine > best_for[item.id][0]:
            best_for[item.id] = (cosine, line, item)
    order = {item.id: n for n, item in enumerate(open_items)}
    return [
        (line, item) for _, line, item in sorted(best_for.values(), key=lambda v: order[v[2].id])
    ]
