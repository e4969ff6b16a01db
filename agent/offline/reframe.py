"""The offline reframe: judgemental question in, curious questions out, with no network or model.

Pattern: *scaffold, enrich, check*. Rules over the sentence recover what the question is about
("Why didn't you finish the chapter again?" -> "finishing the chapter") and whether it is about
something agreed that didn't happen or a decision/habit to understand; the question bank
(:mod:`agent.offline.questions`) supplies varied phrasings; the judgemental-language detector
checks every question before it is returned.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace

from agent.models import CuriousQuestion, ReframeDraft
from agent.offline.judgement import detect_markers, marker_kinds, normalise, normalise_cased
from agent.offline.questions import (
    FALLBACK_EVENT,
    FALLBACK_TASK,
    TASK_CATEGORIES,
    Category,
    Composer,
    Family,
    Topic,
    capitalise,
    categorise,
    cite,
    content_words,
    gerund,
    is_verb_form,
    ordered,
    pick,
    stable_int,
    to_base,
    word_set,
)
from knowledge.models import Passage

__all__ = ["extract_topic", "reframe_offline", "suggest_questions_offline"]

_APOS = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
_S = r"(?:you|u|ya|he|she|they|my mentee|my mentor|your mentee|your mentor|[a-z][a-z'-]*)"
_NEG = (
    r"(?:didn't|did not|haven't|have not|hasn't|has not|can't|cannot|can not|couldn't|could not"
    r"|don't|do not|doesn't|does not|won't|will not|wouldn't|would not|aren't|are not|isn't"
    r"|is not|wasn't|was not|weren't|were not|hadn't|had not)"
)
_BE_NEG = re.compile(r"^(?:aren't|are not|isn't|is not|wasn't|was not|weren't|were not)$")
_THIRD = frozenset({"he", "she", "they", "my mentee", "my mentor", "your mentee", "your mentor"})
_PERSON_WORDS = _THIRD | {"you", "u", "ya"}


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    how: str  # missed | should | doubt | told | sarcasm | habit | decision


def _r(pattern: str, how: str) -> _Rule:
    return _Rule(re.compile(pattern), how)


# A noun phrase owned by someone or pointed at ("your PR", "this database migration").
_NP = (
    r"(?P<np>(?:your|his|her|their|this|that|these|those|the|my|our) (?:[\w':-]+ ){0,3}?"
    r"(?!(?:is|are|was|were|so|still|always)\b)[\w':-]+)"
)
_LATE_STATE = (
    r"(?P<state>late|overdue|delayed|behind schedule|not (?:done|finished|ready|merged|in|started"
    r"|reviewed|fixed|sent|submitted|written)|unfinished|open|in progress)"
)
_LABELS = (
    r"(?P<adj>lazy|sloppy|messy|careless|rushed|thin|vague|flaky|buggy|unreadable|confusing"
    r"|poor|bad|terrible|awful|half-hearted|low-effort|inconsistent|hacky|untidy|disorgani[sz]ed"
    r"|incomplete|unclear|short|brief|useless|pointless|superficial|shallow)"
)
_ENGAGED = (
    r"(?:interested|invested|engaged|committed|serious|bothered|keen|excited|care|cares|cared"
    r"|caring)"
)

# Order matters: the most specific shapes first, plain statements last.
_RULES: tuple[_Rule, ...] = (
    # "How many times do I have to explain Git rebase?": the mentee's learning, not my telling.
    _r(
        r"\bhow many (?:more )?times (?:do|did|have|has|must|will|should|am) i (?:have to |need to "
        r"|got to |gotta |going to |had to )?(?:explain|explained|show|shown|teach|taught|go over"
        r"|gone over|go through|gone through|walk (?:you|u) through|walked (?:you|u) through)"
        r"(?: (?:you|u|it to you))? (?P<thing>.+)",
        "learn",
    ),
    # "Is it really that hard to reply on Slack?": the thing it supposedly isn't hard to do.
    _r(
        r"\b(?:is|was) (?:it|that) (?:really |actually |honestly )?(?:so |that |too )?"
        r"(?:hard|difficult) (?:for (?:you|u|him|her|them) )?to (?P<vp>.+)",
        "doubt",
    ),
    _r(
        r"\bhow (?:hard|difficult) (?:is it|can it be|could it be|was it|would it be) "
        r"(?:for (?:you|u|him|her|them) )?to (?P<vp>.+)",
        "doubt",
    ),
    _r(r"\b(?:is it|was it) (?:really )?too much to ask (?:for )?(?:you )?to (?P<vp>.+)", "doubt"),
    _r(r"\bit(?:'s| is)n't (?:that hard|rocket science|difficult) to (?P<vp>.+)", "doubt"),
    # A piece of work that is late or unfinished: a deadline, whoever is asked about it.
    _r(
        rf"\bwhy (?:is|are|was|were|has|have) {_NP} (?:still |so |always |again |been )*"
        rf"{_LATE_STATE}\b",
        "late-thing",
    ),
    _r(
        rf"\b{_NP} (?:is|are|was|were|has been|have been) (?:still |so |always |again )*"
        rf"{_LATE_STATE}\b",
        "late-thing",
    ),
    # A label on a piece of work: "Why are your code review comments so lazy?"
    _r(
        rf"\bwhy (?:is|are|was|were) {_NP} (?:always |so |still |just |really |getting |this )*"
        rf"{_LABELS}\b",
        "label-thing",
    ),
    _r(
        rf"\b{_NP} (?:is|are|was|were) (?:always |so |still |just |really |pretty |getting )*"
        rf"{_LABELS}\b",
        "label-thing",
    ),
    # Doubted commitment: "Are you actually interested in this mentorship?"
    _r(
        rf"\b(?:are|were|is|do|did|does) (?P<subj>{_S}) (?:actually |really |even |ever |at all )*"
        rf"(?P<vp>{_ENGAGED}\b.*)",
        "engaged",
    ),
    _r(
        rf"\b(?P<subj>{_S}) (?:don't|do not|didn't|doesn't|aren't|are not|isn't|is not) "
        rf"(?:actually |really |even )*(?P<vp>{_ENGAGED}\b.*)",
        "engaged",
    ),
    _r(
        rf"\bwhat (?:were|was|are) (?P<subj>{_S}) thinking,? (?:with|about|on|in|re) "
        r"(?P<np>(?:your|his|her|their|this|that|these|those|the|my|our) .+)",
        "decision-np",
    ),
    _r(
        rf"\bhow many (?:more )?times (?:do|did|have|must|will|should|am) i (?:have to |need to "
        rf"|got to "
        rf"|gotta |going to )?(?:tell|ask|remind|say to|beg) (?P<subj>{_S}),? (?P<not>not )?(?:to "
        rf"|about )?"
        r"(?P<vp>.+)",
        "told",
    ),
    _r(
        rf"\bhow many (?:more )?times (?:have|has) i (?:told|asked|reminded) (?P<subj>{_S}),? "
        r"(?P<not>not )?(?:to |about )?(?P<vp>.+)",
        "told",
    ),
    _r(
        rf"\bi(?:'ve| have| had)? (?:already |just |specifically |clearly )?(?:told|asked|reminded"
        rf"|warned)"
        rf" (?P<subj>{_S}) (?P<not>not )?(?:to |about )(?P<vp>.+)",
        "told",
    ),
    _r(rf"\bwhy (?P<neg>{_NEG}) (?P<subj>{_S}) (?P<vp>.+)", "missed"),
    _r(
        rf"\bwhy (?:did|do|does|have|has|can|could|would|will|are|were|is|was) (?P<subj>{_S}) "
        r"not (?P<vp>.+)",
        "missed",
    ),
    _r(
        rf"\bwhy (?:did|do|does|have|has|can|could|would|will|are|were|is|was) (?P<subj>{_S}) "
        r"never (?P<vp>.+)",
        "never",
    ),
    _r(
        r"\b(?:had|have|has) one job:? (?:to |and that was to |and it was to )?(?P<vp>.+)", "missed"
    ),
    _r(
        rf"\bwhy is it that (?P<subj>{_S}) (?:never|can't|cannot|don't|didn't|won't|haven't) "
        rf"(?P<vp>.+)",
        "never",
    ),
    _r(rf"\bwhy is it that (?P<subj>{_S}) (?:always|keep|constantly) (?P<vp>.+)", "habit"),
    _r(
        rf"\bwhy (?:do|does|did|are|is|were|was) (?P<subj>{_S}) (?:always|keep|keeps|constantly) "
        rf"(?P<vp>.+)",
        "habit",
    ),
    _r(rf"\bhow come (?P<subj>{_S}) {_NEG} (?P<vp>.+)", "missed"),
    _r(rf"\bhow come (?P<subj>{_S}) never (?P<vp>.+)", "never"),
    _r(rf"\bhow come (?P<subj>{_S}) (?:always |keep |keeps |constantly )(?P<vp>.+)", "habit"),
    _r(rf"\bwhy would (?P<subj>{_S}) (?:ever |even )?(?P<vp>.+)", "decision"),
    _r(
        rf"\bwhat (?:were|was|are) (?P<subj>{_S}) thinking,? (?:when|by|with|about|in|letting) "
        rf"(?:{_S} )?(?P<vp>.+)",
        "decision",
    ),
    _r(
        rf"\b(?P<subj>{_S}) (?:really |clearly |obviously )?(?:shouldn't have|should not have"
        r"|shouldn't've) (?P<vp>.+)",
        "decision",
    ),
    _r(
        rf"\b(?P<subj>{_S}) (?:really |clearly |obviously |honestly )?(?:should have|should've"
        rf"|shoulda"
        r"|ought to have|could have|could've|might have|might've)(?: at least)? (?P<vp>.+)",
        "should",
    ),
    _r(rf"\b(?P<subj>{_S})(?:'d| had) better (?:have )?(?P<vp>.+)", "should"),
    _r(
        rf"\b(?P<subj>{_S}) (?:really |seriously |just |simply )?(?:need to|needed to|have to|had "
        rf"to"
        r"|must|gotta|got to|better) (?:have )?(?P<vp>.+)",
        "should",
    ),
    _r(
        rf"\b(?P<subj>{_S})(?:'re| were| are| was| is) (?:supposed|meant) to (?:have )?(?P<vp>.+)",
        "should",
    ),
    _r(
        rf"\b(?P<subj>{_S}) (?:said|promised|told me) (?:{_S})(?:'d| would| were going to| will) "
        r"(?:have )?(?P<vp>.+)",
        "should",
    ),
    _r(rf"\b(?P<subj>{_S}) promised to (?P<vp>.+)", "should"),
    _r(
        rf"\bwe agreed (?:that )?(?P<subj>{_S})(?:'d| would| were going to| will) (?:have "
        rf")?(?P<vp>.+)",
        "should",
    ),
    _r(
        rf"\b(?:have|did|do|does|has|are|were|can|could) (?P<subj>{_S}) (?:ever )?"
        r"(?:even|actually|really) (?P<vp>.+)",
        "doubt",
    ),
    _r(rf"\b(?P<subj>{_S}) (?P<neg>{_NEG}) even (?P<vp>.+)", "doubt"),
    _r(
        rf"\b(?:can't|cannot|couldn't|won't) (?P<subj>{_S}) (?:just |even |at least |ever "
        rf")?(?P<vp>.+)",
        "doubt",
    ),
    _r(rf"\b(?:can|could) (?P<subj>{_S}) not (?:just )?(?P<vp>.+)", "doubt"),
    _r(
        rf"\b(?P<subj>{_S})(?:'re|'ve| are| have| has)? still (?P<neg>{_NEG}|not) (?P<vp>.+)",
        "missed",
    ),
    _r(
        rf"\b(?P<subj>{_S}) (?:forgot to|failed to|neglected to|didn't bother to|never bothered to"
        r"|couldn't be bothered to) (?P<vp>.+)",
        "missed",
    ),
    _r(
        rf"\b(?P<subj>{_S})(?:'ve| have| has)? (?:just |literally |really |basically )?never "
        r"(?:even |actually |really |once )?(?P<vp>.+)",
        "never",
    ),
    _r(
        rf"\b(?P<subj>{_S})(?P<be>'re| are| were| was| is)? (?:just |literally |really |basically "
        rf")?"
        r"(?:always|constantly|forever) (?P<vp>.+)",
        "habit",
    ),
    _r(rf"\b(?P<subj>{_S}) keeps? (?P<vp>\w+ing\b.*)", "habit"),
    _r(r"^(?:and |but |so |you )?never (?:even |actually )?(?P<vp>.+)", "never"),
    _r(
        r"\b(?:nice|good|kind|great|lovely|sweet) of (?P<subj>you|u) to (?:finally |actually "
        r"|eventually )?(?P<vp>.+)",
        "sarcasm",
    ),
    _r(r"\bthank(?:s| you) (?:so much )?for finally (?P<vp>.+)", "sarcasm"),
    _r(
        r"\blook who(?:'s| is)? (?:finally |decided to |has decided to |bothered to )?(?P<vp>.+)",
        "sarcasm",
    ),
    _r(rf"\b(?P<subj>{_S})(?:'ve|'re| have| has| are)? finally (?P<vp>.+)", "sarcasm"),
    _r(r"\bglad (?:you|u) could (?:finally )?(?P<vp>make it.*)", "sarcasm"),
    _r(r"\bdecided to (?P<vp>.+)", "sarcasm"),
    _r(rf"\b(?P<subj>{_S}) (?P<neg>{_NEG}) (?P<vp>.+)", "missed"),
    # "Are you going to finish the migration or not?": the thing still to do.
    _r(
        r"^(?:are|were) (?P<subj>you|u) (?:actually |really |ever |even )*(?:going to|gonna"
        r"|planning to|about to) (?P<vp>.+)",
        "missed",
    ),
    _r(
        r"^(?:do|did|will|can|could|have|are) (?P<subj>you|u) (?:actually |really |ever |even )*"
        r"(?P<vp>.+?),? or (?:not|what)\b",
        "missed",
    ),
    _r(rf"\bwhy (?:did|do|does|have|has) (?P<subj>{_S}) (?P<vp>.+)", "decision"),
    _r(
        r"\b(?P<subj>you|he|she|they) (?P<vp>(?:\w+ed|broke|forgot|left|lost|wrote|sent|made|did"
        r"|took|went|came|ran|got)\b.*)",
        "decision",
    ),
)

# Where a verb phrase stops: punctuation, or the reproach or aside that follows it.
_BOUNDARY = re.compile(
    r"\s*(?:[,;?!…]|[:.](?!\d)|\s[-–—]\s|\b(?:because|when i|after i|like i|as i|as we|like we"
    r"|even though|although|despite|since i|or else|and why|for the \w+ time"
    r"|every (?:single )?time|again"
    r"|for once|as usual|as always|like always|do you|did you|are you|have you|huh|or what|or not"
    r"|which is|that's|it's not|seriously|obviously|clearly|honestly|you know|right|after (?:two"
    r"|three|four|five|six|several|a few|many|\d+) \w+|after all|like everyone|like every"
    r"|like the (?:others|rest)|like other people|like (?:the |your )?(?:colleagues|teammates))\b)",
    re.IGNORECASE,
)
_LEADING = re.compile(
    r"^(?:(?:just|even|ever|actually|really|simply|seriously|honestly|literally|at least|once"
    r"|finally|again|even once|once again|bother to|bothered to|manage to|managed to|try to"
    r"|tried to|trying to|remember to|remembered to|get around to|got around to|go and|have|to"
    r"|been able to|be able to|able to|going to|gonna|planning to|about to)\s+)+",
    re.IGNORECASE,
)
_TRAILING = re.compile(
    r"(?:\s+(?:yet|already|by now|so far|at all|anymore|any more|this week|last week|this time"
    r"|today|yesterday|lately|recently|ever|even|either|then|please|man|mate|dude|huh|right|ok"
    r"|okay|honestly|seriously|really|properly|for once|again|in the first place|like i asked"
    r"|as agreed|as discussed|like we agreed|as we agreed|for me|or not|or what|now|still|too"
    r"|like that|though|anyway|like i said|as i said|after all))+$",
    re.IGNORECASE,
)
_PARTICLES = word_set(
    """
    up out on to at in about through with for back over into off down
    """
)
_OBJECT_PRONOUNS = word_set(
    """
    it that this them me us him her something anything everything things
    """
)
_ADVERBS = word_set(
    """
    first earlier sooner later beforehand more less properly well better quickly carefully
    often regularly again now today
    """
)
_DETERMINERS = word_set(
    """
    the a an my your our their his her this that these those any some
    """
)
_MEETINGS = re.compile(
    r"\b(?:sessions?|meetings?|calls?|standups?|stand-ups?|retros?|1:1s?|one-to-ones?|syncs?"
    r"|check-ins?|classes|class|workshops?|demos?|lectures?|catch-ups?)\b"
)
_DEADLINES = re.compile(
    r"\b(?:deadlines?|due dates?|milestones?|targets?|the release|the sprint)\b"
)
_MESSAGES = re.compile(
    r"\b(?:messages?|e-?mails?|comments?|feedback|pings?|slack|dms?|texts?|notes?|reviews?|questions?)\b"
)
_BUILD = re.compile(r"\b(?:build|tests?|ci|pipeline|suite)\b")
_ATTEND_VP = re.compile(
    r"^(?:show(?:ed|ing|s)? up|turn(?:ed|ing|s)? up|come|came|coming|join(?:ed|ing)?(?: us)?"
    r"|attend(?:ed|ing)?|arriv\w*|make it|made it|making it|get here|got here|be here|grace us"
    r"|appear(?:ed)?)\b"
)


_WHEN = re.compile(
    r"\s+(?:before|by|ahead of|in time for|for)\s+(?:our|the|this|next|tomorrow's|today's|your"
    r"|my)?\s*"
    r"(?:next\s+)?(?:session|meeting|call|sync|1:1|catch-up|standup|stand-up|demo|check-in)s?$"
    r"|\s+by\s+(?:\w+day|tomorrow|tonight|eod|now|the deadline|end of (?:the )?(?:day|week))$",
    re.IGNORECASE,
)


def _clean_vp(vp: str) -> str:
    vp = _BOUNDARY.split(vp, maxsplit=1)[0]
    vp = re.sub(r"\s+", " ", vp).strip(" '\"")
    for _ in range(3):
        vp = _LEADING.sub("", vp).strip()
        vp = _TRAILING.sub("", vp).strip()
        vp = _WHEN.sub("", vp).strip() if len(vp.split()) > 2 else vp
        vp = re.sub(r"\s+(?:for|to|with|on|at|about|by|of|in|from|and|or|the|a|my|your)$", "", vp)
    words = vp.split()
    if len(words) > 10:
        cut = re.search(r"\s(?:and|but|so|which|who|because|while)\s", " ".join(words[3:]))
        vp = (
            " ".join(words[:3]) + " " + " ".join(words[3:])[: cut.start()]
            if cut
            else " ".join(words[:9])
        )
    return vp.strip()


def _restore_case(original: str, low: str, start: int, end: int) -> str:
    """The span from the original text (keeps "PR", "Slack"), if offsets line up."""
    if len(original) == len(low):
        return original[start:end]
    return low[start:end]


def _switch_pronouns(vp: str) -> str:
    """Third-person pronouns to second person: the questions are asked *to* the partner."""
    out: list[str] = []
    words = vp.split()
    for index, word in enumerate(words):
        low = word.lower()
        nxt = words[index + 1].lower() if index + 1 < len(words) else ""
        if low in {"his", "their"}:
            out.append("your")
        elif low == "her":
            out.append(
                "your" if nxt and nxt not in _PARTICLES and nxt not in {"and", "or"} else "you"
            )
        elif low == "him":
            out.append("you")
        elif low in {"himself", "herself", "themselves", "themself"}:
            out.append("yourself")
        else:
            out.append(word)
    return " ".join(out)


def _object_of(rest: str) -> str | None:
    words = rest.split()
    while words and words[0].lower() in _PARTICLES | {"me", "us", "him", "you"}:
        words = words[1:]
    if not words or len(words) > 7 or words[0].lower() in _ADVERBS | {"a", "an"}:
        return None  # "write a test": no particular test to ask about
    if len(words) == 1 and words[0].lower() in _OBJECT_PRONOUNS:
        return None
    if words[0].lower() in _OBJECT_PRONOUNS and words[0].lower() not in _DETERMINERS:
        return None
    phrase = " ".join(words)
    if (
        re.search(r"\b(?:to|when|before|after|if|on time)\b", phrase)
        and words[0].lower() not in _DETERMINERS
    ):
        return None
    return phrase


def _verb_topic(vp: str, polarity: str = "missed", habit: bool = False) -> Topic | None:
    """A topic from a verb phrase in any tense: "pushed your PR" -> "pushing your PR"."""
    words = vp.split()
    if not words:
        return None
    first = words[0]
    if not re.fullmatch(r"[A-Za-z'-]+", first) or (not is_verb_form(first) and len(words) > 6):
        return None
    base_verb = to_base(first)
    rest_words = words[1:]
    if base_verb == "look" and rest_words[:1] in (["at"], ["into"], ["over"], ["through"]):
        base_verb, rest_words = "go", ["through", *rest_words[1:]]
    if base_verb in {"reply", "respond"} and not rest_words:
        rest_words = ["to", "my", "messages"]
    if (
        base_verb in {"test", "check", "review", "merge", "push", "deploy", "lint", "run"}
        and rest_words[:1]
        and rest_words[0].lower() in {"it", "this", "that", "them"}
    ):
        rest_words = ["your", "changes", *rest_words[1:]]
    # "start writing tests" -> "writing tests"
    if base_verb in {"start", "begin", "keep", "stop", "continue", "finish"} and rest_words:
        nxt = rest_words[0].lower()
        if nxt.endswith("ing") and is_verb_form(nxt) and base_verb != "finish":
            base_verb, rest_words = to_base(nxt), rest_words[1:]
    # Coordinated verbs: "finish the chapter and did the exercises".
    act_rest: list[str] = []
    base_rest: list[str] = []
    for index, word in enumerate(rest_words):
        prev = rest_words[index - 1].lower() if index else ""
        if prev in {"and", "or"} and is_verb_form(word) and word.lower() not in _DETERMINERS:
            act_rest.append(gerund(to_base(word)))
            base_rest.append(to_base(word))
        else:
            act_rest.append(word)
            base_rest.append(word)
    rest = " ".join(act_rest)
    base = " ".join([base_verb, *base_rest]).strip()
    act = " ".join([gerund(base_verb), rest]).strip()
    return Topic(
        act=act,
        base=base,
        obj=_object_of(" ".join(base_rest)),
        polarity="event" if polarity == "event" else "missed",
        habit=habit,
    )


_ATTEND_WORDS: dict[str, tuple[str, str]] = {
    # the verb the speaker used -> (gerund, base) for "... on time"
    "show": ("showing up", "show up"),
    "turn": ("turning up", "turn up"),
    "join": ("joining", "join"),
}


def _attendance(on_time: bool, what: str | None = None, said: str = "") -> Topic:
    """Getting to a session (on time), phrased with the speaker's own verb where possible."""
    target = what or "our sessions"
    if re.fullmatch(r"(?:our|the|my) (?:session|meeting|call|mentoring session)", target.lower()):
        target = "our session" if re.search(r"\bsession\b", said) else "our sessions"
    # Mentoring sessions get the attendance phrasings; a team meeting (retro, standup) is a habit.
    mentoring = re.match(
        r"our (?:(?:mentoring |next |last )?sessions?|1:1s?|one-to-ones?|catch-ups?|check-ins?"
        r"|calls?|meetings?)\b",
        target.lower(),
    )
    category: Category = "attendance" if mentoring else "habit"
    missed = re.search(r"\b(skip|miss|cancel|drop|bail)(?:ped|ed|led|ing|ling|s)?\b", said)
    if missed and not on_time:
        return replace(
            _attendance(on_time, what, said.replace(missed.group(0), "")),
            missed=missed.group(1) + (" on" if missed.group(1) == "bail" else ""),
        )
    verb = re.search(r"\b(show|turn)(?:ed|ing|s)? up\b|\b(join)(?:ed|ing|s)?\b", said)
    gerund_, base_ = _ATTEND_WORDS[(verb.group(1) or verb.group(2))] if verb else ("", "")
    if on_time:
        if base_ == "join":
            return Topic(
                act=f"joining {target} on time",
                base=f"join {target} on time",
                obj=target,
                category=category,
            )
        if base_:
            return Topic(
                act=f"{gerund_} on time for {target}",
                base=f"{base_} on time for {target}",
                obj=target,
                category=category,
            )
        return Topic(
            act=f"arriving on time for {target}",
            base=f"arrive on time for {target}",
            obj=target,
            category=category,
        )
    if base_:
        join = "" if base_ == "join" else " to"
        return Topic(
            act=f"{gerund_}{join} {target}",
            base=f"{base_}{join} {target}",
            obj=target,
            category=category,
        )
    return Topic(
        act=f"making it to {target}", base=f"make it to {target}", obj=target, category=category
    )


def _predicate_topic(pred: str, context: str) -> Topic:
    """A topic from "you're always late" / "why aren't you ready?" (be + predicate)."""
    pred = re.sub(
        r"^(?:so|that|even|always|never|ever|just|really|more and more)\s+", "", pred
    ).strip()
    low = pred.lower()
    for_match = re.search(r"\b(?:for|to) (.+)$", pred)
    target = (
        for_match.group(1) if for_match and _MEETINGS.search(for_match.group(1).lower()) else None
    )
    if re.match(r"(?:late|on time|punctual|never on time)\b", low):
        return _attendance(True, target, context)
    if re.match(r"(?:here|there|around|at (?:the|our) (?:session|meeting|call))\b", low):
        return _attendance("late" in context, target, context)
    if re.match(r"(?:ready|prepared|unprepared)\b", low):
        what = for_match.group(1) if for_match else "our sessions"
        category: Category = "habit" if what == "our sessions" else "preparation"
        return Topic(
            act=f"getting ready for {what}",
            base=f"get ready for {what}",
            obj=what,
            category=category,
        )
    if re.match(r"(?:behind|falling behind)\b", low):
        thing = re.sub(r"^(?:falling )?behind\s*(?:on|with)?\s*", "", pred).strip()
        thing = thing or "what we planned"
        return Topic(act=f"keeping up with {thing}", base=f"keep up with {thing}", category="habit")
    if re.match(r"(?:disorgani[sz]ed|messy|all over the place|chaotic)\b", low):
        return Topic(act="staying organised", base="stay organised", category="habit")
    if re.match(
        r"(?:distracted|on your phone|not listening|not paying attention|zoned out)\b", low
    ):
        return Topic(
            act="staying focused during our sessions",
            base="stay focused during our sessions",
            category="habit",
        )
    if re.match(r"(?:quiet|silent)\b", low):
        return Topic(
            act="sharing what's on your mind", base="share what's on your mind", category="habit"
        )
    if re.match(r"(?:lazy|unmotivated|checked out)\b", low):
        return Topic(
            act="keeping momentum on what we agreed",
            base="keep momentum on what we agreed",
            category="habit",
        )
    if re.match(r"(?:careless|sloppy)\b", low):
        return Topic(
            act="taking care over the details", base="take care over the details", category="habit"
        )
    if low.endswith("ing") and is_verb_form(low.split()[0]):
        topic = _verb_topic(pred)
        if topic is not None:
            return topic
    return Topic(act=f"being {pred}", base=f"be {pred}")


def _invert_failure(topic: Topic, vp_low: str) -> Topic | None:
    """A failure stated as a verb ("missed the session") as the thing to aim for instead."""
    base = (topic.base or "").split()
    if not base:
        return None
    verb, rest = base[0].lower(), " ".join(base[1:])
    rest_low = rest.lower()

    def goal(new_base: str, category: Category | None = None) -> Topic:
        made = _verb_topic(new_base) or topic
        return replace(made, category=category or made.category, polarity="missed", habit=False)

    if verb in {"miss", "skip", "cancel", "forget", "bail"} and _MEETINGS.search(rest_low):
        target = re.sub(r"^(?:on|about)\s+", "", rest)
        target = re.sub(r"\s+(?:at (?:the )?last minute|last-minute|so late|late)$", "", target)
        on_time = bool(re.search(r"\blate\b", vp_low))
        return _attendance(on_time, target, vp_low)
    if verb == "miss" and _DEADLINES.search(rest_low):
        thing = re.sub(r"^(?:the|a|our|my|your)\s+", "", rest)
        work = f"the work for the {thing}"
        return Topic(act=work, base=f"get {work} done", obj=work, category="deadline")
    if verb in {"skip", "miss"} and rest:
        return goal(f"make time for {rest}")
    if verb == "forget":
        if rest_low.startswith("to "):
            inner = _verb_topic(rest[3:])
            return replace(inner, polarity="missed", habit=False) if inner else None
        if rest:
            return goal(f"remember {re.sub(r'^about ', '', rest)}")
    if verb == "ignore" and rest:
        if _MESSAGES.search(rest_low):
            return goal(f"respond to {rest}", "communication")
        return goal(f"follow up on {rest}")
    if verb == "break" and rest:
        if _BUILD.search(rest_low):
            return goal(f"keep {rest} green", "quality")
        if re.search(r"\b(?:main|master|prod|production|staging)\b", rest_low):
            return goal(f"keep {rest} stable", "quality")
    if verb == "ghost":
        return Topic(
            act="staying in touch between sessions",
            base="stay in touch between sessions",
            category="communication",
        )
    if verb == "procrastinate":
        target = re.sub(r"^on\s+", "", rest)
        return goal(f"get started on {target}" if target else "get started early")
    if verb == "leave" and rest:
        match = re.match(r"(.+?)\s+(?:unfinished|half-done|half done|incomplete)$", rest)
        if match:
            return goal(f"finish {match.group(1)}")
        match = re.match(
            r"(.+?)\s+(?:un)?til{1,2} the last minute$|(.+?)\s+to the last minute$", rest
        )
        if match:
            thing = (match.group(1) or match.group(2) or "").strip()
            thing = "" if thing.lower() in {"it", "things", "everything", "stuff"} else thing
            return goal(
                f"get started on {thing} before the last minute"
                if thing
                else "get started before the last minute"
            )
    if verb == "rush" and rest:
        return goal(f"give {rest} the time it needs")
    if verb == "lose" and rest_low.startswith("track of "):
        return goal(f"keep {rest}")
    if verb in {"mess", "screw", "botch"}:
        thing = re.sub(r"^up\s+", "", rest)
        return goal(f"get {thing} right") if thing and thing.lower() not in {"it", "up"} else None
    if verb == "fall" and rest_low.startswith("behind"):
        thing = re.sub(r"^behind\s*(?:on|with)?\s*", "", rest)
        return goal(f"keep up with {thing}" if thing else "keep up with what we planned")
    if verb in {"show", "turn", "come", "arrive", "get"} and re.search(r"\blate\b", rest_low):
        return _attendance(True, None, vp_low)
    return None


_IDIOMS: tuple[tuple[re.Pattern[str], Topic], ...] = (
    (
        re.compile(r"^take (?:this|it|things|our sessions|the mentoring|mentoring) seriously"),
        Topic(
            act="making time for our mentoring work",
            base="take time for our mentoring work",
            category="habit",
        ),
    ),
    (
        re.compile(r"^(?:communicate|talk to me|keep me (?:posted|updated|in the loop))\b"),
        Topic(
            act="keeping each other in the loop",
            base="keep each other in the loop",
            category="communication",
        ),
    ),
    (
        re.compile(r"^(?:listen|pay attention)\b"),
        Topic(act="hearing each other out", base="hear each other out", category="habit"),
    ),
)
_BLOCKED = re.compile(
    r"^(?:tell|let|ping|message) me (?:know )?(?:that |when |if )?you(?:'re| are| were| was| got"
    r"| get| had been)? (blocked|stuck|struggling|lost|confused|overwhelmed)"
)
_ASK = re.compile(r"^ask (someone|somebody|anyone|me|us|the team|your team|for help)\b")
# Speaking up is a habit, not a task: "say anything in standup" -> "speaking up in standup".
_SPEAK = re.compile(
    r"^(?:say|says|said|saying|speak|speaks|spoke|speaking|contribute|contributes|contributed"
    r"|contributing|chip in|chipped in|chipping in|pipe up|piped up|piping up)"
    r"(?: (?:anything|something|much|a word|a thing|more|up|out|at all))*"
    r"(?P<rest> (?:in|at|during|on|when) [^?.!,]+)?\s*$"
)


def _idiom(vp_low: str) -> Topic | None:
    """Set phrases whose literal gerund reads badly ("taking this seriously")."""
    for pattern, topic in _IDIOMS:
        if pattern.match(vp_low):
            return topic
    blocked = _BLOCKED.match(vp_low)
    if blocked:
        state = blocked.group(1)
        return Topic(
            act=f"letting me know when you're {state}",
            base=f"let me know when you're {state}",
            category="communication",
        )
    speak = _SPEAK.match(vp_low)
    if speak:
        rest = (speak.group("rest") or "").rstrip()
        return Topic(act=f"speaking up{rest}", base=f"speak up{rest}", category="habit")
    ask = _ASK.match(vp_low)
    if ask:
        who = "" if ask.group(1) == "for help" else f"{ask.group(1)} "
        return Topic(
            act=f"asking {who}for help when you're stuck",
            base=f"ask {who}for help when you're stuck",
            category="habit",
        )
    return None


def _topic_from_vp(vp: str, how: str, subj: str, neg: str, context: str) -> Topic | None:
    """Turn a recovered verb phrase into a topic, handling be-predicates, idioms and failures."""
    if not vp:
        return None
    if subj in _THIRD or (subj not in _PERSON_WORDS and subj):
        vp = _switch_pronouns(vp)
    low = vp.lower()
    polarity = "event" if how in {"decision", "habit"} else "missed"
    idiom = _idiom(low)
    if idiom is not None:
        return idiom
    if how == "told" and "not" in neg:
        polarity = "event"
    if how == "sarcasm" or (how in {"missed", "habit", "never"} and _ATTEND_VP.match(low)):
        if how == "sarcasm" and not _ATTEND_VP.match(low):
            # "thanks for finally replying": the thing that was slow, phrased as the goal.
            verb_topic = _verb_topic(vp)
            if verb_topic is not None:
                return replace(verb_topic, polarity="missed")
        late = how in {"sarcasm", "habit"} or bool(
            re.search(r"\b(?:late|on time|finally)\b", context)
        )
        return _attendance(late, None, context)
    if _BE_NEG.match(neg) or low.startswith("be ") or (how == "habit" and _is_predicate(low)):
        pred = re.sub(r"^be\s+", "", vp)
        if not (pred.split()[0].lower().endswith("ing") and is_verb_form(pred.split()[0])):
            return _predicate_topic(pred, context)
        vp = pred
        low = vp.lower()
    topic = _verb_topic(vp, polarity, habit=how == "habit")
    if topic is None:
        return None
    inverted = _invert_failure(topic, low + " " + context)
    if inverted is not None:
        return inverted
    return topic


_PREDICATE_STARTS = word_set(
    """
    absent behind busy careless disorganised disorganized distracted here late lazy messy on
    quiet ready silent sloppy so unprepared
    """
)


def _is_predicate(vp_low: str) -> bool:
    first = vp_low.split()[0] if vp_low.split() else ""
    return first in _PREDICATE_STARTS


# Work that is handed in (so it is "in on time"), and people (whose lateness is attendance).
_HANDED_IN = word_set(
    """
    pr prs request requests report reports review reviews timesheet timesheets homework
    assignment assignments slides draft drafts proposal proposals estimate estimates write-up
    doc docs rfc rfcs changes patch notes summary application
    """
)
_PEOPLE = word_set(
    """
    mentee mentor partner colleague colleagues teammate teammates manager lead boss intern team
    """
)
# The verb that makes a piece of work, for "writing your code review comments".
_CRAFT_VERBS: dict[str, str] = {
    **dict.fromkeys(
        "comments comment code tests test docs documentation messages message descriptions "
        "description notes note reports report emails email commits updates update summary "
        "write-up tickets ticket specs spec".split(),
        "write",
    ),
    **dict.fromkeys("prs pr requests request slides deck demo".split(), "put together"),
    **dict.fromkeys("reviews review".split(), "do"),
    **dict.fromkeys("estimates estimate plans plan".split(), "make"),
}


def _thing_topic(how: str, raw_np: str, state: str) -> Topic | None:
    """A topic about a piece of work ("your PR", "this ticket") rather than an action."""
    np = _switch_pronouns(_clean_vp(raw_np))
    words = np.split()
    if len(words) < 2 or words[-1].lower() in _PEOPLE or _MEETINGS.search(np.lower()):
        return None
    head = words[-1].lower()
    if how == "decision-np":
        return Topic(act=np, obj=np, polarity="event", habit=False)
    if how == "late-thing":
        state = state.lower()
        if state.startswith("not started"):
            return Topic(
                act=f"getting started on {np}",
                base=f"get started on {np}",
                obj=np,
                category="deadline",
            )
        if state in {"late", "overdue", "delayed", "behind schedule"}:
            done = "in on time" if head in _HANDED_IN else "done on time"
        elif state.startswith("not "):
            done = state[4:]
        else:  # open, unfinished, in progress
            done = "merged" if head in {"pr", "prs", "request", "requests"} else "done"
        return Topic(
            act=f"getting {np} {done}", base=f"get {np} {done}", obj=np, category="deadline"
        )
    if how == "label-thing":
        verb = _CRAFT_VERBS.get(head, "work on")
        first, *rest = verb.split()
        act = " ".join([gerund(first), *rest, np])
        return Topic(act=act, base=f"{verb} {np}", obj=np, category="quality")
    return None


def _engaged_topic(vp: str, said: str) -> Topic:
    """What someone's commitment was doubted about: "interested in this mentorship"."""
    thing = re.sub(rf"^{_ENGAGED}\b\s*(?:in|about|to|with|by|for|on)?\s*", "", vp, flags=re.I)
    thing = _switch_pronouns(thing).strip()
    if not thing or thing.lower() in _OBJECT_PRONOUNS | {"any of this", "all this", "all of this"}:
        thing = "our mentoring"
    first = thing.split()[0].lower()
    if first.endswith("ing") and is_verb_form(first) and len(thing.split()) > 1:
        topic = _verb_topic(thing)
        if topic is not None:
            return replace(topic, category="engagement")
    return Topic(act=thing, obj=thing, category="engagement")


# What a shortcut skipped: "without reading it", "without a review", "straight to main".
_WITHOUT = re.compile(r"\s+without\s+(?P<what>.+)$", re.IGNORECASE)
_STRAIGHT = re.compile(
    r"\s+(?:straight|directly)\s+(?:to|into|onto|in)\s+(?:main|master|prod|production|trunk"
    r"|staging|the main branch)\b",
    re.IGNORECASE,
)
_WITHOUT_NOUN: dict[str, str] = {
    "review": "get a review",
    "reviews": "get a review",
    "test": "add a test",
    "tests": "add some tests",
    "testing": "test it",
    "plan": "make a plan",
    "ticket": "open a ticket",
    "word": "give me a heads-up",
    "heads-up": "give me a heads-up",
    "warning": "give me a heads-up",
}


def _split_shortcut(vp: str) -> tuple[str, str | None]:
    """A verb phrase without its "without X-ing" clause, and the skipped step in base form."""
    if _STRAIGHT.search(vp):
        return vp, "open a PR and get a review"
    match = _WITHOUT.search(vp)
    if not match:
        return vp, None
    what = match.group("what").strip()
    head, *rest = what.split()
    low = head.lower()
    skipped: str | None = None
    if low in {"a", "an", "any"} and rest:
        skipped = _WITHOUT_NOUN.get(rest[0].lower())
    elif low.endswith("ing") and is_verb_form(low):
        tail = " ".join(rest)
        tail = re.sub(r"\b(?:anyone|anybody)\b", "someone", tail)
        tail = re.sub(r"\bany\b", "some", tail)
        skipped = " ".join([to_base(low), tail]).strip()
    elif low in _WITHOUT_NOUN:
        skipped = _WITHOUT_NOUN[low]
    return vp[: match.start()].strip(), skipped


def _resolve_pronoun(step: str, obj: str | None) -> str:
    """Resolve a pronoun in a skipped step: "read it" -> "read the PR" (object "that PR")."""
    if not obj:
        return re.sub(r"\b(?:it|them)$", "your changes", step)
    words = obj.split()
    short = "the " + words[-1] if words[0].lower() in _DETERMINERS else obj
    plural = words[-1].lower().endswith("s") and not words[-1].lower().endswith("ss")
    return re.sub(r"\bthem\b" if plural else r"\bit\b", short, step, count=1)


def extract_topic(text: str) -> Topic:
    """What a (judgemental or curious) question is about, recovered with rules over the sentence.

    ``"Why didn't you finish the chapter again?"`` -> ``finishing the chapter``;
    ``"You never update the ticket, why?"`` -> ``updating the ticket``;
    ``"Nice of you to finally show up"`` -> ``arriving on time for our sessions``.
    Falls back to a vague topic (``found=False``) when nothing can be recovered.
    """
    original = normalise_cased(text)
    low = normalise(original)
    if len(low) != len(original):
        original = low
    sentences = [(m.start(), m.group(0)) for m in re.finditer(r"[^.?!…]+[.?!…]*", low)]
    for rule in _RULES:
        for offset, sentence in sentences:
            match = rule.pattern.search(sentence)
            if match is None:
                continue
            groups = match.groupdict()
            subj = (groups.get("subj") or "").strip()
            if subj and subj not in _PERSON_WORDS:
                start = offset + match.start("subj")
                if not original[start : start + 1].isupper():
                    continue  # "why didn't the build pass": not a person
            if groups.get("thing"):
                raw = _restore_case(
                    original, low, offset + match.start("thing"), offset + match.end("thing")
                )
                subject = re.sub(r"\s+(?:to|for) (?:you|u)$", "", _clean_vp(raw)).strip()
                # "how rebasing works" -> "rebasing"; other wh-clauses have no object to name.
                wh = re.match(r"(?:how|what) (.+?) (?:works?|does|means|is for)$", subject)
                obj = wh.group(1) if wh else subject
                if re.match(r"(?:how|what|why|when|where|which|who)\b", obj):
                    obj = ""
                if subject:
                    return Topic(
                        act=f"getting comfortable with {subject}",
                        base=f"get comfortable with {subject}",
                        obj=obj or None,
                        category="learning",
                    )
                continue
            if groups.get("np"):
                raw_np = _restore_case(
                    original, low, offset + match.start("np"), offset + match.end("np")
                )
                work = _thing_topic(rule.how, raw_np, groups.get("state") or "")
                if work is not None:
                    return work
                continue
            vp_start, vp_end = offset + match.start("vp"), offset + match.end("vp")
            raw = _restore_case(original, low, vp_start, vp_end)
            if rule.how == "engaged":
                return _engaged_topic(_clean_vp(raw), low)
            idiom = _idiom(raw.lower().lstrip())
            if idiom is not None:
                return idiom
            how = rule.how
            if how == "missed" and re.match(r"\s*ever\b", raw.lower()):
                how = "never"  # "why don't you ever ...": a habit, not one miss
            vp, skipped = _split_shortcut(_clean_vp(raw))
            neg = (groups.get("neg") or groups.get("not") or "").strip()
            topic = _topic_from_vp(vp, how, subj, neg, low)
            if topic is not None and topic.act.strip():
                category = topic.category
                if category == "general":
                    category = categorise(topic.act, low)
                if how in {"never", "habit"} and category in TASK_CATEGORIES:
                    category = "habit"
                if how == "should" and topic.obj is None and category in TASK_CATEGORIES:
                    category = "habit"  # "you should have asked first": a way of working
                if skipped:
                    skipped = _resolve_pronoun(skipped, topic.obj)
                return replace(topic, category=category, skipped=skipped or topic.skipped)
    # No verb phrase: lean on keywords ("Late again?", "Seriously? The build is broken.").
    if re.search(r"\blate\b|\bfinally\b.*\b(?:here|made it)\b|\bmake it\b", low):
        return _attendance(True, None, low)
    if re.search(r"\b(?:missed|skipped)\b.*\b(?:session|meeting|call)\b", low):
        return _attendance(False, None, low)
    if _BUILD.search(low) and re.search(r"\b(?:broken|red|failing)\b", low):
        return Topic(act="keeping the build green", base="keep the build green", category="quality")
    return replace(FALLBACK_TASK, category=categorise("", low))


# --------------------------------------------------------------------------------------------
# Reframe
# --------------------------------------------------------------------------------------------


def _plan(topic: Topic, kinds: Sequence[str], key: str) -> list[list[Family]]:
    """Which families to draw from, slot by slot, depending on the topic and the markers."""
    if topic.polarity == "event":
        return [
            ["story"],
            ordered(["context", "view"], key, "b"),
            ordered(["team", "view"], key, "c"),
            ["outcome"],
            ["next"],
        ]
    opener: list[Family] = (
        ["checkin", "experience"]
        if {"sarcasm", "exasperation"} & set(kinds) or topic.category == "attendance"
        else ordered(["checkin", "experience"], key, "open")
    )
    understand: list[Family] = ["obstacle"]
    if {"repetition", "absolute"} & set(kinds):
        understand = ["pattern", "obstacle"]
    elif "told" in kinds:
        understand = ["clarity", "obstacle"]
    own: list[Family] = ordered(["support", "planning"], key, "own")
    if "told" in kinds and "clarity" not in understand[:1]:
        own = ["clarity", *own]
    explore: list[Family] = ordered(["learning", "meaning", "planning", "support"], key, "explore")
    if "doubt" in kinds:
        explore = ["learning", *explore]
    return [opener, understand, own, explore, ["forward"]]


def _questions(
    topic: Topic, kinds: Sequence[str], key: str, text: str, avoid: Sequence[str]
) -> Composer:
    words = frozenset(content_words(text) or content_words(topic.act))
    composer = Composer(topic, key, tuple(a.lower() for a in avoid), normalise(text), words)
    for families in _plan(topic, kinds, key):
        composer.add_first(families)
    # Top up from any family if a slot found nothing that reads well for this topic.
    spare: list[Family] = (
        [
            "obstacle",
            "support",
            "planning",
            "learning",
            "forward",
            "experience",
            "meaning",
            "checkin",
        ]
        if topic.polarity == "missed"
        else ["view", "context", "team", "outcome", "next"]
    )
    for family in ordered(spare, key, "spare"):
        if len(composer.chosen) >= 4:
            break
        composer.add(family)
    composer.keep_topic(ordered(spare, key, "spare"))
    return composer


_Follow = tuple[Family, str, str]


def _follow_ups(shape: str, t: Topic | None) -> list[_Follow]:
    """Follow-up questions for an already-curious question, keyed to what it asks."""
    act = t.act if t else ""
    thing = (t.obj or t.act) if t else ""
    on = f" with {thing}" if thing else ""
    follow: dict[str, list[_Follow]] = {
        "obstacle": [
            (
                "forward",
                f"What would make {act} easier next time?"
                if t
                else "What would make it easier next time?",
                "Follow-up, a bias for action: once the obstacle is named, asks what would help.",
            ),
            (
                "support",
                f"What could I do differently to make {act} easier?"
                if t
                else "What could I do differently to help with that?",
                "Follow-up, shared ownership: includes your side in the fix.",
            ),
        ],
        "experience": [
            (
                "experience",
                f"What went well with {act}, and what would you change?"
                if t
                else "What's one thing that went well, and one thing that didn't?",
                'More specific: a concrete prompt gets a fuller answer than a general "how did it '
                'go".',
            ),
            (
                "forward",
                f"What would you like to focus on next{on}?",
                "Follow-up, a bias for action: turns the update into a next step.",
            ),
        ],
        "tried": [
            (
                "meaning",
                f"Given what you've tried so far, what outcome would be ideal for you{on}?",
                'Follow-up, reciprocal curiosity: the guide pairs "What have you tried so far?" '
                "with "
                '"What outcome would be ideal for you?"',
            ),
            (
                "learning",
                f"Of everything you've tried so far{on}, what came closest to working?",
                "More specific: points at what worked so the next attempt builds on it.",
            ),
        ],
        "forward": [
            (
                "support",
                f"What could I do, on my side, to help{on}?",
                "Follow-up, shared ownership: offers your part of the plan too.",
            ),
            (
                "forward",
                f"What's one small step{on} you could take before we next meet?",
                "More specific, a bias for action: narrows the plan to one concrete step.",
            ),
        ],
        "support": [
            (
                "forward",
                "What's one thing I could do differently in our next session?",
                "More specific: asks for one concrete change, which is easier to answer honestly.",
            ),
            (
                "clarity",
                "What's something I do in our sessions that you'd like more of?",
                "Follow-up, open communication: invites positive feedback too, which makes the "
                "critical kind easier to give.",
            ),
        ],
        "checkin": [
            (
                "experience",
                "What's been the best part of your week, and what's been hardest?",
                'More specific: two concrete prompts get past "fine, thanks".',
            ),
            (
                "support",
                "What's been on your mind this week that you'd like us to start with today?",
                "Follow-up, shared ownership: lets your partner set part of the agenda.",
            ),
        ],
        "decision": [
            (
                "view",
                f"What other options did you weigh up, and what tipped the balance towards {act}?"
                if t
                else "What other options did you weigh up, and what tipped the balance?",
                "More specific, reciprocal curiosity: asks for the reasoning, which you may learn "
                "from too.",
            ),
            (
                "outcome",
                f"Looking back, how do you feel about {act} now?"
                if t
                else "Looking back, how do you feel about that choice now?",
                "Follow-up, learning through action: reflects on the result together.",
            ),
        ],
        "general": [
            (
                "forward",
                f"What would you like to do next{on}?",
                "Follow-up, a bias for action: moves from understanding to a next step your "
                "partner chooses.",
            ),
            (
                "support",
                f"How could I help{on}?",
                "Follow-up, shared ownership: offers support without taking the problem over.",
            ),
        ],
    }
    return follow[shape]


def _refinements(
    text: str,
) -> tuple[Topic | None, list[CuriousQuestion], list[Family]]:
    """For an already-curious question: 1-3 optional improvements, never the input itself.

    Structural fixes come first (a "why" that can sound like a demand, a yes/no question that
    closes the conversation), then a follow-up suited to what the question asks, then a
    shorter version of a long question. At least half keep the question's own words.
    """
    original = normalise_cased(text)
    low = normalise(original)
    key = low
    words = frozenset(content_words(original))
    topic = _curious_topic(original)
    out: list[tuple[Family, CuriousQuestion]] = []

    def add(family: Family, question: str, rationale: str) -> None:
        q = re.sub(r"\s+", " ", question).strip()
        if not q.endswith("?"):
            q = q.rstrip(".") + "?"
        q = capitalise(q)
        same = normalise(q).rstrip("?") == low.rstrip("?")
        if same or detect_markers(q) or any(normalise(q) == normalise(c.question) for _, c in out):
            return
        out.append((family, CuriousQuestion(question=q, rationale=rationale)))

    decision = False
    why = re.match(r"why (?:did|do|does|have|has) (?:you|u) (?P<vp>.+?)\??$", low)
    if why:
        vp = _clean_vp(_restore_case(original, low, why.start("vp"), why.end("vp")))
        vt = _verb_topic(vp)
        if vt is not None and vt.base:
            topic, decision = topic or vt, True
            add(
                "story",
                pick(
                    [
                        f"What led you to {vt.base}?",
                        f"What made {vt.act} feel like the right call?",
                    ],
                    key,
                    "why",
                ),
                'Softer than "why": asks for the same story without sounding like a demand to '
                "justify it.",
            )
    closed = re.match(
        r"(?P<aux>did|do|does|have|has|are|were|was|is) (?:you|u) (?P<vp>.+?)\??$",
        low,
    )
    anything = re.match(
        r"(?:is|are) there (?:anything|something|any\w*) (?:that )?(?P<rest>.+?)\??$", low
    )
    if anything:
        rest = _restore_case(original, low, anything.start("rest"), anything.end("rest"))
        inverted = re.match(r"(?i)(i|we|you)\s+(could|can|should|might|would|need to)\s+(.+)", rest)
        if inverted:
            subject, modal, tail = inverted.groups()
            subject = "I" if subject.lower() == "i" else subject.lower()
            if modal.lower() == "need to":
                rest = f"do {subject} need to {tail}"
            else:
                rest = f"{modal.lower()} {subject} {tail}"
        add(
            "support",
            f"What {rest}?",
            'Open instead of yes/no: "What..." invites a concrete answer rather than '
            '"no, it\'s fine".',
        )
    elif closed:
        vp = _clean_vp(_restore_case(original, low, closed.start("vp"), closed.end("vp")))
        aux = closed.group("aux")
        state = (
            _state_question(vp, aux in {"were", "was"})
            if aux in {"are", "were", "was", "is"}
            else None
        )
        vt = None if state else _verb_topic(vp)
        if state is not None:
            topic, question = state
            topic = _curious_topic(original) or topic
            add(
                "experience",
                question,
                "Open instead of yes/no: asks how they feel about it, not just whether they do.",
            )
        if vt is not None:
            topic = topic or vt
            past = closed.group("aux") in {"did", "have", "has", "were", "was"}
            question = f"How did {vt.act} go?" if past else f"How is {vt.act} going for you?"
            add(
                "experience",
                question,
                "Open instead of yes/no: lets your partner tell you how it went, not just whether "
                "it happened.",
            )
    shape = "decision" if decision else _curious_shape(low)
    for family, question, rationale in ordered(_follow_ups(shape, topic), key, "follow"):
        if len(out) >= 3:
            break
        add(family, question, rationale)
    if len(low.split()) > 18:
        first = re.match(r"[^?]+\?", original)
        short = _shorten(first.group(0) if first else original)
        if short and len(short.split()) < len(low.split()):
            add(
                "experience",
                short,
                "Shorter: one question at a time is easier to answer and harder to hear as "
                "pressure.",
            )
    chosen = out[:3]
    # The output guardrail wants at least half to keep the question's own words.
    while len(chosen) > 1 and words:
        kept = sum(bool(content_words(q.question) & words) for _, q in chosen)
        if kept >= (len(chosen) + 1) // 2:
            break
        drop = next(
            (
                i
                for i in reversed(range(len(chosen)))
                if not content_words(chosen[i][1].question) & words
            ),
            None,
        )
        if drop is None:
            break
        del chosen[drop]
    return topic, [q for _, q in chosen], [f for f, _ in chosen]


_HEDGES = re.compile(
    r"\b(?:i was (?:just )?wondering(?: if| whether)?|i wanted to ask(?: you)?|if you don't mind "
    r"me "
    r"asking|do you think you could tell me|could you tell me|just|maybe|perhaps|kind of|sort of"
    r"|a little bit|basically|i guess)\b,?\s*",
    re.IGNORECASE,
)


def _shorten(question: str) -> str:
    short = _HEDGES.sub("", question)
    short = re.sub(r"\s+", " ", short).strip(" ,")
    return capitalise(short)


_FEELING_VERBS = word_set("enjoying liking loving hating finding")


def _state_question(vp: str, past: bool = False) -> tuple[Topic, str] | None:
    """A question about a feeling: "Are you interested in X?" is not "interesting in X"."""
    words = vp.split()
    if not words:
        return None
    first = words[0].lower()
    if first in _FEELING_VERBS and len(words) > 1:
        thing = " ".join(words[1:])
        return Topic(act=thing, obj=thing), f"How are you finding {thing}?"
    if first.endswith("ing") and is_verb_form(first):
        return None  # "Are you working on the migration?": an activity
    match = re.match(r"([\w'-]+) (?:in|about|with|by|for|on|of|to) (.+)$", vp)
    if not match:
        return None
    state, thing = match.group(1).lower(), match.group(2)
    if state in {"stuck", "blocked", "lost", "struggling"}:
        return Topic(
            act=thing, obj=thing
        ), f"Where are you with {thing}, and which part feels {state}?"
    if past:
        return Topic(act=thing, obj=thing), f"How do you feel {thing} went?"
    return Topic(act=thing, obj=thing), f"How are you feeling about {thing} at the moment?"


def _curious_shape(low: str) -> str:
    """What kind of curious question this is, to pick follow-ups that complement it."""
    if re.search(r"\b(?:in the way|prevent|stopp?ed you|made it hard|harder|blocked|stuck)\b", low):
        return "obstacle"
    if re.search(r"\btried\b", low):
        return "tried"
    if re.search(
        r"\b(?:i could|can i|could i|i can) (?:do|help|change)\b|\bfrom me\b|\bon my side\b", low
    ):
        return "support"
    if re.search(r"\b(?:next|would help|make it easier|plan|step)\b", low):
        return "forward"
    if re.search(
        r"\b(?:everything okay|everything ok|how are you|your week|how's your week|the week)\b", low
    ):
        return "checkin"
    if re.match(r"(?:how|what was|what's .* like)", low):
        return "experience"
    return "general"


def _curious_topic(original: str) -> Topic | None:
    """The topic of an already-curious question, when it names one."""
    low = normalise(original)
    for pattern in (
        r"\b(?:in the way of|prevented you from|stopped you from|getting around to|harder to"
        r"|easier to|help you|help with) (?P<vp>.+)",
        r"\bhow (?:did|is|was|has|are|were|have) (?P<vp>.+?) (?:go|going|been going|gone)\b",
        r"\b(?:tried so far with|so far on|progress on) (?P<vp>.+)",
    ):
        match = re.search(pattern, low)
        if match:
            vp = _clean_vp(_restore_case(original, low, match.start("vp"), match.end("vp")))
            if not vp or vp.lower() in {"it", "that", "this", "the week", "your week", "things"}:
                return None
            first = vp.split()[0].lower()
            if first.endswith("ing") and is_verb_form(first):
                return _verb_topic(vp)
            if first in _DETERMINERS or not is_verb_form(first):
                return Topic(act=vp, obj=vp)
            return _verb_topic(vp)
    return None


def _without_markers(topic: Topic, markers: Sequence[str]) -> Topic:
    """The topic with any of the input's blame phrases taken out ("... like I asked")."""

    def clean(phrase: str | None) -> str | None:
        if not phrase:
            return phrase
        before = phrase
        for marker in markers:
            phrase = re.sub(rf"\s*\b{re.escape(marker)}\b\s*", " ", phrase, flags=re.IGNORECASE)
        if phrase == before:
            return phrase
        phrase = re.sub(r"\s+", " ", phrase).strip(" ,")
        phrase = re.sub(r"\s+(?:or|and|but|for|to|with|on|at|about|by|of|in)$", "", phrase)
        return phrase or None

    act = clean(topic.act)
    if act == topic.act:
        return topic
    if not act:
        return FALLBACK_TASK if topic.polarity == "missed" else FALLBACK_EVENT
    return replace(topic, act=act, base=clean(topic.base), obj=clean(topic.obj))


def reframe_offline(text: str, passages: list[Passage]) -> ReframeDraft:
    """Turn a judgemental question into curious ones (or refine an already-curious one), offline.

    Deterministic: the same text and passages always give the same draft. Every returned
    question passes :func:`agent.offline.judgement.detect_markers` and repeats none of the
    input's marker phrases. ``cited_ids`` are ids from ``passages`` only.

    Raises:
        ValueError: the text is empty.
    """
    if not text or not text.strip():
        raise ValueError("nothing to reframe: the text is empty")
    markers = detect_markers(text)
    if not markers:
        topic, questions, families = _refinements(text)
        if not _keeps_topic([q.question for q in questions], text):
            questions = _phrase_refinements(text) or questions
        return ReframeDraft(
            judgemental=False,
            markers=[],
            topic=topic.act if topic else "",
            questions=questions,
            cited_ids=cite(passages, families or ["experience"]) if passages else [],
        )
    kinds = marker_kinds(text)
    topic = extract_topic(text)
    if (
        not topic.found
        and topic.polarity == "missed"
        and re.search(
            r"\bwhat (?:were|was) (?:you|u|he|she|they) thinking\b|\bwhy would\b", normalise(text)
        )
    ):
        topic = FALLBACK_EVENT
    if not topic.found:
        # No verb phrase to work with: keep the thing the question is about ("your code").
        phrase = _NOUN_PHRASE.search(text) or _PROPER.search(text.strip())
        if phrase:
            noun = phrase.group("np").strip()
            if phrase.start() == 0 or text[: phrase.start()].strip() == "":
                noun = noun[0].lower() + noun[1:]
            quality = re.search(
                r"\b(messy|sloppy|quality|buggy|careless|untidy|hacky)\b", text, re.I
            )
            topic = Topic(
                act=noun,
                obj=noun,
                category="quality" if quality else topic.category,
                polarity=topic.polarity,
                habit=topic.habit,
            )
    topic = _without_markers(topic, markers)
    key = "|".join([topic.act.lower(), topic.polarity, topic.category, ",".join(kinds)])
    composer = _questions(topic, kinds, key, text, markers)
    chosen = composer.in_order()
    if len(chosen) < 3:
        # Too few phrasings read well for this topic: top up from the general bank, so every
        # judgemental input gets at least three questions.
        spare = FALLBACK_EVENT if topic.polarity == "event" else FALLBACK_TASK
        extra = _questions(replace(spare, category=topic.category), kinds, key, text, markers)
        taken = {c.question.question.lower() for c in chosen}
        for item in extra.in_order():
            if len(chosen) >= 3:
                break
            openings = {" ".join(c.question.question.lower().split()[:4]) for c in chosen}
            question = item.question.question.lower()
            if question not in taken and " ".join(question.split()[:4]) not in openings:
                chosen.append(item)
                taken.add(question)
    families = [c.family for c in chosen]
    return ReframeDraft(
        judgemental=True,
        markers=markers,
        topic=topic.act,
        questions=[c.question for c in chosen],
        cited_ids=cite(passages, families),
    )


# --------------------------------------------------------------------------------------------
# Questions for an upcoming session
# --------------------------------------------------------------------------------------------

_ITEM_TEMPLATES: tuple[tuple[str, str, str], ...] = (
    # (question, needs, rationale)
    (
        "What has {act} taught you so far?",
        "verb",
        "Learning through action: asks what the work is teaching, not just whether it is done.",
    ),
    (
        "How is {act} going? What's been easier or harder than you expected?",
        "",
        "Curiosity over disapproval: an open progress check that makes room for obstacles.",
    ),
    (
        "Where has {act} got to since we last spoke?",
        "verb",
        "Follow-through: picks up the open action item without assuming it is late.",
    ),
    (
        "What, if anything, is getting in the way of {act}?",
        "",
        "Curiosity over disapproval: surfaces obstacles early, while they are still easy to fix.",
    ),
    (
        "What would be most useful from me on {act}?",
        "",
        "Shared ownership: offers the mentor's help on the open item.",
    ),
    (
        "What have you tried so far with {obj}?",
        "obj",
        'Reciprocal curiosity: "What have you tried so far?" lets your partner lead with their '
        "thinking.",
    ),
    (
        "What's the next small step on {act}?",
        "",
        "A bias for action: keeps the item moving with one concrete step.",
    ),
)
_GOAL_TEMPLATES: tuple[tuple[str, str], ...] = (
    (
        "What would real progress towards {act} look like for you a month from now?",
        "Goal setting: makes the goal concrete enough to notice progress.",
    ),
    (
        "What's one small experiment this week that would bring you closer to {act}?",
        "A bias for action: ties the goal to something you can try before the next session.",
    ),
    (
        "What part of {act} feels hardest right now?",
        "Curiosity: finds where support is most useful instead of assuming.",
    ),
    (
        "What would an ideal outcome for {act} look like to you?",
        'Reciprocal curiosity: "What outcome would be ideal for you?" keeps the goal your '
        "partner's own.",
    ),
    (
        "How has your thinking about {act} changed since we started?",
        "Reflection: notices progress and shifts in what matters.",
    ),
)
_OPENERS: tuple[str, ...] = (
    "How has your week been since we last met?",
    "How are you doing this week? Is there anything on your mind you'd like to start with?",
    "What's been the highlight of your week so far?",
)
_CLOSERS: tuple[tuple[str, str, frozenset[str]], ...] = (
    (
        "What could I do differently to make our sessions more useful for you?",
        "Shared ownership: the relationship belongs to both of you, so ask how it is working.",
        frozenset({"collaboration", "feedback", "communication", "ownership"}),
    ),
    (
        "What's something you've learned recently that I might not know about?",
        "Mutual growth: invites your partner to teach you something too.",
        frozenset({"two-way-learning", "reverse-mentoring", "mentor-growth", "curiosity"}),
    ),
    (
        "What would you like to have done by our next session, and what would help?",
        "A bias for action: ends with commitments your partner chooses.",
        frozenset({"action", "action-items", "follow-through", "proactivity", "goals"}),
    ),
    (
        "What would you like to make sure we cover before we finish today?",
        "Collaboration: your partner shares in setting the agenda.",
        frozenset({"agenda", "meetings", "collaboration"}),
    ),
)
_FIRST_SESSION: tuple[tuple[str, str, frozenset[str]], ...] = (
    (
        "What made you want a mentor at this point in your career?",
        "Getting to know each other: motivation before goals.",
        frozenset({"first-meeting", "motivation", "rapport", "goals"}),
    ),
    (
        "How did you get from where you started to the role you have now?",
        "Getting to know each other: swapping stories builds the trust goals will lean on later.",
        frozenset({"first-meeting", "rapport", "backgrounds", "trust"}),
    ),
    (
        "What would you like to be able to do in three months that you can't do today?",
        "Goal setting: a concrete, time-bound picture of success.",
        frozenset({"goals", "expectations", "agreement", "scope"}),
    ),
    (
        "How do you learn best: reading, building something, or talking it through?",
        "Learning style: shapes how you work together from the start.",
        frozenset({"learning-style", "communication", "retention"}),
    ),
    (
        "What would make these sessions feel worth your time?",
        "Shared ownership: agrees what the mentorship is for before it starts.",
        frozenset({"expectations", "agreement", "collaboration", "agenda"}),
    ),
    (
        "How would you like us to stay in touch between sessions?",
        "Communication: agree channels and boundaries early.",
        frozenset({"communication", "boundaries", "expectations"}),
    ),
    (
        "What's something from the last year you're proud of?",
        "Getting to know each other: starts from strengths, not gaps.",
        frozenset({"rapport", "motivation", "small-talk"}),
    ),
    (
        "What's one thing you think you could teach me?",
        "Mutual growth: signals from day one that learning goes both ways.",
        frozenset({"two-way-learning", "reverse-mentoring", "vulnerability"}),
    ),
)
_OWNER_PREFIX = re.compile(
    r"^\s*(?:\[[ xX]\]\s*)?(?:[-*•]\s*)?(?:[A-Z][\w .'-]{0,30}:\s+|(?:TODO|todo):?\s+)?"
)
_DUE_SUFFIX = re.compile(
    r"\s*(?:\((?:due|by)[^)]*\)|\b(?:by|before|due|until)\s+(?:next\s+\w+|the next session|our "
    r"next session"
    r"|\w+day|tomorrow|tonight|end of (?:the )?(?:week|month|day)|eo[dw]|\d{1,2}(?:st|nd|rd"
    r"|th)?(?: \w+)?"
    r"|\d{4}-\d{2}-\d{2}|\w+ \d{1,2}(?:st|nd|rd|th)?))\s*$",
    re.IGNORECASE,
)


def _item_topic(item: str) -> Topic | None:
    """A topic from an action item or goal: "write the design doc for the cache" -> writing it."""
    text = _DUE_SUFFIX.sub("", _OWNER_PREFIX.sub("", item.translate(_APOS))).strip(" .;")
    text = re.sub(
        r"^(?:i|we|you|he|she|they) (?:will|'ll|am going to|are going to|want to|would like to) ",
        "",
        text,
        flags=re.IGNORECASE,
    )
    text = re.sub(r"^(?:to|i want to|i'd like to)\s+", "", text, flags=re.IGNORECASE).strip()
    if not text:
        return None
    if not text[:2].isupper():  # keep "PR review", lower "Write the doc"
        text = text[0].lower() + text[1:]
    first = text.split()[0]
    # Items are usually imperatives ("Write the doc", "Get comfortable reviewing PRs").
    if is_verb_form(first) and not first.endswith("s") and first.lower() not in _DETERMINERS:
        topic = _verb_topic(text)
        if topic is not None:
            return replace(topic, category=categorise(topic.act))
    return Topic(act=text, obj=text, category=categorise(text))


def _passage_topics(passages: Sequence[Passage]) -> dict[str, float]:
    weights: dict[str, float] = {}
    for passage in passages:
        for name in passage.topics:
            weights[name] = weights.get(name, 0.0) + max(passage.score, 0.0) + 0.1
    return weights


def _rank(
    bank: Sequence[tuple[str, str, frozenset[str]]], weights: dict[str, float], key: str
) -> list[tuple[str, str, frozenset[str]]]:
    return sorted(
        bank,
        key=lambda entry: (-sum(weights.get(t, 0.0) for t in entry[2]), stable_int(key, entry[0])),
    )


def suggest_questions_offline(
    goals: list[str],
    open_items: list[str],
    passages: list[Passage],
    mentee: str | None = None,
) -> list[CuriousQuestion]:
    """Curious questions for an upcoming session, from the pair's goals and open action items.

    Deterministic; 3-8 questions, each passing the judgemental-language detector: a check-in,
    one question per open item (up to three, each from a different angle), one per goal (up to
    two), and a closing question on the relationship itself. With no goals or items,
    get-to-know-you questions for a first session, leaning towards the retrieved passages' ideas.
    """
    name = (mentee or "").strip().split(" ")[0]
    key = "|".join([name.lower(), *[g.lower() for g in goals], *[i.lower() for i in open_items]])
    weights = _passage_topics(passages)
    out: list[CuriousQuestion] = []

    def add(question: str, rationale: str) -> None:
        question = re.sub(r"\s+", " ", question).strip()
        if detect_markers(question) or any(q.question.lower() == question.lower() for q in out):
            return
        out.append(CuriousQuestion(question=question, rationale=rationale))

    def addressed(question: str) -> str:
        return f"{name}, {question[0].lower()}{question[1:]}" if name else question

    items: list[Topic] = []
    owed: list[Topic] = []  # items the mentor owes the mentee ("Send Alex the ADR example")
    for item in open_items:
        if not item.strip():
            continue
        if name and re.search(rf"(?<!^)\b{re.escape(name)}\b", item.strip(), re.IGNORECASE):
            topic = _item_topic(re.sub(rf"\b{re.escape(name)}\b", "you", item, flags=re.IGNORECASE))
            if topic is not None and topic.obj:
                owed.append(topic)
            continue
        topic = _item_topic(item)
        if topic is not None:
            items.append(topic)
    goal_topics = [t for t in (_item_topic(g) for g in goals if g.strip()) if t is not None]

    if not items and not goal_topics and not owed:
        bank = _rank(_FIRST_SESSION, weights, key)
        add(addressed(bank[0][0]), bank[0][1])
        for question, rationale, _ in bank[1:5]:
            add(question, rationale)
        return out

    add(
        addressed(pick(_OPENERS, key, "opener")),
        "Curiosity: starts with the person before the plan (the guide's \"How's your week "
        'going?").',
    )
    used: set[int] = set()
    for index, topic in enumerate(items[:3]):
        fitting = [
            n
            for n, (_, needs, _) in enumerate(_ITEM_TEMPLATES)
            if n not in used and (needs != "verb" or topic.base) and (needs != "obj" or topic.obj)
        ]
        if not fitting:
            continue
        n = ordered(fitting, key, topic.act, str(index))[0]
        used.add(n)
        question, _, rationale = _ITEM_TEMPLATES[n]
        add(question.format(act=topic.act, obj=topic.obj or topic.act), rationale)
    for topic in owed[:1]:
        add(
            f"What would you most like to get out of {topic.obj}?",
            "Reciprocal curiosity: asks what would be most useful to your partner before you hand "
            "it over.",
        )
    goal_used: set[int] = set()
    for index, topic in enumerate(goal_topics[:2]):
        choices = [n for n in range(len(_GOAL_TEMPLATES)) if n not in goal_used]
        n = ordered(choices, key, topic.act, "goal", str(index))[0]
        goal_used.add(n)
        question, rationale = _GOAL_TEMPLATES[n]
        add(question.format(act=topic.act), rationale)
    for question, rationale, _ in _rank(_CLOSERS, weights, key):
        add(question, rationale)
        if len(out) >= 3 and not question.startswith("What would you like to make sure"):
            break
    return out[:8]


# --------------------------------------------------------------------------------------------
# Refinements that keep a noun phrase when no verb topic could be read
# --------------------------------------------------------------------------------------------

_NP_STOP = (
    r"felt|feel|feeling|go|going|goes|went|gone|more|less|useful|for|with|to|in|on|at|so|is|are|"
    r"was|were|has|have|had|been|this|that|today|lately|first|next|now|again|be|get|make|work|"
    r"always|never|so|really|still|ever|just|you|me|him|her|them|us|better|worse|suit|suits|fit|"
    r"fits|works"
)
_NOUN_PHRASE = re.compile(
    r"\b(?P<np>(?:the|our|your|this|that|these|those|another)\s+"
    r"(?:(?!(?:" + _NP_STOP + r")(?:\s|$))[\w'-]+\s+){0,3}?"
    r"(?!(?:" + _NP_STOP + r")(?:\s|$))[\w'-]+)(?=\s+(?:" + _NP_STOP + r")\b|\s*[?.!,]|\s*$)",
    re.IGNORECASE,
)
_PROPER = re.compile(r"(?<!^)(?<![.?!]\s)\b(?P<np>[A-Z][\w+#.-]*[\w+#])")
_PHRASE_TEMPLATES: tuple[tuple[str, str], ...] = (
    (
        "What would you most like to get out of talking about {np} today?",
        "More specific: lets your partner choose the angle on {np} that matters to them.",
    ),
    (
        "How has it been for you so far with {np}, and what would make it better?",
        "Follow-up, reciprocal curiosity: asks for their experience and their idea of better.",
    ),
    (
        "When you think about {np}, which part would you most like my view on?",
        "Follow-up, shared ownership: invites them to steer where your experience helps.",
    ),
    (
        "What's one thing about {np} you'd like us to try differently?",
        "A bias for action: turns the conversation about {np} into a small experiment.",
    ),
)


_GENERIC_WORDS = frozenset(
    "next help week time like feel feeling think way thing things part best hardest today "
    "lately curious learn most ideal outcome useful tried one small step side focus".split()
)


def _keeps_topic(questions: list[str], text: str) -> bool:
    from agent.guardrails import content_words

    words = content_words(text) - _GENERIC_WORDS
    if not words or not questions:
        return True
    kept = sum(bool(content_words(q) & words) for q in questions)
    return kept * 2 >= len(questions)


def _phrase_refinements(text: str) -> list[CuriousQuestion]:
    """Two refinements built around the question's noun phrase (or proper noun)."""
    match = _NOUN_PHRASE.search(text) or _PROPER.search(text.strip())
    if not match:
        return []
    phrase = match.group("np").strip()
    start = zlib.crc32(normalise(text).encode()) % len(_PHRASE_TEMPLATES)
    picks = [_PHRASE_TEMPLATES[(start + step) % len(_PHRASE_TEMPLATES)] for step in (0, 1)]
    return [
        CuriousQuestion(question=q.format(np=phrase), rationale=r.format(np=phrase))
        for q, r in picks
    ]
