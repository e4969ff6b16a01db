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
from dataclasses import dataclass, field, replace
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
    "engagement",
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
    if _SINGLE_L.search(verb):
        return base + "ling"  # British: cancelling, travelling, labelling
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


# British spelling doubles a final "l" after one unstressed vowel: cancel -> cancelling,
# travel -> travelled, label -> labelling (but feel -> feeling, install -> installing).
_DOUBLED_L_STEM = re.compile(r"[aeiou][^aeiou]+[eiou]ll$")
_SINGLE_L = re.compile(r"[aeiou][^aeiou]*[^aeiou][aeiou]l$")


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
            if _DOUBLED_L_STEM.search(stem):
                return stem[:-1]  # cancelling -> cancel, travelled -> travel
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
    skipped: str | None = None  # a step a shortcut left out, in base form ("read the PR")
    missed: str | None = None  # the speaker's verb for a missed session ("skip", "cancel")

    def slots(self) -> frozenset[str]:
        """The slot names this topic can fill."""
        names = {"act"}
        if self.base:
            names.add("base")
        if self.obj:
            names.add("obj")
        if self.skipped:
            names.add("skipped")
        if self.missed:
            names.add("missed")
        if not self.found:
            names.add("fallback")
        return frozenset(names)


_DET_WORDS = frozenset("the a an my your our their his her this that these those".split())


def _gerund_phrase(phrase: str) -> str:
    """A verb phrase as a gerund: "open a PR and get a review" -> "opening a PR and getting..."."""
    words = phrase.split()
    out: list[str] = []
    for index, word in enumerate(words):
        starts = index == 0 or words[index - 1].lower() == "and"
        out.append(gerund(word) if starts and word.lower() in KNOWN_VERBS else word)
    return " ".join(out)


def bare_noun(phrase: str) -> str:
    """A noun phrase without its determiner: "your review comments" -> "review comments"."""
    words = phrase.split()
    if words and words[0].lower() in _DET_WORDS:
        words = words[1:]
    return " ".join(words)


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
        if topic.category == "engagement" and self.needs & {"act", "base"}:
            # "this mentorship" is not a task to make easier: only phrasings written for it.
            return "engagement" in cats
        return not cats or topic.category in cats

    def render(self, topic: Topic) -> str:
        """The question with the topic's slots filled in."""
        return self.text.format(
            act=topic.act,
            Act=capitalise(topic.act),
            base=topic.base or "",
            obj=topic.obj or "",
            Obj=capitalise(topic.obj or ""),
            skipped=topic.skipped or "",
            skipping=_gerund_phrase(topic.skipped or ""),
            missed=topic.missed or "",
            noun=bare_noun(topic.obj or ""),
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
# A piece of work to get over the line ("getting your PR in on time"): its object reads better
# than the whole phrase ("Where did your PR get stuck?").
_OUTCOME = (
    r"^getting (?!started\b).+\b(?:on time|done|in|merged|finished|ready|fixed|reviewed|sent"
    r"|submitted|written)$"
)
# Understanding a subject ("getting comfortable with Git rebase"): a learning goal, not a task
# that slips or can be broken into pieces.
_GRASP = r"^(?:getting comfortable with|getting to grips with|understanding)\b"
_UNTASK = _OUTCOME + "|" + _GRASP
# One particular thing ("approving that PR"): not a kind of call that comes up again.
_ONE_OFF = r"\b(?:that|this|these|those)\b"
# Getting to a team meeting (standup, retro): its own timing and value, not our sessions.
_GET_TO = r"^(?:arriving on time for|making it to|showing up on time for|turning up on time for)"
# A label on a piece of work ("so lazy", "always so messy"): ask what good looks like.
_SAID_LABEL = (
    r"\b(?:so|too|always|really|very|pretty|getting|quite|is|are|was|were)\s+(?:lazy|sloppy|messy"
    r"|careless|rushed|thin|vague|flaky|buggy|unreadable|confusing|poor|half-hearted|low-effort"
    r"|inconsistent|hacky|untidy|unclear|superficial|shallow)\b"
)
# Skipped or cancelled without a word: the heads-up is part of the topic.
_SAID_UNTOLD = (
    r"\bwithout (?:telling|letting|warning|asking|saying|a word|a heads-up|any notice|notice)\b"
)
# Speaking up and similar: confidence and habit, never a task to break down.
_VOICE = (
    r"^(?:speaking up|asking (?:questions|for help)|sharing|contributing|pushing back|presenting)"
)
# Process steps that get dropped under pressure (tests, linting, reviews).
_PROCESS = (
    r"^(?:test|lint|run|check|double-check|self-review|review|document|writing tests|adding tests"
    r"|keeping the build|keeping \w+ (?:green|stable)|following the style|using the style"
    r"|updating the (?:docs|ticket|changelog))"
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
        _t(
            "How are you doing at the moment, with everything you've got on?",
            needs="",
            cats="engagement",
        ),
    ),
    "experience": (
        _t(
            "How has {act} been going for you?",
            cats="task communication quality habit",
            unless=_SMALL + "|" + _UNSTARTED + "|" + _UNTASK,
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
            unless=_SMALL + "|" + _UNSTARTED + "|" + _UNTASK,
        ),
        _t(
            "How do you feel about where {act} is at right now?",
            cats="deadline learning general vague-ok",
            unless=_SMALL + "|" + _UNSTARTED + "|" + _UNTASK,
        ),
        _t(
            "Which part of {act} has felt hardest so far?",
            needs="act base",
            cats="deadline learning quality",
            unless=_SMALL + "|" + _UNSTARTED + "|" + _UNTASK,
        ),
        _t(
            "How are our sessions fitting into your week at the moment?",
            needs="",
            cats="attendance",
        ),
        _t(
            "How does {act} fit into the way you like to work?",
            cats="communication habit",
            unless=_GET_TO,
        ),
        _t(
            "How do you feel about {act} in general? Does it seem worth the effort to you?",
            cats="quality",
        ),
        _t(
            "Where is {obj} at right now, and how are you feeling about it?",
            needs="obj",
            cats="deadline",
            match=_OUTCOME,
        ),
        _t(
            "How do you feel about {obj} at the moment? What would you change if you had more "
            "time?",
            needs="obj",
            cats="quality",
            said=_SAID_LABEL,
        ),
        _t("How are you feeling about {act} at the moment?", cats="engagement"),
        _t("What's {act} been like for you lately?", cats="engagement"),
        _t(
            "What goes through your mind when you think about {act}?",
            cats="habit",
            match=_VOICE,
        ),
        _t(
            "How have our sessions been fitting around everything else lately?",
            needs="",
            cats="attendance",
            match=_ABSENT,
        ),
        _t("Which part of {obj} still feels fuzzy?", needs="obj", cats="learning", match=_GRASP),
        _t(
            "How is the timing of {obj} working for you at the moment?",
            needs="obj",
            cats="habit",
            match=_GET_TO,
        ),
        _t(
            "What does {act} look like for you on a normal working day?",
            cats="habit communication",
            unless=_GET_TO + "|" + _VOICE,
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
            unless=r"^(?:meeting|keeping|staying)" + "|" + _UNTASK,
            why="Curiosity over disapproval: the guide's own \"What do you feel prevented you from "
            'getting around to this task?", aimed at obstacles, not fault.',
        ),
        _t("What came up this week that made {act} harder than expected?", cats="task vague-ok"),
        _t(
            "Where did {act} get stuck?",
            needs="act base",
            cats="deadline learning general",
            unless=_UNSTARTED + "|" + _UNTASK,
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
        _t(
            "What makes {act} easy to skip when you're under time pressure?",
            cats="quality",
            match=_PROCESS,
        ),
        _t(
            "What makes {act} easy to lose track of between sessions?",
            cats="communication",
            unless=_CHANNEL,
        ),
        _t("What makes {act} hard in the moment?", cats="habit communication", unless=_GET_TO),
        _t("What tends to get in the way of {act}?", cats="habit quality communication"),
        _t("Where did {obj} get stuck?", needs="obj", cats="deadline", match=_OUTCOME),
        _t("What's been slowing {obj} down?", needs="obj", cats="deadline", match=_OUTCOME),
        _t(
            "What usually decides how much time you can give {obj}?",
            needs="obj",
            cats="quality",
            said=_SAID_LABEL,
        ),
        _t(
            "What's been competing with {act} for your time and energy lately?",
            cats="engagement",
        ),
        _t(
            "What was going on for you around the time of {obj}?",
            needs="obj",
            cats="attendance habit",
            match=_ABSENT,
            unless=r"s$",
        ),
        _t("What makes {act} feel harder than it looks?", cats="habit", match=_VOICE),
        _t(
            "When you've had to {missed} {obj}, what's usually been going on?",
            needs="missed obj",
            cats="attendance habit",
        ),
        _t(
            "Where does {obj} stop making sense for you?",
            needs="obj",
            cats="learning",
            match=_GRASP,
        ),
        _t(
            "When you're running late for {obj}, what's usually going on just before?",
            needs="obj",
            cats="habit",
            match=_LATE + "|^arriving",
            unless=r"\bour sessions?\b",
        ),
    ),
    "pattern": (
        _t(
            "{Act} seems to keep sliding down the list. What do you think is pushing it there?",
            cats="deadline learning preparation general vague-ok",
            unless=_UNTASK,
        ),
        _t(
            "I've noticed {act} has been hard to get to for a while. How does that look from your "
            "side?",
            cats="task communication vague-ok",
            unless=r"^(?:keeping|staying|meeting)" + "|" + _UNTASK,
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
            unless=_UNTASK,
        ),
        _t(
            "I've been wondering how {act} is landing for you lately. How does it look from your "
            "side?",
            cats="engagement",
            why="Curiosity over disapproval: shares what you've been wondering without a verdict "
            "and asks for their side of it.",
        ),
        _t(
            "I've noticed {obj} has needed a few goes lately. What's your read on it?",
            needs="obj",
            cats="deadline",
            match=_OUTCOME,
            unless=r"s (?:in|done|merged|finished|ready|fixed)",
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
        _t(
            "How well does {act} match what you were hoping for when we started?",
            cats="engagement",
            match=r"mentor|session|coaching|programme|program|^our ",
        ),
        _t(
            "What does 'good' look like to you for {obj}? Is it the same as what the team expects?",
            needs="obj",
            cats="quality",
            said=_SAID_LABEL,
            why="Open communication: agrees what good looks like before judging against it.",
        ),
        _t(
            "How clear was it what 'done' meant for {obj}, and when it was needed by?",
            needs="obj",
            cats="deadline",
            match=_OUTCOME,
        ),
        _t(
            "How clear have my explanations of {obj} been? What could I explain differently?",
            needs="obj",
            cats="learning",
            match=_GRASP,
            why="Shared ownership: if something needs explaining again, the explanation is "
            "half of it, so it asks about yours.",
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
            unless=_SMALL + "|" + _UNTASK,
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
        _t(
            "What would help most to get {obj} over the line: pairing on it, a quick review, or "
            "something else?",
            needs="obj",
            cats="deadline",
            match=_OUTCOME,
        ),
        _t(
            "How would you feel about going through some of {obj} together and comparing notes?",
            needs="obj",
            cats="quality",
            said=_SAID_LABEL,
            match=r"(?:s|code|documentation|work)$",
        ),
        _t(
            "What could I change on my side to make {act} more worthwhile for you?",
            cats="engagement",
        ),
        _t(
            "What would make it easier to get your voice in: me asking for your view, a note "
            "beforehand, or something else?",
            needs="",
            cats="habit",
            match=_VOICE,
        ),
        _t(
            "If something comes up before one of our sessions, what would make it easy to give me "
            "a quick heads-up?",
            needs="",
            cats="attendance",
            said=_SAID_UNTOLD,
            why="Open communication: agrees how to flag a clash, instead of dwelling on the "
            "missing message.",
        ),
        _t(
            "When you need to {missed} a session, what's the easiest way for you to let me know?",
            needs="missed",
            cats="attendance",
        ),
        _t(
            "What would help {obj} click: a worked example, pairing on a real case, or something "
            "else?",
            needs="obj",
            cats="learning",
            match=_GRASP,
        ),
        _t(
            "What would make {obj} easier to get to on time: a reminder, a different start time, "
            "or something else?",
            needs="obj",
            cats="habit",
            match=_LATE + "|^arriving",
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
            unless=_SMALL + "|" + _UNTASK,
            why='Checking the plan: the guide\'s "Have we overestimated something in our agenda?" '
            "makes the plan, not the person, the thing to fix.",
        ),
        _t(
            "How well did {act} fit into the week, or did we plan more than would fit?",
            cats="deadline learning preparation general vague-ok",
            unless=_SMALL + "|" + _UNTASK,
        ),
        _t(
            "Thinking about your goal, how much sense does {act} still make as the next step?",
            cats="deadline learning general vague-ok",
            unless=_SMALL + r"|^meeting" + "|" + _UNTASK,
        ),
        _t(
            "Looking back, how realistic was {act} alongside everything else on your plate?",
            cats="deadline learning preparation general vague-ok",
            unless=_GRASP,
        ),
        _t(
            "When we agreed on {act}, how clear was it what 'done' would look like?",
            cats="deadline learning preparation general",
            unless=_UNSTARTED + "|" + _UNTASK,
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
            match=_PROCESS,
        ),
        _t(
            "What would a realistic version of {act} look like for you, given everything else "
            "going on?",
            cats="habit",
            match=r"^(?:getting started|keeping|staying|preparing|taking care)",
        ),
        _t(
            "How realistic did the original timeline for {obj} feel to you?",
            needs="obj",
            cats="deadline",
            match=_OUTCOME,
        ),
        _t(
            "How much time do you usually get for {act}, and is it enough?",
            cats="quality",
            said=_SAID_LABEL,
        ),
        _t(
            "How does {act} fit alongside everything else on your plate right now?",
            cats="engagement",
        ),
        _t(
            "Where in your day does {act} fit best, so it doesn't get squeezed?",
            cats="quality",
            unless=_UNTASK,
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
            match=r"^(?:reading|going through|studying|watching|learning|finishing|doing"
            r"|getting comfortable|getting to grips|understanding)",
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
        _t(
            "Whose {noun} do you rate on the team, and what do they do differently?",
            needs="obj",
            cats="quality",
            said=_SAID_LABEL,
            why="Learning through example: looks at what good looks like in practice, without "
            "grading theirs.",
        ),
        _t(
            "What did you hope to get from {act} when we started, and has that changed?",
            cats="engagement",
            match=r"mentor|session|coaching|programme|program|^our ",
        ),
        _t(
            "What have you noticed about the times when {act} feels easier?",
            cats="habit",
            match=_VOICE,
        ),
        _t(
            "What's left on {obj}, and which part are you least sure how to tackle?",
            needs="obj",
            cats="deadline",
            match=_OUTCOME,
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
        _t("What would you most like to get out of {act} right now?", cats="engagement"),
        _t(
            "How much does {act} matter to you, compared with the other things you're working on?",
            cats="habit",
            match=_VOICE,
        ),
        _t(
            "How much does {obj} give you at the moment, and what would make it worth the time?",
            needs="obj",
            cats="habit",
            match=_GET_TO,
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
            unless=_SMALL + "|" + _GET_TO,
        ),
        _t(
            "What would make {act} doable before our next session?",
            cats="task vague-ok",
            unless=r"\b(?:before|by|until)\b" + "|" + _UNTASK,
        ),
        _t(
            "If we broke {act} into smaller pieces, what would the first one be?",
            cats="deadline learning general",
            unless=_SMALL + r"|^going through the docs" + "|" + _UNTASK,
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
            match=_PROCESS,
        ),
        _t("What would make {act} a little easier this week?", cats="habit communication"),
        _t(
            "What would you like to try differently with {act} this week?",
            cats="habit",
            unless=r"^(?:making it|arriving)",
        ),
        _t(
            "What's the next small step on {obj}, and when would you like to check in on it?",
            needs="obj",
            cats="deadline",
            match=_OUTCOME,
        ),
        _t(
            "What's one thing you'd like to try differently in {obj} this week?",
            needs="obj",
            cats="quality",
            said=_SAID_LABEL,
        ),
        _t("If we reshaped {act} a little, what would you change first?", cats="engagement"),
        _t(
            "What would make {act} feel more worth your time over the next few weeks?",
            cats="engagement",
        ),
        _t(
            "What's one small thing you'd feel comfortable sharing next time?",
            needs="",
            cats="habit",
            match=r"^(?:speaking up|sharing|contributing)",
        ),
        _t(
            "What's the easiest way for you to let me know when a session isn't going to work?",
            needs="",
            cats="attendance",
            said=_SAID_UNTOLD,
        ),
        _t(
            "What's one small change that would make {act} easier to keep up?",
            cats="quality habit",
            unless=_OUTCOME
            + "|"
            + _VOICE
            + "|"
            + r"^(?:fixing|finishing|debugging|investigating|solving)\b",
        ),
        _t(
            "What would make telling me ahead of time feel easy, even in a busy week?",
            needs="",
            cats="attendance",
            said=_SAID_UNTOLD,
        ),
        _t(
            "What's one small thing you could try with {obj} this week, so we can look at it "
            "together?",
            needs="obj",
            cats="learning",
            match=_GRASP,
        ),
        _t(
            "What's one small experiment with {act} you'd be up for trying this week?",
            cats="habit communication",
            unless=_GET_TO,
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
        _t(
            "What made going ahead feel better than {skipping} first?",
            needs="skipped",
            polarity="event",
            habit=False,
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
        _t(
            "How do you usually decide when it's fine to move fast, and when to {skipped} first?",
            needs="skipped",
            polarity="event",
            habit=False,
            why="Reciprocal curiosity: asks for their own rule of thumb, which you may learn from "
            "too.",
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
            match=r"^\w+ing\b",
            unless=_ONE_OFF,
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
        _t(
            "What would make {skipping} first feel doable, even when time is tight?",
            needs="skipped",
            polarity="event",
            habit=False,
        ),
        _t(
            "Before {act}, what would have made it easier to check in with me or the team?",
            polarity="event",
            habit=False,
            match=r"^\w+ing\b",
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
        _t(
            "Next time you're short on time, what would help you still {skipped}?",
            needs="skipped",
            polarity="event",
        ),
        _t(
            "Next time {act} is on the table, what would you like to do the same or differently?",
            polarity="event",
            habit=False,
            match=r"^\w+ing\b",
            unless=_ONE_OFF,
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
    """A question picked from the bank, with the family and phrasing it came from."""

    family: Family
    question: CuriousQuestion
    template: Template | None = None


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
        return Chosen(family, question, template)

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
        if template.needs & {"skipped", "missed"}:
            return -1.0  # the step that was skipped is the heart of the question: ask about it
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
        """The chosen questions in conversational order: check-in first, next step last.

        Once a question has named the topic, the next one that would repeat it word for word
        refers back instead ("booking the review", "it"), as a person would; at least three
        questions (or as many as before, if fewer) still name the topic's key noun, and at
        least half keep the input's words.
        """
        ordered = sorted(self.chosen, key=lambda c: FAMILY_ORDER.index(c.family))
        variants = back_references(self.topic)
        if not variants:
            return ordered
        noun = key_noun(self.topic)

        def naming(items: Sequence[Chosen]) -> int:
            return sum(_names(c.question.question, noun) for c in items)

        floor = min(3, naming(ordered))
        repeats = sum(_mentions(c.question.question, self.topic) for c in ordered)
        budget = max(0, repeats - 3)  # four mentions: one back-reference; five: two
        # A pronoun costs the question its topic words, so it is saved for a set that would
        # otherwise name the topic in all five questions.
        pronouns = 1 if repeats >= 5 else 0
        previous_full = False
        for index, current in enumerate(ordered):
            text = current.question.question
            if not _mentions(text, self.topic):
                previous_full = False
                continue
            if not previous_full or current.template is None or not budget:
                previous_full = True
                continue
            previous_full = False
            others = [c for i, c in enumerate(ordered) if i != index]
            for kind, variant in variants:
                if kind == "pronoun" and not pronouns:
                    continue
                if not _refers_well(current.template, kind, self.topic):
                    continue
                question = current.template.render(variant)
                if question == text or not self._clean(question, others):
                    continue
                trial = [
                    *ordered[:index],
                    replace_question(current, question),
                    *ordered[index + 1 :],
                ]
                kept = sum(self.topical(c.question.question) for c in trial)
                if naming(trial) >= floor and kept * 2 >= len(trial):
                    ordered = trial
                    budget -= 1
                    pronouns -= kind == "pronoun"
                    break
        return ordered


def replace_question(chosen: Chosen, question: str) -> Chosen:
    """``chosen`` with its question reworded (same family, phrasing and rationale)."""
    updated = chosen.question.model_copy(update={"question": question})
    return Chosen(chosen.family, updated, chosen.template)


# --------------------------------------------------------------------------------------------
# Referring back to the topic
# --------------------------------------------------------------------------------------------

_PREP_WORDS = frozenset(
    "of for on in with about to from at by before after during into without like".split()
)
# Where a noun phrase's relative clause starts: "the feedback I gave you".
_CLAUSE_WORDS = frozenset("i you we they he she it that which who whose where when".split())
_STOP_NOUNS = frozenset("time up it in on off out down done ready".split())


def _core(phrase: str) -> list[str]:
    """The words of a noun phrase up to its first preposition ("the design doc for X")."""
    words = phrase.split()
    stops = _PREP_WORDS | _CLAUSE_WORDS
    cut = next((i for i, w in enumerate(words) if i and w.lower() in stops), len(words))
    return words[:cut]


def _plural(word: str) -> bool:
    low = word.lower()
    return (low.endswith("s") and not low.endswith(("ss", "us", "is", "'s"))) or low == "people"


# A trailing "when" phrase: "getting started on code reviews before the last minute".
_ADJUNCT = re.compile(r"\s+(?:before|after|by|until|during|without|ahead of)\s.+$")


def key_noun(topic: Topic) -> str:
    """The word a question must contain to name the topic: "review", "PR", "Slack"."""
    if topic.obj:
        core = _core(topic.obj)
        if core:
            return core[-1]
    act = _ADJUNCT.sub("", topic.act)
    words = [w for w in act.split()[1:] if w.lower() not in _PREP_WORDS | _STOP_NOUNS]
    words = [w for w in words if w.lower() not in _DET_WORDS]
    return words[-1] if words else topic.act.split()[-1]


def _names(question: str, noun: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(noun)}(?![\w-])", question, re.IGNORECASE) is not None


def _mentions(question: str, topic: Topic) -> bool:
    return any(part and part in question for part in (topic.act, topic.obj, topic.base))


def back_references(topic: Topic) -> list[tuple[str, Topic]]:
    """Shorter ways to refer back to a topic once it has been named, best first.

    ``("named", ...)`` keeps the key noun ("booking the architecture review" -> "booking the
    review"; "this database migration" -> "this migration"); ``("pronoun", ...)`` replaces the
    object or the whole phrase ("finishing it", "it"). Attendance topics and fallbacks keep
    their wording: their phrasings are already short.
    """
    if topic.category == "attendance" or not topic.found:
        return []
    out: list[tuple[str, Topic]] = []
    obj = topic.obj
    if obj and obj in topic.act:
        core = _core(obj)
        short = ""
        if len(core) < len(obj.split()) and len(core) >= 2:
            short = " ".join(core)  # "the design doc for the cache" -> "the design doc"
        elif len(core) >= 3 and core[0].lower() in _DET_WORDS:
            det = "the" if core[0].lower() in {"a", "an"} else core[0]
            short = f"{det} {core[-1]}"  # "the architecture review" -> "the review"
        if short and short != obj:
            out.append(("named", _swap(topic, obj, short)))
        pronoun = "them" if core and _plural(core[-1]) else "it"
        direct = topic.act.split(" ", 1)[-1].startswith(obj)  # "booking the review"
        if topic.act != obj and direct:
            out.append(("pronoun", _swap(topic, obj, pronoun)))
        elif topic.act != obj:
            out.append(("pronoun", replace(topic, act="it", base=None)))  # not "replying on it"
        elif pronoun == "it":
            out.append(("pronoun", replace(topic, act="it", obj="it", base=None)))
    else:
        trimmed = _ADJUNCT.sub("", topic.act)
        if trimmed != topic.act and len(trimmed.split()) >= 2:
            base = _ADJUNCT.sub("", topic.base) if topic.base else None
            out.append(("named", replace(topic, act=trimmed, base=base)))
        if not re.search(r"\bit\b", topic.act):
            out.append(("pronoun", replace(topic, act="it", base=None)))
    return out


def _swap(topic: Topic, old: str, new: str) -> Topic:
    base = topic.base.replace(old, new, 1) if topic.base else None
    return replace(topic, act=topic.act.replace(old, new, 1), base=base, obj=new)


def _refers_well(template: Template, kind: str, topic: Topic) -> bool:
    """Whether ``template`` still reads well with the ``kind`` of back-reference."""
    text = template.text
    if kind == "named":
        return "{noun}" not in text
    if "{noun}" in text or "{Obj}" in text:
        return False
    if "{base}" in text and not (topic.obj and topic.obj in (topic.base or "")):
        return False  # "How could I make it easier for you to it?"
    # "Where did them get stuck?"
    return not ("{obj}" in text and topic.obj and _plural(_core(topic.obj)[-1]))


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
