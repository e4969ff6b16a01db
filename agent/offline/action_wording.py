"""How an extracted action is worded: the task as a mentor would write it for its owner.

The extractor (:mod:`agent.offline.actions`) decides what is a task and whose; this mixin
turns the words said into the item's text: dates, reasons and sign-offs cut, "re:" read as
"about", the owner addressed as "you" and everyone else by first name, initials where a
person stands turned into that person's name, and a bare "it" named from what was said before.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from agent.offline.action_patterns import (
    _LEADING_CHATTER,
    _NOMINAL,
    _NOT_OBJECTS,
    _PHRASE,
    _TAIL,
    _THE,
    _TOPIC_SUBJECT,
)
from agent.offline.people import INITIALS, NOT_NAMES, STOPWORDS, People
from agent.offline.segments import Sentence
from agent.offline.words import to_base

__all__ = ["Wording"]


class Wording:
    """The wording steps of :class:`agent.offline.actions._Extractor` (a mixin)."""

    people: People
    clean: str
    sentences: list[Sentence]

    if TYPE_CHECKING:  # provided by the extractor

        def _strip_dates(self, text: str, keep_case: bool = False) -> str: ...

        def _addressee(self, s: Sentence, writer: str | None) -> str | None: ...

    def _finish(self, text: str, owner: str | None, writer: str | None, at: int) -> str | None:
        text = _regarding(self._strip_dates(text))
        text = _ask_to(text)
        text = re.sub(
            r"(?:\s+[-–—→]\s+.*|\s+\((?:[^)]*)\)|\s*,\s+(?:so|because|since|as|which|once|if"
            r"|says|said|according\s+to|per|sorry|oops)\b.*|\s*,\s+(?:[A-Z]\w+|he|she|they|I)\s+(?:says|said)\W*"
            r"|\s+(?:says|said)\s+(?:[A-Z]\w+|he|she|they)\W*|\s*[;:]\s+.*"
            r"|\s+(?:so\s+that|because|since|so(?=\s+(?:you|I|we|he|she|they|it)\b))\b.*"
            # A caption runs on into thanks and goodbyes: "send the draft thanks a lot see you".
            r"|\s+(?:thanks|cheers|bye|goodbye|see\s+(?:you|ya))\b.*"
            r"|\s+(?:yes|yeah|yep)\s+(?=(?:I|I'll|I'm|will|we)\b).*)$",
            "",
            text,
        )
        text = _LEADING_CHATTER.sub("", text)
        for _ in range(3):
            text = _TAIL.sub("", text)
        text = re.sub(r"^(?:to|will|'ll)\s+", "", text).strip(" ,.;:!-–—*_")
        text = self._pronouns(text, owner, writer, at)
        text = self._object(text, at)
        text = self._antecedent(text, at)
        text = self._person_initials(text)
        text = re.sub(
            r"\b[a-z]{3,}\b",
            lambda m: m.group(0).capitalize() if m.group(0) in self.people.firsts else m.group(0),
            text,
        )
        text = " ".join(text.split())
        if (
            len(text.split()) < 2
            or not re.match(r"[A-Za-z0-9]", text)
            or re.match(r"(?:no|not|nothing|of|is|are|was|were|and|or|but|if)\b", text, re.I)
            or _NOMINAL.match(text)
        ):
            return None  # not a task: "No rush", "Of us are looking forward ..."
        return text[0].upper() + text[1:]

    def _antecedent(self, text: str, at: int) -> str:
        """A short action on "it"/"them" names what was said before ("Book the mock interviews")."""
        vague = re.match(r"^([A-Za-z]+(?:\s+(?:up|out|over))?)\s+(?:it|them|that|this)\b", text)
        split = re.match(r"^([A-Za-z]+)\s+(?:it|them|that|this)\s+(up|out|over|together)\b", text)
        if split:  # "set that up" -> "set up" + what "that" is
            text = f"{split.group(1)} {split.group(2)} it{text[split.end() :]}"
            vague = re.match(r"^([A-Za-z]+\s+\w+)\s+it\b", text)
        before = [p for p in self.sentences if p.start < at][-3:]
        if not vague or len(text.split()) > 6:
            return text
        # "the deck is nearly done, will send it tonight": the sentence's own subject first.
        current = next((p for p in self.sentences if p.start <= at < p.end), None)
        topic = (
            re.match(r"^\W*(?P<t>[A-Z][\w' -]{3,60}?)\s*:\s+\S", current.text) if current else None
        )
        if topic and not self.people.is_person(topic.group("t").split()[0]):
            # "Pairing with Bongani on the feature store: he'll set that up next week."
            named = topic.group("t")[0].lower() + topic.group("t")[1:]
            return f"{vague.group(1)} {named}{text[vague.end() :]}"
        if current is not None:
            own = _TOPIC_SUBJECT.match(current.text)
            head = own.group("np").split()[-1].lower() if own else ""
            if own and head not in _NOT_OBJECTS and not self.people.is_person(head):
                return f"{vague.group(1)} the {own.group('np')}{text[vague.end() :]}"
        if not before:
            return text
        phrases = [
            m.group(0)
            for p in before
            for m in _PHRASE.finditer(self.clean, p.start, min(p.end, at))
            if m.group("head").lower() not in _NOT_OBJECTS
            and not self.people.is_person(m.group("head"))
        ]
        return f"{vague.group(1)} {phrases[-1]}{text[vague.end() :]}" if phrases else text

    def _person_initials(self, text: str) -> str:
        """Initials where a person stands become a first name ("send WZ the runbook").

        Where a person stands: first (the subject), after "with"/"to"/"from", after a verb
        one does to someone ("ask", "ping", "give"), before a second object ("send WZ the
        runbook"), or joined to a name ("Ana and PR"). Never after a determiner ("a PR", "the
        PR"), nor before a noun or number they modify ("WZ team", "PR 412"), nor as the thing
        other verbs act on ("raise PR", "merge PR"): there the capitals are a thing.
        """

        def name(m: re.Match[str]) -> str:
            words = re.findall(r"[A-Za-z'&]+", text[: m.start()])[-2:]
            verb = words[-1].casefold() if words else ""
            after = re.match(r"\s+([a-z][a-z'-]*|\d+(?!\d|[:.]\d)|#)", text[m.end() :])
            nxt = after.group(1) if after else ""
            if verb in _DETERMINERS or nxt[:1].isdigit() or nxt == "#":
                return m.group(0)
            slot = (
                not words
                or verb in _TO_A_PERSON
                or to_base(verb) in _GIVING | _TALKING
                or nxt in _DETERMINERS  # "send WZ the runbook": WZ is who gets it
                or (verb in {"and", "or", "&"} and len(words) == 2 and words[0][:1].isupper())
                or self._someone(m.group(0))  # "connect AP with Dara" where AP owns items
            )
            noun = (
                nxt
                and nxt not in STOPWORDS | NOT_NAMES | _AFTER_A_PERSON
                and not nxt.endswith("ed")  # "AP walked through ...": a subject
                and to_base(verb) not in _GIVING  # "give ND read access": the one given to
            )
            return self._initial(m.group(0)) if slot and not noun else m.group(0)

        return re.sub(rf"\b(?:{INITIALS})(?=[\s,]|$)", name, text)

    def _someone(self, token: str) -> bool:
        """Whether these notes use the initials as a person and never as a thing.

        A person: a line or sentence starts with them as its owner or subject ("AP: ...", "AP to
        ...", "AP walked ..."). A thing: a determiner before them or a plural ("the PR", "PRs").
        """
        t = re.escape(token)
        person = re.search(
            rf"(?:^|[.!?]\s)\W*{t}\s*(?::|[-–—]\s|(?:to|will|'ll)\b|[a-z]+ed\b)", self.clean, re.M
        )
        dets = "|".join(sorted(_DETERMINERS))
        thing = re.search(rf"\b(?i:{dets})\s+{t}\b|\b{t}s\b", self.clean)
        return bool(person) and not thing

    def _initial(self, token: str) -> str:
        owner, known = self.people.resolve(token)
        return owner.split()[0] if owner and known else token

    def _pronouns(self, text: str, owner: str | None, writer: str | None, at: int = -1) -> str:
        """Address the owner as "you"; name everyone else by first name."""
        me = writer
        if me is None and owner is not None:
            # Nobody said who wrote the notes, but the owner is named, so the writer's "my" is
            # not theirs: of a mentor and mentee, it is the other one's ("Priya will review my
            # CV" is Ben's CV).
            me = self.people.other(owner)
        you = self.people.other(me) if me else None
        here = next((p for p in self.sentences if p.start <= at < p.end), None)
        if you is None and me and here is not None:
            you = self._addressee(here, me)  # a call of three: name whoever "you" was

        def swap(m: re.Match[str]) -> str:
            word, low = m.group(0), m.group(0).casefold()
            after = text[m.end() :].lstrip()
            possessive = bool(re.match(r"[A-Za-z0-9]", after)) and not re.match(
                r"(?:to|and|about|with|on|for|a|an|the|my|your|his|her|our|their|its|if|how|what"
                r"|when|that|this|some|up|out|whether"
                r"|why|who|where|which|again|back|in|at|by|before|after|first|directly)\b",
                after,
            )
            if low == "my" and me is None and owner is not None:
                return "the" if word == "my" else "The"  # somebody's, but not the owner's
            if low in {"my", "mine"}:
                return "your" if owner == me or me is None else f"{me.split()[0]}'s"
            if low == "myself":
                return "yourself" if owner == me else word
            if low == "me":
                return me.split()[0] if me and owner != me else word
            if low in {"you", "your"} and you and owner != you and owner is not None:
                return you.split()[0] if low == "you" else f"{you.split()[0]}'s"
            if low in {"his", "her"} and owner is not None and owner != me and possessive:
                return "your"
            if low in {"his", "her"} and owner is not None and owner == me and you and possessive:
                return f"{you.split()[0]}'s"
            if word == "I" and m.start() > 0 and owner is not None and owner == me:
                before = text[: m.start()]
                quoted = before.count('"') % 2 or before.count("“") > before.count("”")
                # "the article that I mentioned", said to its owner; a quoted title keeps its I.
                return word if quoted else "you"
            return word

        return re.sub(r"\b(?:my|mine|myself|me|you|your|his|her|I)\b", swap, text, flags=re.I)

    def _object(self, text: str, at: int) -> str:
        """Keep the object's name: "review the PR" -> "review the Terraform PR" named before."""
        before = self.clean[max(0, at - 600) : at]

        def fill(m: re.Match[str]) -> str:
            noun = m.group("n")
            pattern = (
                rf"(?:\b(?i:the|a|an|our|his|her|their|my|your|its)|['’]s)\s+"
                rf"((?:[A-Z0-9][\w.+#-]*\s+){{1,2}})(?i:{re.escape(noun)})\b"
            )
            for found in reversed(list(re.finditer(pattern, before))):
                modifier = found.group(1).strip()
                head = modifier.split()[0].casefold()
                if (
                    head in STOPWORDS
                    or head in NOT_NAMES
                    or (not modifier[:1].isupper() and not modifier[:1].isdigit())
                    or modifier.endswith(("'s", "’s"))
                    or self.people.is_person(modifier.split()[0])
                ):
                    continue
                return f"the {modifier} {noun}"
            return m.group(0)

        return _THE.sub(fill, text, count=1)


def _regarding(text: str) -> str:
    """A "re:" or "wrt" is "about": "Follow up with Carla re: dry run" -> "... about the dry run".

    The colon is not the end of the task; a bare noun after it takes "the".
    """

    def about(m: re.Match[str]) -> str:
        word = m.group("w")
        bare = word[:1].islower() and word not in STOPWORDS and not word.endswith("ing")
        return f"about {'the ' if bare else ''}{word}"

    return re.sub(r"(?<![\w'’.])(?:[Rr]e:|(?i:wrt\b|w\.r\.t\.?):?)\s*(?P<w>[\w'’-]+)", about, text)





def _ask_to(text: str) -> str:
    """A task "ask to her manager" is "ask her manager": these verbs take the person, no "to"."""
    return re.sub(
        r"((?:^|\band\s+)(?i:ask|tell|contact|inform|remind|call|phone|email|e-mail|text|message|ping))"
        r"\s+to\s+(?=(?i:my|your|his|her|their|our|the)\b|[A-Z])",
        r"\1 ",
        text,
    )


# Words before a noun, never before a person: "a PR", "the PR", "each PR".
_DETERMINERS = frozenset(
    """a an the this that these those my your his her its our their some any each every no
    another which what whose one two three several many few""".split()
)
# Words that follow a person named by initials ("ask WZ whether", "ping PR tomorrow"); any
# other lower-case word after the capitals is a noun they modify ("WZ team").
_AFTER_A_PERSON = frozenset(
    """whether if how what when why who where which once before after until again directly
    first too re via today tomorrow tonight later soon asap know""".split()
)
# Verbs that give someone something: a noun after the person is the thing given.
_GIVING = frozenset(
    """give send show grant offer hand lend pass forward email bring get buy owe pay teach
    loan""".split()
)
# Verbs done to someone: "ask WZ", "ping PR", "thank AS".
_TALKING = frozenset(
    """ask tell ping email e-mail message text call phone remind meet thank contact nudge inform
    introduce invite help notify consult brief warn cc""".split()
)
# Words a person follows: "with WZ", "to PR", "cc: AS".
_TO_A_PERSON = frozenset("with to from cc via".split())
