"""Whose an action item is: the owner steps of :class:`agent.offline.actions._Extractor`.

Names, initials, labels and pronouns resolved against the attendees (a mixin, kept apart so each
module stays small): "he"/"she" in a conversation, "you" on a call of three, an @mention or a
bracketed owner at the end, a label word that is no name, a lowercase name before a bare verb.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from agent.offline.action_lines import first_word
from agent.offline.action_patterns import _ACCEPT, _BARE, _TRAIL
from agent.offline.learned import Matrix, embed, load_model
from agent.offline.people import NAME, NOT_NAMES, STOPWORDS, People, looks_like_name
from agent.offline.segments import META_LABEL as _META_WORD
from agent.offline.segments import Sentence
from agent.offline.train import TrainingSpec
from agent.offline.words import KNOWN_VERBS

__all__ = ["OWNER_SPEC", "Owners", "role_features"]

# Who a line under a speaker's label gives the task to: the speaker ("I'll send it", a minutes
# marker "Ben: book the room"), the listener ("can you send me the log?") or nobody yet ("who
# will book the room?"). Cues the vector blurs: "you" as a subject, me, "send me", "I" first,
# "I want you to" or "please", a question, a question word.
_CUES = (
    r"\b(?i:can|could|would|will|do|did|have|are|were|mind)\s+you\b"
    r"|\byou\s+(?:should|could|might|need|can)\b",
    r"\b(?i:me|my)\b",
    r"^\W*(?:(?:yes|ok|so|and),?\s+)?(?!let\b)[a-z]+\s+(?:me|us)\b|\blet\s+me\s+know\b",
    r"^\W*(?:\w+[,.!]*\s+){0,2}?(?:I\b|I['’]|(?i:let\s+me)\b)",  # "yes. I'll", not "if I can"
    r"\bI\b.{0,25}\byou\s+(?:to|should|could|need)\b"
    r"|(?i:please|don't\s+forget|remember|make\s+sure)\b",
    r"\?\s*$",
    r"^\W*(?:\w+,\s*)?(?i:who|what|how|which|any|does|did|have|has|were|was|are|is)\b",
)


def role_features(texts: Sequence[str]) -> Matrix:
    """MiniLM vectors and the cues (0 or 1 each)."""
    cues = np.array([[float(bool(re.search(c, t))) for c in _CUES] for t in texts])
    return np.hstack([embed(texts), cues.reshape(len(texts), len(_CUES))])


SURE = 0.8  # below it the label owns the line, as before the model
OWNER_SPEC = TrainingSpec("action_owner", ("action_owner_r13.jsonl",), role_features, {"l2": 1e-3})


class Owners:
    """The owner steps of the extractor (a mixin)."""

    people: People
    clean: str
    sentences: list[Sentence]

    if TYPE_CHECKING:  # provided by the extractor

        def _strip_dates(self, text: str, keep_case: bool = False) -> str: ...

    def _bare_owner(self, body: str) -> re.Match[str] | None:
        """An attendee's name, then a known verb in its base form: "ana send him the template"."""
        if body.rstrip().endswith("?"):
            return None  # "Will you also write it up?" asks
        bare = _BARE.match(body)
        if bare is None:
            # "Kwame Mensah Ask the staff engineers ...": a task list pasted without its
            # separator keeps an attendee's full name before a capitalised verb.
            for name in self.people.attendees:
                full = re.match(rf"\W*(?P<o>{re.escape(name)})\s+(?=(?P<v>[A-Z][a-z]+)\b)", body)
                if full and full["v"].lower() in KNOWN_VERBS and " " in name:
                    return full
            return None
        known = bare["v"] in KNOWN_VERBS
        return (
            bare if known and self.people.resolve(bare["o"])[0] in self.people.attendees else None
        )

    def _label_owner(self, s: Sentence, label: str, body: str) -> tuple[str | None, bool, str]:
        """Whose a line under a label is: the label's, the listener's, nobody's yet or the author's.

        Learned, on a turn that asks ("Priya: can you send me the log?"); a bullet or a line that
        does not ask is a minutes owner marker, the label's, and so is a reading under SURE.
        """
        if self._task_label(label, body):  # "Prep: slides for the demo" in the author's notes
            return self.people.author, True, body.split(":", 1)[-1].lstrip()
        owner, known = self.people.resolve(label)
        asks = body.rstrip().endswith("?")
        # A turn that does not ask ("please send me the log") is read too once the next speaker
        # accepts it; it is no open question, so only the listener can take it from the label.
        turn = not s.segment.bullet and (asks or self._accepted(s))
        model = load_model("action_owner")
        probs = model.probabilities([body], role_features)[0] if turn else None
        role = model.labels[int(probs.argmax())] if probs is not None else "writer"
        if role == "none" and not asks:
            role = "writer"
        if role == "writer" or probs is None or probs.max() < SURE:  # unsure: the label's
            return owner, known, body
        return (self._addressee(s, owner) if role == "listener" else "?imperative"), True, body

    def _accepted(self, s: Sentence) -> bool:
        """Whether the next turn, another speaker's, accepts this one ("ok", "will do")."""
        after = [p for p in self.sentences if p.start >= s.end and p.segment is not s.segment]
        if not after or after[0].segment.speaker in (None, s.segment.speaker):
            return False
        text = re.sub(rf"^\s*(?:{NAME})\s*:\s*", "", after[0].text)
        return bool(_ACCEPT.match(text))

    def _task_label(self, label: str, body: str) -> bool:
        """A label word before a task in the author's own notes ("Reminder: ask Greta ...").

        The name model tells a label from a name; a turn that says "I" or "you" is a speaker's.
        """
        return bool(
            self.people.author
            and not self._is_name(label, True)
            and label.casefold() not in NOT_NAMES
            and not _META_WORD.match(label)
            and not re.search(r"(?i)\b(?:I|I'\w+|me|my|you|your|we)\b", body)
        )

    def _bracket_task(self, s: Sentence, body: str) -> bool:
        """A bullet that says a task and then whose it is: "Follow up with Carla (Ben) - Fri"."""
        verb = first_word(body) in KNOWN_VERBS  # a known verb: "pto (Ben)" is a note
        if not (s.segment.bullet and s.start == s.segment.start and verb):
            return False
        trail = self._trailing_owner(body)
        return bool(trail and trail.group("a") and self._marks_owner(trail))

    def _trailing_owner(self, body: str) -> re.Match[str] | None:
        """The owner marked at the end: "Send the deck (Ana)", "... (Ana) — ASAP", "... → Ben"."""
        plain = self._strip_dates(body, keep_case=True)
        trail = _TRAIL.search(plain)
        if trail and trail.group(0).lstrip().startswith("@"):
            before = plain[: trail.start()].split()
            if (
                len(before) < 3
                or before[0].casefold() not in KNOWN_VERBS
                or before[-1].casefold() in STOPWORDS
            ):
                trail = None  # only "Verb the object @Name" is whose; "ping @Ben" is whom
        # A short note after the owner in brackets ("(Ana) — ASAP", "(Ben) - high priority").
        noted = re.search(r"[)\]][ \t]+[-–—][ \t]+\w[\w \t]{0,24}$", plain)
        inner = _TRAIL.search(plain[: noted.start() + 1]) if noted else None
        if inner and (trail is None or not self._marks_owner(trail)):
            return inner
        return trail

    def _marks_owner(self, trail: re.Match[str]) -> bool:
        marker = trail.group("a") or trail.group("b")
        return self.people.resolve(marker)[0] is not None or marker.upper() == "TBD"

    def _pronoun_owner(self, pronoun: str, writer: str | None, s: Sentence) -> str | None:
        """Whose task a subject pronoun names.

        "I" is the writer's, "you" the other person's, "he"/"she" the other person's or, when
        nobody wrote in the first person, the attendee named just before.
        """
        word = pronoun.casefold()
        if word.startswith(("i", "me", "my", "let")):
            return writer
        if word.startswith("you"):
            return self._addressee(s, writer)
        return self._third_person(s) or self.people.other(writer) or self._recent_person(s)

    def _third_person(self, s: Sentence) -> str | None:
        """In a conversation "he"/"she" is not the listener: the non-attendee named just before.

        "Sam: Marco pointed out the diagram is wrong / Priya: who? / Sam: He'll update it."
        """
        if not s.segment.speaker or len(self.people.attendees) != 2:
            return None
        for p in reversed([p for p in self.sentences if p.end <= s.start][-3:]):
            for m in reversed(list(re.finditer(rf"(?<![:\w])(?:{NAME})\b(?!\s*:)", p.text))):
                word = m.group(0).split()[0]
                who, known = self.people.resolve(word)
                if (
                    not known
                    and word.casefold() not in NOT_NAMES | STOPWORDS
                    and looks_like_name(word)
                ):
                    return who
        return None

    def _addressee(self, s: Sentence, writer: str | None) -> str | None:
        """Who "you" is: the other of the pair, else the attendee addressed on a call of three.

        That is the attendee named earlier in the same turn, else whoever spoke last before it.
        """
        other = self.people.other(writer)
        if other is not None or writer is None or len(self.people.attendees) < 3:
            return other
        seg = s.segment
        named = [a for a in self._attendees_in(self.clean[seg.start : s.start]) if a != writer]
        if named:
            return named[-1]
        for p in reversed([p for p in self.sentences if p.end <= seg.start]):
            if p.segment.speaker:
                who, known = self.people.resolve(p.segment.speaker)
                if who != writer and known and who in self.people.attendees:
                    return who
        return None

    def _recent_person(self, s: Sentence) -> str | None:
        """Who "he"/"she" is in notes nobody wrote in the first person: the attendee named last."""
        earlier = [p for p in self.sentences if p.end <= s.start][-2:]
        named = [a for p in reversed(earlier) for a in self._attendees_in(p.text)[::-1]]
        return named[0] if named else None

    def _attendees_in(self, text: str) -> list[str]:
        """The attendees ``text`` names, in order."""
        return [
            owner
            for m in re.finditer(NAME, text)
            for owner, known in [self.people.resolve(m.group(0).split()[0])]
            if known and owner in self.people.attendees
        ]

    def _is_name(self, candidate: str | None, marked: bool) -> bool:
        """Whether a leading word is a person (an attendee, initials, or a capitalised name)."""
        if not candidate:
            return False
        parts = People.JOINED.split(candidate.strip("@ "))
        for part in parts:
            if len(parts) > 1 and part in {"I", "me"}:
                continue  # "Bo & I will ...": the writer shares it
            words = part.split()
            if not words:
                return False
            head = re.split(r"['’]", words[0])[0].casefold()
            owner, known = self.people.resolve(part)
            if head in NOT_NAMES or head in STOPWORDS or owner is None:
                return False
            if not known and (
                (len(words) > 1 and not marked)
                or _META_WORD.match(part)
                or (len(words) == 1 and not looks_like_name(part))  # "Prep: slides for ..."
                or (not marked and not self._named_elsewhere(words[0]))
            ):
                return False
        return True

    def _named_elsewhere(self, word: str) -> bool:
        """A capitalised word also written capitalised mid-sentence is a name, not a verb."""
        return bool(re.search(rf"(?<=[a-z,] ){re.escape(word)}\b", self.clean))
