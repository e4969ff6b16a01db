"""The offline engine's language: verb morphology, the curious-question bank and how it is chosen.

Questions come from *families* that mirror the guide's ideas (curiosity over disapproval,
reciprocal curiosity, shared ownership, checking the plan, a bias for action...). Each family
holds several phrasings; a phrasing declares the topic slots it needs and the topic categories
it reads naturally for, so "Was {act} the right size for this week?" is never offered about
arriving on time. Choices are made with a stable hash of the input, so the same input always
gets the same questions and different inputs get different sets.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeVar

from agent.models import CuriousQuestion
from agent.offline.judgement import detect_markers
from knowledge.models import Passage

T = TypeVar("T")

Polarity = Literal["missed", "event"]
Category = Literal[
    "attendance",
    "communication",
    "quality",
    "habit",
    "learning",
    "preparation",
    "deadline",
    "general",
]
TASK_CATEGORIES: frozenset[str] = frozenset({"deadline", "learning", "preparation", "general"})

# --------------------------------------------------------------------------------------------
# Deterministic choice
# --------------------------------------------------------------------------------------------


def stable_int(*parts: str) -> int:
    """A process-independent integer from ``parts`` (``hash()`` is salted per process)."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


def pick(options: Sequence[T], *key: str) -> T:
    """One of ``options``, chosen by a stable hash of ``key``."""
    return options[stable_int(*key) % len(options)]


def ordered(options: Iterable[T], *key: str) -> list[T]:
    """``options`` in a stable pseudo-random order keyed by ``key``."""
    items = list(options)
    return sorted(items, key=lambda item: stable_int(*key, repr(item)))


# --------------------------------------------------------------------------------------------
# Verb morphology (enough English for mentoring and software work; rules for the rest)
# --------------------------------------------------------------------------------------------


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text`` (word lists kept compact in the source)."""
    return frozenset(text.split())


def _pairs(text: str) -> dict[str, str]:
    """``"a:b c:d"`` -> ``{"a": "b", "c": "d"}``."""
    return dict(pair.split(":", 1) for pair in text.split())


KNOWN_VERBS: frozenset[str] = word_set(
    """
    accept add address adjust agree analyse analyze announce answer apply approve archive
    arrive ask assign attend automate avoid book break bring build bump call cancel catch
    change chase chat check choose clarify clean clear close code collect come comment
    commit communicate compare compile complete configure confirm connect consider contact
    continue contribute copy cover create debug decide define delete deliver demo deploy
    describe design develop document do draft draw drop edit email estimate explain explore
    feel figure file fill find finish fix flag focus follow forget format get give go grab
    handle help highlight hold identify implement improve include install integrate
    introduce investigate join keep kick know land launch lead learn leave let list listen
    log look make manage map mark measure meet mention merge migrate miss model move name
    note notify offer open organise organize outline own pair pass pay pick ping plan play
    post practise practice prepare present prioritise prioritize profile propose prototype
    publish pull push put raise reach read rebase record reduce refactor reflect release
    remember remind remove rename reply report request research reserve reset resolve
    respond rest restart return review revise rewrite run save schedule scope search see
    send set settle share ship show sign sit skip sketch slow solve sort speak spend split
    start stay step stop structure study submit suggest summarise summarize support switch
    sync take talk teach tell test think tidy track train translate try turn type understand
    update upgrade upload use validate verify visit wait walk want warn watch work wrap
    write become grow gain master transition earn mentor
    """
)

_IRREGULAR_PAST: dict[str, str] = _pairs(
    """
    was:be were:be been:be had:have did:do done:do made:make went:go gone:go got:get
    gotten:get took:take taken:take gave:give given:give began:begin begun:begin broke:break
    broken:break forgot:forget forgotten:forget left:leave brought:bring thought:think
    told:tell said:say saw:see seen:see came:come ran:run kept:keep found:find built:build
    rebuilt:rebuild spent:spend met:meet understood:understand chose:choose chosen:choose
    drew:draw drawn:draw knew:know known:know wrote:write written:write rewrote:rewrite
    rewritten:rewrite sent:send spoke:speak spoken:speak felt:feel heard:hear held:hold
    led:lead lost:lose paid:pay sat:sit shown:show stood:stand taught:teach threw:throw
    thrown:throw won:win slept:sleep overslept:oversleep fell:fall fallen:fall dealt:deal
    bought:buy caught:catch sought:seek sold:sell hid:hide hidden:hide became:become
    stuck:stick woke:wake woken:wake drove:drive driven:drive meant:mean learnt:learn
    lent:lend wore:wear worn:wear tore:tear torn:tear shook:shake froze:freeze frozen:freeze
    overcame:overcome undertook:undertake mistook:mistake forgave:forgive withdrew:withdraw
    ate:eat eaten:eat rode:ride rose:rise risen:rise sang:sing sung:sing hung:hang
    swore:swear struck:strike flew:fly flown:fly
    """
)
_IRREGULAR_PRESENT: dict[str, str] = _pairs(
    """
    has:have does:do goes:go is:be are:be am:be 're:be
    """
)
_SAME_FORMS = word_set(
    """
    set put let cut hit shut quit spread split cast read upset reset bet cost hurt
    """
)
# Multi-syllable verbs that double their last consonant (commit -> committing).
_DOUBLING = word_set(
    """
    commit submit admit omit permit begin forget regret upset refer prefer occur control
    patrol compel rebut debug unplug rerun reset offset equip quiz quit format overlap
    transfer recur incur embed refit input output babysit overrun unwrap unzip program
    """
)
_CVC = re.compile(r"^[^aeiou]*[aeiou][^aeiouwxy]$")
_E_ENDINGS = re.compile(
    r"(?:[^aeiou]at|iz|yz|ys|[^aeiou]us|v|[^aeiou]c|[^aeiou]ur|[^aeiou]ir|[bpdtkgzf]l|rg|dg"
    r"|[^o]ng|[^aeiou]id|[^aeiou]in|[^aeiou]ot|[^aeiou]os|[^aeiou]ok|[^aeiou]ib|[^aeiou]ar"
    r"|[^aeiou]am|[^aeiou]ut|uc|[^aeiou]ag)$"
)


def gerund(base: str) -> str:
    """The -ing form of a base verb: write -> writing, commit -> committing, tie -> tying."""
    verb = base.lower()
    if verb in {"be", "see", "flee", "agree", "free", "guarantee"}:
        return base + "ing"
    if verb.endswith("ie"):
        return base[:-2] + "ying"
    if verb.endswith(("ee", "ye", "oe")):
        return base + "ing"
    if verb.endswith("e") and len(verb) > 2:
        return base[:-1] + "ing"
    if verb in _DOUBLING or (_CVC.match(verb) and len(verb) <= 4):
        return base + base[-1] + "ing"
    return base + "ing"


def _with_e(stem: str) -> str:
    if stem + "e" in KNOWN_VERBS:
        return stem + "e"
    if stem in KNOWN_VERBS:
        return stem
    return stem + "e" if _E_ENDINGS.search(stem) else stem


def _strip_doubled(stem: str) -> str | None:
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsfz":
        return stem[:-1]
    return None


def to_base(word: str) -> str:
    """The base form of a verb in any common inflection: pushed -> push, writing -> write."""
    w = word.lower()
    if w in KNOWN_VERBS or w in _SAME_FORMS:
        return w
    if w in _IRREGULAR_PAST:
        return _IRREGULAR_PAST[w]
    if w in _IRREGULAR_PRESENT:
        return _IRREGULAR_PRESENT[w]
    if w.endswith("ied") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("ying") and len(w) > 5:
        return w[:-4] + ("ie" if w[:-4] in {"t", "d", "l"} else "y")
    for suffix in ("ed", "ing"):
        if w.endswith(suffix) and len(w) > len(suffix) + 2:
            stem = w[: -len(suffix)]
            if stem in KNOWN_VERBS:
                return stem
            if stem + "e" in KNOWN_VERBS:
                return stem + "e"
            undoubled = _strip_doubled(stem)
            if undoubled is not None and (undoubled in KNOWN_VERBS or undoubled in _DOUBLING):
                return undoubled
            if undoubled is not None and stem[-1] not in "lsfz":
                return undoubled
            return _with_e(stem)
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "sses", "xes", "zes")) and len(w) > 4:
        return w[:-2]
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3 and w[:-1] in KNOWN_VERBS:
        return w[:-1]
    return w


def is_verb_form(word: str) -> bool:
    """Whether ``word`` looks like a verb we can inflect (known, or a regular -ed/-ing form)."""
    w = word.lower()
    return (
        w in KNOWN_VERBS
        or w in _SAME_FORMS
        or w in _IRREGULAR_PAST
        or w in _IRREGULAR_PRESENT
        or to_base(w) in KNOWN_VERBS
        or (w.endswith("ed") and len(w) > 4)
    )


def capitalise(text: str) -> str:
    """The text with its first letter upper-cased (the rest untouched: "PR" stays "PR")."""
    return text[:1].upper() + text[1:]


# --------------------------------------------------------------------------------------------
# Topics
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Topic:
    """What a question is about, in the forms the question bank needs.

    ``act`` reads as a noun phrase ("finishing the chapter"); ``base`` is the infinitive
    ("finish the chapter") when the topic came from a verb; ``obj`` is its object ("the
    chapter") when there is a concrete one.
    """

    act: str
    base: str | None = None
    obj: str | None = None
    category: Category = "general"
    polarity: Polarity = "missed"
    habit: bool = False
    found: bool = True

    def slots(self) -> frozenset[str]:
        """The slot names this topic can fill."""
        names = {"act"}
        if self.base:
            names.add("base")
        if self.obj:
            names.add("obj")
        if not self.found:
            names.add("fallback")
        return frozenset(names)


FALLBACK_TASK = Topic(
    act="the task we agreed on",
    base="make progress on the task we agreed on",
    obj="the task we agreed on",
    found=False,
)
FALLBACK_EVENT = Topic(act="that decision", polarity="event", found=False)

_ATTENDANCE_ACT = re.compile(
    r"^(?:arriving|making it to|getting to (?:our|the) |showing up|turning up|joining us|attending"
    r"|staying focused during)|\b(?:late|on time|punctual|no-?show)\b"
)
_ATTENDANCE_TEXT = re.compile(
    r"\b(?:late|on time|punctual|show(?:ed|ing|s)? up|turn(?:ed|ing|s)? up|join(?:ed|ing)? us"
    r"|no-?show|missed (?:our|the) (?:session|meeting|call))\b"
)
_CATEGORY_RULES: tuple[tuple[Category, re.Pattern[str]], ...] = (
    (
        "habit",
        re.compile(
            r"\b(?:debug\w*|troubleshoot\w*|figur\w* (?:it|things|this) out|investigat\w*"
            r"|ask\w* (?:for help|questions)|speak\w* up|estimat\w*|prioriti[sz]\w*|focus\w*"
            r"|listen\w*|tak\w* notes|staying|keeping momentum|getting started)\b"
        ),
    ),
    (
        "communication",
        re.compile(
            r"\b(?:repl\w*|respond\w*|answer\w*|(?<!commit )messag\w*|e-?mails?|emailing|slack"
            r"|ping\w*|updat\w*|tickets?|status|let(?:ting)? me know|tell(?:ing)? me|keep(?:ing)? "
            r"me|inform\w*|get(?:ting)? back to|in the loop|in touch|heads-up|jira)\b"
        ),
    ),
    (
        "quality",
        re.compile(
            r"\b(?:test\w*|lint\w*|bugs?|builds?|ci|pipeline|code review|typos?|quality|merg\w*"
            r"|commit messages?|style guide|conventions|code style"
            r"|main|master|deploy\w*|production|prod|refactor\w*|self-review|double-check\w*)\b"
        ),
    ),
    (
        "learning",
        re.compile(
            r"\b(?:read\w*|chapters?|(?:the|a|this|that) book|course|tutorials?|docs|documentation"
            r"|rfcs?|learn\w*"
            r"|stud\w*|practi[cs]\w*|exercises?|katas?|articles?|videos?|research\w*|going through"
            r"|understand\w*|homework|assignments?|lessons?|modules?|podcast)\b"
        ),
    ),
    (
        "preparation",
        re.compile(r"\b(?:prep\w*|agenda|slides|questions for|talking points)\b"),
    ),
    (
        "deadline",
        re.compile(
            r"\b(?:finish\w*|complet\w*|deadlines?|deliver\w*|ship\w*|submit\w*|done|push\w*"
            r"|send\w*|tasks?|prs?|pull requests?|design doc|draft\w*|proposal|writ\w*)\b"
        ),
    ),
)


def categorise(act: str, text: str = "") -> Category:
    """The topic category: rules over the topic phrase first, then over the whole input."""
    low = act.lower()
    if _ATTENDANCE_ACT.search(low):
        return "attendance"
    for category, pattern in _CATEGORY_RULES:
        if pattern.search(low):
            return category
    whole = text.lower()
    if whole and _ATTENDANCE_TEXT.search(whole):
        return "attendance"
    for category, pattern in _CATEGORY_RULES:
        if whole and pattern.search(whole):
            return category
    return "general"


# --------------------------------------------------------------------------------------------
# The question bank
# --------------------------------------------------------------------------------------------

Family = Literal[
    "checkin",
    "experience",
    "obstacle",
    "pattern",
    "clarity",
    "support",
    "planning",
    "learning",
    "meaning",
    "forward",
    "story",
    "context",
    "view",
    "outcome",
    "team",
    "next",
]


@dataclass(frozen=True)
class Template:
    """One phrasing of a family: slots it needs, categories and polarity it reads well for."""

    text: str
    needs: frozenset[str] = frozenset({"act"})
    cats: frozenset[str] = frozenset()  # empty: every category; "task" expands to TASK_CATEGORIES
    polarity: Polarity = "missed"
    habit: bool | None = None  # event phrasings: None fits both decisions and habits
    match: str = ""  # the topic phrase must match this regex
    unless: str = ""  # ... and must not match this one
    why: str = ""  # a rationale specific to this phrasing (else the family's)
    said: str = ""  # the (normalised) input must match this regex

    def fits(self, topic: Topic, said: str = "") -> bool:
        """Whether this phrasing reads naturally for ``topic`` (asked in reply to ``said``)."""
        if self.polarity != topic.polarity or not self.needs <= topic.slots():
            return False
        if self.said and not re.search(self.said, said):
            return False
        act = topic.act.lower()
        if (self.match and not re.search(self.match, act)) or (
            self.unless and re.search(self.unless, act)
        ):
            return False
        if "fallback" not in self.needs and not topic.found and "act" in self.needs:
            # A vague fallback topic only goes into phrasings that still read well with it.
            return "vague-ok" in self.cats
        if self.habit is not None and self.habit != topic.habit:
            return False
        cats = set(self.cats) - {"vague-ok"}
        if "task" in cats:
            cats |= TASK_CATEGORIES
        return not cats or topic.category in cats

    def render(self, topic: Topic) -> str:
        """The question with the topic's slots filled in."""
        return self.text.format(
            act=topic.act,
            Act=capitalise(topic.act),
            base=topic.base or "",
            obj=topic.obj or "",
            Obj=capitalise(topic.obj or ""),
        )


def _t(
    text: str,
    needs: str = "act",
    cats: str = "",
    polarity: Polarity = "missed",
    habit: bool | None = None,
    match: str = "",
    unless: str = "",
    why: str = "",
    said: str = "",
) -> Template:
    return Template(
        text,
        frozenset(needs.split()) if needs else frozenset(),
        frozenset(cats.split()),
        polarity,
        habit,
        match,
        unless,
        why,
        said,
    )


_LATE = r"\bon time\b"
_ABSENT = r"^(?:making it|showing up to|turning up to|joining|attending)(?!.*\bon time\b)"
_SAID_LATE = r"\blate\b"
# Not begun yet: "Which part has felt hardest so far?" would not make sense.
_UNSTARTED = r"^(?:starting|beginning|getting started|kicking off)"
_SAID_GLAD = r"\bglad\b"
# Quick, single-step tasks: "smaller pieces" or "the right size" would sound patronising.
_SMALL = (
    r"^(?:booking|sending|pushing|replying|emailing|scheduling|sharing|posting|filing|updating"
    r"|messaging|calling|pinging|submitting|moving|merging|uploading|telling|letting|asking"
    r"|inviting|forwarding|signing|making room|preparing (?:an|the) agenda|opening)"
)
_CHANNEL = r"repl|respond|messag|in touch|in the loop|let(?:ting)? me know|getting back|answer"
_NAMED_CHANNEL = r"slack|e-?mail|teams|discord|whatsapp|chat"

BANK: dict[Family, tuple[Template, ...]] = {
    "checkin": (
        _t(
            "I'm glad you're here. How has your day been so far?",
            needs="",
            cats="attendance",
            said=_SAID_GLAD,
            why="Curiosity over disapproval: turns the sarcasm into a genuine welcome and asks how "
            "they are.",
        ),
        _t("Is everything okay? How has your week been?", needs=""),
        _t("How's your week been going? Is everything okay on your side?", needs=""),
        _t(
            "Before we get into {act}, how are you doing? Is everything okay?",
            cats="task communication quality habit vague-ok",
        ),
        _t("How are things going for you at the moment, at work and outside it?", needs=""),
        _t(
            "How has this week been for you overall? Is anything taking up more energy than usual?",
            needs="",
        ),
        _t("Is everything okay? How's the rest of your day looking?", needs="", cats="attendance"),
        _t(
            "How are you doing? Is everything okay with how your weeks have been going lately?",
            needs="",
            cats="attendance habit",
        ),
    ),
    "experience": (
        _t(
            "How has {act} been going for you?",
            cats="task communication quality habit",
            unless=_SMALL + "|" + _UNSTARTED,
        ),
        _t(
            "How did {obj} feel when you sat down with it?",
            needs="obj",
            cats="learning",
            unless=r"^(?:booking|sending|pushing)",
        ),
        _t(
            "What's {act} been like from your side?",
            cats="task communication quality habit vague-ok",
            unless=_SMALL + "|" + _UNSTARTED,
        ),
        _t(
            "How do you feel about where {act} is at right now?",
            cats="deadline learning general vague-ok",
            unless=_SMALL + "|" + _UNSTARTED,
        ),
        _t(
            "Which part of {act} has felt hardest so far?",
            needs="act base",
            cats="deadline learning quality",
            unless=_SMALL + "|" + _UNSTARTED,
        ),
        _t(
            "How are our sessions fitting into your week at the moment?",
            needs="",
            cats="attendance",
        ),
        _t("How does {act} fit into the way you like to work?", cats="communication habit"),
        _t(
            "How do you feel about {act} in general? Does it seem worth the effort to you?",
            cats="quality",
        ),
    ),
    "obstacle": (
        _t(
            "When you're running late, what's usually going on just before?",
            needs="",
            cats="attendance",
            said=_SAID_LATE,
        ),
        _t(
            "What tends to be happening for you just before a session?",
            needs="",
            cats="attendance",
        ),
        _t("What got in the way of {act}?", cats="task communication quality vague-ok"),
        _t(
            "What do you feel prevented you from getting around to {act}?",
            cats="task communication vague-ok",
            unless=r"^(?:meeting|keeping|staying)",
            why="Curiosity over disapproval: the guide's own \"What do you feel prevented you from "
            'getting around to this task?", aimed at obstacles, not fault.',
        ),
        _t("What came up this week that made {act} harder than expected?", cats="task vague-ok"),
        _t(
            "Where did {act} get stuck?",
            needs="act base",
            cats="deadline learning general",
            unless=_UNSTARTED,
        ),
        _t("What made {act} tricky to fit in this week?", cats="task"),
        _t(
            "What tends to be happening for you just before our sessions?",
            needs="",
            cats="attendance",
            match=_LATE,
        ),
        _t(
            "What's been making it hard to {base} lately?",
            needs="base",
            cats="attendance communication habit",
        ),
        _t("What makes {act} easy to skip when you're under time pressure?", cats="quality"),
        _t(
            "What makes {act} easy to lose track of between sessions?",
            cats="communication",
            unless=_CHANNEL,
        ),
        _t("What makes {act} hard in the moment?", cats="habit communication"),
        _t("What tends to get in the way of {act}?", cats="habit quality communication"),
    ),
    "pattern": (
        _t(
            "{Act} seems to keep sliding down the list. What do you think is pushing it there?",
            cats="deadline learning preparation general vague-ok",
        ),
        _t(
            "I've noticed {act} has been hard to get to for a while. How does that look from your "
            "side?",
            cats="task communication vague-ok",
            unless=r"^(?:keeping|staying|meeting)",
            why="Curiosity over disapproval: states what you've noticed without blame and asks for "
            "their side of it.",
        ),
        _t(
            "I've noticed {act} has been harder lately. How does that look from your side?",
            cats="quality habit",
            why="Curiosity over disapproval: states what you've noticed without blame and asks for "
            "their side of it.",
        ),
        _t(
            "What's different about the times when {act} does happen?",
            needs="act base",
            cats="communication quality habit",
            unless=r"^(?:keeping|staying)",
            why="Curiosity over disapproval: looks at what is different when it works, which "
            "points to a fix instead of a fault.",
        ),
        _t(
            "{Act} seems to have been tricky lately. What's usually going on just before?",
            cats="attendance",
        ),
        _t(
            "When {act} slips, what's usually taking up that time instead?",
            cats="task communication habit quality",
        ),
    ),
    "clarity": (
        _t(
            "How clear was I when we talked about {act}? Is there anything I could explain "
            "differently?",
            cats="vague-ok",
        ),
        _t("What's your understanding of what we agreed about {act}?", cats="vague-ok"),
        _t(
            "When we discussed {act}, did it feel like something you'd agreed to, or more like "
            "something I'd asked for?",
            cats="task communication quality habit vague-ok",
            why="Shared ownership: a goal your partner hasn't bought into rarely happens, so it "
            "asks whose goal this really is.",
        ),
        _t(
            "What does {act} look like from where you're sitting?",
            cats="task communication quality habit",
        ),
    ),
    "support": (
        _t(
            "What would help on the days you're running late: a quick message, a shorter session, "
            "or a different slot?",
            needs="",
            cats="attendance",
            said=_SAID_LATE,
            why="Open communication: agrees together how to handle a late start, so nobody is "
            "left waiting and wondering.",
        ),
        _t(
            "What could I change about how we run each session to make it easier to get to?",
            needs="",
            cats="attendance",
        ),
        _t("What could we change, on my side too, to make {act} easier?", cats="vague-ok"),
        _t(
            "What's one thing I could do differently that would make {act} easier?",
            cats="vague-ok",
        ),
        _t(
            "What would you need from me to make {act} feel more doable?",
            cats="task quality habit vague-ok",
        ),
        _t(
            "What kind of support would help most with {act}: a quick check-in midweek, pairing "
            "on it, or something else?",
            cats="deadline learning quality general",
            unless=_SMALL,
        ),
        _t("How could I make it easier for you to {base}?", needs="base", cats="vague-ok"),
        _t(
            "What could I change about how we run our sessions to make them easier to get to?",
            needs="",
            cats="attendance",
        ),
        _t(
            "Which channel would make {act} easiest for you: Slack, email, or a note in our "
            "shared doc?",
            cats="communication",
            match=_CHANNEL,
            unless=_NAMED_CHANNEL,
        ),
    ),
    "planning": (
        _t(
            "How is our current session time working for you? Could it be part of why you're "
            "running late?",
            needs="",
            cats="attendance",
            said=_SAID_LATE,
        ),
        _t(
            "I'm glad we're meeting. How is our current time working for you, or would another "
            "slot suit you better?",
            needs="",
            cats="attendance",
            said=_SAID_GLAD,
        ),
        _t(
            "Was {act} the right size for this week, or did we overestimate it?",
            cats="deadline learning preparation general vague-ok",
            unless=_SMALL,
            why='Checking the plan: the guide\'s "Have we overestimated something in our agenda?" '
            "makes the plan, not the person, the thing to fix.",
        ),
        _t(
            "How well did {act} fit into the week, or did we plan more than would fit?",
            cats="deadline learning preparation general vague-ok",
            unless=_SMALL,
        ),
        _t(
            "Thinking about your goal, how much sense does {act} still make as the next step?",
            cats="deadline learning general vague-ok",
            unless=_SMALL + r"|^meeting",
        ),
        _t(
            "Looking back, how realistic was {act} alongside everything else on your plate?",
            cats="deadline learning preparation general vague-ok",
        ),
        _t(
            "When we agreed on {act}, how clear was it what 'done' would look like?",
            cats="deadline learning preparation general",
            unless=_UNSTARTED,
        ),
        _t(
            "How is our current session time working for you, or would another slot suit you "
            "better?",
            needs="",
            cats="attendance",
        ),
        _t(
            "Did we ever agree on a rhythm for {act}, or did I just assume one? What would suit "
            "you?",
            cats="communication",
            match=r"^(?:updating|replying|answering|responding|messaging|emailing|checking in"
            r"|sending|keeping each other)",
        ),
        _t(
            "What would make {act} a quick, normal part of your workflow rather than an extra "
            "step?",
            cats="quality",
        ),
        _t(
            "What would a realistic version of {act} look like for you, given everything else "
            "going on?",
            cats="habit",
            match=r"^(?:getting started|keeping|staying|preparing|taking care)",
        ),
    ),
    "learning": (
        _t(
            "What have you tried so far with {obj}?",
            needs="obj",
            cats="deadline learning quality general",
            unless=_SMALL,
            why='Reciprocal curiosity: the guide\'s "What have you tried so far?" lets your '
            "partner show their thinking first.",
        ),
        _t(
            "What would you want to get out of {obj}?",
            needs="obj",
            cats="learning general",
            unless=_SMALL,
            why='Reciprocal curiosity: the guide\'s "What outcome would be ideal for you?" keeps '
            "the goal your partner's own.",
        ),
        _t(
            "What have you learned so far from working on {obj}?",
            needs="obj",
            cats="deadline learning general",
            unless=r"^(?:reading|going through|booking|sending|replying|pushing|starting|opening)",
        ),
        _t(
            "What's your current best guess about what would make {act} easier?",
            cats="task communication quality habit vague-ok",
        ),
        _t(
            "How do you learn best: reading, building something, or talking it through? Would a "
            "different format for {obj} help?",
            needs="obj",
            cats="learning",
            match=r"^(?:reading|going through|studying|watching|learning|finishing|doing)",
        ),
        _t(
            "How does your team usually handle {act}? What have you picked up from them?",
            cats="quality",
        ),
        _t(
            "What have you tried so far to make {act} easier?",
            cats="communication habit",
            why='Reciprocal curiosity: the guide\'s "What have you tried so far?" starts from '
            "their own attempts.",
        ),
    ),
    "meaning": (
        _t(
            "How does {act} connect to what you want out of our mentoring right now?",
            cats="learning",
        ),
        _t(
            "How much do you still want to work on {act}, compared with whatever else has come up?",
            cats="learning quality habit",
            match=r"^(?!making|arriving|showing|turning|joining|staying focused)",
            unless=r"^(?:reading|going through)",
        ),
        _t(
            "How are our sessions feeling for you at the moment? Are they giving you what you "
            "need?",
            needs="",
            cats="attendance",
        ),
        _t(
            "How is our time together feeling for you at the moment? Is each session giving you "
            "what you need?",
            needs="",
            cats="attendance",
        ),
        _t(
            "How much does {act} help you day to day, and where does it feel like overhead?",
            cats="communication quality",
            match=r"^(?:updating|writing|testing|running|logging|documenting|tracking|reviewing|keeping)",
        ),
        _t(
            "What would make our sessions feel worth preparing for?",
            needs="",
            cats="habit",
            match=r"^preparing for our sessions",
        ),
    ),
    "forward": (
        _t(
            "What would make it easier for both of us to start on time, or to give each other a "
            "heads-up when we're running late?",
            needs="",
            cats="attendance",
            said=_SAID_LATE,
        ),
        _t(
            "What would help you {base} before we next meet?",
            needs="base",
            cats="task vague-ok",
            unless=r"\b(?:before|by|until|next)\b|^meeting",
        ),
        _t(
            "What's one small step towards {act} you could take this week?",
            cats="task habit vague-ok",
            unless=_SMALL,
        ),
        _t(
            "What would make {act} doable before our next session?",
            cats="task vague-ok",
            unless=r"\b(?:before|by|until)\b",
        ),
        _t(
            "If we broke {act} into smaller pieces, what would the first one be?",
            cats="deadline learning general",
            unless=_SMALL + r"|^going through the docs",
        ),
        _t(
            "What would a realistic plan for {act} look like between now and our next session?",
            cats="deadline learning general vague-ok",
            unless=_SMALL,
        ),
        _t(
            "What would make it quick and easy to {base} this week?",
            needs="base",
            cats="deadline preparation general communication",
            match=_SMALL,
        ),
        _t(
            "What would help you {base} next time, and is there anything I can do on my side?",
            needs="base",
            cats="attendance",
            match=_LATE,
        ),
        _t(
            "What would make it easier for both of us to start our next session on time?",
            needs="",
            cats="attendance",
            match=_LATE,
        ),
        _t(
            "What would help you protect the time for our sessions over the next few weeks?",
            needs="",
            cats="attendance",
            match=_ABSENT,
        ),
        _t(
            "What's the simplest way you could {base} that would still work for both of us?",
            needs="base",
            cats="communication",
        ),
        _t(
            "What would help you {base} without it feeling like extra work?",
            needs="base",
            cats="quality",
        ),
        _t("What would make {act} a little easier this week?", cats="habit communication"),
        _t(
            "What would you like to try differently with {act} this week?",
            cats="habit",
            unless=r"^(?:making it|arriving)",
        ),
    ),
    # ---- event: a decision or habit to understand, not a task that was missed ----
    "story": (
        _t(
            "I'd like to understand your thinking: how did {act} come about?",
            polarity="event",
            habit=False,
        ),
        _t(
            "What was going on at the time you decided to {base}?",
            needs="base",
            polarity="event",
            habit=False,
        ),
        _t(
            "How did you weigh up {act} against the other options you had?",
            polarity="event",
            habit=False,
        ),
        _t(
            "I've noticed you {base} quite a bit. How does it look from your side?",
            needs="base",
            polarity="event",
            habit=True,
            why="Curiosity over disapproval: an observation without a verdict, then their side "
            "of it.",
        ),
        _t(
            "What's usually going on for you when you {base}?",
            needs="base",
            polarity="event",
            habit=True,
        ),
        _t(
            "I'd like to understand your thinking: how did that come about?",
            needs="fallback",
            polarity="event",
        ),
    ),
    "context": (
        _t(
            "What made {act} feel like the best option at that point?",
            polarity="event",
            habit=False,
        ),
        _t(
            "What pressures were you under at the time, if any?",
            needs="",
            polarity="event",
            habit=False,
        ),
        _t(
            "When you {base}, what are you hoping will happen?",
            needs="base",
            polarity="event",
            habit=True,
            why="Curiosity over disapproval: assumes a good reason behind the habit and asks "
            "for it.",
        ),
        _t(
            "What was making that feel like the best option at the time?",
            needs="fallback",
            polarity="event",
        ),
    ),
    "view": (
        _t("What did you see in {act} that I might be missing?", polarity="event", habit=False),
        _t(
            "What would you want me to understand about {act} that I might not know?",
            polarity="event",
            habit=False,
        ),
        _t(
            "What might I be missing about what's going on when you {base}?",
            needs="base",
            polarity="event",
            habit=True,
        ),
        _t(
            "What might I be missing about how things looked from your side?",
            needs="fallback",
            polarity="event",
        ),
    ),
    "outcome": (
        _t(
            "How did {act} work out, and what would you keep or change next time?",
            polarity="event",
            habit=False,
        ),
        _t(
            "Looking back on {act}, what would you do the same, and what would you do differently?",
            polarity="event",
            habit=False,
        ),
        _t("What have you taken away from {act} so far?", polarity="event", habit=False),
        _t(
            "What effect do you think it has when you {base}?",
            needs="base",
            polarity="event",
            habit=True,
            why="Learning through reflection: lets your partner see the effect for themselves.",
        ),
        _t(
            "Looking back, what would you keep and what would you change about how it went?",
            needs="fallback",
            polarity="event",
        ),
    ),
    "team": (
        _t(
            "What would have made it easier to talk it through with me or the team first?",
            needs="",
            polarity="event",
            habit=False,
        ),
        _t(
            "How could I be more useful to you when a call like {act} comes up?",
            polarity="event",
            habit=False,
        ),
        _t(
            "What could I change on my side that would make it easier for you not to {base}?",
            needs="base",
            polarity="event",
            habit=True,
        ),
        _t(
            "How could I be more useful to you when a call like that comes up?",
            needs="fallback",
            polarity="event",
        ),
    ),
    "next": (
        _t(
            "What would you like to try next time a similar situation comes up?",
            needs="",
            polarity="event",
        ),
        _t(
            "What's one thing we could agree on now that would help next time something like this "
            "comes up?",
            needs="",
            polarity="event",
        ),
        _t(
            "What would you like to try differently this week, and how can I help?",
            needs="",
            polarity="event",
            habit=True,
        ),
    ),
}

# The guide idea each family draws on, with two phrasings of the rationale.
RATIONALES: dict[Family, tuple[str, str]] = {
    "checkin": (
        "Curiosity over disapproval: checks on the person before the task, as the guide's "
        '"Is everything okay? How\'s your week going?" does.',
        "Curiosity over disapproval: a slip often has a cause outside the task, so it starts with "
        "how they are.",
    ),
    "experience": (
        "Reciprocal curiosity: lets your partner describe it in their own words before you offer a "
        "view.",
        "Curiosity over disapproval: asks how it has been for them instead of assuming what "
        "happened.",
    ),
    "obstacle": (
        "Curiosity over disapproval: treats the missed step as information and asks what got in "
        "the "
        "way instead of assuming.",
        "Curiosity over disapproval: asks about obstacles, not fault; the answer shows whether it "
        "is "
        "time, a vague task or something outside work.",
    ),
    "pattern": (
        "Curiosity over disapproval: names the pattern neutrally and explores it together rather "
        "than keeping score.",
        "Curiosity over disapproval: a recurring slip is information; asking about it beats "
        "counting it.",
    ),
    "clarity": (
        "Open communication: checks the request was clear and takes your share of any "
        "misunderstanding.",
        "Shared ownership: a repeated request may be an unclear or unagreed one, so it checks "
        "understanding first.",
    ),
    "support": (
        "Shared ownership: nobody owns the relationship alone, so it asks what you could change "
        "too.",
        "Collaboration: offers help and a change on your side instead of a demand on theirs.",
    ),
    "planning": (
        "Checking the plan: asks whether the commitment was realistic before assuming a lack of "
        "effort.",
        "Checking the plan: makes the plan, not the person, the thing to adjust together.",
    ),
    "learning": (
        "Reciprocal curiosity: asks what your partner has tried and thinks, so they lead the next "
        "step.",
        "Reciprocal curiosity: their own ideas come first, before any advice from you.",
    ),
    "meaning": (
        "Goals your partner owns: checks it still matters to them, not just to you.",
        "Reciprocal curiosity: asks what is worth it to them, which keeps the goal theirs.",
    ),
    "forward": (
        "A bias for action: ends on one small, concrete next step your partner chooses.",
        "A bias for action: turns the conversation into a realistic plan for the coming week.",
    ),
    "story": (
        "Curiosity over disapproval: asks for the story behind it before deciding what it means.",
        "Reciprocal curiosity: invites your partner to explain their reasoning in their own words.",
    ),
    "context": (
        "Curiosity over disapproval: looks for the pressures behind the choice instead of the "
        "fault.",
        "Curiosity over disapproval: understanding the situation comes before judging the outcome.",
    ),
    "view": (
        "Shared vulnerability: allows that your partner may have seen something you didn't.",
        "Mutual growth: treats their view as something you can learn from too.",
    ),
    "outcome": (
        "A bias for action: turns what happened into a lesson you both can use.",
        "Learning through action: reflecting on the result is how the experience becomes skill.",
    ),
    "team": (
        "Shared ownership: asks what would make it easier to talk decisions through together.",
        "Collaboration: makes it a shared problem to solve, including your side of it.",
    ),
    "next": (
        "A bias for action: agrees one concrete thing to try next time.",
        "A bias for action: ends with a small experiment your partner chooses.",
    ),
}

# Guide topics each family draws on: used to cite the retrieved passages whose ideas were used.
FAMILY_TOPICS: dict[Family, frozenset[str]] = {
    "checkin": frozenset({"curiosity", "rapport", "communication", "trust"}),
    "experience": frozenset({"curiosity", "listening", "communication"}),
    "obstacle": frozenset({"curiosity", "follow-through", "stalled-progress", "diagnosis"}),
    "pattern": frozenset({"curiosity", "follow-through", "stalled-progress", "diagnosis"}),
    "clarity": frozenset({"communication", "expectations", "feedback", "trust"}),
    "support": frozenset({"collaboration", "two-way-learning", "ownership", "reciprocity"}),
    "planning": frozenset({"follow-through", "expectations", "agenda", "meetings"}),
    "learning": frozenset({"curiosity", "two-way-learning", "learning-style", "questions"}),
    "meaning": frozenset({"goals", "motivation", "ownership"}),
    "forward": frozenset({"action", "proactivity", "action-items", "follow-through"}),
    "story": frozenset({"curiosity", "listening", "communication"}),
    "context": frozenset({"curiosity", "diagnosis"}),
    "view": frozenset({"vulnerability", "two-way-learning", "reverse-mentoring", "mentor-growth"}),
    "outcome": frozenset({"action", "feedback", "problem-solving"}),
    "team": frozenset({"collaboration", "ownership", "communication"}),
    "next": frozenset({"action", "action-items", "proactivity"}),
}

_CORE_GUIDE_IDS = frozenset(
    {
        "curiosity-over-judgement",
        "partnership-pillars",
        "collaboration-shared-ownership",
        "open-communication",
        "mutual-growth-partnership",
    }
)
_IDEA_WORDS = re.compile(
    r"\b(?:curio\w*|questions?|asking|follow-through|communicat\w*|collaborat\w*|together"
    r"|reciprocal|ownership|agreed?)\b",
    re.IGNORECASE,
)


# Renderings that read badly whatever the topic ("made making", two "before"s).
_CLUMSY = re.compile(
    r"\b(?:make|made|makes|making) making\b|\b(?:get|got|getting) into getting\b"
    r"|\bbefore\b.*\bbefore\b"
    r"|\bto make [a-z]+ing\b.*\bwork for you\b|\bon (?:time|schedule) on time\b"
)
# Distinctive words used at most once per set, so the questions don't echo each other.
_ONCE = ("easier", "doable", "realistic", "right size", "next step")


@dataclass
class Chosen:
    """A question picked from the bank, with the family it came from."""

    family: Family
    question: CuriousQuestion


@dataclass
class Composer:
    """Picks phrasings for a topic: one per family, no repeats, every one passing the detector.

    ``said`` is the normalised input (some phrasings answer a particular wording, such as
    "late" or a sarcastic "glad"); ``words`` are its content words, which at least half the
    questions keep (the topic guardrail).
    """

    topic: Topic
    key: str
    avoid: tuple[str, ...] = ()
    said: str = ""
    words: frozenset[str] = frozenset()
    chosen: list[Chosen] = field(default_factory=list)

    def used(self, family: Family) -> bool:
        """Whether a question from ``family`` was already picked."""
        return any(c.family == family for c in self.chosen)

    def _clean(self, text: str, others: Sequence[Chosen]) -> bool:
        low = text.lower()
        if detect_markers(text) or any(a and a in low for a in self.avoid) or _CLUMSY.search(low):
            return False
        for word in _ONCE:
            if word in low and any(word in c.question.question.lower() for c in others):
                return False
        opening = " ".join(low.split()[:4])
        return all(
            " ".join(c.question.question.lower().split()[:4]) != opening
            and c.question.question.lower() != low
            for c in others
        )

    def _candidates(self, family: Family) -> list[Template]:
        fitting = [t for t in BANK[family] if t.fits(self.topic, self.said)]
        # Phrasings written for a narrow set of categories read best, so they are favoured,
        # but the hash still decides: different topics get different phrasings.
        return sorted(fitting, key=lambda t: self._rank(family, t))

    def _make(self, family: Family, template: Template) -> Chosen:
        rationale = template.why or pick(RATIONALES[family], self.key, family, "why")
        question = CuriousQuestion(question=template.render(self.topic), rationale=rationale)
        return Chosen(family, question)

    def add(self, family: Family) -> bool:
        """Add one phrasing from ``family``; False if none fits."""
        if self.used(family):
            return False
        for template in self._candidates(family):
            if self._clean(template.render(self.topic), self.chosen):
                self.chosen.append(self._make(family, template))
                return True
        return False

    def _rank(self, family: Family, template: Template) -> float:
        cats = set(template.cats) - {"vague-ok"}
        if "task" in cats:
            cats |= TASK_CATEGORIES
        narrow = 0 < len(cats) <= 2 or "fallback" in template.needs or bool(template.said)
        return (stable_int(self.key, family, template.text) % 10007) / (3.0 if narrow else 1.0)

    def add_first(self, families: Sequence[Family]) -> bool:
        """Add from the first family in ``families`` that has a fitting, unused phrasing."""
        return any(self.add(family) for family in families)

    def topical(self, text: str) -> bool:
        """Whether ``text`` keeps one of the input's content words."""
        return not self.words or bool(content_words(text) & self.words)

    def _short(self) -> bool:
        kept = sum(self.topical(c.question.question) for c in self.chosen)
        return kept < (len(self.chosen) + 1) // 2

    def keep_topic(self, spare: Sequence[Family]) -> None:
        """Make at least half the questions keep the input's words: swap, then trim.

        First each off-topic question is swapped for an on-topic phrasing of the same family,
        then of a spare family; if that is not enough, off-topic questions are dropped from the
        end while at least three remain.
        """
        for index in reversed(range(len(self.chosen))):
            if not self._short():
                return
            current = self.chosen[index]
            if self.topical(current.question.question):
                continue
            others = [c for i, c in enumerate(self.chosen) if i != index]
            families = [current.family, *(f for f in spare if not self.used(f))]
            for family in families:
                swap = next(
                    (
                        t
                        for t in self._candidates(family)
                        if self.topical(t.render(self.topic))
                        and self._clean(t.render(self.topic), others)
                    ),
                    None,
                )
                if swap is not None:
                    self.chosen[index] = self._make(family, swap)
                    break
        for index in reversed(range(len(self.chosen))):
            if not self._short() or len(self.chosen) <= 3:
                return
            if not self.topical(self.chosen[index].question.question):
                del self.chosen[index]

    def in_order(self) -> list[Chosen]:
        """The chosen questions in conversational order: check-in first, next step last."""
        return sorted(self.chosen, key=lambda c: FAMILY_ORDER.index(c.family))


FAMILY_ORDER: tuple[Family, ...] = (
    "checkin",
    "story",
    "experience",
    "obstacle",
    "pattern",
    "clarity",
    "context",
    "view",
    "support",
    "team",
    "planning",
    "learning",
    "meaning",
    "outcome",
    "forward",
    "next",
)


def content_words(text: str) -> set[str]:
    """The content words of ``text``, as the output guardrail counts them."""
    # Imported here: agent.guardrails imports this package's detector at import time.
    from agent.guardrails import content_words as guardrail_words

    return guardrail_words(text)


def cite(passages: Sequence[Passage], families: Iterable[Family], limit: int = 3) -> list[str]:
    """Ids of the retrieved passages whose ideas the chosen families draw on.

    A passage counts when its topics overlap the families' topics, it is one of the core
    curiosity/collaboration guides, or (for passages without metadata) its text talks about
    curiosity, questions, communication or collaboration. With no such passage, the top-scored
    one or two are cited.
    """
    if not passages:
        return []
    wanted: set[str] = set()
    for family in families:
        wanted |= FAMILY_TOPICS[family]
    scored: list[tuple[int, float, int, str]] = []
    for index, passage in enumerate(passages):
        relevance = len(wanted & set(passage.topics))
        if passage.doc_id in _CORE_GUIDE_IDS:
            relevance += 3
        if not passage.topics:
            relevance += min(2, len(_IDEA_WORDS.findall(passage.text)) // 2)
        scored.append((relevance, passage.score, index, passage.id))
    relevant = sorted((s for s in scored if s[0] >= 2), key=lambda s: (-s[0], -s[1], s[2]))
    # One passage per guide first, so different ideas get credited; then a second chunk of a
    # guide only to reach two citations.
    ids: list[str] = []
    docs: set[str] = set()
    for _, _, index, pid in relevant:
        doc = passages[index].doc_id or pid
        if doc not in docs and pid not in ids and len(ids) < limit:
            ids.append(pid)
            docs.add(doc)
    for _, _, _, pid in relevant:
        if len(ids) >= 2:
            break
        if pid not in ids:
            ids.append(pid)
    if ids:
        return ids
    by_score = sorted(scored, key=lambda s: (-s[1], s[2]))
    top = [by_score[0][3]]
    if len(by_score) > 1 and by_score[1][1] >= by_score[0][1] - 0.1 and by_score[1][3] not in top:
        top.append(by_score[1][3])
    return top
