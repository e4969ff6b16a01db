"""Choosing a scenario, outlining it without the mentor's response, and guarding that outline.

:func:`choose_scenario` picks the scenario closest to the pair's goals and what's coming up;
:func:`present_situation` outlines it *without* the response; :func:`leak_failures` checks any
outline (this engine's or the LLM's) for leaks; :func:`clarify` answers the mentee's questions
from the situation only; :func:`reask_prompt` asks again, with a hint that gives nothing away,
when the answer is not yet an attempt.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

from agent.errors import UserInputError
from agent.offline.sim_attempt import Assessment
from agent.offline.sim_text import (
    GENERIC,
    GENERIC_STEMS,
    Voice,
    capitalise,
    embed,
    quote,
    safe,
    sims,
    split_sentences,
    stem,
    steps,
    term_set,
    terms,
    words,
)
from agent.scenarios import Scenario

__all__ = ["choose_scenario", "clarify", "leak_failures", "present_situation", "reask_prompt"]


def _overlap_score(sim: float, question: str, line: str) -> float:
    """Cosine plus a little for each shared content word (short texts embed poorly)."""
    shared = (term_set(question) - GENERIC_STEMS) & term_set(line)
    return sim + 0.04 * min(len(shared), 3)


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
    docs = embed([_scenario_text(s) for s in pool])
    scores = np.zeros(len(pool), dtype=np.float64)
    weight = 0.0
    if upcoming_text:
        scores += 0.6 * (docs @ embed([upcoming_text])[0])
        weight += 0.6
    if goal_texts:
        scores += 0.4 * (docs @ embed(goal_texts).T).max(axis=1)
        weight += 0.4
    scores /= weight
    query_terms = term_set(" ".join([*goal_texts, upcoming_text]))
    for index, scenario in enumerate(pool):
        tag_terms = {stem(w) for t in scenario.tags for w in t.split("-")}
        scores[index] += 0.03 * len(tag_terms & query_terms)
    best = min(range(len(pool)), key=lambda i: (-round(float(scores[i]), 6), i))
    return pool[best]


def present_situation(scenario: Scenario, *, mentor: str | None = None) -> str:
    """The outline the mentee sees before answering: never the response, outcome or principles.

    A starter scenario says so: it is an example from the guide, not the mentor's own story.
    """
    voice = Voice.of(scenario.starter, mentor)
    lines = [f"Scenario: {scenario.title}"]
    if voice.starter:
        lines.append("(a starter scenario from the guide, not your mentor's own experience)")
    lines += ["", scenario.situation.strip()]
    if scenario.constraints:
        lines += ["", "Constraints:"]
        lines += [f"- {c}" for c in scenario.constraints]
    reveal = (
        "You'll see how the engineer in this starter scenario handled it"
        if voice.starter
        else f"{capitalise(voice.who)} will share what they actually did"
    )
    lines += [
        "",
        "What would you do? Walk through your first moves, who you would involve and how you "
        f"would know it was working. {reveal} once you have committed to an answer.",
    ]
    return "\n".join(lines)


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


def _trigrams(run: Sequence[str]) -> set[tuple[str, ...]]:
    return {tuple(run[i : i + 3]) for i in range(len(run) - 2)}


def _secret_view(scenario: Scenario) -> _SecretView:
    context_text = "\n".join([scenario.situation, *scenario.constraints])
    secret_text = "\n".join([scenario.response, scenario.outcome, *scenario.principles])
    context_terms = term_set(context_text)
    secret_only = term_set(secret_text) - context_terms - {stem(w) for w in GENERIC}
    secret_trigrams: set[tuple[str, ...]] = set()
    for unit in [*steps(scenario.response), *steps(scenario.outcome), *scenario.principles]:
        secret_trigrams |= _trigrams(terms(unit))
    context_trigrams: set[tuple[str, ...]] = set()
    for unit in [*split_sentences(scenario.situation), *scenario.constraints]:
        context_trigrams |= _trigrams(terms(unit))
    return _SecretView(
        context_units=[
            *split_sentences(scenario.situation),
            *scenario.constraints,
            scenario.title,
        ],
        secret_units=[
            *steps(scenario.response),
            *steps(scenario.outcome),
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
        found = terms(sentence)
        pasted = (_trigrams(found) & view.secret_trigrams) - view.context_trigrams
        if pasted:
            failures.append(
                f"outline sentence {number} repeats a phrase from the mentor's response "
                f"({len(pasted)} shared three-word run{'s' if len(pasted) > 1 else ''})"
            )
            flagged.add(number)
        secret_words = set(found) & view.secret_only
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
        if len(words(s)) >= 5 and number not in flagged
    ]
    if candidates:
        texts = [s for _, s in candidates]
        to_secret = sims(texts, view.secret_units).max(axis=1)
        to_context = sims(texts, view.context_units).max(axis=1)
        for (number, text), secret, context in zip(candidates, to_secret, to_context, strict=True):
            close = float(secret)
            margin = close - float(context)
            hits = len(set(terms(text)) & view.secret_only)
            if (
                close >= LEAK_SIM_HIGH
                or (close >= LEAK_SIM_LOW and margin >= LEAK_MARGIN)
                or (hits >= 2 and close >= LEAK_SIM_WITH_WORDS and margin >= 0.1)
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
    who = Voice.of(scenario.starter, mentor).who
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
    raw_context = sims([text], context)[0]
    to_secret = sims([text], view.secret_units)[0]
    # Shared words help pick the right line ("What did the alerts say?" -> "Alerts say ...").
    to_context = np.array(
        [_overlap_score(float(raw_context[k]), text, c) for k, c in enumerate(context)],
        dtype=np.float32,
    )
    best = int(np.argmax(to_context))
    closest_secret = float(to_secret.max()) if len(to_secret) else 0.0
    closest_context = float(to_context[best])
    question_terms = term_set(text) - GENERIC_STEMS
    lean = closest_secret - closest_context
    hits_secret = len(question_terms & view.secret_only) >= 2
    bearing = f'"{quote(context[best], 40)}."' if closest_context >= 0.3 else ""
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
            f'"{quote(context[best], 40)}." Beyond that, make an assumption and state it in '
            "your approach."
        )
    else:
        order = np.argsort(-to_context, kind="stable")
        picked = [context[int(i)] for i in order[:2] if float(to_context[int(i)]) >= 0.3]
        picked = picked or [context[best]]
        quoted = " ".join(f'"{quote(p, 40)}."' for p in picked)
        reply = f"From the situation: {quoted} Anything beyond that, assume and say so."
    if leak_failures(reply, scenario) or not safe(reply):
        return give_away
    return reply


_WAY_IN = (
    "A way in: what would you do in the first few minutes, who would you tell or involve, "
    "and how would you know it was working?"
)


def reask_prompt(
    assessment: Assessment, answer: str, scenario: Scenario, *, mentor: str | None = None
) -> str:
    """Ask again when the answer is not an attempt yet, with a hint that reveals nothing.

    The hint comes from the situation the mentee already sees (a constraint or the first
    line), never from the response; the text is checked with :func:`leak_failures`.
    """
    voice = Voice.of(scenario.starter, mentor)
    later = f"how {voice.who} handled it"
    start = (
        scenario.constraints[0] if scenario.constraints else split_sentences(scenario.situation)[0]
    )
    anchor = f'Start from what you know: "{quote(start, 30)}."'
    reason = assessment.reason
    if reason == "empty":
        lead = "Write what you would do; a few sentences is plenty."
    elif reason == "command":
        lead = (
            "Commands aren't answers here. To ask about the situation, use /clarify QUESTION "
            "(or --clarify); to see the story without answering, use /skip (or --skip); to "
            "stop, /stop. Otherwise, write what you would do."
        )
    elif reason == "question":
        lead = (
            f"{clarify(answer, scenario, mentor=mentor)} Once you have what you need, write "
            "what you would do."
        )
    elif reason == "dont_know":
        lead = (
            "Not knowing is fine: nobody expects the right answer, and the comparison is where "
            f"the learning happens. Take your best guess before you see {later}."
        )
    elif reason == "off_topic":
        lead = (
            f'That doesn\'t seem to be about this situation ("{quote(scenario.title, 12)}"). '
            "What would you do here?"
        )
    elif reason == "too_short":
        lead = (
            "Say a little more, so there is something to compare: your first move, and what "
            "comes after it."
        )
    else:
        lead = (
            "What would that look like in practice? Name your first concrete move and who "
            "you would involve."
        )
    text = f"{lead} {anchor} {_WAY_IN}"
    if reason != "command":
        text += f" (If you'd rather see {later} without answering, skip this step.)"
    return text if not leak_failures(text, scenario) else f"{lead} {_WAY_IN}"
