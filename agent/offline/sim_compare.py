"""Comparing the mentee's approach with what was actually done, by meaning.

Both texts are cut into steps; the learned matcher (:mod:`.sim_match`) gives P(same move) for
every pair, taken one-to-one, best first. A pair at P >= 0.5 is a similarity, a looser pair on
one topic the same point handled differently; a step left over on either side is something one
side did and the other didn't. Instructions to the engine inside the answer ("ignore the
exercise...") are set aside, and the comparison says so.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Literal

import numpy as np
from pydantic import BaseModel

from agent.errors import UserInputError
from agent.offline.judgement import detect_markers
from agent.offline.learned import Matrix
from agent.offline.sim_attempt import assess_answer
from agent.offline.sim_match import PARTIAL_AT, SAME_AT, same_probabilities
from agent.offline.sim_text import (
    GENERIC_STEMS,
    VERBS,
    Voice,
    capitalise,
    quote,
    sims,
    steps,
    term_set,
    text_failures,
    to_base,
    words,
)
from agent.scenarios import Scenario

__all__ = ["ApproachComparison", "compare_approach", "comparison_failures"]

AnswerQuality = Literal["full", "short", "off-topic"]
MAX_EACH = 4
SHORT_WORDS = 8
SAME_POINT_AT = 0.3  # below this MiniLM cosine two steps are about different things
MARGIN = 0.05  # a mentee step pairs only with mentor steps this close to its best match
_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget|skip)\b[^.!?\n]{0,40}\b(?:exercise|instructions?|simulation"
    r"|rules|previous|above|prompt|steps?)\b"
    r"|\b(?:reveal|show|tell|give|print)\b[^.!?\n]{0,30}\b(?:answer|response|solution)\b"
    r"|\bsystem prompt\b|\byou are now\b|\bact as\b",
    re.IGNORECASE,
)


class ApproachComparison(BaseModel):
    """The mentee's approach next to what was actually done."""

    similarities: list[str]
    differences: list[str]
    principles: list[str]
    summary: str
    quality: AnswerQuality = "full"


@dataclass(frozen=True)
class _Alignment:
    mine: list[str]  # the mentee's steps
    theirs: list[str]  # the mentor's steps
    matched: dict[int, int]  # mentor step -> mentee step
    partial: dict[int, int]
    injected: list[str]
    also: dict[int, int]  # a further mentee step -> the mentor step it also matches

    def mine_for(self, j: int) -> list[int]:
        """The mentee's steps that match mentor step ``j``, in the order written."""
        return sorted([self.matched[j], *(i for i, k in self.also.items() if k == j)])


def _pairs(weight: Matrix) -> dict[int, int]:
    """The one-to-one pairing of rows to columns of largest total positive weight.

    An exact search over the pairs of positive weight (few: each mentee step is near only its
    best matches); returns mentor step (column) -> mentee step (row).
    """

    @cache
    def best(i: int, used: frozenset[int]) -> tuple[float, tuple[tuple[int, int], ...]]:
        if i == weight.shape[0]:
            return 0.0, ()
        options = [best(i + 1, used)]
        for j in (int(j) for j in np.flatnonzero(weight[i] > 0) if j not in used):
            value, chosen = best(i + 1, used | {j})
            options.append((value + float(weight[i, j]), ((j, i), *chosen)))
        return max(options, key=lambda option: option[0])

    return dict(best(0, frozenset())[1])


def _assign(
    same: Matrix, parts: Matrix, topic: Matrix
) -> tuple[dict[int, int], dict[int, int], dict[int, int]]:
    """Pair the steps by one global assignment on P(same move), not pair by pair.

    A mentee step is paired only with a mentor step near its own best (within :data:`MARGIN`),
    so it never takes an unrelated step while a better match exists; among those pairs the
    assignment covers as many mentor steps as it can, then the most probable. A mentee step
    left over that matches an already matched mentor step or one of its moves (``parts``) is a
    similarity too; a looser pair is "the same point" only when the two steps are about the
    same thing (cosine ``topic`` >= :data:`SAME_POINT_AT`).
    """
    if same.size == 0:
        return {}, {}, {}
    near = same >= same.max(axis=1, keepdims=True) - MARGIN
    matched = _pairs(np.where(near & (same >= SAME_AT), 1.0 + same, 0.0))
    used = set(matched.values())
    also: dict[int, int] = {}
    for i in range(same.shape[0]):
        best = max(matched, key=lambda j: (float(parts[i, j]), -j), default=None)
        if i not in used and best is not None and float(parts[i, best]) >= SAME_AT:
            also[i] = best
    free = np.ones_like(same, dtype=bool)
    free[[*used, *also], :] = False
    free[:, list(matched)] = False
    loose = free & near & (same >= PARTIAL_AT) & (topic >= SAME_POINT_AT)
    return matched, _pairs(np.where(loose, 1.0 + same, 0.0)), also


def _align(answer: str, scenario: Scenario, off_topic: bool) -> _Alignment:
    mine: list[str] = []
    injected: list[str] = []
    for step in steps(answer):
        if _INJECTION.search(step):
            injected.append(step)
        elif quote(step):  # a step that is only blame ("lazy comments!") is no proposal
            mine.append(step)
    theirs = steps(scenario.response, 4)
    if off_topic:
        return _Alignment(mine, theirs, {}, {}, injected, {})
    matched, partial, also = _assign(
        same_probabilities(mine, theirs), _same(mine, theirs), sims(mine, theirs).astype(float)
    )
    return _Alignment(mine, theirs, matched, partial, injected, also)


_PART = re.compile(r"[:;]\s+|,\s+(?:and\s+)?|\s+and\s+(?=to\s)")
_MOVE = re.compile(r"^(?:(?:i|we)\s+|to\s+)?([a-z]+)", re.IGNORECASE)


def _is_move(part: str) -> bool:
    """A part of a step that is a move of its own: "to move the rest ...", "answered ..."."""
    found = _MOVE.match(part)
    first = found.group(1).lower() if found else ""
    return len(words(part)) >= 4 and not first.endswith("ing") and to_base(first) in VERBS


def _same(mine: list[str], theirs: list[str]) -> Matrix:
    """P(same move) of each mentee step against each mentor step or any move within it.

    A mentor's step often holds two moves ("ship on the date, and move the rest into a
    second phase").
    """
    parts = [[t, *(p for p in _PART.split(t) if _is_move(p))] for t in theirs]
    flat = [p for group in parts for p in group]
    same = same_probabilities(mine, flat)
    out = np.zeros((len(mine), len(theirs)))
    start = 0
    for j, group in enumerate(parts):
        out[:, j] = same[:, start : start + len(group)].max(axis=1) if len(mine) else 0.0
        start += len(group)
    return out


def _quality(mine: list[str], scenario: Scenario) -> AnswerQuality:
    """A full approach, a very short one, or off topic (the attempt gate's own verdict)."""
    if not mine:
        return "off-topic"
    if assess_answer(" ".join(mine), scenario.situation).reason == "off_topic":
        return "off-topic"
    if len(words(" ".join(mine))) < SHORT_WORDS:
        return "short"
    return "full"


def compare_approach(
    mentee_answer: str, scenario: Scenario, *, mentor: str | None = None
) -> ApproachComparison:
    """Similarities, differences and principles between the mentee's steps and the mentor's."""
    if not mentee_answer.strip():
        raise UserInputError(
            "write your approach first: what you would do, who you would involve, and how "
            "you would know it worked"
        )
    voice = Voice.of(scenario.starter, mentor)
    who = voice.who
    first = [s for s in steps(mentee_answer) if not _INJECTION.search(s)]
    quality = _quality(first, scenario)
    al = _align(mentee_answer, scenario, quality == "off-topic")
    used = set(al.matched.values()) | set(al.partial.values()) | set(al.also)
    missing = [j for j in range(len(al.theirs)) if j not in al.matched and j not in al.partial]

    similarities = [
        f"You proposed {_quotes([al.mine[i] for i in al.mine_for(j)])}; {who} did something "
        f'close: "{quote(al.theirs[j])}".'
        for j in sorted(al.matched)
    ]
    differences = [
        f'Same point, different move: you proposed "{quote(al.mine[i])}", where {who} '
        f'chose: "{quote(al.theirs[j])}".'
        for j, i in sorted(al.partial.items())[:MAX_EACH]
    ]
    differences += [
        f'{capitalise(who)} also did this, which your approach leaves out: "{quote(al.theirs[j])}".'
        for j in missing[:MAX_EACH]
    ]
    # A step that is only blame ("you should have explained why!") is not a proposal.
    extra = [i for i in range(len(al.mine)) if i not in used]
    for i in extra[: MAX_EACH + 2]:
        if quality == "off-topic":
            differences.insert(
                0,
                f'You proposed "{quote(al.mine[i])}", which doesn\'t address this situation '
                f'("{quote(scenario.title, 12)}").',
            )
        else:
            differences.append(
                f'You proposed "{quote(al.mine[i])}", which {who} didn\'t do; worth discussing '
                "whether it would have helped here."
            )
    for instruction in al.injected[:1]:
        differences.append(
            f'Set aside, not treated as part of your approach: "{quote(instruction, 14)}" '
            "(the exercise only compares what you would do in the situation)."
        )
    principles = _principle_notes(scenario, al, voice)
    summary = _summary(scenario, al, quality, missing, voice)
    if text_failures(summary):  # a quoted summary that fails the checks: one without quotes
        summary = f"{_overlap(len(al.matched), len(al.theirs), who)}; the differences below are "
        summary += "the ones to discuss."
    return ApproachComparison(
        similarities=[x for x in similarities if not text_failures(x)],
        differences=[x for x in differences if not text_failures(x)],
        principles=[x for x in principles if not text_failures(x)],
        summary=summary,
        quality=quality,
    )


def _quotes(texts: list[str], max_words: int = 32) -> str:
    """Quoted steps in a list: "a", "b" and "c"."""
    quoted = [f'"{quote(t, max_words)}"' for t in texts]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"


_NUMBERS = "zero one two three four five six seven eight nine ten eleven twelve".split()


def _number(n: int) -> str:
    return _NUMBERS[n] if n < len(_NUMBERS) else str(n)


def _taken(n: int, who: str) -> str:
    """The mentor's steps as a phrase: "the one step Dana took", "the five steps Dana took"."""
    return f"the one step {who} took" if n == 1 else f"the {_number(n)} steps {who} took"


def _overlap(matched: int, n: int, who: str) -> str:
    """How many of the mentor's steps the approach matches, in words a mentor would use."""
    if matched == n:
        share = {1: f"the one step {who} took", 2: f"both steps {who} took"}.get(
            n, f"all {_number(n)} steps {who} took"
        )
    else:
        share = f"{_number(matched)} of {_taken(n, who)}"
    return f"Your approach matches {share}"


def _closest_steps(scenario: Scenario, theirs: list[str]) -> list[int]:
    """For each principle, the mentor step it sits behind (cosine plus a little per shared word).

    The steps are chosen together, each among its principle's three closest, preferring a
    different step for each: several principles rarely sit behind one step.
    """
    closeness = sims(scenario.principles, theirs)
    score = [
        [
            float(closeness[k, j]) + 0.04 * min(len(term_set(p) & term_set(u)), 3)
            for j, u in enumerate(theirs)
        ]
        for k, p in enumerate(scenario.principles)
    ]
    options = [sorted(range(len(theirs)), key=lambda j: (-row[j], j))[:3] for row in score]

    def total(picked: Iterable[int]) -> float:
        choice = list(picked)
        shared = len(choice) - len(set(choice))
        return round(sum(score[k][j] for k, j in enumerate(choice)) - 0.2 * shared, 6)

    return list(max(itertools.product(*options), key=total))


def _principle_notes(scenario: Scenario, al: _Alignment, voice: Voice) -> list[str]:
    """Each principle tied to the mentor step it sits behind, and through it to the mentee."""
    if not al.theirs:
        return []
    if not scenario.principles:
        return [
            f'Ask {voice.who} what principle sat behind "{quote(al.theirs[j], 16)}".'
            if not voice.starter
            else f'Discuss what principle sat behind "{quote(al.theirs[j], 16)}".'
            for j in range(min(2, len(al.theirs)))
        ]
    notes: list[str] = []
    for principle, j in zip(scenario.principles, _closest_steps(scenario, al.theirs), strict=True):
        p = principle.rstrip(".")
        if j in al.matched:
            notes.append(
                f"{p}. You already applied it: {_quotes([al.mine[i] for i in al.mine_for(j)], 18)}."
            )
        elif j in al.partial:
            notes.append(
                f'{p}. It is where your "{quote(al.mine[al.partial[j]], 14)}" and '
                f'{voice.whose} "{quote(al.theirs[j], 14)}" part ways.'
            )
        else:
            notes.append(
                f'{p}. It sits behind "{quote(al.theirs[j], 16)}" in {voice.whose} story, a step '
                "your approach can add."
            )
    return notes


def _summary(
    scenario: Scenario, al: _Alignment, quality: AnswerQuality, missing: list[int], voice: Voice
) -> str:
    who = voice.who
    n = len(al.theirs)
    first_missing = f'"{quote(al.theirs[missing[0]], 16)}"' if missing else ""
    answer = "; ".join(m.rstrip(".!?") for m in al.mine)
    parts: list[str] = []
    if al.injected:
        parts.append(
            "Part of your answer asked to skip the exercise; it was set aside, and the "
            "comparison uses only what you proposed."
        )
    if quality == "off-topic":
        lead = f'Your answer ("{quote(answer, 16)}")' if al.mine else "Your answer"
        opening = first_missing or f'"{quote(al.theirs[0], 16)}"'
        parts.append(
            f"{lead} doesn't yet say what you would do in this situation, so there is little "
            "to compare. Missing: your first move, who you would involve, and how you would "
            f"know it worked. {capitalise(_taken(n, who))} started with {opening}."
        )
        return " ".join(parts)
    if quality == "short":
        parts.append(
            f'Your answer is short ("{quote(answer, 12)}"), so the comparison is '
            "thin. Missing: who you would involve, what you would tell them, and how you would "
            "know it worked."
        )
    if al.matched:
        names = "; ".join(f'"{quote(al.mine[i], 10)}"' for _, i in sorted(al.matched.items())[:2])
        # Two are quoted: with more matched, say so, or "three of the five" reads short.
        among = "among them " if len(al.matched) > 2 else ""
        parts.append(f"{_overlap(len(al.matched), n, who)} ({among}{names}).")
    elif n == 1:
        parts.append(f"None of your steps lined up closely with what {who} did.")
    else:
        parts.append(f"None of your steps lined up closely with {_taken(n, who)}.")
    if al.partial:
        j, i = min(al.partial.items())
        parts.append(
            f'On the same point you chose "{quote(al.mine[i], 12)}" where {who} chose '
            f'"{quote(al.theirs[j], 12)}".'
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
    found = term_set(text)
    mentee_terms = term_set(mentee_answer) - GENERIC_STEMS
    mentor_terms = term_set(scenario.response) - GENERIC_STEMS
    if mentee_terms and not (found & mentee_terms):
        failures.append("the comparison does not name anything the mentee proposed")
    if not (found & mentor_terms):
        failures.append("the comparison does not name anything the mentor actually did")
    if not comparison.summary.strip():
        failures.append("the comparison has no summary")
    for marker in detect_markers(text):
        failures.append(f"judgemental phrasing in the comparison: {marker!r}")
    for item in [*comparison.similarities, *comparison.differences, *comparison.principles]:
        failures += [p for p in text_failures(item) if not p.startswith("judgemental")]
    return failures
