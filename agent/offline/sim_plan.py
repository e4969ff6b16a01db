"""The application plan: 2-4 steps applying a scenario's principles to the mentee's own week.

The steps are in the mentee's voice, each led by a verb; the mentor's moves are quoted in
their own words, never re-voiced, so no pronoun flips.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

import numpy as np
from pydantic import BaseModel

from agent.errors import UserInputError
from agent.offline.dates import NUMBER_WORDS, find_all_due, find_due
from agent.offline.learned import word_list
from agent.offline.sim_compare import ApproachComparison
from agent.offline.sim_text import (
    GENERIC,
    GENERIC_STEMS,
    STOP,
    VERBS,
    Voice,
    embed,
    first_person_to_you,
    is_verb_form,
    quote,
    safe,
    sims,
    split_sentences,
    steps,
    term_set,
    text_failures,
    to_base,
    words,
)
from agent.offline.words import word_set
from agent.scenarios import Scenario

__all__ = ["PlanStep", "application_plan", "plan_failures"]


class PlanStep(BaseModel):
    """One step of the mentee's application plan; it becomes one of the pair's action items."""

    action: str
    owner: str
    due_days: int | None = None


_BOUNDARY = STOP | word_list("sim_plan.boundary")
_GROUPS = (
    r"teams?|groups?|guilds?|boards?|committees?|engineers|developers|sales|stakeholders"
    r"|customers|clients|colleagues|reviewers"
)
_PEOPLE = re.compile(
    rf"\b(?:{_GROUPS}|lead|manager|director|head|architect|stakeholder|customer|client"
    r"|colleague|reviewer|product|pm|cto|ceo|vp|dba|board|committee|engineer|developer"
    r"|designers?)\b",
    re.IGNORECASE,
)
_SUBJECT_AUX = word_set(
    "i i'm i'll i'd i've we we're we'll we'd to will am are is be being been have has had"
)
_DETERMINERS = word_set("the a an our your my their his her this that its")
_NOUNISH = word_list("sim_plan.nounish")


def _inflected_verb(word: str) -> bool:
    """Whether ``word`` is an inflected verb ("keeps", "adding"), not a noun ("search")."""
    if word in _NOUNISH or not word.endswith(("s", "ing", "ed")):
        return False
    base = to_base(word)
    return base != word and base in VERBS


def _key_phrases(upcoming: str, today: date) -> list[str]:
    """Runs of content words from the upcoming situation, as written (names, systems, events)."""
    text = upcoming
    for match in reversed(find_all_due(text, today)):  # a date ("next Tuesday's") is a break
        rest = re.sub(r"^['’]s\b", "", text[match.end :])
        text = f"{text[: match.start]} | {rest}"
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
        while run and (run[0].lower() in NUMBER_WORDS or run[0].isdigit()):
            run = run[1:]
        if not run or all(w.lower() in GENERIC or w.isdigit() for w in run):
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
    # "I have to push back", "I must present" (a duty), never "I have my first 1:1" (a thing).
    modal = re.search(
        r"\b(I|we)(?:'ve| have)? (?:(?:have|need|got|'ve got) to|must) ([a-z]+)\b", clause
    )
    if modal:
        # "I have to push back" -> "you'll push back" ("you have to" reads as a reproach).
        head, tail = clause[: modal.start()], clause[modal.end() :]
        clause = f"{head}{modal.group(1)}'ll {to_base(modal.group(2))}{tail}"
    # The mentee's own words, addressed back to them; whole clauses only, never cut mid-phrase.
    clause = quote(first_person_to_you(clause), 32) or first_person_to_you(clause)
    first = (clause.split() or [""])[0]
    common = first.lower() in STOP | GENERIC | VERBS | {"tomorrow", "today", "tonight"}
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

    Principles are ranked by closeness to the situation, favouring those behind steps the
    approach left out; steps name its people, systems and events. ``due_days`` count from
    ``today`` to the date ``upcoming`` names; without one only the first step gets a default.
    """
    owner = " ".join(mentee.split())
    if not owner:
        raise UserInputError("the plan needs the mentee's name as its owner")
    situation = " ".join(upcoming.split())
    if len(words(situation)) < 2:
        raise UserInputError(
            "describe the upcoming situation in a sentence: what is happening, when, and "
            "who is involved"
        )
    voice = Voice.of(scenario.starter, mentor)
    coach = " ".join((mentor or "").split()) or "your mentor"
    base = today or date.today()
    due, _ = find_due(situation, base)  # the date the situation names, read as in notes
    days = max(1, (due - base).days) if due else None
    event = _event_phrase(situation)
    phrases = _key_phrases(situation, base)
    people = [p for p in phrases if _PEOPLE.search(p.split()[-1]) or _named(p)]
    things = [p for p in phrases if p not in people] or phrases
    # The most specific thing (most words, then earliest) is what the plan is about.
    main = max(things, key=lambda p: (len(p.split()), -things.index(p))) if things else event

    units = steps(scenario.response, 4)
    principles = scenario.principles or [scenario.title]
    up_vec = embed([situation])[0]
    p_sims = embed(principles) @ up_vec
    missing_text = " ".join(d for d in comparison.differences if "leaves out" in d)
    gap_bonus = np.array([0.1 if term_set(p) & term_set(missing_text) else 0.0 for p in principles])
    ranked = sorted(
        range(len(principles)), key=lambda k: (-round(float(p_sims[k] + gap_bonus[k]), 6), k)
    )
    p1 = principles[ranked[0]].rstrip(".")
    p2 = principles[ranked[1]].rstrip(".") if len(ranked) > 1 else ""
    # The mentor's move is quoted in their own words (their "I" stays theirs).
    # A move to copy: "I did not escalate" says what the mentor left undone, so it is no example.
    moves = [u for u in units if not _NOT_DONE.match(u)]
    unit = moves[int(np.argmax(sims([principles[ranked[0]]], moves)[0]))] if moves else ""
    example = f' {voice.as_did}: "{quote(unit, 22)}"' if unit and quote(unit, 22) else ""
    # Read as a mentor's message: what to do first, then what it is for, then the example.
    if scenario.principles:
        first = f'Write a short plan that applies "{p1}" to what\'s coming up ({event}),{example}'
    else:
        first = f"Write a short plan for what's coming up ({event}), starting{example}"
        first = first if example else f'{first} from "{p1}"'

    before = max(1, days - 1) if days else None
    drafts: list[tuple[str, int | None]] = [(first, before or 3)]
    if p2:
        others = [t for t in things if t != main and len(t.split()) > 1]
        target = _the(others[0] if others else main, situation)
        decide = f'Decide one concrete way to apply "{p2}" to {target}, and write it where '
        drafts.append((decide + "you'll see it on the day", before))
    if people:
        rehearse = f"Rehearse the first few minutes with {coach} playing "
        rehearse += f"{_role(people[0], situation)}, using the plan from the first step"
        drafts.append((rehearse, before))
    bring = f"Bring notes on how it went with {_the(main, situation)} to your next session"
    compare = f'compare them with how {voice.who} handled "{scenario.title}"'
    drafts.append((f"{bring}, and {compare}", days + 2 if days else None))
    return [
        PlanStep(action=_clean_action(text), owner=owner, due_days=due) for text, due in drafts[:4]
    ]


_NOT_DONE = re.compile(
    r"^(?:i|we)\s+(?:did\s+not|didn't|never|was\s+not|wasn't|could\s+not|couldn't|would\s+not"
    r"|wouldn't|had\s+not|hadn't|chose\s+not\s+to|decided\s+not\s+to)\b",
    re.IGNORECASE,
)


def _role(phrase: str, source: str) -> str:
    """How a mentor can play the person or group in a rehearsal."""
    last = re.sub(r"['’]s$", "", (phrase.split() or [""])[-1].lower())
    if re.fullmatch(_GROUPS, last):
        return f"someone from {_the(phrase, source)}"
    return _the(re.sub(r"['’]s$", "", phrase), source)


def _named(phrase: str) -> bool:
    """A role and a name ("lead Priya", "manager Tomás"): the name is who it is."""
    parts = phrase.split()
    return len(parts) > 1 and parts[-1].istitle() and not parts[0][:1].isupper()


def _the(phrase: str, source: str = "") -> str:
    """``phrase`` as an object: "the search indexer", "your PM" (from "my PM"), "Priya"."""
    parts = phrase.split()
    if _named(phrase):
        return parts[-1]
    written = re.search(rf"\b(my|our|your|his|her|their)\s+{re.escape(phrase)}\b", source, re.I)
    if written:
        return first_person_to_you(f"{written.group(1).lower()} {phrase}")
    role = bool(_PEOPLE.search(parts[-1])) if parts else False
    proper = phrase[:1].isupper() and (len(parts) == 1 or parts[-1][:1].isupper()) and not role
    if re.match(r"^(?:the|a|an|your|my|our|their|his|her)\b", phrase.lower()) or proper:
        return first_person_to_you(phrase)
    if re.match(r"^[A-Z][\w-]*['’]s\s", phrase):
        return phrase
    return f"the {phrase}"


def _clean_action(action: str) -> str:
    action = action.rstrip()
    if not action.endswith((".", "?", "!", '."', "...", '..."')):
        action = f"{action}."
    action = re.sub(r"\s+([,.;:])", r"\1", " ".join(action.split()))
    action = re.sub(r"(?<!\.)\.\.(?!\.)", ".", action)
    return action if safe(action) else quote(action, 80)


def plan_failures(steps: Sequence[PlanStep], upcoming: str, mentee: str) -> list[str]:
    """Guardrail for either engine's plan: 2-4 verb-led steps, the mentee's, about the upcoming."""
    failures: list[str] = []
    if not 2 <= len(steps) <= 4:
        failures.append(f"the plan has {len(steps)} steps; it needs 2 to 4")
    owner = " ".join(mentee.split()).casefold()
    specifics = term_set(upcoming) - GENERIC_STEMS
    mentioned = False
    for number, step in enumerate(steps, start=1):
        first = (words(step.action) or [""])[0]
        if first not in VERBS:
            failures.append(f"step {number} does not start with a verb: {first!r}")
        if step.owner.casefold() != owner:
            failures.append(f"step {number} is owned by {step.owner!r}, not the mentee")
        if step.due_days is not None and step.due_days < 0:
            failures.append(f"step {number} is due in the past")
        mentioned = mentioned or bool(term_set(step.action) & specifics)
        failures += [f"step {number}: {problem}" for problem in text_failures(step.action)]
    if steps and specifics and not mentioned:
        failures.append("no step mentions the specifics of the upcoming situation")
    return failures
