"""The offline "Feedback Fast-Forward" loop: guidance before each attempt, observations after.

The caller runs :data:`MIN_ROUNDS` to :data:`MAX_ROUNDS` rounds; every text this module
returns passes the judgemental-language detector.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
from pydantic import BaseModel, Field

from agent.errors import UserInputError
from agent.offline.learned import LabelledText, Matrix, data_dir, load_model
from agent.offline.learned import embed as embed_rows
from agent.offline.sim_text import (
    GENERIC_STEMS,
    embed,
    quote,
    safe,
    split_sentences,
    term_set,
    words,
)
from agent.offline.train import TrainingSpec

__all__ = [
    "MAX_ROUNDS",
    "MIN_ROUNDS",
    "RoundRecord",
    "check_skill",
    "ffwd_guidance",
    "ffwd_observe",
    "ffwd_summary",
    "skill_problem",
]

MIN_ROUNDS = 3
MAX_ROUNDS = 5
FAMILY_AT = 0.5


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


# A skill family of agent/data/ffwd_skills.json: "description", "examples" (skills as people
# name them, matched by meaning) and "focus" points, each a "tip" and the "signals" (phrases)
# that show it in a report.
_Family = dict[str, Any]


def _short(tip: str) -> str:
    """The first clause of a focus tip: its name in observations and adjustments.

    A comma ends it only before a new clause ("give a range, not a single number"), never
    between adjectives ("pick one small, observable behaviour").
    """
    clause = r"[:(]|,\s+(?=(?:before|so|not|then|and|with|such|rather|or)\b)"
    return re.split(clause, tip, maxsplit=1)[0].strip(" ,")


@cache
def _skills() -> tuple[list[_Family], _Family]:
    """The skill families and the general one (agent/data/ffwd_skills.json)."""
    raw = json.loads((data_dir() / "ffwd_skills.json").read_text(encoding="utf-8"))
    return raw["families"], raw["general"]


def _family(skill: str) -> _Family:
    """The family whose description or example skills are closest in meaning to ``skill``."""
    families, general = _skills()
    owners = [(f, text) for f in families for text in (f["description"], *f["examples"])]
    closeness = embed([text for _, text in owners]) @ embed([skill])[0]
    best = int(np.argmax(closeness))
    return owners[best][0] if float(closeness[best]) >= FAMILY_AT else general


@cache
def _themes() -> dict[str, dict[str, str]]:
    """What a report can show as hard or going well, in order (agent/data/ffwd_skills.json).

    Each has a "label" (what it's called when it is hard, "nerves"), an "adjustment" to try, and
    optionally a "good" name for when it goes well ("staying calm"; else the label).
    """
    raw = json.loads((data_dir() / "ffwd_skills.json").read_text(encoding="utf-8"))["themes"]
    return {t["key"]: t for t in raw}


def _label(key: str, good: bool = False) -> str:
    theme = _themes()[key]
    return (theme.get("good") or theme["label"]) if good else theme["label"]


MAX_SKILL_WORDS = 12
_EXAMPLE = "e.g. 'writing incident updates'"


def skill_problem(skill: str) -> str | None:
    """Why ``skill`` names no skill to practise (one line), or None when it does.

    A skill is a short phrase with at least one English word ("asdf" has none), not a
    sentence and not an instruction to the coach (:mod:`.instruction`).
    """
    from agent.offline.instruction import is_instruction
    from knowledge.minilm import whole_words

    clean = " ".join(skill.split())
    if not clean:
        return f"name the one skill to practise, {_EXAMPLE}"
    if len(clean) > 200:
        return "describe the skill in at most 200 characters"
    known = whole_words()
    if not any(len(w) >= 3 and w in known for w in words(clean)):
        return f"{quote(clean, 6)!r} doesn't name a skill: name one in a few words, {_EXAMPLE}"
    if len(words(clean)) > MAX_SKILL_WORDS or is_instruction(clean):
        return f"name just the skill to practise, in a few words, {_EXAMPLE}"
    return None


def check_skill(skill: str) -> str:
    """``skill`` with its spacing tidied, or :class:`UserInputError` saying what is wrong."""
    problem = skill_problem(skill)
    if problem:
        raise UserInputError(problem)
    return " ".join(skill.split())


def _round_focus(family: _Family, previous: Sequence[RoundRecord]) -> int:
    if not previous:
        return 0
    return min(previous[-1].next_focus_index, len(family["focus"]) - 1)


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
    skill = check_skill(skill)
    if not 1 <= round_no <= MAX_ROUNDS:
        raise UserInputError(f"round {round_no} is outside the loop's 1-{MAX_ROUNDS} rounds")
    family = _family(skill)
    index = _round_focus(family, previous)
    tip = family["focus"][index]["tip"]
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
    elif tip not in last.adjustment:  # the adjustment may name the new focus already
        parts.append(f"New focus, building on the last one: {tip}.")
    struggles = {k: r for k, r in _recurring(previous, "struggles").items() if len(r) >= 2}
    for key, rounds in sorted(struggles.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:1]:
        parts.append(f"Plan ahead for {_label(key)}, which came up in {_rounds_text(rounds)}.")
    good = [s for s in last.observations if s.startswith("Went well")]
    if good:
        kept = good[0].split(":", 1)[1].strip()
        parts.append(f"Keep what worked last time: {kept}")
    parts.append("Afterwards, report what happened while it's fresh.")
    text = " ".join(parts)
    return text if safe(text) else quote(text, 200)


@dataclass(frozen=True)
class _ObservationSpec(TrainingSpec):
    """Report clauses labelled "<theme>:hard", "<theme>:good" or "none" (one file, two models).

    ``part`` 0 learns the theme (or "none") from every row, 1 how it went from the themed rows.
    """

    part: int = 0

    def rows(self) -> list[LabelledText]:
        """The shipped rows with the label's part this model learns."""
        rows = [r for r in super().rows() if self.part == 0 or ":" in r.label]
        return [LabelledText(r.text, r.label.split(":")[self.part], r.id) for r in rows]


_NEGATION = re.compile(r"\b(?:no|not|never|nobody|nothing|none|without|hardly|barely|\w+n't)\b")


def _verdict_features(texts: Sequence[str]) -> Matrix:
    """A clause's vector, and the same again when it is negated ("no jargon" is good news)."""
    vectors = embed_rows(texts)
    negated = np.array(
        [[float(bool(_NEGATION.search(t.lower().replace("’", "'"))))] for t in texts]
    )
    return np.hstack([vectors, vectors * negated])


# Report sentences labelled "tried" / "not_tried": "I did not get a chance to try it" names
# the focus without trying it. Rebuild: ``python -m agent.offline.train ffwd_tried``.
TRIED_SPEC = TrainingSpec("ffwd_tried", ("ffwd_tried.jsonl",), _verdict_features)
THEME_SPEC = _ObservationSpec("ffwd_themes", ("ffwd_observations.jsonl",))
HOW_SPEC = _ObservationSpec("ffwd_how", ("ffwd_observations.jsonl",), _verdict_features, part=1)
THEME_AT = 0.3
_CLAUSE = re.compile(r"[,;:]\s*(?:and |but |so )?|\s+(?:and|but|so|because)\s+", re.IGNORECASE)


def _classify(sentence: str) -> tuple[list[str], list[str]]:
    """Theme keys a report sentence shows as hard and as going well, clause by clause.

    "general" counts only when no theme does, and hard wins when a sentence says both.
    """
    clauses = [c for c in _CLAUSE.split(sentence) if c.strip()] or [sentence]
    themes, how = load_model("ffwd_themes"), load_model("ffwd_how")
    found: dict[str, set[str]] = {"hard": set(), "good": set()}
    verdicts = how.scores(_verdict_features(clauses))
    for theme, verdict in zip(themes.scores(embed_rows(clauses)), verdicts, strict=True):
        key = themes.labels[int(np.argmax(theme))]
        if key != "none" and theme.max() >= THEME_AT:
            found[how.labels[int(np.argmax(verdict))]].add(key)
    order = [*_themes(), "general"]
    struggles = [k for k in order if k in found["hard"]]
    positives = [k for k in order if k in found["good"] - found["hard"]]
    if len(struggles) > 1 or positives:
        struggles = [k for k in struggles if k != "general"]
    if len(positives) > 1 or struggles:
        positives = [k for k in positives if k != "general"]
    return struggles, positives


def _all_went_well(sentence: str) -> bool:
    """Whether no clause reads as going badly, themed or not.

    "I made my point but Tom interrupted me and I stopped talking" is not "what worked".
    """
    clauses = [c for c in _CLAUSE.split(sentence) if c.strip()] or [sentence]
    how = load_model("ffwd_how")
    hard = how.labels.index("hard")
    return all(v[hard] < 0.5 for v in how.scores(_verdict_features(clauses)))


def ffwd_observe(skill: str, report: str, previous: Sequence[RoundRecord]) -> RoundRecord:
    """Observations from the mentee's report, patterns across rounds, one adjustment."""
    skill = check_skill(skill)
    round_no = len(previous) + 1
    if round_no > MAX_ROUNDS:
        raise UserInputError(
            f"the loop has already run {MAX_ROUNDS} rounds; summarise it or start a new skill"
        )
    family = _family(skill)
    index = _round_focus(family, previous)
    focus = family["focus"][index]
    name = _short(focus["tip"])
    text = " ".join(report.split())
    sentences = split_sentences(report) if text else []

    went_well: list[str] = []
    struggles: list[str] = []
    observations: list[str] = []
    hard_quotes: list[str] = []
    for sentence in sentences:
        bad, good = _classify(sentence)
        struggles += [key for key in bad if key not in struggles]
        went_well += [key for key in good if key not in went_well]
        if good and not bad and len(observations) < 2 and _all_went_well(sentence):
            observations.append(f'Went well: "{quote(sentence, 24)}".')
        if bad and len(hard_quotes) < 2:
            label = "general" if bad[0] == "general" else _label(bad[0])
            hard_quotes.append(f'Harder ({label}): "{quote(sentence, 24)}".')
    observations += hard_quotes
    if len(words(text)) < 8:
        observations.insert(
            0,
            "Your report is short; next round, note one moment that went as planned, one "
            "that didn't, and how people reacted.",
        )

    focus_terms = term_set(focus["tip"]) - GENERIC_STEMS

    def shows_focus(sentence: str) -> int:
        signals = sum(w.lower() in sentence.lower() for w in focus["signals"])
        return signals + len(term_set(sentence) & focus_terms)

    # The focus shows in the report, in a sentence the learned reading says was tried (not
    # "I never got to open with the main point"); a report saying it wasn't tried says so.
    said = load_model("ffwd_tried")
    p_tried = said.scores(_verdict_features(sentences or [text]))[:, said.labels.index("tried")]
    evidence = max(sentences or [""], key=shows_focus)  # the first of the best
    shown = any(s.lower() in text.lower() for s in focus["signals"])
    shown = shown or len(term_set(text) & focus_terms) >= 2
    tried = shown and float(p_tried[(sentences or [""]).index(evidence)]) >= 0.5
    if tried:
        observations.append(f'You tried this round\'s focus ({name}): "{quote(evidence, 20)}".')
    elif float(p_tried.max()) < 0.5:
        observations.append(
            f"This round's focus ({name}) didn't get tried this time; that "
            "happens, and the next round stays with it."
        )
    else:
        observations.append(
            f"Your report doesn't say how this round's focus went ({name}); "
            "note that next time, even if it slipped."
        )

    recurring = _recurring(previous, "struggles")
    main_struggle = next(
        (k for k in sorted(struggles, key=lambda k: -len(recurring.get(k, []))) if k != "general"),
        None,
    )
    # The focus moves on once the mentee has tried it and it held; a struggle shapes the
    # adjustment. A try that also went badly ("...but I stopped talking") is tried again.
    held = tried and _all_went_well(evidence)
    next_index = min(index + 1, len(family["focus"]) - 1) if held else index
    if main_struggle is not None:
        adjustment = _themes()[main_struggle]["adjustment"]
    elif tried and not held:
        adjustment = (
            "Keep the same focus, and decide now what you'll do at the moment it went wrong "
            "this time, so you're ready when it happens again."
        )
    elif not tried:
        adjustment = (
            f"Decide in advance the exact moment you'll {name}, and write "
            "it on a sticky note or at the top of your notes."
        )
    elif next_index == index:
        adjustment = (
            "Keep the same focus and raise the stakes: use it in a bigger meeting or a "
            "harder conversation."
        )
    else:
        adjustment = (
            f"Keep what worked and add the next focus: {family['focus'][next_index]['tip']}."
        )
    return RoundRecord(
        round_no=round_no,
        skill=skill,
        focus=focus["tip"],
        focus_index=index,
        guidance=ffwd_guidance(skill, round_no, previous),
        report=text,
        observations=[o for o in observations if safe(o)],
        patterns=[p for p in _patterns(round_no, previous, went_well, struggles) if safe(p)],
        adjustment=adjustment,
        went_well=[k for k in went_well if k != "general"],
        struggles=[k for k in struggles if k != "general"],
        focus_tried=tried,
        next_focus_index=next_index,
    )


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
    improved = [k for k in good if k in hard and max(good[k]) > max(hard[k])]
    still = [
        k
        for k, r in hard.items()
        if k not in improved and (max(r) == rounds[-1].round_no or len(r) >= 2)
    ]
    for lead, items in (
        ("Going well", [f"{_label(k, True)} ({_rounds_text(r)})" for k, r in good.items()]),
        ("Improved over the loop", [_label(k, True) for k in improved]),
        ("Still worth attention", [f"{_label(k)} ({_rounds_text(hard[k])})" for k in still]),
    ):
        if items:
            parts.append(f"{lead}: {', '.join(items)}.")
    parts.append(f"Next: {rounds[-1].adjustment}")
    if len(rounds) < MIN_ROUNDS:
        parts.append(
            f"That's fewer than {MIN_ROUNDS} rounds; the loop works best with "
            f"{MIN_ROUNDS} to {MAX_ROUNDS} in quick succession."
        )
    elif rounds[-1].next_focus_index >= len(family["focus"]) - 1 and rounds[-1].focus_tried:
        parts.append("Every focus point has been tried; pick the next skill to practise.")
    text = " ".join(parts)
    return text if safe(text) else quote(text, 250)
