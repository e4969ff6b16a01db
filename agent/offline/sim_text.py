"""Text helpers shared by the simulation modules: sentences, steps, terms, quoting, voice.

Every text the simulation produces is checked by :func:`text_failures` (judgement and
grammar) before use.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from agent.offline.judgement import detect_markers
from agent.offline.learned import word_list
from agent.offline.words import KNOWN_VERBS, capitalise, is_verb_form, pairs, to_base, word_set
from knowledge.minilm import embed_texts

__all__ = ["VERBS", "Voice", "capitalise", "is_verb_form", "split_sentences", "to_base"]

Vectors = np.ndarray[Any, np.dtype[np.float32]]

STOP = word_list("sim.stop")
# Words too common in outlines and questions to count as a trace of the mentor's response.
GENERIC = word_list("sim.generic")
VERBS: frozenset[str] = KNOWN_VERBS | word_list("sim.verbs")
_WORD = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*")
_APOS = str.maketrans({"’": "'", "‘": "'", "`": "'"})


def stem(word: str) -> str:
    """A light stem: "rolled" and "rolling" -> "roll", "replies" -> "reply"."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) <= 2 or w.isdigit():
        return w
    w = to_base(w) if "'" not in w else w
    if len(w) <= 3:
        return w
    for suffix in ("ing", "ed", "es", "s"):  # ("replies" is already "reply": to_base)
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("ss"):
            w = w[: -len(suffix)]
            break
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
        w = w[:-1]
    return w


GENERIC_STEMS = frozenset(stem(w) for w in GENERIC)


def words(text: str) -> list[str]:
    """Lower-cased words of ``text`` (apostrophes normalised)."""
    return _WORD.findall(text.lower().translate(_APOS))


def terms(text: str) -> list[str]:
    """Stemmed content terms of ``text``, in order (hyphenated words also split)."""
    parts = (p for w in words(text) for p in ([w, *w.split("-")] if "-" in w else [w]))
    return [stem(p) for p in parts if p not in STOP and len(p) >= 2]


def term_set(text: str) -> set[str]:
    """The set of :func:`terms`."""
    return set(terms(text))


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``; each line and bullet starts a new one."""
    out: list[str] = []
    for line in text.splitlines():
        line = _BULLET.sub("", line).strip()
        start = 0
        for match in _SENTENCE_END.finditer(line):
            piece = line[start : match.start()].strip() + line[match.start() : match.end()].strip()
            if piece:
                out.append(piece)
            start = match.end()
        if line[start:].strip():
            out.append(line[start:].strip())
    return out


_SUBJECT = r"(?:i|i'd|i'll|i'm|we|we'd|we'll)"
# "..., so I rolled back" starts a new move; "..., so I could see" is the purpose of the last.
_SO_MOVE = r"so\s+(?!(?:i|we)\s+(?:can|could|would|might|had|was|were|knew|felt)\b)"
_STEP_BREAK = re.compile(
    rf";\s+|,?\s+(?:and\s+)?then\s+|,\s+(?=(?:and\s+|{_SO_MOVE})?{_SUBJECT}\s)"
    rf"|\s+(?:and|but)\s+(?={_SUBJECT}\s)",
    re.IGNORECASE,
)
_FRONTED = re.compile(
    r"^(?:if|when|once|for|after|before|since|as soon as|while|although|unless|until)\b"
    rf"(?!.*\b{_SUBJECT}\b)",
    re.IGNORECASE,
)
_AND_VERB = re.compile(r"\s+and\s+(?=([a-z]+)\b)", re.IGNORECASE)
_ACTOR = re.compile(rf"\b{_SUBJECT}\b|\b(?:i've|we're|we've|you|you'd|you'll)\b", re.IGNORECASE)
_OTHER_SUBJECT = re.compile(r"^(?:it|it's|she|she'd|he|he'd|they|they'd|this|that|there)\b", re.I)
_BACK_REFERENCE = word_set("it them this that these those each every one all both of")
Piece = tuple[str, str]  # (the separator written before it, the piece)


def _cut(pieces: list[Piece], pattern: re.Pattern[str], verbs_only: bool = False) -> list[Piece]:
    """Pieces cut further at ``pattern``, each keeping the separator it was written with."""
    out: list[Piece] = []
    for sep, text in pieces:
        start = 0
        for match in pattern.finditer(text):
            if verbs_only and match.group(1).lower() not in VERBS:
                continue  # "the tests and docs": not a new verb phrase
            out.append((sep, text[start : match.start()]))
            sep, start = match.group(0), match.end()
        out.append((sep, text[start:]))
    return out


def _leads(piece: str) -> bool:
    """Whether a piece is a move: the actor (I, we, you) is its subject or it opens on a verb.

    A fronted participle ("Following the data through the code, ...") opens no move.
    """
    first = (words(piece) or [""])[0]
    gerund = first.endswith("ing") and to_base(first) != first
    verb = not gerund and (first in VERBS or to_base(first) in VERBS)
    return bool(_ACTOR.search(piece)) or verb


def steps(text: str, min_words: int = 3) -> list[str]:
    """The steps of an answer or a response, in order.

    Sentences are split at ``;``, ``then``, ``, I ...``, ``, so I ...`` and ``and <verb>``. A
    short piece, one after a fronted "if/when ..." clause, a clause about someone else ("it only
    added a nullable column") or a move on what the one before named joins the one before; a
    piece with no subject and no leading verb ("A week before the review") joins the one after.
    """
    out: list[str] = []
    for sentence in split_sentences(text):
        pieces = _cut(_cut([("", sentence)], _STEP_BREAK), _AND_VERB, verbs_only=True)
        merged: list[str] = []
        carry = ""
        for sep, raw in pieces:
            piece = raw.strip(" ,;:-")
            if not piece:
                continue
            piece = f"{carry}{sep}{piece}" if carry else piece
            carry = ""
            core = re.sub(r"^(?:and|so|then)\s+", "", piece, flags=re.IGNORECASE)
            leads = _leads(core)
            context = not leads and bool(_OTHER_SUBJECT.match(core))
            # "and estimate each one": a move on what the one before named is part of it.
            anaphoric = set(words(core)[1:]) <= _BACK_REFERENCE
            short = len(piece.split()) < min_words
            if merged and (short or _FRONTED.match(merged[-1]) or context or anaphoric):
                merged[-1] = f"{merged[-1]}{sep}{piece}"
            elif not leads:
                carry = piece
            else:
                merged.append(piece)
        if carry:
            if merged:
                merged[-1] = f"{merged[-1]}, {carry}"
            else:
                merged.append(carry)
        if len(merged) > 1 and len(merged[0].split()) < min_words:
            merged[1] = f"{merged[0]}, {merged[1]}"
            merged = merged[1:]
        out.extend(re.sub(r"^(?:and|so|then)\s+", "", m, flags=re.IGNORECASE) for m in merged)
    return out


def safe(text: str) -> bool:
    """Whether ``text`` is free of judgemental wording."""
    return not detect_markers(text)


_CLAUSE = re.compile(r"(?<=[,;:])\s+|\s+(?=(?:and|but|because|so)\s)")


def quote(text: str, max_words: int = 32) -> str:
    """``text`` for quoting: its leading whole clauses up to ``max_words``, blame left out.

    At least the first clause is kept, however long; clauses are joined as they were written.
    """
    clean = " ".join(text.split()).strip().rstrip(".")
    # Clauses with their own punctuation (joined by spaces they give the text back).
    clauses = [p for p in _CLAUSE.split(clean) if p.strip(" ,;:")]
    kept: list[str] = []
    count = 0
    for clause in clauses:
        n = len(clause.split())
        if kept and count + n > max_words:
            break
        if safe(clause):
            kept.append(clause)
            count += n
    if not kept:
        return ""
    if len(kept) == len(clauses) and safe(clean):
        return clean
    joined = " ".join(kept)
    joined = joined if safe(joined) else kept[0]
    # A quote that starts where a dropped clause ended must not open on its conjunction.
    return re.sub(r"^(?:and|but|so)\s+(?:then\s+)?", "", joined.strip(" ,;:"), flags=re.I)


def embed(texts: Sequence[str]) -> Vectors:
    """Unit MiniLM vectors (local, no network)."""
    return embed_texts(list(texts))


def sims(left: Sequence[str], right: Sequence[str]) -> Vectors:
    """Cosine similarities, ``len(left)`` x ``len(right)``."""
    if not left or not right:
        return np.zeros((len(left), len(right)), dtype=np.float32)
    return np.asarray(embed(left) @ embed(right).T, dtype=np.float32)


_YOU = pairs(
    """
    i:you i'd:you'd i'll:you'll i'm:you're i've:you've me:you my:your mine:yours
    myself:yourself we:you we're:you're we'll:you'll we'd:you'd our:your us:you
    """
)


_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i'd|i'll|i've|me|my|mine|myself|we|we're|our|us)\b", re.I)


def first_person(text: str) -> bool:
    """Whether ``text`` (outside any quotation) is told in the first person."""
    return bool(_FIRST_PERSON.search(re.sub(r'"[^"]*"|“[^”]*”', "", text.replace("’", "'"))))


# "I am" / "I was" become "you are" / "you were": the verb after the subject agrees with it.
_AGREE = pairs("am:are was:were wasn't:weren't is:are isn't:aren't has:have hasn't:haven't does:do")
_SUBJECT_VERB = re.compile(
    r"\b(I|we)((?:\s+[a-z]+ly)?\s+)(am|was|is|has|does|(?:was|is|has)n['’]t)\b", re.IGNORECASE
)


def first_person_to_you(text: str) -> str:
    """The mentee's own words ("I have to ...") addressed back to them ("you have to ...")."""

    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        return _YOU.get(word.lower().replace("’", "'"), word)

    def agree(match: re.Match[str]) -> str:
        verb = _AGREE[match.group(3).lower().replace("’", "'")]
        return f"{match.group(1)}{match.group(2)}{verb}"

    text = _SUBJECT_VERB.sub(agree, text)
    return re.sub(r"\b[A-Za-z]+(?:['’][a-z]+)?\b", swap, text)


@dataclass(frozen=True)
class Voice:
    """Whose story the scenario is: the mentor's, or a starter example from the guide."""

    who: str  # subject: "Dana" / "the engineer in this starter scenario"
    whose: str  # possessive: "Dana's" / "the starter scenario's"
    starter: bool

    @property
    def as_did(self) -> str:
        """Introduces a quoted move: "as Dana did" / "as in the starter scenario"."""
        return "as in the starter scenario" if self.starter else f"as {self.who} did"

    @classmethod
    def of(cls, starter: bool, mentor: str | None) -> Voice:
        """The voice for a scenario (``starter``) run by ``mentor``."""
        if starter:
            return cls("the engineer in this starter scenario", "the starter scenario's", True)
        name = " ".join((mentor or "").split()) or "your mentor"
        return cls(name, f"{name}'" if name.endswith("s") else f"{name}'s", False)


_DOUBLED = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE)
_POSSESSIVE_NUMBER = re.compile(
    r"\b(?!(?:it|that|there|here|what|who)['’]s\b)\w+['’]s\s+\d+\b", re.I
)
_LOWER_START = re.compile(r"(?:^|[.!?]\s+)([a-z])")
_ABBREVIATION = re.compile(r"\b(?:a\.m|p\.m|e\.g|i\.e|etc|vs|approx)\.", re.IGNORECASE)
_DOUBLED_OK = frozenset({"that", "had", "very", "bye"})
_DISAGREES = re.compile(
    r"\byou\s+(?:am|was|wasn't|is|isn't|has|hasn't|does|doesn't)\b"
    r"|\bI\s+(?:are|is|isn't|has|hasn't|were|weren't|does|doesn't)\b",
    re.IGNORECASE,
)


def text_failures(text: str) -> list[str]:
    """Judgement and grammar problems in a text the simulation is about to show."""
    failures = [f"judgemental wording: {m!r}" for m in detect_markers(text)]
    unquoted = _ABBREVIATION.sub("x", re.sub(r'"[^"]*"', '""', text))
    for match in _DOUBLED.finditer(unquoted):
        if match.group(1).lower() not in _DOUBLED_OK and not match.group(1).isdigit():
            failures.append(f"doubled word: {match.group(0)!r}")
    possessive = _POSSESSIVE_NUMBER.search(unquoted)
    if possessive:
        failures.append(f"a possessive before a number: {possessive.group(0)!r}")
    tokens = re.findall(r"[\w'-]+", unquoted.lower())  # a quote may echo the principle
    head = tokens[:4]
    if len(head) == 4 and any(tokens[i : i + 4] == head for i in range(1, len(tokens) - 3)):
        failures.append(f"repeated phrase: {' '.join(head)!r}")
    if _LOWER_START.search(unquoted.strip()):
        failures.append("a sentence starts in lower case")
    if text.count('"') % 2 or '""' in text.replace('"" ', "").replace(' ""', ""):
        failures.append("unbalanced or empty quotes")
    agreement = _DISAGREES.search(unquoted)
    if agreement:
        failures.append(f"the verb does not agree with its subject: {agreement.group(0)!r}")
    if re.search(r"\s[,.;:](?:\s|$)", unquoted):
        failures.append("a space before punctuation")
    return failures
