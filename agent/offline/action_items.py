"""Action items while they are being found: their fields and how two of them compare."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from agent.offline.people import STOPWORDS


@dataclass
class Item:
    """One found item: owner (``known`` when an attendee), action, due date, note span."""

    owner: str | None
    known: bool
    action: str
    due: date | None
    start: int
    end: int

    def stems(self) -> frozenset[str]:
        """The action's content-word stems."""
        return stems(self.action)


# Cached: every new item is compared with every kept one, so a long list of tasks would
# stem the same texts hundreds of thousands of times.
@lru_cache(maxsize=8192)
def stems(text: str) -> frozenset[str]:
    """Lowercased content words of ``text`` without -ing/-ed/-es/-s endings."""
    words = re.findall(r"[a-z][a-z0-9'-]+", text.lower())
    return frozenset(re.sub(r"(?:ing|ed|es|s)$", "", w) or w for w in words if w not in STOPWORDS)


@lru_cache(maxsize=8192)
def numbers(text: str) -> frozenset[str]:
    """The words with a digit in them ("#412", "Q1", "v2.3"): what tells like items apart."""
    return frozenset(
        w.strip("#.,;:()").casefold() for w in text.split() if any(c.isdigit() for c in w)
    )


def other_numbers(a: str, b: str) -> bool:
    """Whether two actions name different numbered things ("PR #412" and "PR #415")."""
    x, y = numbers(a), numbers(b)
    return bool(x and y) and x != y


def similar(a: Item, b: Item) -> bool:
    """Whether two items of one owner say the same task."""
    if a.owner != b.owner or other_numbers(a.action, b.action):
        return False
    x, y = a.stems(), b.stems()
    # The same words, or a short restatement inside a longer item ("send Tom the template").
    return bool(x and y) and (
        len(x & y) / len(x | y) >= 0.5
        or (len(x & y) >= 3 and len(x & y) >= 0.75 * min(len(x), len(y)))
    )


def restates(later: Item, earlier: Item) -> bool:
    """Whether a later line names an earlier item again (two of them make a recap line)."""
    return (
        len(later.stems() & earlier.stems()) >= 2
        and later.start != earlier.start
        and not other_numbers(later.action, earlier.action)
    )


def dated_again(earlier: Item, later: Item) -> bool:
    """A later line giving a date to the same owner's task: same verb, a shared object word."""
    a, b = earlier.action.split(), later.action.split()
    return (
        earlier.owner == later.owner
        and a[0].casefold() == b[0].casefold()
        and bool(stems(" ".join(a[1:])) & stems(" ".join(b[1:])))
    )
