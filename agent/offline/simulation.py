"""The offline "Years of Experience in Months" simulation and "Feedback Fast-Forward" loop.

Deterministic and local: sentences are compared with the local MiniLM embeddings
(:func:`knowledge.embeddings.embed_texts`) and a light stemmer, never a network call.

Years of Experience in Months, one scenario at a time:

1. :func:`choose_scenario` picks the scenario closest to the pair's goals and what's coming up.
2. :func:`present_situation` outlines it *without* the mentor's response; :func:`leak_failures`
   is the guardrail that checks any outline (this engine's or the LLM's) for leaks, and
   :func:`clarify` answers the mentee's questions from the situation only.
3. The mentee commits to an approach; :func:`compare_approach` aligns it with what the mentor
   actually did (similarities, differences, principles), quoting both.
4. :func:`application_plan` turns the principles into 2-4 steps for the mentee's own upcoming
   situation; the steps become the pair's action items.

Feedback Fast-Forward: :func:`ffwd_guidance` before each attempt, :func:`ffwd_observe` after it,
:func:`ffwd_summary` at the end; the caller runs :data:`MIN_ROUNDS` to :data:`MAX_ROUNDS` rounds.

Every text this module returns passes the judgemental-language detector.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, Field

from agent.errors import UserInputError
from agent.offline.dates import NUMBER_WORDS
from agent.offline.judgement import detect_markers
from agent.offline.questions import KNOWN_VERBS, capitalise, is_verb_form, to_base
from agent.scenarios import Scenario
from knowledge.minilm import embed_texts

__all__ = [
    "MAX_ROUNDS",
    "MIN_ROUNDS",
    "ApproachComparison",
    "PlanStep",
    "RoundRecord",
    "application_plan",
    "choose_scenario",
    "clarify",
    "compare_approach",
    "comparison_failures",
    "ffwd_guidance",
    "ffwd_observe",
    "ffwd_summary",
    "leak_failures",
    "plan_failures",
    "present_situation",
    "split_sentences",
]

MIN_ROUNDS = 3
MAX_ROUNDS = 5

Vectors = np.ndarray[Any, np.dtype[np.float32]]


# ============================================================================================
# Models
# ============================================================================================
AnswerQuality = Literal["full", "short", "off-topic"]


class ApproachComparison(BaseModel):
    """The mentee's approach next to what the mentor actually did."""

    similarities: list[str]
    differences: list[str]
    principles: list[str]
    summary: str
    quality: AnswerQuality = "full"


class PlanStep(BaseModel):
    """One step of the mentee's application plan; it becomes one of the pair's action items."""

    action: str
    owner: str
    due_days: int | None = None


class RoundRecord(BaseModel):
    """One Feedback Fast-Forward round: the focus, the mentee's report and what it showed."""

    round_no: int
    skill: str
    focus: str
    focus_index: int
    guidance: str
    report: str
    observations: list[str]
    patterns: list[str]
    adjustment: str
    went_well: list[str] = Field(default_factory=list)
    struggles: list[str] = Field(default_factory=list)
    focus_tried: bool = False
    next_focus_index: int = 0


# ============================================================================================
# Text
# ============================================================================================
_STOP = frozenset(
    """
    a an the and or but if of to in on at for with by from as into onto over under about after
    before than then so that this these those there here it its it's is are was were be been
    being am do does did doing done have has had having i i'm i'd i'll i've me my mine myself
    you you're you'd you'll you've your yours yourself we we're we'd we'll we've us our ours
    they they're they'd they'll them their he she him her his hers what which who whom whose
    when where why how all any both each few more most other some such no nor not only own same
    too very can can't cannot could couldn't would wouldn't should shouldn't will won't just
    don't doesn't didn't isn't aren't wasn't weren't haven't hasn't hadn't also still yet even
    up down out off again once one's let's let via per etc rather instead though although while
    because until unless whether either neither every much many lot lots really actually
    probably maybe perhaps quite bit get got gets going go goes went make made makes take took
    taken thing things way something anything nothing everything someone anyone everyone
    between across through without within against during among toward towards upon beside
    almost nobody somebody due
    """.split()
)
# Words too common in outlines and questions to count as a trace of the mentor's response.
_GENERIC = frozenset(
    """
    what would you do first time day days week weeks team work people know need want think
    approach step steps handle handled involve decide respond answer question situation
    new good well like right now next last minute minutes hour hours say said tell told
    start started start try tried use used see look looked find found mentor mentee
    """.split()
)
_WORD = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*")
_APOS = str.maketrans({"’": "'", "‘": "'", "`": "'"})


def _stem(word: str) -> str:
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) <= 2 or w.isdigit():
        return w
    w = to_base(w) if "'" not in w else w
    if len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    else:
        for suffix in ("ing", "ed", "es", "s"):
            if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("ss"):
                w = w[: -len(suffix)]
                break
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
        w = w[:-1]
    return w


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().translate(_APOS))


def _terms(text: str) -> list[str]:
    """Stemmed content terms of ``text``, in order (hyphenated words also split)."""
    out: list[str] = []
    for word in _words(text):
        for part in [word, *word.split("-")] if "-" in word else [word]:
            if part in _STOP or len(part) < 2:
                continue
            out.append(_stem(part))
    return out


def _term_set(text: str) -> set[str]:
    return set(_terms(text))


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``; each line and bullet starts a new one."""
    out: list[str] = []
    for line in text.splitlines():
        line = _BULLET.sub("", line).strip()
        if not line:
            continue
        start = 0
        for match in _SENTENCE_END.finditer(line):
            piece = line[start : match.start()].strip() + line[match.start() : match.end()].strip()
            if piece.strip():
                out.append(piece.strip())
            start = match.end()
        tail = line[start:].strip()
        if tail:
            out.append(tail)
    return out


_CLAUSE_BREAK = re.compile(
    r";\s+|,?\s+(?:and\s+)?then\s+|\.\s+|,\s+(?=(?:and\s+)?(?:i|i'd|i'll|i'm|we|we'd)\s)"
    r"|\s+(?:and|but)\s+(?=(?:i|i'd|i'll|we|we'd)\s)",
    re.IGNORECASE,
)
_FRONTED = re.compile(
    r"^(?:if|when|once|for|after|before|since|as soon as|while|although|unless|until)\b"
    r"(?!.*\b(?:i|i'd|i'll|we|we'd)\b)",
    re.IGNORECASE,
)
_AND_VERB = re.compile(r"\s+and\s+(?=([a-z]+)\b)", re.IGNORECASE)


def _split_and(clause: str) -> list[str]:
    """Split "roll back and tell my lead" at an ``and`` that starts a new verb phrase."""
    parts: list[str] = []
    start = 0
    for match in _AND_VERB.finditer(clause):
        nxt = match.group(1).lower()
        if nxt in KNOWN_VERBS or nxt in _EXTRA_VERBS:
            parts.append(clause[start : match.start()])
            start = match.end()
    parts.append(clause[start:])
    return parts


def _clauses(text: str, min_words: int = 3) -> list[str]:
    """The proposals in an answer: sentences split at ``;``, ``then`` and ``and <verb>``."""
    out: list[str] = []
    for sentence in split_sentences(text):
        pieces: list[str] = []
        for chunk in _CLAUSE_BREAK.split(sentence):
            pieces.extend(_split_and(chunk))
        merged: list[str] = []
        for piece in (p.strip(" ,;:-") for p in pieces):
            if not piece:
                continue
            if merged and (len(piece.split()) < min_words or _FRONTED.match(merged[-1])):
                merged[-1] = f"{merged[-1]}, {piece}"
            else:
                merged.append(piece)
        if merged and len(merged[0].split()) < min_words and len(merged) > 1:
            merged[1] = f"{merged[0]}, {merged[1]}"
            merged = merged[1:]
        out.extend(merged)
    return out


_UNIT_BREAK = re.compile(r";\s+|,?\s+and\s+(?=I\s)")


def _units(text: str) -> list[str]:
    """The mentor's points: sentences split at ``;``, ``and I ...`` and ``and <verb> ...``."""
    out: list[str] = []
    for sentence in split_sentences(text):
        pieces: list[str] = []
        for chunk in _UNIT_BREAK.split(sentence):
            pieces.extend(_split_and(chunk))
        for piece in (p.strip(" ,") for p in pieces):
            if not piece:
                continue
            if out and pieces and len(piece.split()) < 4:
                out[-1] = f"{out[-1]}, {piece}"
            else:
                out.append(piece)
    return out


def _shorten(text: str, max_words: int) -> str:
    text = " ".join(text.split()).strip()
    words = text.split()
    if len(words) <= max_words:
        return text.rstrip(".")
    cut = " ".join(words[:max_words]).rstrip(",;:")
    return f"{cut}..."


def _safe(text: str) -> bool:
    return not detect_markers(text)


def _quote(text: str, max_words: int = 32) -> str:
    """``text`` shortened for quoting, with any judgemental clause left out."""
    short = _shorten(text, max_words)
    if _safe(short):
        return short
    parts = re.split(r"(?<=[,;:])\s+|\s+(?=(?:and|but|because|so)\s)", short)
    kept = [p.strip(" ,;:") for p in parts if p.strip(" ,;:") and _safe(p)]
    candidate = " ... ".join(kept)
    if kept and _safe(candidate):
        return candidate
    words = [w for w in _words(short) if w not in _STOP and _safe(w)]
    return ", ".join(words[:5]) or "that point"


def _quotable(text: str) -> bool:
    """Whether :func:`_quote` can keep at least one clause of ``text`` word for word."""
    short = _shorten(text, 32)
    if _safe(short):
        return True
    parts = re.split(r"(?<=[,;:])\s+|\s+(?=(?:and|but|because|so)\s)", short)
    return any(p.strip(" ,;:") and _safe(p) for p in parts)


def _embed(texts: Sequence[str]) -> Vectors:
    return embed_texts(list(texts))


def _sims(left: Sequence[str], right: Sequence[str]) -> Vectors:
    if not left or not right:
        return np.zeros((len(left), len(right)), dtype=np.float32)
    a, b = _embed(left), _embed(right)
    return np.asarray(a @ b.T, dtype=np.float32)


def _person(name: str | None, default: str = "your mentor") -> str:
    clean = " ".join((name or "").split())
    return clean or default


_EXTRA_VERBS = frozenset(
    """
    rehearse collect gather adapt roll wake page escalate alert ask apologise apologize
    prioritise prioritize estimate explain revert sort triage pause reply read dig
    investigate monitor call message prepare bring propose push offer book block
    """.split()
)
VERBS: frozenset[str] = KNOWN_VERBS | _EXTRA_VERBS


# ============================================================================================
# Choosing and presenting a scenario
# ============================================================================================
def _scenario_text(scenario: Scenario) -> str:
    tags = ", ".join(t.replace("-", " ") for t in scenario.tags)
    return f"{scenario.title}. {scenario.situation} Topics: {tags}."


def choose_scenario(
    scenarios: Sequence[Scenario],
    goals: Sequence[str],
    upcoming: str | None,
    *,
    exclude: Collection[str] = (),
) -> Scenario:
    """The scenario closest to the pair's goals and the mentee's upcoming situation.

    Score: cosine similarity of each scenario (title, situation, tags) to the upcoming
    situation (weight 0.6) and to the closest goal (0.4), plus 0.03 per tag named in them.
    Ties, and the no-goals case, fall back to list order (the pair's own scenarios first).
    ``exclude`` skips scenario ids already run, unless that would leave nothing.
    """
    pool = [s for s in scenarios if s.id not in exclude] or list(scenarios)
    if not pool:
        raise UserInputError("there are no scenarios to choose from: add one first")
    goal_texts = [g.strip() for g in goals if g.strip()]
    upcoming_text = (upcoming or "").strip()
    if not goal_texts and not upcoming_text:
        return pool[0]
    docs = _embed([_scenario_text(s) for s in pool])
    scores = np.zeros(len(pool), dtype=np.float64)
    weight = 0.0
    if upcoming_text:
        scores += 0.6 * (docs @ _embed([upcoming_text])[0])
        weight += 0.6
    if goal_texts:
        scores += 0.4 * (docs @ _embed(goal_texts).T).max(axis=1)
        weight += 0.4
    scores /= weight
    query_terms = _term_set(" ".join([*goal_texts, upcoming_text]))
    for index, scenario in enumerate(pool):
        tag_terms = {_stem(w) for t in scenario.tags for w in t.split("-")}
        scores[index] += 0.03 * len(tag_terms & query_terms)
    best = min(range(len(pool)), key=lambda i: (-round(float(scores[i]), 6), i))
    return pool[best]


def present_situation(scenario: Scenario, *, mentor: str | None = None) -> str:
    """The outline the mentee sees before answering: never the response, outcome or principles."""
    who = _person(mentor)
    lines = [f"Scenario: {scenario.title}", "", scenario.situation.strip()]
    if scenario.constraints:
        lines += ["", "Constraints:"]
        lines += [f"- {c}" for c in scenario.constraints]
    lines += [
        "",
        "What would you do? Walk through your first moves, who you would involve and how you "
        f"would know it was working. {capitalise(who)} will share what they actually did once "
        "you have committed to an answer.",
    ]
    return "\n".join(lines)


# ============================================================================================
# Leak guardrail
# ============================================================================================
LEAK_WORDS_PER_SENTENCE = 3
LEAK_WORDS_TOTAL = 6
LEAK_SIM_HIGH = 0.8
LEAK_SIM_LOW = 0.5
LEAK_MARGIN = 0.12
LEAK_SIM_WITH_WORDS = 0.45


@dataclass(frozen=True)
class _SecretView:
    context_units: list[str]
    secret_units: list[str]
    context_terms: set[str]
    secret_only: set[str]
    secret_trigrams: set[tuple[str, ...]]
    context_trigrams: set[tuple[str, ...]]


def _trigrams(terms: Sequence[str]) -> set[tuple[str, ...]]:
    return {tuple(terms[i : i + 3]) for i in range(len(terms) - 2)}


def _secret_view(scenario: Scenario) -> _SecretView:
    context_text = "\n".join([scenario.situation, *scenario.constraints])
    secret_text = "\n".join([scenario.response, scenario.outcome, *scenario.principles])
    context_terms = _term_set(context_text)
    secret_only = _term_set(secret_text) - context_terms - {_stem(w) for w in _GENERIC}
    secret_trigrams: set[tuple[str, ...]] = set()
    for unit in [*_units(scenario.response), *_units(scenario.outcome), *scenario.principles]:
        secret_trigrams |= _trigrams(_terms(unit))
    context_trigrams: set[tuple[str, ...]] = set()
    for unit in [*split_sentences(scenario.situation), *scenario.constraints]:
        context_trigrams |= _trigrams(_terms(unit))
    return _SecretView(
        context_units=[
            *split_sentences(scenario.situation),
            *scenario.constraints,
            scenario.title,
        ],
        secret_units=[
            *_units(scenario.response),
            *_units(scenario.outcome),
            *scenario.principles,
        ],
        context_terms=context_terms,
        secret_only=secret_only,
        secret_trigrams=secret_trigrams,
        context_trigrams=context_trigrams,
    )


def leak_failures(outline: str, scenario: Scenario) -> list[str]:
    """Ways ``outline`` gives away the mentor's response, outcome or principles; [] if none.

    Four checks, each per outline sentence (numbered from 1, as :func:`split_sentences` splits):

    - a run of three content words that appears in the response/outcome/principles and not
      in the situation or constraints (a pasted phrase);
    - three or more distinct content words that only the response/outcome/principles use
      (and six or more across the whole outline);
    - an embedding match (a paraphrase): the sentence is very close to one of the mentor's
      sentences (cosine >= 0.8); or close (>= 0.5) and clearly closer to it than to anything
      in the situation (margin >= 0.12); or fairly close (>= 0.45, margin >= 0.1) while using
      two of the response-only words.

    The messages name sentence numbers and counts, never the secret words, so they are safe
    to log or show.
    """
    view = _secret_view(scenario)
    sentences = split_sentences(outline)
    failures: list[str] = []
    flagged: set[int] = set()
    all_secret_words: set[str] = set()
    for number, sentence in enumerate(sentences, start=1):
        terms = _terms(sentence)
        pasted = (_trigrams(terms) & view.secret_trigrams) - view.context_trigrams
        if pasted:
            failures.append(
                f"outline sentence {number} repeats a phrase from the mentor's response "
                f"({len(pasted)} shared three-word run{'s' if len(pasted) > 1 else ''})"
            )
            flagged.add(number)
        secret_words = set(terms) & view.secret_only
        all_secret_words |= secret_words
        if len(secret_words) >= LEAK_WORDS_PER_SENTENCE and number not in flagged:
            failures.append(
                f"outline sentence {number} uses {len(secret_words)} words that appear only in "
                "the mentor's response, outcome or principles"
            )
            flagged.add(number)
    candidates = [
        (number, s)
        for number, s in enumerate(sentences, start=1)
        if len(_words(s)) >= 5 and number not in flagged
    ]
    if candidates:
        texts = [s for _, s in candidates]
        to_secret = _sims(texts, view.secret_units).max(axis=1)
        to_context = _sims(texts, view.context_units).max(axis=1)
        for (number, text), secret, context in zip(candidates, to_secret, to_context, strict=True):
            close = float(secret)
            margin = close - float(context)
            words = len(set(_terms(text)) & view.secret_only)
            if (
                close >= LEAK_SIM_HIGH
                or (close >= LEAK_SIM_LOW and margin >= LEAK_MARGIN)
                or (words >= 2 and close >= LEAK_SIM_WITH_WORDS and margin >= 0.1)
            ):
                failures.append(
                    f"outline sentence {number} paraphrases the mentor's response or outcome "
                    f"(similarity {close:.2f}, {margin:+.2f} above the closest situation line)"
                )
    if len(all_secret_words) >= LEAK_WORDS_TOTAL and not failures:
        failures.append(
            f"the outline uses {len(all_secret_words)} words that appear only in the mentor's "
            "response, outcome or principles"
        )
    return failures


# ============================================================================================
# Clarifying questions
# ============================================================================================
_ASKS_FOR_RESPONSE = re.compile(
    r"\b(?:what|how)\s+(?:did|would|do)\s+(?:you|they|the mentor|my mentor|your mentor)\s+"
    r"(?:do|handle|decide|choose|say|respond|end up|go with|actually)"
    r"|\bwhat\s+(?:happened|was the outcome|was the result|did you end up)"
    r"|\bhow\s+did\s+(?:it|that|this)\s+(?:end|go|turn out|work out)"
    r"|\b(?:reveal|show|tell|give)\s+(?:me\s+)?(?:the|your|the mentor'?s|my mentor'?s)\s+"
    r"(?:real\s+|actual\s+)?(?:answer|response|solution|approach)"
    r"|\bwhat(?:'s| is)\s+the\s+(?:right|correct|best|real)\s+(?:answer|move|thing to do)"
    r"|\bwhat\s+should\s+i\s+do\b|\bignore\s+(?:the|this|previous|all)\b"
    r"|\bdid\s+(?:you|they|the mentor|my mentor|your mentor|(?-i:[A-Z][a-z]+))\s+(?!say\b)",
    re.IGNORECASE,
)


_PROPOSES = re.compile(
    r"^\s*(?:can|could|should|may|shall|must)\s+i\b|^\s*(?:would|is)\s+it\s+(?:be\s+)?"
    r"(?:ok|okay|fine|allowed|a good idea)\s+(?:to|if)\b|^\s*am\s+i\s+allowed\s+to\b"
    r"|^\s*what\s+if\s+i\b",
    re.IGNORECASE,
)


def clarify(question: str, scenario: Scenario, *, mentor: str | None = None) -> str:
    """Answer a clarifying question from the situation and constraints only.

    A question after the mentor's response or the outcome gets a plain "that would give it
    away"; "can I ...?" is the mentee's call, so it gets "decide it in your approach" with
    the situation line that bears on it; a question the situation doesn't cover gets "make
    an assumption and say it". The reply is checked with :func:`leak_failures` before it is
    returned, and falls back to "that would give it away" if it fails.
    """
    who = _person(mentor)
    text = " ".join(question.split())
    give_away = (
        f"That would give away how {who} handled it, so it stays hidden until you've "
        "committed to your approach. Decide what you would do with what you know so far."
    )
    if not text:
        return (
            "Ask about anything in the situation or constraints: who is involved, what is at "
            "stake, what you know so far."
        )
    if _ASKS_FOR_RESPONSE.search(text):
        return give_away
    view = _secret_view(scenario)
    context = [*split_sentences(scenario.situation), *scenario.constraints]
    raw_context = _sims([text], context)[0]
    to_secret = _sims([text], view.secret_units)[0]
    # Shared words help pick the right line ("What did the alerts say?" -> "Alerts say ...").
    to_context = np.array(
        [_pair_score(float(raw_context[k]), text, c) for k, c in enumerate(context)],
        dtype=np.float32,
    )
    best = int(np.argmax(to_context))
    closest_secret = float(to_secret.max()) if len(to_secret) else 0.0
    closest_context = float(to_context[best])
    question_terms = _term_set(text) - _GENERIC_STEMS
    lean = closest_secret - closest_context
    hits_secret = len(question_terms & view.secret_only) >= 2
    bearing = f'"{_quote(context[best], 40)}."' if closest_context >= 0.3 else ""
    if _PROPOSES.search(text):
        reply = (
            "That's yours to decide in your approach: include it if you'd do it, and say why."
            + (f" What the situation says that bears on it: {bearing}" if bearing else "")
        )
    elif (closest_secret >= 0.55 and lean > 0.1) or (hits_secret and lean > 0):
        reply = (
            "The situation doesn't say, and the answer would give away part of what "
            f'{who} did. Make an assumption, state it in your approach ("assuming ..."), '
            "and you can check it against the real story afterwards."
        )
    elif closest_context < 0.2 and not (question_terms & view.context_terms):
        reply = (
            "The situation doesn't say. Make a reasonable assumption and state it in your "
            f"approach; {who} can tell you afterwards how it really was."
        )
    elif closest_context < 0.3 and not (question_terms & view.context_terms):
        reply = (
            "The situation doesn't say directly. The closest it gets: "
            f'"{_quote(context[best], 40)}." Beyond that, make an assumption and state it in '
            "your approach."
        )
    else:
        order = np.argsort(-to_context, kind="stable")
        picked = [context[int(i)] for i in order[:2] if float(to_context[int(i)]) >= 0.3]
        picked = picked or [context[best]]
        quoted = " ".join(f'"{_quote(p, 40)}."' for p in picked)
        reply = f"From the situation: {quoted} Anything beyond that, assume and say so."
    if leak_failures(reply, scenario) or not _safe(reply):
        return give_away
    return reply


# ============================================================================================
# Comparing the mentee's approach with the mentor's
# ============================================================================================
_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget|skip)\b[^.!?\n]{0,40}\b(?:exercise|instructions?|simulation"
    r"|rules|previous|above|prompt|steps?)\b"
    r"|\b(?:reveal|show|tell|give|print)\b[^.!?\n]{0,30}\b(?:answer|response|solution)\b"
    r"|\bsystem prompt\b|\byou are now\b|\bact as\b",
    re.IGNORECASE,
)
MATCH_AT = 0.52
PARTIAL_AT = 0.37
ANCHOR_SIM = 0.6
MAX_EACH = 4
OFF_TOPIC_BELOW = 0.3
SHORT_WORDS = 8


_GENERIC_STEMS = frozenset(_stem(w) for w in _GENERIC)


def _pair_score(sim: float, mentee: str, mentor: str, background: Collection[str] = ()) -> float:
    """Cosine plus a little for shared words that the situation itself doesn't supply.

    A short clause whose every content word is in the mentor's sentence ("Roll back.") counts
    as a match however low the cosine: short texts embed poorly.
    """
    mine = _term_set(mentee) - _GENERIC_STEMS
    shared = mine & _term_set(mentor)
    distinctive = shared - set(background)
    score = sim + 0.04 * min(len(distinctive), 3)
    if 2 <= len(mine) <= 4 and shared == mine:
        score = max(score, MATCH_AT)
    return score


@dataclass(frozen=True)
class _Alignment:
    clauses: list[str]
    units: list[str]
    scores: Vectors  # clauses x units
    anchored: np.ndarray[Any, np.dtype[np.bool_]]  # a close pair may count as a similarity
    injected: list[str]


def _align(answer: str, scenario: Scenario) -> _Alignment:
    clauses: list[str] = []
    injected: list[str] = []
    for clause in _clauses(answer):
        (injected if _INJECTION.search(clause) else clauses).append(clause)
    units = _units(scenario.response)
    background = _term_set(" ".join([scenario.situation, *scenario.constraints]))
    sims = _sims(clauses, units)
    scores = np.zeros_like(sims)
    anchored = np.zeros(sims.shape, dtype=np.bool_)
    for i, clause in enumerate(clauses):
        for j, unit in enumerate(units):
            scores[i, j] = _pair_score(float(sims[i, j]), clause, unit, background)
            anchored[i, j] = float(sims[i, j]) >= ANCHOR_SIM or _anchor_words(
                clause, unit, background
            )
    return _Alignment(clauses, units, scores, anchored, injected)


def _anchor_words(mentee: str, mentor: str, background: Collection[str]) -> bool:
    """Whether the two share a word that neither the situation nor a count explains."""
    shared = (_term_set(mentee) & _term_set(mentor)) - _GENERIC_STEMS - set(background)
    return any(not (w.isdigit() or w in _NUMBERS) for w in shared)


def _assign(
    scores: Vectors, anchored: np.ndarray[Any, np.dtype[np.bool_]]
) -> tuple[dict[int, int], dict[int, int]]:
    """Greedy one-to-one pairing of mentor units with mentee clauses, best score first.

    Returns (matched, partial), each mapping unit index -> clause index. A close pair counts
    as a match only when anchored (cosine >= 0.6, or a shared distinctive word); otherwise it
    is the same point handled differently. Ties go to the earlier unit, then the earlier
    clause, so the result is deterministic.
    """
    matched: dict[int, int] = {}
    partial: dict[int, int] = {}
    if scores.size == 0:
        return matched, partial
    n_clauses, n_units = scores.shape
    order = sorted(
        ((round(float(scores[i, j]), 6), i, j) for i in range(n_clauses) for j in range(n_units)),
        key=lambda t: (-t[0], t[2], t[1]),
    )
    used_clauses: set[int] = set()
    for score, i, j in order:
        if score < PARTIAL_AT:
            break
        if i in used_clauses or j in matched or j in partial:
            continue
        (matched if score >= MATCH_AT and anchored[i, j] else partial)[j] = i
        used_clauses.add(i)
    return matched, partial


def _first_person_to_you(text: str) -> str:
    swaps = {
        "i": "you",
        "i'd": "you'd",
        "i'll": "you'll",
        "i'm": "you're",
        "i've": "you've",
        "me": "you",
        "my": "your",
        "mine": "yours",
        "myself": "yourself",
        "we": "you",
        "we're": "you're",
        "we'll": "you'll",
        "we'd": "you'd",
        "our": "your",
        "us": "you",
    }

    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        new = swaps.get(word.lower().replace("’", "'"), word)
        return new

    return re.sub(r"\b[A-Za-z]+(?:['’][a-z]+)?\b", swap, text)


def _imperative(unit: str) -> str:
    """The mentor's "I rolled back the code, kept the test" as "roll back the code, keep ...".

    Empty when the sentence doesn't start with what "I" did (the caller quotes it instead).
    """
    text = unit.strip().rstrip(".")
    text = re.sub(r"^(?:then|first|so|and|only after that did)\s+", "", text, flags=re.I)
    text = text.replace("’", "'")
    match = re.match(
        r"^(?:(?!I\s)[A-Z][\w\s'-]{0,40}?,?\s+)?I\s+(?:(didn't|did not|don't|do not)\s+)?"
        r"([a-z]+)\b\s*(.*)$",
        text,
    )
    if not match:
        return ""
    negation, verb, rest = match.group(1), match.group(2), match.group(3)

    def base_after_joint(m: re.Match[str]) -> str:
        word = m.group(2)
        return f"{m.group(1)}{to_base(word) if _is_past(word) else word}"

    rest = re.sub(r"(,?\s+and\s+|,\s+)([a-z]+)", base_after_joint, rest)
    head = f"not {to_base(verb)}" if negation else to_base(verb)
    return _first_person_to_you(f"{head} {rest}".strip())


def _is_past(word: str) -> bool:
    w = word.lower()
    if w.endswith(("ing", "s")) or w == to_base(w):
        return False
    return w.endswith("ed") or is_verb_form(w)


def compare_approach(
    mentee_answer: str, scenario: Scenario, *, mentor: str | None = None
) -> ApproachComparison:
    """Align the mentee's proposals with the mentor's steps and name both sides.

    The answer is cut into proposals (sentences split at ``;``, ``then`` and ``and <verb>``),
    the response into steps. Each pair is scored by MiniLM cosine plus a small bonus for shared
    words the situation doesn't already supply, and paired one-to-one, best first. A close
    pair (>= 0.52) is a similarity, a looser one (>= 0.37) is the same point handled
    differently; an unpaired mentor step is something the approach leaves out, an unpaired
    proposal something the mentor didn't do. Each principle is tied to the mentor step it is
    closest to, and through it to the mentee's words. Instructions to the engine inside the
    answer ("ignore the exercise...") are set aside, and the comparison says so.
    """
    if not mentee_answer.strip():
        raise UserInputError(
            "write your approach first: what you would do, who you would involve, and how "
            "you would know it worked"
        )
    who = _person(mentor)
    al = _align(mentee_answer, scenario)
    quality = _quality(al, scenario)
    if quality == "off-topic":
        matched: dict[int, int] = {}
        partial: dict[int, int] = {}
    else:
        matched, partial = _assign(al.scores, al.anchored)
    used = set(matched.values()) | set(partial.values())
    missing = [j for j in range(len(al.units)) if j not in matched and j not in partial]
    extra = [i for i in range(len(al.clauses)) if i not in used]

    similarities = [
        f'You proposed "{_quote(al.clauses[i])}"; {who} did something close: '
        f'"{_quote(al.units[j])}".'
        for j, i in sorted(matched.items())
    ]
    differences: list[str] = []
    for j, i in sorted(partial.items())[:MAX_EACH]:
        differences.append(
            f'Same point, different move: you proposed "{_quote(al.clauses[i])}", where {who} '
            f'chose: "{_quote(al.units[j])}".'
        )
    for j in missing[:MAX_EACH]:
        differences.append(
            f"{capitalise(who)} also did this, which your approach leaves out: "
            f'"{_quote(al.units[j])}".'
        )
    # A clause that is only blame ("you should have explained why!") is not a proposal.
    extra = [i for i in extra if _quotable(al.clauses[i])]
    for i in extra[: MAX_EACH + 2]:
        if quality == "off-topic":
            differences.insert(
                0,
                f'You proposed "{_quote(al.clauses[i])}", which doesn\'t address this '
                f'situation ("{_quote(scenario.title, 12)}").',
            )
        else:
            differences.append(
                f'You proposed "{_quote(al.clauses[i])}", which {who} didn\'t do; worth '
                "discussing whether it would have helped here."
            )
    for instruction in al.injected[:1]:
        differences.append(
            f'Set aside, not treated as part of your approach: "{_quote(instruction, 14)}" '
            "(the exercise only compares what you would do in the situation)."
        )

    principles = _principle_notes(scenario, al, matched, partial, who)
    summary = _summary(scenario, al, quality, matched, partial, missing, who)
    return ApproachComparison(
        similarities=[x for x in similarities if _safe(x)],
        differences=[x for x in differences if _safe(x)],
        principles=[x for x in principles if _safe(x)],
        summary=summary if _safe(summary) else _quote(summary, 200),
        quality=quality,
    )


def _quality(al: _Alignment, scenario: Scenario) -> AnswerQuality:
    """Whether the answer is a full approach, a very short one, or not about the situation."""
    if not al.clauses:
        return "off-topic"
    scenario_terms = (
        _term_set(" ".join([scenario.situation, *scenario.constraints, scenario.response]))
        - _GENERIC_STEMS
    )
    answer_terms = _term_set(" ".join(al.clauses)) - _GENERIC_STEMS
    context = [*split_sentences(scenario.situation), *scenario.constraints, *al.units]
    topical = float(_sims(al.clauses, context).max())
    if topical < OFF_TOPIC_BELOW and len(answer_terms & scenario_terms) <= 1:
        return "off-topic"
    if len(_words(" ".join(al.clauses))) < SHORT_WORDS:
        return "short"
    return "full"


def _principle_notes(
    scenario: Scenario,
    al: _Alignment,
    matched: dict[int, int],
    partial: dict[int, int],
    who: str,
) -> list[str]:
    if not al.units:
        return []
    if not scenario.principles:
        return [
            f'Ask {who} what principle sat behind "{_quote(al.units[j], 16)}".'
            for j in range(min(2, len(al.units)))
        ]
    sims = _sims(scenario.principles, al.units)
    notes: list[str] = []
    for k, principle in enumerate(scenario.principles):
        row = [_pair_score(float(sims[k, j]), principle, u) for j, u in enumerate(al.units)]
        j = max(range(len(row)), key=lambda x: (round(row[x], 6), -x))
        p = principle.rstrip(".")
        if j in matched:
            notes.append(f'{p}. You already applied it: "{_quote(al.clauses[matched[j]], 18)}".')
        elif j in partial:
            notes.append(
                f'{p}. It is where your "{_quote(al.clauses[partial[j]], 14)}" and {who}\'s '
                f'"{_quote(al.units[j], 14)}" part ways.'
            )
        else:
            notes.append(
                f'{p}. It sits behind {who}\'s "{_quote(al.units[j], 16)}", a step your '
                "approach can add."
            )
    return notes


def _summary(
    scenario: Scenario,
    al: _Alignment,
    quality: AnswerQuality,
    matched: dict[int, int],
    partial: dict[int, int],
    missing: list[int],
    who: str,
) -> str:
    n = len(al.units)
    first_missing = f'"{_quote(al.units[missing[0]], 16)}"' if missing else ""
    parts: list[str] = []
    if al.injected:
        parts.append(
            "Part of your answer asked to skip the exercise; it was set aside, and the "
            "comparison uses only what you proposed."
        )
    if quality == "off-topic":
        answer = _quote(" ".join(al.clauses), 16) if al.clauses else ""
        lead = f'Your answer ("{answer}")' if answer else "Your answer"
        parts.append(
            f"{lead} doesn't yet say what you would do in this situation, so there is little "
            "to compare. Missing: your first move, who you would involve, and how you would "
            f"know it worked. {capitalise(who)}'s approach had {n} steps, starting with "
            f"{first_missing or _quote(al.units[0], 16)}."
        )
        return " ".join(parts)
    if quality == "short":
        parts.append(
            f'Your answer is short ("{_quote(" ".join(al.clauses), 12)}"), so the comparison '
            "is thin. Missing: who you would involve, what you would tell them, and how you "
            "would know it worked."
        )
    if matched:
        names = "; ".join(f'"{_quote(al.clauses[i], 10)}"' for _, i in sorted(matched.items())[:2])
        parts.append(f"You overlapped with {who} on {len(matched)} of {n} steps ({names}).")
    else:
        parts.append(f"None of your steps lined up closely with {who}'s {n}.")
    if partial:
        j, i = min(partial.items())
        parts.append(
            f'On the same point you chose "{_quote(al.clauses[i], 12)}" where {who} chose '
            f'"{_quote(al.units[j], 12)}".'
        )
    if first_missing:
        parts.append(f"The biggest step your approach leaves out: {first_missing}.")
    if scenario.principles:
        parts.append(f'The principle to take away: "{scenario.principles[0].rstrip(".")}".')
    return " ".join(parts)


def comparison_failures(
    comparison: ApproachComparison, mentee_answer: str, scenario: Scenario
) -> list[str]:
    """Guardrail for either engine's comparison: it must name both sides, without blame."""
    failures: list[str] = []
    text = " ".join(
        [
            *comparison.similarities,
            *comparison.differences,
            *comparison.principles,
            comparison.summary,
        ]
    )
    words = _term_set(text)
    mentee_terms = _term_set(mentee_answer) - {_stem(w) for w in _GENERIC}
    mentor_terms = _term_set(scenario.response) - {_stem(w) for w in _GENERIC}
    if mentee_terms and not (words & mentee_terms):
        failures.append("the comparison does not name anything the mentee proposed")
    if not (words & mentor_terms):
        failures.append("the comparison does not name anything the mentor actually did")
    if not comparison.summary.strip():
        failures.append("the comparison has no summary")
    for marker in detect_markers(text):
        failures.append(f"judgemental phrasing in the comparison: {marker!r}")
    return failures


# ============================================================================================
# Application plan
# ============================================================================================
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NUMBERS = NUMBER_WORDS
_NUM = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)"
_DAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_WHEN = re.compile(
    rf"\b(?:today|tonight|tomorrow|this (?:week|weekend|month|sprint|quarter|afternoon|evening)"
    rf"|next (?:week|month|sprint|quarter|{_DAY})(?:'s|’s)?|(?:on |this |by )?{_DAY}(?:'s|’s)?"
    rf"|in {_NUM} (?:days?|weeks?|months?)|(?:at |by )?the end of (?:the|this|next) "
    rf"(?:week|month|sprint|quarter)|(?:on |by )?the \d{{1,2}}(?:st|nd|rd|th))\b",
    re.IGNORECASE,
)


def _event_days(upcoming: str, today: date | None) -> tuple[str, int | None]:
    match = _WHEN.search(upcoming)
    if not match:
        return "", None
    phrase = match.group(0)
    low = phrase.lower()
    days: int | None = None
    if low in {"today", "tonight", "this afternoon", "this evening", "tomorrow"}:
        days = 1
    elif low in {"this week", "this sprint"} or low.endswith("end of the week"):
        days = 4
    elif low in {"next week", "this weekend"}:
        days = 7
    elif low in {"next sprint"}:
        days = 14
    elif "month" in low or "quarter" in low:
        days = 30 if "quarter" not in low else 60
    elif low.startswith("in "):
        count_word, unit = low.split()[1:3]
        count = int(count_word) if count_word.isdigit() else _NUMBERS.get(count_word, 1)
        days = count * (1 if unit.startswith("day") else 7 if unit.startswith("week") else 30)
    else:
        day = re.search(_DAY, low)
        if day and today is not None:
            target = _WEEKDAYS.index(day.group(0))
            days = (target - today.weekday()) % 7 or 7
            if low.startswith("next "):
                days += 7 if days < 7 else 0
    return phrase, days


_BOUNDARY = _STOP | frozenset(
    """
    have need want going expect think try keep trying hope asked asking told
    supposed able worried nervous excited first back around away
    """.split()
)
_PEOPLE = re.compile(
    r"\b(?:team|group|guild|lead|manager|director|head|architect|stakeholders?|customers?"
    r"|clients?|colleagues?|reviewers?|sales|product|pm|cto|ceo|vp|dba|board|committee"
    r"|engineers?|developers?|designers?)\b",
    re.IGNORECASE,
)


_SUBJECT_AUX = frozenset(
    """
    i i'm i'll i'd i've we we're we'll we'd to will am are is be being been have has had
    """.split()
)


def _inflected_verb(word: str) -> bool:
    """Whether ``word`` is an inflected verb ("keeps", "adding"), not a noun ("search")."""
    if word in _NOUNISH or not word.endswith(("s", "ing", "ed")):
        return False
    base = to_base(word)
    return base != word and base in VERBS


_DETERMINERS = frozenset("the a an our your my their his her this that its".split())
_NOUNISH = frozenset(
    """
    tests notes docs plans needs changes updates reviews reports meetings requests results
    releases builds jobs sessions designs calls demos logs issues bugs fixes
    planning meeting building testing onboarding pairing
    """.split()
)


def _key_phrases(upcoming: str) -> list[str]:
    """Runs of content words from the upcoming situation, as written (names, systems, events)."""
    text = _WHEN.sub(" | ", upcoming)
    tokens = re.findall(r"[^\W_][\w'’.-]*[^\W_]|[^\W_]|[^\w\s]", text)
    runs: list[list[str]] = [[]]
    after_subject = False
    previous = ""
    for token in tokens:
        low = token.lower().replace("’", "'")
        is_word = re.match(r"[^\W_]", token) is not None
        modifier = previous in _DETERMINERS  # "the reporting jobs": a noun phrase
        lower_word = is_word and not token[:1].isupper() and not modifier
        verb_here = lower_word and ((after_subject and is_verb_form(low)) or _inflected_verb(low))
        previous = low
        if not is_word or low in _BOUNDARY or verb_here:
            runs.append([])
        else:
            runs[-1].append(token)
        after_subject = low in _SUBJECT_AUX or verb_here
    phrases: list[str] = []
    for run in runs:
        while run and (run[0].lower() in _NUMBERS or run[0].isdigit()):
            run = run[1:]
        if not run or all(w.lower() in _GENERIC or w.isdigit() for w in run):
            continue
        if len(run) == 1 and run[0].lower() in VERBS:
            continue
        phrase = " ".join(run[:5])
        if phrase.lower() not in {p.lower() for p in phrases}:
            phrases.append(phrase)
    return phrases


def _event_phrase(upcoming: str) -> str:
    """The upcoming situation's first clause, in the second person, without its time phrase."""
    first = split_sentences(upcoming)[0] if split_sentences(upcoming) else upcoming
    clause = re.split(r",\s+(?:and|but|so|because|which|where)\s+|;\s+|\s+because\s+", first)[0]
    clause = " ".join(clause.split()).strip(" ,.")
    modal = re.search(
        r"\b(I|we)(?:'ve| have)? (?:have|need|got|must|'ve got)(?: to)? ([a-z]+)\b", clause
    )
    if modal:
        # "I have to push back" -> "you'll push back" ("you have to" reads as a reproach).
        head, tail = clause[: modal.start()], clause[modal.end() :]
        clause = f"{head}{modal.group(1)}'ll {to_base(modal.group(2))}{tail}"
    clause = _first_person_to_you(clause)
    words = clause.split()
    if len(words) > 32:
        clause = " ".join(words[:32]) + "..."
    first = (clause.split() or [""])[0]
    common = first.lower() in _STOP | _GENERIC | VERBS | {"tomorrow", "today", "tonight"}
    return clause[:1].lower() + clause[1:] if common else clause


def application_plan(
    upcoming: str,
    comparison: ApproachComparison,
    scenario: Scenario,
    mentee: str,
    *,
    mentor: str | None = None,
    today: date | None = None,
) -> list[PlanStep]:
    """2-4 steps applying the scenario's principles to the mentee's upcoming situation.

    The principles are ranked by closeness to the upcoming situation, favouring those behind
    steps the mentee's approach left out. Steps quote the upcoming situation and name its
    specifics (people, systems, events); each starts with a verb and is owned by the mentee.
    ``due_days`` come from a time phrase in ``upcoming`` ("tomorrow", "next week", "in 3
    days"; weekdays only when ``today`` is given), else only the first step gets a default.
    """
    owner = " ".join(mentee.split())
    if not owner:
        raise UserInputError("the plan needs the mentee's name as its owner")
    situation = " ".join(upcoming.split())
    if len(_words(situation)) < 2:
        raise UserInputError(
            "describe the upcoming situation in a sentence: what is happening, when, and "
            "who is involved"
        )
    who = _person(mentor)
    _, days = _event_days(situation, today)
    event = _event_phrase(situation)
    phrases = _key_phrases(situation)
    people = [p for p in phrases if _PEOPLE.search(p.split()[-1])]
    things = [p for p in phrases if p not in people] or phrases
    # The most specific thing (most words, then earliest) is what the plan is about.
    main = max(things, key=lambda p: (len(p.split()), -things.index(p))) if things else event

    units = _units(scenario.response)
    # Without stated principles, the mentor's first move stands in for one.
    principles = scenario.principles or [
        f"Start where {who} started: {_imperative(units[0]) or _quote(units[0], 20)}"
        if units
        else scenario.title
    ]
    up_vec = _embed([situation])[0]
    p_sims = _embed(principles) @ up_vec
    missing_text = " ".join(d for d in comparison.differences if "leaves out" in d)
    gap_bonus = np.array(
        [0.1 if _term_set(p) & _term_set(missing_text) else 0.0 for p in principles]
    )
    ranked = sorted(
        range(len(principles)), key=lambda k: (-round(float(p_sims[k] + gap_bonus[k]), 6), k)
    )
    p1 = principles[ranked[0]].rstrip(".")
    p2 = principles[ranked[1]].rstrip(".") if len(ranked) > 1 else ""
    example = ""
    if units and scenario.principles:
        u_sims = _sims([principles[ranked[0]]], units)[0]
        unit = units[int(np.argmax(u_sims))]
        imperative = _imperative(unit)
        example = (
            f"; {who}'s version was to {_quote(imperative, 22)}"
            if imperative
            else f'; {who}\'s version: "{_quote(unit, 22)}"'
        )

    steps: list[PlanStep] = []
    before = max(1, days - 1) if days else None
    steps.append(
        PlanStep(
            action=_end(
                f'Write a short plan for what\'s coming up ({event}) that applies "{p1}"{example}'
            ),
            owner=owner,
            due_days=before if before is not None else 3,
        )
    )
    if p2:
        others = [t for t in things if t != main and len(t.split()) > 1]
        target = others[0] if others else main
        steps.append(
            PlanStep(
                action=_end(
                    f'Decide one concrete way to apply "{p2}" to {_the(target)}, and write it '
                    "where you'll see it on the day"
                ),
                owner=owner,
                due_days=before,
            )
        )
    if people:
        steps.append(
            PlanStep(
                action=_end(
                    f"Rehearse the first few minutes with {who} playing {_role(people[0])}, "
                    "using the plan from the first step"
                ),
                owner=owner,
                due_days=before,
            )
        )
    steps.append(
        PlanStep(
            action=_end(
                f"Bring notes on how it went with {_the(main)} to your next session, and "
                f'compare them with how {who} handled "{scenario.title}"'
            ),
            owner=owner,
            due_days=days + 2 if days else None,
        )
    )
    return [step.model_copy(update={"action": _clean_action(step.action)}) for step in steps[:4]]


def _end(text: str) -> str:
    text = text.rstrip()
    return text if text.endswith((".", "?", "!", '."', "...", '..."')) else f"{text}."


def _role(phrase: str) -> str:
    """How a mentor can play the person or group in a rehearsal."""
    words = phrase.split()
    last = words[-1].lower().removesuffix("'s").removesuffix("’s") if words else ""
    if re.fullmatch(
        r"teams?|groups?|guilds?|boards?|committees?|engineers|developers|sales"
        r"|stakeholders|customers|clients|colleagues|reviewers",
        last,
    ):
        return f"someone from {_the(phrase)}"
    return _the(re.sub(r"['’]s$", "", phrase))


def _the(phrase: str) -> str:
    low = phrase.lower()
    words = phrase.split()
    proper = phrase[:1].isupper() and (len(words) == 1 or words[-1][:1].isupper())
    if re.match(r"^(?:the|a|an|your|my|our|their|his|her)\b", low) or proper:
        return _first_person_to_you(phrase)
    return f"the {phrase}"


def _clean_action(action: str) -> str:
    action = re.sub(r"\s+([,.;:])", r"\1", " ".join(action.split()))
    action = re.sub(r"(?<!\.)\.\.(?!\.)", ".", action)
    if _safe(action):
        return action
    return _quote(action, 80)


def plan_failures(steps: Sequence[PlanStep], upcoming: str, mentee: str) -> list[str]:
    """Guardrail for either engine's plan: 2-4 verb-led steps, the mentee's, about the upcoming."""
    failures: list[str] = []
    if not 2 <= len(steps) <= 4:
        failures.append(f"the plan has {len(steps)} steps; it needs 2 to 4")
    owner = " ".join(mentee.split()).casefold()
    specifics = _term_set(upcoming) - {_stem(w) for w in _GENERIC}
    mentioned = False
    for number, step in enumerate(steps, start=1):
        first = (_words(step.action) or [""])[0]
        if first not in VERBS:
            failures.append(f"step {number} does not start with a verb: {first!r}")
        if step.owner.casefold() != owner:
            failures.append(f"step {number} is owned by {step.owner!r}, not the mentee")
        if step.due_days is not None and step.due_days < 0:
            failures.append(f"step {number} is due in the past")
        mentioned = mentioned or bool(_term_set(step.action) & specifics)
        for marker in detect_markers(step.action):
            failures.append(f"step {number} has judgemental phrasing: {marker!r}")
    if steps and specifics and not mentioned:
        failures.append("no step mentions the specifics of the upcoming situation")
    return failures


# ============================================================================================
# Feedback Fast-Forward
# ============================================================================================
@dataclass(frozen=True)
class _Focus:
    tip: str
    signals: tuple[str, ...]


@dataclass(frozen=True)
class _Family:
    name: str
    keywords: re.Pattern[str]
    description: str
    focus: tuple[_Focus, ...]


def _f(tip: str, signals: str) -> _Focus:
    """A focus point; ``signals`` are "|"-separated phrases that show it in a report."""
    return _Focus(tip, tuple(signals.split("|")))


def _short(tip: str) -> str:
    """The first clause of a focus tip: its name in observations and adjustments."""
    return re.split(r"[:,(]", tip, maxsplit=1)[0].strip()


_FAMILIES: tuple[_Family, ...] = (
    _Family(
        "code-review",
        re.compile(r"\b(?:code ?reviews?|reviewing|pull requests?|prs?|review comments?)\b", re.I),
        "writing code review comments on pull requests",
        (
            _f(
                "start each comment with what you noticed and why it matters, before any "
                "suggested change",
                "because|why|matter|impact|noticed",
            ),
            _f(
                "label every comment's weight (blocking, suggestion or question) so the author "
                "knows what has to change",
                "blocking|nit|suggestion|optional|label",
            ),
            _f(
                'turn at least two comments into genuine questions, such as "what happens if '
                'this list is empty?"',
                "question|asked|what happens|?",
            ),
            _f(
                "name one specific thing the code does well, so the author knows what to keep",
                "well|liked|praise|good|nice|keep",
            ),
            _f(
                "offer a short call for any thread that goes past two replies",
                "call|pair|talk|thread|replies",
            ),
        ),
    ),
    _Family(
        "incident-updates",
        re.compile(r"\b(?:incident|outage|status updates?|post-?mortem|on-?call)\b", re.I),
        "writing incident updates for non-technical stakeholders",
        (
            _f(
                "lead with the user impact in one sentence, before any technical cause",
                "impact|users|customers|affected|led with",
            ),
            _f(
                "say when the next update will come, and keep that promise",
                "next update|every|minutes|on time|schedule",
            ),
            _f(
                'replace jargon with what users see: "checkout fails" rather than "502s from '
                'the gateway"',
                "jargon|plain|simple|technical|understood|easy to follow",
            ),
            _f(
                "separate what you know from what you are still checking",
                "know|checking|confirmed|unknown|investigating",
            ),
            _f(
                "close the incident with three lines: what happened, the impact, and what changes",
                "summary|closed|what changes|follow-up|wrap",
            ),
        ),
    ),
    _Family(
        "presenting",
        re.compile(
            r"\b(?:present\w*|demos?|talks?|slides|pitch\w*|explain\w* (?:a |the )?designs?"
            r"|public speaking|speaking)\b",
            re.I,
        ),
        "presenting at a demo or explaining a design in a meeting",
        (
            _f(
                "open with the one sentence you want people to remember, then the detail",
                "opened|started with|headline|first sentence|summary|main point",
            ),
            _f(
                "plan for two thirds of your slot and leave the rest for questions",
                "time|minutes|questions|finished|over",
            ),
            _f(
                "show one concrete example (a screen, a request, a number) before the general rule",
                "example|showed|screen|demo|number",
            ),
            _f(
                "pause after each section and ask what is unclear",
                "pause|paused|unclear|asked|questions",
            ),
            _f(
                "end with what you need from the room: a decision, feedback, or nothing",
                "decision|feedback|ask|next step|needed",
            ),
        ),
    ),
    _Family(
        "facilitation",
        re.compile(
            r"\b(?:standups?|stand-ups?|retros?|retrospectives?|facilitat\w*|meetings?"
            r"|workshops?|planning sessions?)\b",
            re.I,
        ),
        "facilitating a standup, retro or meeting",
        (
            _f(
                "state the meeting's purpose and end time in the first minute",
                "purpose|goal|end time|agenda|started",
            ),
            _f(
                "invite the quietest person in by name, with an easy open question",
                "quiet|invited|asked|by name|spoke",
            ),
            _f(
                "park side discussions in a visible list and come back to them at the end",
                "parked|parking|side|tangent|list",
            ),
            _f(
                "close by reading back who does what by when",
                "who|owner|actions|next steps|read back",
            ),
            _f(
                "ask the group for one thing to change about the meeting itself",
                "change|feedback|format|improve",
            ),
        ),
    ),
    _Family(
        "estimation",
        re.compile(r"\b(?:estimat\w*|sizing|story points|forecast\w*)\b", re.I),
        "estimating work and communicating estimates",
        (
            _f(
                "give a range, not a single number, and name the assumption that moves it most",
                "range|assumption|between|depends",
            ),
            _f(
                "break the work into pieces of two days or less before estimating",
                "broke|pieces|tasks|split|smaller",
            ),
            _f(
                "write the estimate down before you start, then compare it with the actual",
                "actual|took|compared|wrote down|longer|shorter",
            ),
            _f(
                "name the biggest unknown and how you will shrink it",
                "unknown|spike|risk|unsure",
            ),
            _f(
                "say out loud when an estimate changes, on the day it changes",
                "changed|updated|told|slipped|late",
            ),
        ),
    ),
    _Family(
        "feedback",
        re.compile(
            r"\b(?:giving feedback|feedback|difficult conversations?|one-to-ones?|1:1s?)\b",
            re.I,
        ),
        "giving feedback and holding difficult conversations",
        (
            _f(
                "describe one specific moment and its effect, not a trait",
                "specific|moment|effect|example|when",
            ),
            _f(
                "ask for their view before offering yours",
                "asked|their view|listened|perspective",
            ),
            _f(
                "agree one next step together and write it down",
                "agreed|next step|plan|wrote",
            ),
            _f(
                "check in a few days later on how the change is going",
                "check in|followed up|later|again",
            ),
        ),
    ),
)
_GENERAL = _Family(
    "general",
    re.compile(r"$^"),
    "a general professional skill",
    (
        _f(
            "pick one small, observable behaviour to try, and decide how you will know it happened",
            "tried|noticed|did|managed",
        ),
        _f(
            "prepare your first two minutes in detail and improvise the rest",
            "prepared|start|opening|first",
        ),
        _f(
            "ask one person for a one-line reaction straight after",
            "asked|feedback|said|reaction",
        ),
        _f(
            "change one thing from last round and keep everything else the same",
            "changed|different|same|compared",
        ),
        _f(
            "explain the skill to someone else in two minutes",
            "explained|taught|showed",
        ),
    ),
)


@dataclass(frozen=True)
class _Theme:
    key: str
    label: str  # what it's called when it is hard ("nerves")
    good: str  # ... and when it goes well ("staying calm")
    struggle: re.Pattern[str]
    positive: re.Pattern[str]
    adjustment: str


def _theme(
    key: str, labels: tuple[str, str], struggle: str, positive: str, adjustment: str
) -> _Theme:
    return _Theme(
        key,
        labels[0],
        labels[1],
        re.compile(struggle, re.I),
        re.compile(positive, re.I),
        adjustment,
    )


_THEMES: tuple[_Theme, ...] = (
    _theme(
        "time",
        ("timing", "timing"),
        r"\bran (?:out of time|over|long)\b|\btoo long\b|\boverran\b|\brushed\b|\bout of time\b"
        r"|\bno time (?:for|left)\b|\bover time\b|\btook (?:too|far) long\b",
        r"\bon time\b|\bfinished early\b|\btime for questions\b|\bkept it short\b|\bwithin\b",
        "Set a time limit before you start (a timer helps) and cut whatever doesn't fit, so "
        "you finish with a little time to spare.",
    ),
    _theme(
        "nerves",
        ("nerves", "staying calm"),
        r"\bnervous\b|\banxious\b|\bfroze\b|\bwent blank\b|\bshaky\b|\bpanick\w*|\bstressed\b"
        r"|\bheart (?:was )?racing\b|\bmind went blank\b",
        r"\bconfident\b|\bcalm\b|\brelaxed\b|\bcomfortable\b|\bat ease\b",
        "Script and rehearse only your first three sentences, so the start runs on autopilot "
        "while the nerves settle.",
    ),
    _theme(
        "clarity",
        ("clarity", "clarity"),
        r"\bconfus\w*|\bunclear\b|\blost (?:them|people|the room|my place)\b|\bdidn't (?:get|"
        r"understand|follow)\b|\btoo technical\b|\bjargon\b|\brambl\w*|\bwent off on\b",
        r"\bclear\b|\bunderstood\b|\bmade sense\b|\bgot it\b|\beasy to (?:follow|read)\b",
        "Write your main point as one sentence a newcomer would understand, and say it first.",
    ),
    _theme(
        "engagement",
        ("getting people involved", "getting people involved"),
        r"\bno ?(?:one|body) (?:asked|said|spoke|answered|replied|reacted)\b|\bsilence\b"
        r"|\bsilent\b|\bno questions\b|\btalked over\b|\bdominated\b|\bdidn't (?:respond|reply)\b",
        r"\basked (?:good |lots of |a few |some )?questions\b|\bjoined in\b|\bdiscussion\b"
        r"|\bspoke up\b|\bengaged\b|\breplied\b|\bresponded\b",
        "Prepare one open question for the group and decide who you'll ask by name if nobody "
        "answers.",
    ),
    _theme(
        "tone",
        ("tone", "tone"),
        r"\bharsh\b|\bdefensive\b|\bblunt\b|\bupset\b|\bpush(?:ed)? ?back\b|\bargu\w*"
        r"|\bannoyed\b|\btense\b|\bcurt\b",
        r"\bkind\b|\bthanked\b|\bappreciated\b|\bfriendly\b|\bpositive\b|\bwarm\b",
        "Before sending or saying it, reread it as the other person and soften one sentence "
        "without losing the point.",
    ),
    _theme(
        "preparation",
        ("preparation", "preparation"),
        r"\bforgot\b|\bunprepared\b|\blast[- ]minute\b|\bdidn't prepare\b|\bno time to prepare"
        r"\b|\bwinged it\b|\bmissed\b",
        r"\bprepared\b|\brehearsed\b|\bpractised\b|\bpracticed\b|\bnotes ready\b|\bplanned\b",
        "Block twenty minutes the day before to prepare, with a three-item checklist.",
    ),
    _theme(
        "specificity",
        ("being specific", "being specific"),
        r"\bvague\b|\bgeneric\b|\btoo general\b|\babstract\b|\bhand-?wav\w*",
        r"\bexample\b|\bspecific\b|\bconcrete\b|\bshowed\b",
        "Bring one concrete example (a line of code, a screen, a number) for each point.",
    ),
    _theme(
        "follow-through",
        ("follow-through", "follow-through"),
        r"\bno (?:decision|owner|next steps?)\b|\bnothing (?:was )?decided\b"
        r"|\bdidn't follow up\b|\bforgot to follow\b|\bno one owned\b",
        r"\bagreed\b|\bdecided\b|\bnext steps\b|\bowner\b|\bfollowed up\b",
        "End by reading back who does what by when, and send it in writing the same day.",
    ),
)
_THEME_BY_KEY = {t.key: t for t in _THEMES}


def _family(skill: str) -> _Family:
    for family in _FAMILIES:
        if family.keywords.search(skill):
            return family
    vectors = _embed([skill, *[f.description for f in _FAMILIES]])
    sims = vectors[1:] @ vectors[0]
    best = int(np.argmax(sims))
    return _FAMILIES[best] if float(sims[best]) >= 0.4 else _GENERAL


def _check_skill(skill: str) -> str:
    clean = " ".join(skill.split())
    if not clean:
        raise UserInputError("name the one skill to practise, e.g. 'writing incident updates'")
    if len(clean) > 200:
        raise UserInputError("describe the skill in at most 200 characters")
    return clean


def _round_focus(family: _Family, previous: Sequence[RoundRecord]) -> int:
    if not previous:
        return 0
    return min(previous[-1].next_focus_index, len(family.focus) - 1)


def _recurring(records: Sequence[RoundRecord], attr: str) -> dict[str, list[int]]:
    seen: dict[str, list[int]] = {}
    for record in records:
        for key in getattr(record, attr):
            seen.setdefault(key, []).append(record.round_no)
    return seen


def _rounds_text(rounds: Sequence[int]) -> str:
    if len(rounds) == 1:
        return f"round {rounds[0]}"
    return "rounds " + ", ".join(str(r) for r in rounds[:-1]) + f" and {rounds[-1]}"


def ffwd_guidance(skill: str, round_no: int, previous: Sequence[RoundRecord]) -> str:
    """Focused guidance before attempt ``round_no``, adjusted by the earlier rounds."""
    skill = _check_skill(skill)
    if not 1 <= round_no <= MAX_ROUNDS:
        raise UserInputError(f"round {round_no} is outside the loop's 1-{MAX_ROUNDS} rounds")
    family = _family(skill)
    index = _round_focus(family, previous)
    tip = family.focus[index].tip
    if not previous:
        return (
            f"Round {round_no} of {MIN_ROUNDS}-{MAX_ROUNDS}, practising {skill}. Focus on one "
            f"thing this time: {tip}. Use it in a real situation in the next few days, and "
            "straight afterwards note one moment that went as planned and one that didn't."
        )
    last = previous[-1]
    parts = [f"Round {round_no} of {MIN_ROUNDS}-{MAX_ROUNDS}, practising {skill}."]
    parts.append(f"From round {last.round_no}, the adjustment to try: {last.adjustment}")
    if index == last.focus_index:
        parts.append(
            f"Stay with the same focus, in a smaller step: {tip}, in just the first part of "
            "the situation."
        )
    else:
        parts.append(f"New focus, building on the last one: {tip}.")
    struggles = {k: r for k, r in _recurring(previous, "struggles").items() if len(r) >= 2}
    for key, rounds in sorted(struggles.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:1]:
        parts.append(f"Plan ahead for {_label(key)}, which came up in {_rounds_text(rounds)}.")
    good = [s for s in last.observations if s.startswith("Went well")]
    if good:
        quote = good[0].split(":", 1)[1].strip()
        parts.append(f"Keep what worked last time: {quote}")
    parts.append("Afterwards, report what happened while it's fresh.")
    text = " ".join(parts)
    return text if _safe(text) else _quote(text, 200)


_NEGATION_BEFORE = re.compile(
    r"\b(?:no|not|never|without|wasn't|weren't|didn't|don't|isn't|barely|hardly)\s+"
    r"(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)


def _negated(pattern: re.Pattern[str], sentence: str) -> bool | None:
    """None if ``pattern`` doesn't occur; True if every occurrence is negated ("no jargon")."""
    matches = list(pattern.finditer(sentence))
    if not matches:
        return None
    return all(_NEGATION_BEFORE.search(sentence[: m.start()]) for m in matches)


def _classify(sentence: str) -> tuple[list[str], list[str]]:
    """Theme keys a report sentence shows as hard and as going well."""
    struggles: list[str] = []
    positives: list[str] = []
    for theme in _THEMES:
        hard = _negated(theme.struggle, sentence)
        if hard is False:
            struggles.append(theme.key)
        elif hard is True:
            positives.append(theme.key)  # "no jargon", "wasn't nervous"
    for theme in _THEMES:
        if theme.key in struggles or theme.key in positives:
            continue
        good = _negated(theme.positive, sentence)
        if good is False:
            positives.append(theme.key)
        elif good is True:
            struggles.append(theme.key)  # "wasn't clear", "didn't finish on time"
    if not struggles and re.search(
        r"\b(?:went well|worked|liked|better|smooth\w*|happy with|great)\b", sentence, re.I
    ):
        positives = positives or ["general"]
    if (
        not positives
        and not struggles
        and re.search(
            r"\b(?:hard|struggled|difficult|awkward|went badly|didn't work|worse)\b", sentence, re.I
        )
    ):
        struggles = ["general"]
    return struggles, positives


def ffwd_observe(skill: str, report: str, previous: Sequence[RoundRecord]) -> RoundRecord:
    """Observations from the mentee's report, patterns across rounds, one adjustment."""
    skill = _check_skill(skill)
    round_no = len(previous) + 1
    if round_no > MAX_ROUNDS:
        raise UserInputError(
            f"the loop has already run {MAX_ROUNDS} rounds; summarise it or start a new skill"
        )
    family = _family(skill)
    index = _round_focus(family, previous)
    focus = family.focus[index]
    guidance = ffwd_guidance(skill, round_no, previous)
    text = " ".join(report.split())
    sentences = split_sentences(report) if text else []

    went_well: list[str] = []
    struggles: list[str] = []
    good_quotes: list[str] = []
    hard_quotes: list[tuple[str, str]] = []
    for sentence in sentences:
        bad, good = _classify(sentence)
        for key in bad:
            if key not in struggles:
                struggles.append(key)
        for key in good:
            if key not in went_well:
                went_well.append(key)
        if good and not bad:
            good_quotes.append(sentence)
        if bad:
            hard_quotes.append((sentence, bad[0]))

    low = text.lower()
    focus_words = [s for s in focus.signals if s.lower() in low]
    focus_terms = _term_set(focus.tip) - {_stem(w) for w in _GENERIC}
    focus_tried = bool(focus_words) or len(_term_set(text) & focus_terms) >= 2

    observations: list[str] = []
    if len(_words(text)) < 8:
        observations.append(
            "Your report is short; next round, note one moment that went as planned, one "
            "that didn't, and how people reacted."
        )
    for quote in good_quotes[:2]:
        observations.append(f'Went well: "{_quote(quote, 24)}".')
    for quote, key in hard_quotes[:2]:
        label = "general" if key == "general" else _label(key)
        observations.append(f'Harder ({label}): "{_quote(quote, 24)}".')
    if focus_tried:
        evidence = max(
            sentences or [""],
            key=lambda s: (
                sum(w.lower() in s.lower() for w in focus.signals)
                + len(_term_set(s) & focus_terms),
                -sentences.index(s) if s in sentences else 0,
            ),
        )
        observations.append(
            f'You tried this round\'s focus ({_short(focus.tip)}): "{_quote(evidence, 20)}".'
        )
    else:
        observations.append(
            f"Your report doesn't say how this round's focus went ({_short(focus.tip)}); "
            "note that next time, even if it slipped."
        )

    patterns = _patterns(round_no, previous, went_well, struggles)

    recurring = _recurring(previous, "struggles")
    main_struggle = next(
        (k for k in sorted(struggles, key=lambda k: -len(recurring.get(k, []))) if k != "general"),
        None,
    )
    # The focus moves on once the mentee has tried it; a struggle shapes the adjustment.
    next_index = min(index + 1, len(family.focus) - 1) if focus_tried else index
    if main_struggle is not None:
        adjustment = _THEME_BY_KEY[main_struggle].adjustment
    elif focus_tried:
        if next_index == index:
            adjustment = (
                "Keep the same focus and raise the stakes: use it in a bigger meeting or a "
                "harder conversation."
            )
        else:
            adjustment = f"Keep what worked and add the next focus: {family.focus[next_index].tip}."
    else:
        adjustment = (
            f"Decide in advance the exact moment you'll {_short(focus.tip)}, and write "
            "it on a sticky note or at the top of your notes."
        )

    record = RoundRecord(
        round_no=round_no,
        skill=skill,
        focus=focus.tip,
        focus_index=index,
        guidance=guidance,
        report=text,
        observations=[o for o in observations if _safe(o)],
        patterns=[p for p in patterns if _safe(p)],
        adjustment=adjustment,
        went_well=[k for k in went_well if k != "general"],
        struggles=[k for k in struggles if k != "general"],
        focus_tried=focus_tried,
        next_focus_index=next_index,
    )
    return record


def _patterns(
    round_no: int,
    previous: Sequence[RoundRecord],
    went_well: Sequence[str],
    struggles: Sequence[str],
) -> list[str]:
    if not previous:
        return ["First round: patterns show from round 2, so keep reports in the same shape."]
    patterns: list[str] = []
    earlier_struggles = _recurring(previous, "struggles")
    earlier_good = _recurring(previous, "went_well")
    for key in struggles:
        if key in earlier_struggles:
            rounds = [*earlier_struggles[key], round_no]
            patterns.append(f"Recurring in {_rounds_text(rounds)}: {_label(key)}.")
    for key in went_well:
        if key in earlier_struggles:
            patterns.append(
                f"Improving: {_label(key, True)} went well in round {round_no} "
                f"({_label(key)} came up in {_rounds_text(earlier_struggles[key])})."
            )
        elif key in earlier_good:
            rounds = [*earlier_good[key], round_no]
            patterns.append(f"Steady strength: {_label(key, True)} ({_rounds_text(rounds)}).")
    tried = [r.round_no for r in previous if r.focus_tried]
    if tried:
        patterns.append(f"You reported on your focus in {_rounds_text(tried)}.")
    if len(patterns) == len(tried and [1]):
        patterns.insert(
            0,
            f"No repeating pattern yet across {round_no} rounds: each report covered "
            "different ground.",
        )
    return patterns


def _label(key: str, good: bool = False) -> str:
    theme = _THEME_BY_KEY[key]
    return theme.good if good else theme.label


def ffwd_summary(rounds: Sequence[RoundRecord]) -> str:
    """What the loop showed: focus points practised, strengths, recurring themes, what's next."""
    if not rounds:
        raise UserInputError("there are no Feedback Fast-Forward rounds to summarise yet")
    skill = rounds[-1].skill
    family = _family(skill)
    parts = [
        f"Feedback Fast-Forward on {skill}: {len(rounds)} round{'s' if len(rounds) > 1 else ''}."
    ]
    focus_rounds: dict[str, list[int]] = {}
    for record in rounds:
        focus_rounds.setdefault(_short(record.focus), []).append(record.round_no)
    parts.append(
        "Focus points practised: "
        + "; ".join(f"{f} ({_rounds_text(r)})" for f, r in focus_rounds.items())
        + "."
    )
    good = _recurring(rounds, "went_well")
    hard = _recurring(rounds, "struggles")
    if good:
        parts.append(
            "Going well: "
            + ", ".join(f"{_label(k, True)} ({_rounds_text(r)})" for k, r in good.items())
            + "."
        )
    improved = [k for k in good if k in hard and max(good[k]) > max(hard[k])]
    if improved:
        parts.append(
            "Improved over the loop: " + ", ".join(_label(k, True) for k in improved) + "."
        )
    still = [
        k
        for k, r in hard.items()
        if k not in improved and (max(r) == rounds[-1].round_no or len(r) >= 2)
    ]
    if still:
        parts.append(
            "Still worth attention: "
            + ", ".join(f"{_label(k)} ({_rounds_text(hard[k])})" for k in still)
            + "."
        )
    parts.append(f"Next: {rounds[-1].adjustment}")
    if len(rounds) < MIN_ROUNDS:
        parts.append(
            f"That's fewer than {MIN_ROUNDS} rounds; the loop works best with "
            f"{MIN_ROUNDS} to {MAX_ROUNDS} in quick succession."
        )
    elif rounds[-1].next_focus_index >= len(family.focus) - 1 and rounds[-1].focus_tried:
        parts.append("Every focus point has been tried; pick the next skill to practise.")
    text = " ".join(parts)
    return text if _safe(text) else _quote(text, 250)
