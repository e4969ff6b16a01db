"""The offline agenda: the scaffold (:mod:`agent.agenda`) filled with the pair's specifics.

The deep dive is built around the prep sentence carrying the challenge, linked to a goal; the
prep's updates join the progress review and each block cites the guide it follows. Nothing
judgemental or self-blaming is quoted. Deterministic.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import cache

from agent.agenda import (
    ACTION_PLANNING,
    CHECK_IN,
    DEEP_DIVE,
    GETTING_REAL,
    GRADUATION_ASSESSMENT,
    GRADUATION_CUES,
    LEARNING_STYLE,
    LETS_GET_CLEAR,
    LIGHT_ACTION_PLANNING,
    NEXT_CHAPTER,
    PROGRESS_REVIEW,
    RECONNECT,
    RESET_THE_FORMAT,
    STALE_CUES,
    STALL_CUES,
    UNSTUCK_DIAGNOSIS,
    AgendaContext,
    build_scaffold,
    explain_stage,
    prep_checklist,
    short_names,
)
from agent.models import STAGE_NAMES, Agenda, AgendaBlock, Citation, Stage
from agent.offline.judgement import detect_markers, normalise
from agent.offline.learned import data_dir, load_model, word_list
from agent.offline.train import TrainingSpec
from agent.text import names_person, short_name
from agent.text import quoted as _q
from knowledge.models import Passage

__all__ = ["agenda_notes", "draft_agenda_offline", "focus_goal", "main_topic"]

_SPLIT = re.compile(r"(?<=[.!?])\s+|\s*\n+\s*(?:[-*•]\s+|\d+[.)]\s+)?|\s+[-*•]\s+")
_WORD = re.compile(r"[a-z][a-z0-9+#]*(?:[.'-][a-z0-9+#]+)*")
_STOP = word_list("agenda.stop")
# Prep sentences labelled "challenge" (what to work on), "self-blame" (never quoted) or "other";
# rebuild: ``python -m agent.offline.train prep_sentences``.
PREP_SPEC = TrainingSpec("prep_sentences", ("prep_sentences.jsonl",))
_CONNECTIVE = re.compile(
    r"^(?:also|and|plus|oh,? and|finally|lastly|one more thing)\b[:,]?\s*", re.I
)
_PRONOUN = re.compile(r"\b(?:it|this|that one|these|those|them)\b")
_AFTERWARDS = re.compile(
    r"\b(?:keep|stay) in touch\b|\bafter the (?:programme|program|mentorship)\b|\bcatch-?ups?\b"
    r"|\bintroduc|\bwhat comes (?:after|next)\b|\bnext chapter\b"
)
MAX_QUOTE = 180


@cache
def _kind(sentence: str) -> str:
    """What a prep sentence is, by the learned model: "challenge", "self-blame" or "other"."""
    return load_model("prep_sentences").predict([sentence])[0]


def _asks(sentence: str) -> bool:
    """Whether a prep sentence asks for something: a question, or a challenge by the model."""
    return sentence.endswith("?") or _kind(sentence) == "challenge"


# Markdown that must not be quoted: heading lines and bold-only lines are titles, not content.
_TITLE_LINE = re.compile(
    r"^[ \t]*(?:#{1,6}[ \t].*|(?:\*\*|__)\W*(?:\w+\W+){0,4}\w+[^\w?.!]*(?:\*\*|__):?)[ \t]*$",
    re.M,
)
_EMPHASIS = re.compile(r"\*\*|__")


# A label that only says the line is prep ("old version prep: need help with ...", "Topics for
# today: ..."): the model reads the label as an update, so the line is read without it.
_PREP_LABEL = re.compile(
    r"^(?:[\w'’-]+\s+){0,3}(?:prep|agenda|topics?|questions?|for (?:today|this session)):\s+"
    r"(?=\S+\s+\S+\s+\S)",
    re.I,
)


def _sentences(text: str) -> list[str]:
    text = _EMPHASIS.sub("", _TITLE_LINE.sub("", text))
    parts = (" ".join(p.split()) for p in _SPLIT.split(text.strip()))
    kept = (p.strip(" -*•") for p in parts if p)
    return [_PREP_LABEL.sub("", p) for p in kept if len(p) > 2]


def _note_sentences(notes: str, ctx: AgendaContext) -> list[str]:
    """The sentences of session notes in any layout, without chat stamps, speakers or titles.

    The action extractor's splitter knows the layouts (chat exports, transcripts, minutes);
    a sentence under four words ("thanks!", "ok sounds good") says nothing worth quoting.
    A speaker is named as the agenda names them ("Minh: I ...", not the family name "Đặng").
    """
    from agent.offline.segments import split_notes

    out: list[str] = []
    for sentence in split_notes(notes)[1]:
        text = " ".join(sentence.text.split())
        if len(text.split()) < 4:
            continue
        text = text[0].upper() + text[1:]
        text += "" if text[-1] in ".!?…" else "."
        speaker = sentence.segment.speaker
        if speaker and re.search(r"\b(?:I|I'\w+|my|me)\b", text):  # "I" of a chat turn: whose?
            text = f"{_speaker(speaker, ctx)}: {text}"
        out.append(text)
    return out


def _speaker(speaker: str, ctx: AgendaContext) -> str:
    """How the agenda names a chat speaker: as the pair's short name when it is one of them."""
    mentor, mentee = short_names(ctx)
    if names_person(speaker, ctx.mentor, ctx.mentor_short):
        return mentor
    return mentee if names_person(speaker, ctx.mentee, ctx.mentee_short) else short_name(speaker)


def _clip(text: str, limit: int = MAX_QUOTE) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:-")
    return cut + "…"


def _quotable(sentence: str) -> str | None:
    """The sentence, clipped, if it is fit to quote in an agenda, else None.

    Left out: anything the judgemental-language detector flags, and what the learned model
    reads as self-blame ("sorry, I missed it again"): an agenda shouldn't put an apology on
    the table.
    """
    text = _clip(_CONNECTIVE.sub("", sentence.strip()))
    if not text:
        return None
    text = text[0].upper() + text[1:]
    if detect_markers(sentence) or detect_markers(text) or _kind(text) == "self-blame":
        return None
    return text


def _stem(word: str) -> str:
    for suffix in ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ed", "es", "s"):
        keep = 3 if suffix == "s" else 4
        if word.endswith(suffix) and len(word) - len(suffix) >= keep:
            word = word[: -len(suffix)]
            break
    return word[:6]


def _content(text: str) -> set[str]:
    return {_stem(w) for w in _WORD.findall(normalise(text)) if len(w) >= 3 and w not in _STOP}


def _overlap(a: str, b: str) -> int:
    return len(_content(a) & _content(b))


def main_topic(
    prep: str, goals: Sequence[str] = (), boost: Sequence[re.Pattern[str]] = ()
) -> tuple[str | None, list[str]]:
    """The prep sentence that carries the session's challenge, and the other quotable ones.

    Scores each quotable sentence: a challenge (the learned model: "how do I", "I'm stuck",
    "I want to talk about"...) counts 2, a question mark 1 more, each word shared with a goal
    1 (up to 3), and a ``boost`` cue (the stage's own, e.g. "outgrown" for graduation) 3; ties
    go to the earlier sentence. A prep where nothing scores sets no topic. A topic leaning on
    the sentence before ("...to review it") is quoted with it, to read on its own.
    """
    quotable = [q for q in (_quotable(s) for s in _sentences(prep)) if q]
    if not quotable:
        return None, []
    quotable_challenge = any(_asks(q) for q in quotable)
    if not quotable_challenge and judged_challenge(prep):
        # The prep's one challenge is worded as a judgement: quoting the small talk next to it
        # instead would set the wrong topic (the caller names the challenge's topic instead).
        return None, quotable
    goal_text = " ".join(goals)

    def score(index: int) -> tuple[int, int]:
        sentence = quotable[index]
        norm = normalise(sentence)
        value = 2 if _kind(sentence) == "challenge" else 0
        value += 1 if sentence.endswith("?") else 0
        value += 3 if any(cue.search(norm) for cue in boost) else 0
        return (value + min(_overlap(sentence, goal_text), 3), -index)

    best = max(range(len(quotable)), key=score)
    if score(best)[0] == 0:  # no challenge, question or goal in it: the prep sets no topic
        return None, quotable
    used = {best}
    topic = quotable[best]
    if best > 0 and _PRONOUN.search(normalise(topic)) and not topic.endswith("…"):
        before = quotable[best - 1]
        if len(before) + len(topic) < MAX_QUOTE + 60 and not before.endswith("?"):
            topic = f"{before} {topic}"
            used.add(best - 1)
    return topic, [q for i, q in enumerate(quotable) if i not in used]


def judged_challenge(prep: str) -> str | None:
    """The topic of a prep challenge that can't be quoted because it is worded as a judgement.

    "My lead says my code reviews are sloppy, how do I get better at them?" is the mentee's real
    concern; the agenda names its topic ("code reviews") without the judging words.
    """
    from agent.offline.phrases import clean_topic, topic_phrases

    for sentence in _sentences(prep):
        if not _asks(sentence):
            continue
        if _quotable(sentence) or _kind(sentence) == "self-blame":
            continue
        for phrase in topic_phrases(sentence):
            phrase = re.sub(r"^(?:your|my|our|the)\s+", "", phrase, flags=re.I)
            if clean_topic(phrase, max_words=4):
                return phrase
    return None


def _split_others(ctx: AgendaContext, others: Sequence[str]) -> tuple[list[str], list[str]]:
    """The other prep sentences: (updates on open items, further challenges or questions)."""
    actions = " ".join(item.action for item in ctx.open_items)
    updates: list[str] = []
    extras: list[str] = []
    for sentence in others:
        # A request for help that names an open item ("need help with the alert section") is
        # a challenge on it, not an update.
        if _asks(sentence):
            extras.append(sentence)
        elif actions and _overlap(sentence, actions) > 0:
            updates.append(sentence)
    return updates, extras


def focus_goal(ctx: AgendaContext, topic: str | None) -> tuple[str | None, bool]:
    """The goal this session works on, and whether it was matched to the prep topic or notes.

    The goal sharing the most words with the prep topic, or clearly closest to it in meaning;
    then the whole prep, the newest note, the open items; with no overlap anywhere, the goals
    take turns by session number. With a topic, only a match to the topic itself counts as
    matched: a goal found through the notes may not be the topic's ("how much detail for the
    alerts section" is about a handover doc, not the notes' "writing in English").
    """
    if not ctx.goals:
        return None, False
    if topic:
        by_meaning = _closest_goal(topic, ctx.goals)
        if by_meaning is not None and not any(_overlap(g, topic) for g in ctx.goals):
            return by_meaning, True
    signals = [
        topic or "",
        ctx.prep,
        ctx.recent_notes[-1] if ctx.recent_notes else "",
        " ".join(item.action for item in ctx.open_items),
    ]
    for signal in signals:
        if not signal.strip():
            continue
        scores = [_overlap(goal, signal) for goal in ctx.goals]
        best = max(scores)
        if best > 0:
            return ctx.goals[scores.index(best)], not topic or signal == topic
    return ctx.goals[(ctx.session_number - 2) % len(ctx.goals)], False


# A topic and a goal sharing no word are linked by meaning only when the MiniLM vectors say so
# clearly: close enough, and well ahead of the next goal.
_GOAL_NEAR = 0.40
_GOAL_AHEAD = 0.10


def _closest_goal(topic: str, goals: Sequence[str]) -> str | None:
    from agent.offline.learned import embed

    vectors = embed([topic, *goals])
    sims = sorted(((float(vectors[0] @ v), n) for n, v in enumerate(vectors[1:])), reverse=True)
    runner_up = sims[1][0] if len(sims) > 1 else 0.0
    if sims[0][0] >= _GOAL_NEAR and sims[0][0] - runner_up >= _GOAL_AHEAD:
        return goals[sims[0][1]]
    return None


def _cue_sentences(texts: Sequence[str], cues: Sequence[re.Pattern[str]]) -> list[str]:
    found: list[str] = []
    for text in texts:
        for sentence in _sentences(text):
            if any(c.search(normalise(sentence)) for c in cues):
                q = _quotable(sentence)
                if q and q not in found:
                    found.append(q)
    return found


def _bearing(ctx: AgendaContext, note: str) -> list[str]:
    """The note's quotable sentences that bear on the pair's goals, open items or prep.

    Notes also hold asides ("his manager is going through a divorce") that an agenda pasted
    into a shared doc must not repeat: only what shares a word with the pair's own matter
    is quoted.
    """
    about = " ".join([*ctx.goals, *(i.action for i in ctx.open_items), ctx.prep])
    return [
        q
        for q in (_quotable(s) for s in _note_sentences(note, ctx))
        if q and _overlap(q, about) > 0
    ]


def agenda_notes(ctx: AgendaContext) -> list[str]:
    """The recent notes as an agenda may use them, oldest first (the llm engine's input).

    Of each note, only what this engine could quote: the sentences bearing on the pair's
    goals, items or prep, and those that say the work stalled, the sessions went flat or
    the programme is ending. A note with none of these is left out.
    """
    cues = (*STALL_CUES, *STALE_CUES, *GRADUATION_CUES)
    kept: list[str] = []
    for note in ctx.recent_notes:
        sentences = [*_bearing(ctx, note), *_cue_sentences([note], cues)]
        text = " ".join(dict.fromkeys(sentences))
        if text:
            kept.append(text)
    return kept


class _Draft:
    """The blocks being filled, addressable by name."""

    def __init__(self, blocks: list[AgendaBlock]) -> None:
        self.blocks = blocks
        self.by_name = {b.name: b for b in blocks}

    def minutes(self, name: str) -> int:
        return self.by_name[name].minutes if name in self.by_name else 0

    def append(self, name: str, *items: str) -> None:
        self.insert(name, len(self.by_name[name].items), *items)

    def insert(self, name: str, index: int, *items: str) -> None:
        block = self.by_name[name]
        block.items[index:index] = [i for i in items if i and i not in block.items]


def _progress_items(ctx: AgendaContext, draft: _Draft, updates: Sequence[str]) -> None:
    """The mentee's own updates from the prep, after the open items.

    Never the notes: they may hold a mentor's asides, repeat the open items, or say "by Friday"
    of a day long past.
    """
    mentee = short_names(ctx)[1]
    draft.append(PROGRESS_REVIEW, *(f"Update from {mentee}'s prep: {_q(u)}" for u in updates[:2]))


def _enrich_regular(ctx: AgendaContext, draft: _Draft, notes: list[str]) -> None:
    topic, others = main_topic(ctx.prep, ctx.goals)
    updates, extras = _split_others(ctx, others)
    goal, matched = focus_goal(ctx, topic)
    mentor, mentee = short_names(ctx)
    judged = None if topic else judged_challenge(ctx.prep)
    if topic or judged:
        draft.append(
            CHECK_IN,
            f"Confirm the focus {mentee} proposed in the prep, or swap it if something more "
            "pressing came up.",
        )
    elif goal:
        draft.append(CHECK_IN, f"Agree today's focus: the most pressing challenge on {_q(goal)}.")
    _progress_items(ctx, draft, updates)
    if ctx.open_items:
        draft.append(
            PROGRESS_REVIEW,
            "For each item: done, in progress or blocked? What helped, and what got in the way?",
        )

    lead: list[str] = []
    if topic:
        lead.append(f"Topic, from {mentee}'s prep: {_q(topic)}")
        if goal and matched:
            lead.append(f"Why it matters: it moves the goal {_q(goal)}.")
        elif len(ctx.goals) == 1:
            lead.append(f"Link it to the goal: does it move {_q(ctx.goals[0])}, or is it new?")
        elif ctx.goals:
            lead.append(
                "Link it to a goal: which of "
                + ", ".join(_q(g) for g in ctx.goals[:4])
                + " does it move?"
            )
        room = 2 if draft.minutes(DEEP_DIVE) >= 25 else 1
        for extra in extras[:room]:
            lead.append(f"If time allows, {mentee} also asks {mentor}: {_q(extra)}")
    elif judged:
        lead.append(
            f"Topic, from {mentee}'s prep: a challenge with {judged} (not quoted: the prep puts "
            f"it in critical words). Start by asking {mentee} to describe the situation."
        )
    elif said := [o for o in others if o not in updates]:
        # A concern stated without a question ("the time zone is hard for us") is still the
        # mentee's prep: it is quoted, never reported as missing.
        on_goal = f" on {_q(goal)}" if goal else ""
        text = _clip(" ".join(said[:2]))
        stop = "" if text[-1] in ".!?…" else "."
        lead.append(
            f"From {mentee}'s prep: {_q(text)}{stop} Start by picking one concrete "
            f"challenge{on_goal} to work through."
        )
        notes.append(f"{mentee}'s prep names no question: the deep dive starts from what it says.")
    elif goal and not ctx.prep.strip():
        lead.append(
            f"No prep shared yet: {mentee} picks one concrete challenge on {_q(goal)} to work "
            "through."
        )
        notes.append(f"No prep from {mentee}: the deep dive is set on the goal {goal!r}.")
    elif ctx.prep.strip():
        lead.append(
            f"{mentee}'s prep didn't name a challenge: start by picking the one that matters "
            "most this week."
        )
        notes.append(
            f"{mentee}'s prep had no quotable challenge: the deep dive starts by choosing one."
        )
    else:
        lead.append(
            f"No prep or goals yet: {mentee} picks the one challenge that matters most this week."
        )
        notes.append(f"No prep or goals for {mentee}: the deep dive starts by choosing a topic.")
    draft.insert(DEEP_DIVE, 0, *lead)

    target = f"towards {_q(goal)}" if goal and (matched or not topic) else "on today's topic"
    draft.by_name[ACTION_PLANNING].items[0] = (
        f"Next steps {target}: who does what by when, and how you'll know it worked."
    )
    if ctx.open_items:
        draft.append(
            ACTION_PLANNING,
            "For each open item: close it, carry it forward with a new date, or drop it.",
        )


def _enrich_stalled(ctx: AgendaContext, draft: _Draft, reason: str) -> None:
    topic, others = main_topic(ctx.prep, ctx.goals)
    updates, _ = _split_others(ctx, others)
    goal, _matched = focus_goal(ctx, topic)
    mentee = short_names(ctx)[1]
    draft.append(
        CHECK_IN,
        "Name it kindly: progress has been slow lately, and today is about understanding why, "
        "not about pushing harder.",
    )
    _progress_items(ctx, draft, updates)
    flags = ctx.progress_flags
    if len(flags) >= 3 and not any(flags[-3:]):
        draft.insert(PROGRESS_REVIEW, 1, f"Where things stand: {reason}.")

    lead: list[str] = []
    if goal:
        lead.append(f"The goal in question: {_q(goal)}.")
    if topic:
        lead.append(f"{mentee}'s prep: {_q(topic)}")
    draft.insert(UNSTUCK_DIAGNOSIS, 0, *lead)
    draft.append(
        UNSTUCK_DIAGNOSIS,
        "Pick the cause that fits best, together: what looks like procrastinating is often "
        "confusion or fear in disguise.",
    )
    if ctx.open_items:
        draft.append(
            ACTION_PLANNING,
            "For each open item: keep it, shrink it to a smaller first step, or drop it.",
        )


def _enrich_first(ctx: AgendaContext, draft: _Draft, notes: list[str]) -> None:
    mentee, goals = short_names(ctx)[1], ctx.goals
    if draft.minutes(CHECK_IN) >= 5:
        draft.append(
            CHECK_IN,
            "Where would we find each of you when you're not working? Answer the questions "
            "yourselves too: it's a conversation, not an interview.",
        )
    topic, others = main_topic(ctx.prep, goals)
    if topic:
        draft.append(GETTING_REAL, f"From {mentee}'s prep: {_q(topic)}")
        # A second concern in the prep ("also my English in docs is slow") is part of the
        # struggles this block is for.
        goal_text = " ".join(goals)
        extras = [o for o in others if _asks(o) or _overlap(o, goal_text)]
        draft.append(GETTING_REAL, *(f"Also from {mentee}'s prep: {_q(o)}" for o in extras[:1]))
    if goals:
        listed = "; ".join(_q(g) for g in goals)
        draft.insert(
            LETS_GET_CLEAR,
            1,
            f"Start purpose & scope from the goals {mentee} brought: {listed}. Make each one "
            "measurable.",
        )
        draft.by_name[ACTION_PLANNING].items[0] = (
            f"Choose the first goal to work on ({listed}) and what success would look like."
        )
    else:
        notes.append(f"No goals yet for {mentee}: the Let's Get Clear conversation sets them.")
    if draft.minutes(LEARNING_STYLE) >= 5:
        draft.append(
            LEARNING_STYLE,
            f"Agree one format to try next session that suits how {mentee} learns (a written "
            "recap, a whiteboard sketch, pairing on real code).",
        )
    if ctx.minutes < 45:
        notes.append(
            f"{ctx.minutes} minutes is short for a first session: keep the questions light and "
            "finish the Let's Get Clear checklist next time."
        )


def _enrich_stale(ctx: AgendaContext, draft: _Draft, notes: list[str]) -> None:
    mentor, mentee = short_names(ctx)
    draft.append(
        CHECK_IN,
        "Name it lightly: sessions have felt routine lately, which is common around the middle "
        "of a programme and doesn't mean the goals are off track.",
    )
    draft.append(
        RECONNECT,
        f"{mentor} and {mentee} each suggest one option; go with whichever sounds more fun.",
    )
    draft.append(RESET_THE_FORMAT, "Turn the answers into one change to try in the next session.")
    draft.append(
        LIGHT_ACTION_PLANNING, "Next session goes back to the goals, in the refreshed format."
    )
    if _cue_sentences([ctx.prep, *ctx.recent_notes], STALE_CUES):
        notes.append(
            "The prep or notes describe the sessions as routine: goal talk is paused today."
        )


def _enrich_graduation(ctx: AgendaContext, draft: _Draft) -> None:
    mentee = short_names(ctx)[1]
    topic, others = main_topic(ctx.prep, ctx.goals, boost=(*GRADUATION_CUES, _AFTERWARDS))
    updates, _ = _split_others(ctx, others)
    _progress_items(ctx, draft, updates)
    per_goal = [f"Goal {_q(g)}: met, partly met, or still open?" for g in ctx.goals[:5]]
    draft.insert(GRADUATION_ASSESSMENT, 1, *per_goal)
    chapter = draft.by_name[NEXT_CHAPTER].items
    celebrate = next(i for i, item in enumerate(chapter) if item.startswith("Celebrate"))
    draft.insert(
        NEXT_CHAPTER,
        celebrate,
        f"Look back at where {mentee} started in session 1 and what has changed since.",
    )
    if topic:
        where = NEXT_CHAPTER if _AFTERWARDS.search(normalise(topic)) else GRADUATION_ASSESSMENT
        draft.append(where, f"From {mentee}'s prep: {_q(topic)}")


@cache
def _sources() -> dict[str, list[list[str | None]]]:
    """Per block (and per "stage|block" override) the guide passages it cites, best first."""
    raw = json.loads((data_dir() / "agenda_sources.json").read_text(encoding="utf-8"))
    return {**raw["blocks"], **raw["stages"]}


def _cite(stage: Stage, name: str, passages: Sequence[Passage]) -> list[Citation]:
    """Up to two passages of the guides the block follows, best retrieved first.

    First the passages whose section matches; failing those, any passage of a preferred guide.
    """
    ranked = sorted(passages, key=lambda p: (-p.score, p.id))
    prefs = _sources().get(f"{stage}|{name}", _sources().get(name, []))
    for strict in (True, False):
        chosen: list[Passage] = []
        for doc_id, section in prefs:
            chosen += [
                p
                for p in ranked
                if p.doc_id == doc_id
                and p.id not in {c.id for c in chosen}
                and (not strict or (section or "\0") in p.section.casefold())
            ][:1]
        if chosen:
            return [Citation.of(p) for p in chosen[:2]]
    return []


OWN_GUIDE_AT = 0.9  # relevance: first, or nearly, for a query and clearly on its subject


def _own_guide_passage(
    ctx: AgendaContext, stage: Stage, passages: Sequence[Passage]
) -> Passage | None:
    """The best passage of a guide the user ingested, when it is about the mentee's prep.

    The blocks cite the shipped guides whose frameworks they follow; a guide of the user's own
    is cited once, where the prep's topic is worked on, if retrieval ranked it at the top.
    """
    if stage not in ("regular", "stalled") or not ctx.prep.strip():
        return None
    from knowledge.store import shipped_guides

    shipped = {path.stem for path in shipped_guides()}
    own = [p for p in passages if p.doc_id not in shipped and p.score >= OWN_GUIDE_AT]
    return max(own, key=lambda p: (p.score, p.id), default=None)


def draft_agenda_offline(ctx: AgendaContext, passages: Sequence[Passage]) -> Agenda:
    """A full agenda for ``ctx``: the scaffold filled with the pair's specifics, cited.

    Citations come only from ``passages`` (what retrieval returned); a block with no fitting
    passage has none. The result passes :func:`agent.agenda.agenda_failures`.
    """
    decision = explain_stage(ctx)
    stage = decision.stage
    draft = _Draft(build_scaffold(ctx, stage))
    notes = [f"Why {STAGE_NAMES[stage]}: {decision.reason}."]
    if stage == "regular":
        _enrich_regular(ctx, draft, notes)
        if ctx.formulaic:
            notes.append(
                "Sessions were flagged as formulaic but this isn't the mid-programme window: "
                "try a different format next time, or the stale-patch reset if it persists."
            )
    elif stage == "stalled":
        _enrich_stalled(ctx, draft, decision.reason)
    elif stage == "first-session":
        _enrich_first(ctx, draft, notes)
    elif stage == "stale-patch":
        _enrich_stale(ctx, draft, notes)
    else:
        _enrich_graduation(ctx, draft)

    overall: dict[str, Citation] = {}
    for block in draft.blocks:
        block.citations = _cite(stage, block.name, passages)
        for citation in block.citations:
            overall.setdefault(citation.id, citation)
    own = _own_guide_passage(ctx, stage, passages)
    where = DEEP_DIVE if stage == "regular" else UNSTUCK_DIAGNOSIS
    if own is not None and where in draft.by_name:
        # The programme's own guide on the mentee's topic: what a lead ingests it for.
        draft.by_name[where].citations.append(Citation.of(own))
        overall.setdefault(own.id, Citation.of(own))
    if not passages:
        notes.append("No guide passages were retrieved, so the agenda cites none.")

    return Agenda(
        stage=stage,
        minutes=ctx.minutes,
        blocks=draft.blocks,
        prep_checklist=prep_checklist(ctx, stage),
        citations=list(overall.values()),
        engine="offline",
        notes=notes,
    )
