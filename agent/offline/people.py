"""Who is who in session notes: attendees, their first names and initials, and the author.

Owners are resolved here for the action-item extractor (:mod:`agent.offline.actions`): an
attendee's full name from a first name or initials ("A." or "AS"), "mentor"/"mentee" from the
attendee order, and anyone else named kept as written and flagged as not attending.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from agent.offline.learned import load_model
from agent.offline.train import TrainingSpec
from agent.text import strip_accents

__all__ = ["INITIALS", "NAME", "NAME_WORDS", "NOT_NAMES", "STOPWORDS", "People", "looks_like_name"]

STOPWORDS = frozenset(
    """the a an to of in on at by for from with about and or but so it its this that these those
    is are was were be will would should can could i me my we our you your he him his she her
    they them their up out off over into not no just also then there here all any some
    more""".split()
)
# A name as written in notes, and initials ("A.", "A. S.", "AS").

# Latin letters with diacritics too ("Amélie", "Björn", "Nguyễn"): the ranges hold Latin-1,
# Latin Extended-A and Latin Extended Additional.
_UPPER = "A-ZÀ-ÖØ-ÞĀ-ſḀ-ỿ"
_LOWER = "a-zß-öø-ÿĀ-ſḀ-ỿ"
_PART = rf"[{_UPPER}][{_LOWER}'’]+(?:-[{_UPPER}]?[{_LOWER}'’]+)*"  # "Mei-Ling", "O'Neil"
# A title before a name is part of it ("Dr. Eze", "Mr Tanaka"); :meth:`People.resolve` drops it.
_TITLE = r"(?:Mr|Mrs|Ms|Mx|Dr|Prof)\.?[ \t]+"
NAME = rf"(?:{_TITLE})?{_PART}(?:[ \t]+{_PART})?"
INITIALS = r"[A-Z]\.(?:[ \t]?[A-Z]\.)?|[A-Z]{2,3}(?![a-z])"
NOT_NAMES = frozenset(
    """i we you he she they it the a an this that my our your his her their so and but or if when
    then also ok okay yes yeah no thanks great good sure agreed right cool nice next action todo
    someone everyone nobody somebody ai me mentor mentee follow up decision note owner due status
    monday tuesday wednesday thursday friday saturday sunday today tomorrow please let
    let's instead later afterwards meanwhile finally first second plus actually until as""".split()
)


# Is a capitalised word a person's name ("Mariam", "Tobias") or a label ("Prep:", "Reminder:",
# "Journal -")? A softmax over the word's MiniLM vector, fitted on the first and family names of
# the dev sets' attendees and on label, section and tool words (``name_words.jsonl``).
NAME_WORDS = TrainingSpec("name_words", ("name_words.jsonl",), fit_args={"l2": 1e-3})


@lru_cache(maxsize=512)
def looks_like_name(word: str) -> bool:
    """Whether a word not known as an attendee reads as a name.

    The bar, 0.2, is set on out-of-fold rows (5 folds: accuracy 0.97; 5 of 304 names fall under
    it, all also English words such as "Will" or "Park"; 296 of 333 label words do).
    """
    model = load_model("name_words")
    probs = model.probabilities([word])[0]
    return float(probs[model.labels.index("name")]) >= 0.2


def fold(name: str) -> str:
    """A name for comparing: case and accents folded ("José" and "Jose", "Siobhán", "siobhan")."""
    return strip_accents(name.casefold())


class People:
    """Attendees, their first names and initials, the author; anyone else named is kept as is."""

    # What joins the people sharing an item: "Ben & Ana", "Lena + Dana", "K and M", "A, B", "A/B".
    JOINED = re.compile(r"\s*(?:&|\+|\band\b|,|/)\s*")

    def __init__(self, attendees: Sequence[str], author: str | None, notes: str = "") -> None:
        self.attendees = [" ".join(a.split()) for a in attendees if a.strip()]
        self.author = self.resolve(author)[0] if author else None
        firsts: dict[str, list[str]] = {}
        others: dict[str, list[str]] = {}
        initials: dict[str, list[str]] = {}
        for a in self.attendees:
            parts = a.split()
            firsts.setdefault(fold(parts[0]), []).append(a)
            for part in parts[1:]:  # "Lan" of "Nguyễn Thị Lan", "Ji-woo" of "Park Ji-woo"
                others.setdefault(fold(part), []).append(a)
            initials.setdefault(parts[0][0].upper(), []).append(a)
            initials.setdefault("".join(p[0].upper() for p in parts), []).append(a)
        self.firsts = {k: v[0] for k, v in firsts.items() if len(v) == 1}
        for key, names in others.items():
            if len(names) == 1 and key not in firsts and len(key) > 2:
                self.firsts[key] = names[0]
        self.initials = {k: v[0] for k, v in initials.items() if len(v) == 1}
        # Someone who did not attend but is named in full somewhere ("cc: Chiara Russo") is
        # that full name when called by a first name elsewhere.
        full: dict[str, set[str]] = {}
        for m in re.finditer(rf"(?<![\w@.])({NAME})(?![\w@])", notes):
            words = m.group(1).split()
            if len(words) == 2 and words[0].casefold() not in NOT_NAMES | STOPWORDS:
                full.setdefault(fold(words[0]), set()).add(m.group(1))
        self.full_names = {k: next(iter(v)) for k, v in full.items() if len(v) == 1}
        signer = self._signer(notes) if self.author is None else None
        # A mentor's letter with a list ("Next steps: - update your CV") lists the reader's
        # tasks, which would read as the author's, so only its "I" and "you" lines say whose.
        listed = re.search(r"(?m)^\s*(?:[-*•]|\d+[.)])\s", notes)
        if signer and not (listed and self.attendees.index(signer) == 0):
            self.author = signer

    def _signer(self, notes: str) -> str | None:
        """Who wrote a letter with no stated author: the attendee who signs it.

        "Best," then "Rachel" on the last two lines; else, of a pair, the one not greeted ("Hi
        Tomasz," is written by the other). A turn ("Tom: thanks,") is no closing.
        """
        lines = [line.strip() for line in notes.strip().splitlines() if line.strip()]
        if len(lines) < 3:
            return None
        signed, closing = lines[-1].strip("-–— "), lines[-2]
        closes = re.fullmatch(r"[^\W\d][\w '’]*,", closing)  # "Best," or "Thanks again,"
        if closes and len(closing.split()) <= 4 and len(signed.split()) <= 3:
            owner, known = self.resolve(signed)
            if known and owner in self.attendees:
                return owner
        greeted = re.fullmatch(rf"\w+\s+({NAME})\s*[,!]", lines[0])
        if greeted:
            owner, known = self.resolve(greeted.group(1))
            return self.other(owner) if known and owner else None
        return None

    def resolve(self, name: str | None) -> tuple[str | None, bool]:
        """(owner, known): an attendee's full name, or the name as written and ``False``."""
        if not name:
            return None, True
        raw = re.sub(rf"^{_TITLE}", "", name.strip().strip("@[]()*").strip())
        key = fold(" ".join(raw.replace(".", " ").replace("_", " ").split()))
        for a in getattr(self, "attendees", []):
            if key == fold(a):
                return a, True
        first = getattr(self, "firsts", {}).get(key.split()[0] if key else "")
        if first and (len(key.split()) == 1 or fold(first).startswith(key)):
            return first, True
        letters = raw.replace(".", "").replace(" ", "")
        if letters.islower() and 2 <= len(letters) <= 3 and letters not in STOPWORDS | NOT_NAMES:
            found = getattr(self, "initials", {}).get(letters.upper())
            if found:
                return found, True
        if re.fullmatch(r"[a-z][a-z0-9_.]{3,}", raw):  # a handle: "nadiak", "tevita_f"
            handle = [
                a
                for k, a in getattr(self, "firsts", {}).items()
                if len(k) > 2 and raw.startswith(k)
            ]
            if len(set(handle)) == 1:
                return handle[0], True
        if letters.isupper() and 1 <= len(letters) <= 3:
            found = getattr(self, "initials", {}).get(letters)
            return (found, True) if found else (None, True)
        if raw.casefold() in {"mentor", "mentee"} and len(self.attendees) >= 2:
            return self.attendees[0 if raw.casefold() == "mentor" else 1], True
        if key in NOT_NAMES or not raw[:1].isupper():
            return None, True
        return getattr(self, "full_names", {}).get(key, raw), False

    def share(self, cell: str, writer: str | None = None) -> list[tuple[str | None, bool]]:
        """Who shares an item: the people a label names ("Ben & Ana", "Bo + I"), else everyone.

        A shared item is one item per person, so each carries it forward on their own list;
        with nobody to share it among it stays unowned. "I"/"me" in a label is the writer.
        """
        parts = self.JOINED.split(cell.strip())
        named = [(writer, True) if p in {"I", "me"} else self.resolve(p) for p in parts if p]
        if len(named) >= 2 and all(n for n, _ in named):
            return list(dict.fromkeys(named))
        everyone: list[tuple[str | None, bool]] = [(a, True) for a in self.attendees]
        return everyone if len(everyone) >= 2 else [(None, True)]

    def is_person(self, label: str) -> bool:
        """Whether ``label`` resolves to an attendee."""
        owner, known = self.resolve(label)
        return owner is not None and known

    def other(self, person: str | None) -> str | None:
        """The other one of a mentor and mentee pair (``None`` when it is not a pair)."""
        rest = [a for a in self.attendees[:2] if a != person]
        return rest[0] if person in self.attendees[:2] and len(rest) == 1 else None
