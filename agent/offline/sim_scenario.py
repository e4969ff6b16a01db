"""Choosing a scenario, outlining it without the mentor's response, and guarding that outline.

Also :func:`clarify` (answers from the situation only) and :func:`reask_prompt` (asks again,
giving nothing away, when an answer is not an attempt).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np

from agent.errors import UserInputError
from agent.offline.learned import load_model
from agent.offline.sim_attempt import Assessment
from agent.offline.sim_text import (
    GENERIC_STEMS,
    Voice,
    capitalise,
    embed,
    first_person,
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
from agent.offline.train import TrainingSpec
from agent.scenarios import Scenario

__all__ = ["choose_scenario", "clarify", "leak_failures", "present_situation", "reask_prompt"]


def choose_scenario(
    scenarios: Sequence[Scenario],
    goals: Sequence[str],
    upcoming: str | None,
    *,
    exclude: Collection[str] = (),
) -> Scenario:
    """The scenario closest to the pair's goals (weight 0.4) and upcoming situation (0.6).

    The mentor's own experiences come first: the exercise is about the mentor's story, so
    starters are chosen from only when every own scenario is excluded (or there is none).
    ``exclude`` skips scenario ids already run, unless that would leave nothing.
    """
    own = [s for s in scenarios if not s.starter and s.id not in exclude]
    pool = own or [s for s in scenarios if s.id not in exclude] or list(scenarios)
    if not pool:
        raise UserInputError("there are no scenarios to choose from: add one first")
    goal_texts = [g.strip() for g in goals if g.strip()]
    upcoming_text = (upcoming or "").strip()
    if not goal_texts and not upcoming_text:
        return pool[0]
    docs = embed(
        [f"{s.title}. {s.situation} Topics: {', '.join(s.tags).replace('-', ' ')}." for s in pool]
    )
    scores = np.zeros(len(pool), dtype=np.float64)
    if upcoming_text:
        scores += 0.6 * (docs @ embed([upcoming_text])[0])
    if goal_texts:
        scores += 0.4 * (docs @ embed(goal_texts).T).max(axis=1)
    scores /= (0.6 if upcoming_text else 0.0) + (0.4 if goal_texts else 0.0)
    query_terms = term_set(" ".join([*goal_texts, upcoming_text]))
    for index, scenario in enumerate(pool):
        tag_terms = {stem(w) for t in scenario.tags for w in t.split("-")}
        scores[index] += 0.03 * len(tag_terms & query_terms)
    return pool[min(range(len(pool)), key=lambda i: (-round(float(scores[i]), 6), i))]


def present_situation(scenario: Scenario, *, mentor: str | None = None) -> str:
    """The outline the mentee sees before answering: never the response, outcome or principles.

    A starter scenario says so: it is an example from the guide, not the mentor's own story.
    """
    voice = Voice.of(scenario.starter, mentor)
    lines = [f"Scenario: {scenario.title}"]
    if voice.starter:
        lines.append("(a starter scenario from the guide, not your mentor's own experience)")
    elif first_person(scenario.situation):
        # "our marketing lead", "my team": the mentor's words, said to be theirs.
        lines.append(f"({voice.whose} own experience, in {voice.whose} words)")
    else:
        lines.append(f"({voice.whose} own experience)")
    lines += ["", scenario.situation.strip()]
    if scenario.constraints:
        lines += ["", "Constraints:", *(f"- {c}" for c in scenario.constraints)]
    if voice.starter:
        ask = "What would you do?"
        reveal = "You'll see how the engineer in this starter scenario handled it"
    else:
        ask = f"What would you do in {voice.whose} place?"
        reveal = f"{capitalise(voice.who)} will share what they actually did"
    lines += [
        "",
        f"{ask} Walk through your first moves, who you would involve and how you "
        f"would know it was working. {reveal} once you have committed to an answer.",
    ]
    return "\n".join(lines)


def _sides(scenario: Scenario) -> tuple[list[str], list[str], set[str]]:
    """What the mentee sees, the mentor's side, and the content words only that side uses."""
    context = [*split_sentences(scenario.situation), *scenario.constraints]
    secret = [*steps(scenario.response), *steps(scenario.outcome), *scenario.principles]
    only = term_set(" ".join(secret)) - term_set(" ".join(context)) - GENERIC_STEMS
    return context, secret, only


def _trigrams(texts: Sequence[str]) -> set[tuple[str, ...]]:
    runs = [terms(t) for t in texts]
    return {tuple(run[i : i + 3]) for run in runs for i in range(len(run) - 2)}


def leak_failures(outline: str, scenario: Scenario) -> list[str]:
    """Ways ``outline`` gives away the mentor's response, outcome or principles; [] if none.

    Per sentence: a pasted three-word run, three words only the mentor's side uses, or a
    paraphrase (by cosine); six such words across the outline fail too. The messages give
    numbers and counts, never the secret words, so they are safe to log or show.
    """
    context, secret, only = _sides(scenario)
    pasted_runs = _trigrams(secret) - _trigrams(context)
    sentences = split_sentences(outline)
    failures: list[str] = []
    candidates: list[tuple[int, str]] = []
    seen: set[str] = set()
    for number, sentence in enumerate(sentences, start=1):
        pasted = _trigrams([sentence]) & pasted_runs
        secret_words = set(terms(sentence)) & only
        seen |= secret_words
        if pasted:
            failures.append(
                f"outline sentence {number} repeats a phrase from the mentor's response "
                f"({len(pasted)} shared three-word run{'s' if len(pasted) > 1 else ''})"
            )
        elif len(secret_words) >= 3:
            failures.append(
                f"outline sentence {number} uses {len(secret_words)} words that appear only in "
                "the mentor's response, outcome or principles"
            )
        elif len(words(sentence)) >= 5:
            candidates.append((number, sentence))
    texts = [s for _, s in candidates]
    to_secret = sims(texts, secret).max(axis=1) if texts else []
    to_context = sims(texts, [*context, scenario.title]).max(axis=1) if texts else []
    for (number, text), close, near in zip(candidates, to_secret, to_context, strict=True):
        margin = float(close) - float(near)
        hits = len(set(terms(text)) & only)
        if (
            close >= 0.8
            or (close >= 0.5 and margin >= 0.12)
            or (hits >= 2 and close >= 0.45 and margin >= 0.1)
        ):
            failures.append(
                f"outline sentence {number} paraphrases the mentor's response or outcome "
                f"(similarity {close:.2f}, {margin:+.2f} above the closest situation line)"
            )
    if len(seen) >= 6 and not failures:
        failures.append(
            f"the outline uses {len(seen)} words that appear only in the mentor's "
            "response, outcome or principles"
        )
    return failures


# Questions labelled "response" (after what the mentor did or how it ended), "proposes" ("can
# I ...?") or "situation"; rebuild: ``python -m agent.offline.train sim_clarify``.
CLARIFY_SPEC = TrainingSpec("sim_clarify", ("sim_clarify.jsonl",))


def clarify(question: str, scenario: Scenario, *, mentor: str | None = None) -> str:
    """Answer a clarifying question from the situation and constraints only.

    The learned model reads the question: after the response or outcome, "that would give it
    away"; "can I ...?", the mentee's call; not covered, "make an assumption and say it".
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
    asks = load_model("sim_clarify").predict([text])[0]
    if asks == "response":
        return give_away
    context, secret, only = _sides(scenario)
    asked = term_set(text) - GENERIC_STEMS
    # Cosine plus a little per shared content word: short texts embed poorly, and "What did
    # the alerts say?" should find the line about the alerts.
    to_context = [
        float(sim) + 0.04 * min(len(asked & term_set(line)), 3)
        for sim, line in zip(sims([text], context)[0], context, strict=True)
    ]
    order = sorted(range(len(context)), key=lambda k: -to_context[k])
    closest = to_context[order[0]]
    lean = float(sims([text], secret)[0].max()) - closest
    if asks == "proposes":
        bearing = f' What the situation says that bears on it: "{quote(context[order[0]], 40)}."'
        reply = "That's yours to decide in your approach: include it if you'd do it, and say why."
        reply += bearing if closest >= 0.3 else ""
    elif (lean > 0.1 and closest + lean >= 0.55) or (len(asked & only) >= 2 and lean > 0):
        reply = (
            "The situation doesn't say, and the answer would give away part of what "
            f'{who} did. Make an assumption, state it in your approach ("assuming ..."), '
            "and you can check it against the real story afterwards."
        )
    elif closest < 0.3 and not asked & term_set(" ".join(context)):
        nearest = (
            f' The closest it gets: "{quote(context[order[0]], 40)}."' if closest >= 0.2 else ""
        )
        reply = (
            f"The situation doesn't say.{nearest} Make a reasonable assumption and state it in "
            f"your approach; {who} can tell you afterwards how it really was."
        )
    else:
        picked = [context[k] for k in order[:2] if to_context[k] >= 0.3] or [context[order[0]]]
        quoted = " ".join(f'"{quote(p, 40)}."' for p in picked)
        reply = f"From the situation: {quoted} Anything beyond that, assume and say so."
    return give_away if leak_failures(reply, scenario) or not safe(reply) else reply


_REASK = {
    "empty": "Write what you would do; a few sentences is plenty.",
    # Said to "/help" and to a terse "restart the servers" alike, so it accuses neither.
    "command": "If that was meant for me: ask about the situation with /clarify QUESTION (or "
    "--clarify), see the story without answering with /skip (or --skip), or stop with /stop. "
    "If it is your approach, say a little more: your first move, and what comes after it.",
    "dont_know": "Not knowing is fine: nobody expects the right answer, and the comparison is "
    "where the learning happens. Take your best guess first.",
    # An attempt of one short step ("I'd talk to them"): asked once, the next answer is taken.
    "thin": "That's a start. Before you see the story, say a little more: what would you do "
    "after that, and how?",
    "too_short": "Say a little more, so there is something to compare: your first move, and "
    "what comes after it.",
    # Text aimed at the engine is set aside, never followed: the story stays hidden.
    "instruction": "That reads as an instruction to the coach rather than your approach, so I've "
    'set it aside. What would you do in "{title}"?',
    "off_topic": 'That doesn\'t seem to be about this situation ("{title}"). What would you do '
    "here?",
}


def reask_prompt(
    assessment: Assessment, answer: str, scenario: Scenario, *, mentor: str | None = None
) -> str:
    """Ask again when the answer is not an attempt yet, with a way in that reveals nothing."""
    reason = "thin" if assessment.thin else assessment.reason
    if reason == "question":
        lead = clarify(answer, scenario, mentor=mentor)
    else:
        vague = "What would that look like in practice? Name your first concrete move."
        lead = _REASK.get(reason, vague).format(title=quote(scenario.title, 12))
    text = (
        f"{lead} A way in: what would you do in the first few minutes, who would you tell or "
        "involve, and how would you know it was working?"
    )
    if reason != "command":
        who = Voice.of(scenario.starter, mentor).who
        text += f" (If you'd rather see how {who} handled it without answering, skip this step.)"
    return text
