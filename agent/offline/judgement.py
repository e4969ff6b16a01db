"""The judgemental-language detector: guardrail on both engines' output, and input classifier.

It looks for the phrasings that turn a question into a reproach: "why didn't you", "you
should have", "you never", "again?", "have you even", "I told you", sarcasm such as "nice of
you to finally show up", and a few more. Each pattern is a :class:`Marker` with a ``kind`` so
callers (the reframe engine, an eval reporting coverage) can tell *what sort* of judgement fired.

The detector is deliberately conservative about curious questions: "What got in the way?",
"What do you need to get started?" and "Why did you choose Redis?" are not flagged.

"Why did you ..." is judged by the action that follows, not by the opening: a choice ("Why
did you choose Redis?", "Why did you pick Postgres?") is a genuine question, while an action
that names a lapse or a shortcut is a demand for justification and is flagged: a miss ("skip",
"ignore", "forget", "cancel", "rush"), a step left out ("approve it without reading it",
"merge without a review") or a bypass ("push straight to main"). Likewise a piece of someone's
work asked about as late or still not done ("Why is your PR late?", "Why is this ticket still
not done?"), doubt about their commitment ("Are you actually interested ...?") and a closing
ultimatum ("... or not?") are flagged; an impersonal status question ("Why is the release
delayed?", "Is the staging deploy still not working?") is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, get_args

MarkerKind = Literal[
    "why-not",  # why didn't you / why haven't you / how come you
    "should",  # you should have / you need to / you were supposed to
    "absolute",  # you always / you never / never finish
    "repetition",  # again? / how many times / every time / as usual
    "doubt",  # have you even / did you even / can't you just / obviously
    "exasperation",  # seriously? / what were you thinking / what's wrong with you
    "told",  # I told you / like I said / we agreed you would
    "sarcasm",  # nice of you to finally show up / thanks for finally
    "label",  # lazy / sloppy / unacceptable
]


@dataclass(frozen=True)
class Marker:
    """One kind of judgemental phrasing: a name, its kind, the regex and an example it catches.

    ``cased`` patterns run on the text with its capitals kept (to tell a name from a word).
    """

    name: str
    kind: MarkerKind
    pattern: re.Pattern[str]
    example: str
    cased: bool = False


_NEG = (
    r"(?:didn't|did not|haven't|have not|hasn't|has not|can't|cannot|can not|couldn't|could not"
    r"|don't|do not|doesn't|does not|won't|will not|wouldn't|would not|aren't|are not|isn't"
    r"|is not|wasn't|was not|weren't|were not|shouldn't|hadn't|had not)"
)
_AUX = r"(?:did|do|does|have|has|had|can|could|would|will|are|were|is|was|must)"
_SUBJ = r"(?:you|u|ya|he|she|they|my mentee|my mentor|your mentee|your mentor)"
_PERSON = r"(?:you|u|he|she|they|my mentee|my mentor|your mentee|your mentor)"
# Verbs that, after "never", describe a person failing to do something ("never finish").
_NEVER_VERBS = (
    r"(?:finish|finishes|do|does|listen|listens|show|shows|turn|turns|update|updates|reply|replies"
    r"|answer|answers|follow|follows|remember|remembers|read|reads|bother|bothers|complete"
    r"|completes|deliver|delivers|respond|responds|manage|manages|try|tries|prepare|prepares"
    r"|test|tests|check|checks|ask|asks|tell|tells|send|sends|submit|submits|commit|commits"
    r"|push|pushes|come|comes|arrive|arrives|get|gets|write|writes|learn|learns|take|takes)"
)


def _m(name: str, kind: MarkerKind, pattern: str, example: str) -> Marker:
    return Marker(name, kind, re.compile(pattern), example)


MARKERS: tuple[Marker, ...] = (
    # --- why-not: demands for justification -------------------------------------------------
    _m("why-negative", "why-not", rf"\bwhy\s+{_NEG}\s+{_SUBJ}\b", "Why didn't you finish it?"),
    _m(
        "why-aux-not",
        "why-not",
        rf"\bwhy\s+{_AUX}\s+{_SUBJ}\s+(?:not|never)\b",
        "Why did you not send it?",
    ),
    _m(
        "why-is-it-that",
        "why-not",
        rf"\bwhy\s+is\s+it\s+that\s+{_SUBJ}\s+(?:never|always|can't|cannot|don't|didn't|won't|keep)\b",
        "Why is it that you never reply?",
    ),
    _m(
        "why-always",
        "why-not",
        rf"\bwhy\s+{_AUX}\s+{_SUBJ}\s+(?:always|keep|still|even|constantly)\b",
        "Why do you always leave it late?",
    ),
    _m(
        "why-was-it-not-done",
        "why-not",
        r"\bwhy\s+(?:wasn't|isn't|hasn't|haven't|weren't|aren't|was not|is not|has not|have not)"
        r"(?=\s+[^?.!]{0,60}?\b(?:done|finished|ready|prepared|sent|fixed|updated|submitted|merged"
        r"|completed|started|written|pushed|read|booked|shared|reviewed|tested)\b)",
        "Why wasn't the demo prepared?",
    ),
    Marker(
        "why-negative-name",
        "why-not",
        re.compile(
            rf"\b[Ww]hy\s+{_NEG}\s+(?!I\b)[A-Z][a-z]+\b(?!\s+(?:pass|work|run|build|go|load|compile)\b)"
        ),
        "Why didn't Sam book the room?",
        cased=True,
    ),
    _m(
        "why-did-you-fail",
        "why-not",
        rf"\bwhy\s+(?:did|do|does|would|have|has)\s+{_SUBJ}\s+(?:just\s+)?(?:skip|skipped|miss|missed"
        r"|forget|forgot|forgotten|ignore|ignored|break|broke|broken|cancel|cancelled|canceled|bail"
        r"|bailed|ghost|ghosted|drop|dropped|abandon|abandoned|blow|blew|mess|messed|screw|screwed"
        r"|rush|rushed|bypass|bypassed|ditch|ditched|dodge|dodged)\b",
        "Why did you skip the retro?",
    ),
    _m(
        "why-did-you-shortcut",
        "why-not",
        rf"\bwhy\s+(?:did|do|does|would|have|has|are|were)\s+{_SUBJ}\s+(?:[\w'-]+\s+){{1,6}}?"
        r"(?:without\s+(?:\w+ing\b|a\s+(?:review|test|word|heads-up|plan|ticket)\b|any\s+\w+"
        r"|(?:telling|asking|checking|consulting)\b)"
        r"|(?:straight|directly)\s+(?:to|into|onto|in)\s+(?:main|master|prod|production|trunk"
        r"|staging|the\s+main\s+branch)\b)",
        "Why did you approve it without reading it?",
    ),
    _m(
        "why-thing-late",
        "why-not",
        r"\bwhy\s+(?:is|are|was|were)\s+(?:your|his|her|their|this|that)\s+(?:[\w':-]+\s+){1,3}?"
        r"(?:still\s+|so\s+|always\s+)?(?:late|overdue|behind\s+schedule|delayed)\b",
        "Why is your PR late?",
    ),
    _m(
        "why-still-not",
        "why-not",
        r"\bwhy\s+(?:is|are|was|were|has|have)\s+(?:(?:your|his|her|their|this|that|these|those)\s+"
        r"[^?.!]{1,40}?\bstill\s+(?:not|no|unfinished|undone|open|unreviewed|in\s+progress)\b"
        r"|[^?.!]{1,40}?\bstill\s+(?:not\s+|un)(?:done|finished|ready|merged|sent|fixed|reviewed"
        r"|booked|written|submitted|started|shared|updated)\b)",
        "Why is this ticket still not done?",
    ),
    _m("why-would-you", "why-not", r"\bwhy\s+would\s+(?:you|u|anyone)\b", "Why would you do that?"),
    _m("why-on-earth", "why-not", r"\bwhy\s+(?:on earth|the hell|in the world)\b", "Why on earth?"),
    _m(
        "how-come-you",
        "why-not",
        r"\bhow\s+come\s+(?:you|u|he|she|they)\b",
        "How come you haven't started?",
    ),
    _m("trailing-why", "why-not", r",\s*why\s*\?", "You never update the ticket, why?"),
    _m(
        "still-not",
        "why-not",
        r"\b(?:you|u|he|she|they)(?:'re|'ve| are| have| has)?\s+still\s+"
        r"(?:not|haven't|hasn't|didn't|don't|can't|aren't|no)\b"
        r"|\b(?:is|are|was)\s+(?:it|the\s+\w+|(?:this|that|your|his|her|their)(?:\s+[\w':-]+){1,3})"
        r"\s+still\s+not\b|\b(?:is|are|was)\s+the(?:\s+[\w':-]+){1,3}\s+still\s+not\s+(?:done"
        r"|finished|ready|merged|sent|fixed|reviewed|booked|written|submitted|started)\b",
        "You still haven't sent it.",
    ),
    _m(
        "whats-taking",
        "why-not",
        r"\bwhat(?:'s| is)\s+(?:taking\s+(?:you\s+)?so\s+long|the\s+hold-?up)"
        r"|\bwhat\s+took\s+(?:you\s+)?so\s+long\b",
        "What's taking so long?",
    ),
    # --- should: prescriptions that assign blame ----------------------------------------------
    _m(
        "should-have",
        "should",
        r"\b(?:you|u|he|she|they)\s+(?:really\s+|clearly\s+|obviously\s+)?"
        r"(?:should have|should've|shouldve|shoulda|shouldn't have|should not have"
        r"|shouldn't've|ought to have)\b",
        "You should have tested it.",
    ),
    _m(
        "need-to",
        "should",
        r"(?<!\bdo )(?<!\bdoes )(?<!\bdid )(?<!\bwould )(?<!\bwill )(?<!\bmight )(?<!\bcould )"
        r"(?<!\bwhat )(?<!\bif )(?<!\bthink )(?<!\bfeel )(?<!\bcan )"
        r"\b(?:you|u)(?:\s+(?:really\s+|seriously\s+|just\s+|simply\s+)?"
        r"(?:need to|needed to|have to|had to|must|gotta|got to|had better)|'d\s+better)\b",
        "You need to commit to this.",
    ),
    _m(
        "you-better",
        "should",
        r"(?:^|[.!?,;:]\s*|\b(?:so|and|but|now|well)\s+)(?:you|u)\s+better\b(?!\s+than\b)",
        "You better have it done by Friday.",
    ),
    _m(
        "supposed-to",
        "should",
        r"\b(?:you|u|he|she|they)(?:'re| were| are| was| is)\s+(?:supposed|meant)\s+to\b",
        "You were supposed to send it.",
    ),
    _m(
        "could-have",
        "should",
        r"(?<!\bwhat )(?<!\bhow )(?<!\bwhere )(?<!\bthink )"
        r"\b(?:you|u)\s+(?:could have|could've|coulda|might have|might've)"
        r"(?:\s+at least)?\b",
        "You could have told me.",
    ),
    _m(
        "at-least",
        "should",
        r"\bat\s+least\s+(?:try|tried|tell|told|let me know|reply|replied|answer|read|have|had"
        r"|send|sent|ask|asked|check|checked|look|looked|make|bother)\b",
        "You could at least reply.",
    ),
    _m(
        "if-you-had",
        "should",
        r"\bif\s+(?:you|u)\s*(?:had|'d)\s+(?:just|only|listened|bothered|actually|read|done)\b",
        "If you had just listened...",
    ),
    _m("stop-doing", "should", r"^\s*stop\s+\w+ing\b", "Stop making excuses."),
    # --- absolutes about the person -----------------------------------------------------------
    _m(
        "you-always-never",
        "absolute",
        rf"\b{_PERSON}(?:'re|'ve| are| were| have| has| just| literally| really| basically"
        r"| seem to| still)?\s+(?:always|never|constantly|forever)\b",
        "You always leave it to the last minute.",
    ),
    _m(
        "never-verb",
        "absolute",
        rf"(?<!\bi )(?<!\bwe )(?<!\bi'd )(?<!\bwe'd )(?<!\bhave )(?<!\bhas )"
        rf"\bnever\s+(?:even\s+|actually\s+|really\s+)?{_NEVER_VERBS}\b",
        "Never finish anything, do you?",
    ),
    _m(
        "you-keep",
        "absolute",
        r"\b(?:you|u|he|she|they)\s+keep(?:s)?\s+\w+ing\b",
        "You keep forgetting.",
    ),
    _m(
        "work-always",
        "absolute",
        r"\b(?:your|his|her|their)\s+\w+(?:\s+\w+)?\s+(?:is|are|was|were)\s+(?:always|never|constantly)"
        r"\b|\balways\s+so\s+(?!much\s+to\b)\w+",
        "Your code is always so messy.",
    ),
    _m(
        "why-are-you-late",
        "why-not",
        r"\bwhy\s+(?:are|were|is)\s+(?:you|u|he|she|they)\s+(?:always\s+|still\s+|so\s+)?"
        r"(?:late|behind|slow|quiet|unprepared|distracted|defensive|lazy|careless)\b",
        "Why are you late again?",
    ),
    _m(
        "every-one-of",
        "repetition",
        r"\bevery\s+(?:single\s+)?one\s+of\s+(?:our|my|the|these|those)\b",
        "You're late to every one of our calls.",
    ),
    # --- repetition as reproach ---------------------------------------------------------------
    # "again" is handled in code (it is only a reproach next to a miss or as a bare "again?").
    _m(
        "how-many-times",
        "repetition",
        r"\bhow\s+many\s+(?:more\s+)?times\b",
        "How many times do I have to ask?",
    ),
    _m(
        "every-time",
        "repetition",
        r"\bevery\s+(?:single\s+)?time\b(?!\s+we\s+(?:meet|talk|speak))",
        "Every single time!",
    ),
    _m(
        "nth-time",
        "repetition",
        r"\bfor\s+the\s+(?:second|third|fourth|fifth|nth|hundredth|millionth|last|\d+(?:st|nd|rd|th))"
        r"\s+time\b",
        "For the third time...",
    ),
    _m(
        "as-usual",
        "repetition",
        r"\b(?:as\s+usual|as\s+always|like\s+always|same\s+as\s+always|same\s+old|typical)\b",
        "Late, as usual.",
    ),
    _m("for-once", "repetition", r"\bfor\s+once\b", "Could you be on time for once?"),
    _m(
        "this-time",
        "repetition",
        r"\bwhat(?:'s| is| was)?\s+(?:happened|the excuse|your excuse|it)\s+this\s+time\b",
        "What happened this time?",
    ),
    # --- doubt about effort or ability --------------------------------------------------------
    _m(
        "even",
        "doubt",
        rf"\b{_AUX}\s+(?:you|u|he|she|they)\s+(?:ever\s+)?even\b",
        "Have you even read it?",
    ),
    _m(
        "not-even",
        "doubt",
        r"\b(?:you|u|he|she|they)\s+(?:\w+n't|\w+\s+not)\s+even\b|\bnot\s+even\s+(?:once|a|one|try)",
        "You didn't even try.",
    ),
    _m(
        "cant-you",
        "doubt",
        r"\b(?:can't|cannot|couldn't)\s+(?:you|u)\b|\bwon't\s+(?:you|u)\s+ever\b"
        r"|\b(?:can|could)\s+(?:you|u)\s+not\b",
        "Can't you just ask?",
    ),
    _m(
        "how-hard",
        "doubt",
        r"\bhow\s+(?:hard|difficult)\s+(?:is\s+it|can\s+it\s+be|could\s+it\s+be|was\s+it)\b"
        r"|\b(?:is|was)\s+(?:it|that)\s+(?:really\s+)?(?:so|that)\s+(?:hard|difficult)\b"
        r"|\bnot\s+(?:that\s+hard|rocket\s+science)\b|\btoo\s+much\s+to\s+ask\b",
        "How hard is it to reply?",
    ),
    _m(
        "actually-interested",
        "doubt",
        r"\b(?:are|were|is|do|did|does|have|has)\s+(?:you|u|he|she|they)\s+(?:actually\s+"
        r"(?:interested|care|cared|caring|trying|tried|committed|serious|listening|paying\s+attention"
        r"|bother|bothered|want|wanted|read|reading|looked|working|engaged|invested)"
        r"|really\s+(?:care|caring|trying|committed|serious|listening|paying\s+attention|bother))\b"
        r"|\b(?:you|u|he|she|they)\s+(?:don't|do\s+not|didn't|did\s+not|aren't|are\s+not)\s+"
        r"(?:actually|really)\s+(?:care|want|try|trying|interested|committed|listening)\b",
        "Are you actually interested in this?",
    ),
    _m("obviously", "doubt", r"\bobviously\b", "Obviously you didn't check."),
    _m(
        "clearly-you",
        "doubt",
        r"\bclearly,?\s+(?:you|u|he|she|they)\b",
        "Clearly you didn't read it.",
    ),
    _m("one-job", "doubt", r"\b(?:had|have)\s+one\s+job\b", "You had one job."),
    _m(
        "dont-you-care",
        "doubt",
        r"\b(?:do|did|don't)\s+(?:you|u)\s+(?:even\s+)?care\b|\byou\s+don't\s+care\b",
        "Don't you care?",
    ),
    _m("dont-you-think", "doubt", r"\bdon't\s+you\s+think\b", "Don't you think you should?"),
    # --- exasperation -------------------------------------------------------------------------
    _m(
        "what-were-you-thinking",
        "exasperation",
        r"\bwhat\s+(?:were|was|are)\s+(?:you|u|he|she|they)\s+thinking\b",
        "What were you thinking?",
    ),
    _m("seriously", "exasperation", r"\bseriously\b", "Seriously?"),
    _m("really-q", "exasperation", r"(?:^|[.!?]\s*)really\s*[?!]", "Really?"),
    _m(
        "whats-wrong-with-you",
        "exasperation",
        r"\bwhat(?:'s| is)\s+wrong\s+with\s+(?:you|u|him|her|them)\b",
        "What's wrong with you?",
    ),
    _m(
        "are-you-kidding",
        "exasperation",
        r"\b(?:are|were)\s+you\s+(?:kidding|joking|serious)\b|\byou've\s+got\s+to\s+be\s+kidding\b"
        r"|\bare\s+you\s+for\s+real\b",
        "Are you kidding me?",
    ),
    _m(
        "come-on",
        "exasperation",
        r"\bcome\s+on\b(?!\s+(?:board|in|over|time|the|a|an|our|my|your|to)\b)",
        "Come on, it's one task.",
    ),
    _m(
        "or-not",
        "exasperation",
        r"(?<!\bwhether )\bor\s+(?:not|what)\s*[?!]",
        "Are you going to finish it or not?",
    ),
    _m("whats-the-point", "exasperation", r"\bwhat(?:'s| is)\s+the\s+point\b", "What's the point?"),
    _m(
        "disappointed",
        "exasperation",
        r"\b(?:disappointed\s+(?:in|with)\s+(?:you|u)|let\s+(?:me|us|the team)\s+down"
        r"|i\s+expected\s+(?:better|more))\b",
        "I'm disappointed in you.",
    ),
    _m(
        "wasting-time",
        "exasperation",
        r"\bwast(?:e|ing|ed)\s+(?:of\s+)?(?:my|our)\s+time\b|\bwaste\s+of\s+(?:my\s+|our\s+)?time\b",
        "You're wasting my time.",
    ),
    # --- I told you / we agreed ---------------------------------------------------------------
    _m(
        "i-told-you",
        "told",
        r"\bi(?:'ve| have| had)?\s+(?:already\s+|just\s+)?(?:told|said\s+to|warned|reminded)\s+"
        r"(?:you|u|him|her|them)\b",
        "I told you to write tests.",
    ),
    _m(
        "didnt-i-tell",
        "told",
        r"\b(?:didn't|did)\s+i\s+(?:not\s+)?(?:tell|say|ask|warn)\b|\bhaven't\s+i\s+(?:told|said)\b",
        "Didn't I tell you?",
    ),
    _m(
        "like-i-said",
        "told",
        r"\b(?:like|as)\s+i(?:'ve)?\s+(?:said|told\s+you|asked|explained|mentioned)\b"
        r"|\bi\s+made\s+it\s+clear\b",
        "Like I said last week...",
    ),
    _m(
        "you-said-you-would",
        "told",
        r"\b(?:you|u)\s+(?:said|promised|told me)\s+(?:you|u)(?:'d| would| were going to| will)\b"
        r"|\b(?:you|u)\s+promised\b|\bwe\s+agreed\s+(?:that\s+)?(?:you|u)(?:'d| would| were)\b",
        "You said you'd have it done.",
    ),
    # --- sarcasm ------------------------------------------------------------------------------
    _m(
        "nice-of-you",
        "sarcasm",
        r"\b(?:nice|good|kind|great|lovely|sweet)\s+of\s+(?:you|u)\s+to\b",
        "Nice of you to finally show up.",
    ),
    _m(
        "thanks-for-finally",
        "sarcasm",
        r"\bthank(?:s| you)\s+(?:so much\s+)?for\s+finally\b",
        "Thanks for finally replying.",
    ),
    _m(
        "look-who",
        "sarcasm",
        r"\blook\s+who(?:'s|\s+is|\s+decided|\s+finally|\s+showed|\s+turned|\s+made)\b",
        "Look who decided to join us.",
    ),
    _m(
        "glad-you-could-make-it",
        "sarcasm",
        r"\bso\s+glad\s+you\s+could\s+(?:finally\s+)?make\s+it\b"
        r"|\bglad\s+you\s+could\s+finally\s+make\s+it\b"
        r"|\bglad\s+you\s+could\s+make\s+it\s+(?:for\s+once|this\s+time|at\s+last|today)\b"
        r"|(?:(?<=oh )|(?<=oh, )|(?<=well )|(?<=well, )|(?<=ah )|(?<=ah, ))"
        r"glad\s+you\s+could\s+make\s+it\b"
        r"|\bglad\s+you\s+could\s+make\s+it\s*(?:\.\.\.|…)",
        "Oh, glad you could make it.",
    ),
    _m(
        "decided-to-show",
        "sarcasm",
        r"\bdecided\s+to\s+(?:show\s+up|turn\s+up|join\s+us|grace|bless|come|appear|reply)\b"
        r"|\bgrace\s+us\b|\bto\s+what\s+do\s+we\s+owe\b|\bbetter\s+late\s+than\s+never\b"
        r"|(?:^|[.!?]\s*)(?:well,?\s+)?(?:it's\s+|it\s+is\s+)?about\s+time\b"
        r"|\bmust\s+be\s+nice\b",
        "Great, you decided to show up.",
    ),
    _m(
        "finally",
        "sarcasm",
        r"\b(?:you|u|he|she|they)(?:'re|'ve| are| have| has)?\s+finally\b"
        r"|\bfinally\s+(?:show|showed|showing|shows|turn|turned|turning|decided|decide|bothered"
        r"|bother|got\s+around|made\s+it|replied|reply|responded|answered|joined|here|awake"
        r"|graced|remembered|deigned|managed)\b",
        "So you finally replied.",
    ),
    _m(
        "how-kind",
        "sarcasm",
        r"\bhow\s+(?:kind|nice|good|generous)\s+of\s+(?:you|u)\b|\bwell,\s+well\b"
        r"|\boh\s+(?:great|wonderful|brilliant|perfect|lovely)\b",
        "How kind of you to join.",
    ),
    # --- labels -------------------------------------------------------------------------------
    _m(
        "label",
        "label",
        r"\b(?:lazy|sloppy|careless|useless|hopeless|incompetent|pathetic|ridiculous|unacceptable"
        r"|irresponsible|unprofessional|stupid|dumb|clueless|disorganised|disorganized"
        r"|unreliable|excuses?|no excuse)\b",
        "That's just lazy.",
    ),
    _m(
        "your-fault",
        "label",
        r"\b(?:your|his|her|their)\s+(?:own\s+)?fault\b|\byou(?:'re| are)\s+to\s+blame\b",
        "It's your fault.",
    ),
)

MARKER_KINDS: tuple[MarkerKind, ...] = get_args(MarkerKind)

# "again" as reproach: next to a miss ("late again", "forgot again") or closing a question that
# contains a negative or failure word ("Why didn't you finish it again?"), or on its own.
_AGAIN_NEAR = re.compile(
    r"\b(?:late|behind|missed|missing|forgot|forgotten|forgetting|skipped|failed|broke|broken"
    r"|unprepared|absent|nothing|empty-handed|here\s+we\s+go|not|yet)\s+again\b"
    r"|\b(?:did|done|doing)\s+(?:it|that|this)\s+again\b"
    r"|\bagain\s+and\s+again\b|\bover\s+and\s+over\b"
)
_AGAIN_END = re.compile(r"\bagain\s*(?:[?!.…]|$)")
_AGAIN_WORD = re.compile(r"\bagain\b")
_MISS_WORDS = re.compile(
    r"n't\b|\bnot\b|\bno\b|\bnothing\b|\bnever\b|\blate\b|\bmiss(?:ed|ing)?\b|\bforg[eo]t"
    r"|\bskip(?:ped)?\b|\bfail(?:ed)?\b|\bbroke\b|\bbehind\b|\bwhy\b"
)
_SENTENCE = re.compile(r"[^.?!…]+(?:[.?!…]+|$)")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "′": "'"})


@dataclass(frozen=True)
class MarkerHit:
    """One match: the marker that fired, the phrase as it appears (lowercased) and its span.

    ``start`` and ``end`` index the normalised text (see :func:`normalise`).
    """

    marker: str
    kind: MarkerKind
    phrase: str
    start: int
    end: int


AGAIN_MARKER = Marker("again", "repetition", _AGAIN_WORD, "Late again?")


_CONTRACTION = re.compile(
    r"\b(?:(didn|haven|hasn|hadn|can|couldn|don|doesn|won|wouldn|aren|isn|wasn|weren|shouldn)(t)"
    r"|(should|could|would)(ve))\b",
    re.IGNORECASE,
)


def _normalised(text: str) -> tuple[str, list[int]]:
    """Straight apostrophes, single spaces, "didnt" -> "didn't"; with each char's original index."""
    chars: list[str] = []
    index: list[int] = []
    for position, char in enumerate(text.translate(_APOSTROPHES)):
        if char.isspace():
            if chars and chars[-1] != " ":
                chars.append(" ")
                index.append(position)
            continue
        chars.append(char)
        index.append(position)
    while chars and chars[-1] == " ":
        chars.pop()
        index.pop()
    flat = "".join(chars)
    # Restore a missing apostrophe ("didnt", "shouldve"): insert it, mapped to the next letter.
    out: list[str] = []
    out_index: list[int] = []
    last = 0
    for match in _CONTRACTION.finditer(flat):
        split = match.start(2) if match.group(2) else match.start(4)
        out.extend(flat[last:split])
        out_index.extend(index[last:split])
        out.append("'")
        out_index.append(index[split])
        last = split
    out.extend(flat[last:])
    out_index.extend(index[last:])
    return "".join(out), out_index


def normalise(text: str) -> str:
    """Lowercase, straight apostrophes, single spaces: the form every pattern is written for."""
    flat, _ = _normalised(text)
    return "".join(c.lower()[:1] for c in flat)  # one char per char, so spans line up


@dataclass(frozen=True)
class _Views:
    lower: str
    cased: str
    index: list[int]
    original: str

    def phrase(self, start: int, end: int) -> str:
        """The original text under a span of the normalised views, lowercased (’ -> ')."""
        while start < end and self.lower[start] in " ,.?!;:":
            start += 1
        while end > start and self.lower[end - 1] in " ,.?!;:":
            end -= 1
        if start >= end:
            return ""
        raw = self.original[self.index[start] : self.index[end - 1] + 1]
        return raw.lower().replace("’", "'")


def _views(text: str) -> _Views:
    flat, index = _normalised(text)
    return _Views(normalise(text), flat, index, text)


def _again_hits(views: _Views) -> list[MarkerHit]:
    text = views.lower
    hits: list[MarkerHit] = []
    for match in _AGAIN_NEAR.finditer(text):
        hits.append(
            MarkerHit(
                "again",
                "repetition",
                views.phrase(match.start(), match.end()),
                match.start(),
                match.end(),
            )
        )
    for sentence in _SENTENCE.finditer(text):
        body = sentence.group(0)
        end = _AGAIN_END.search(body)
        if end is None:
            continue
        start = sentence.start() + end.start()
        if any(h.start <= start < h.end for h in hits):
            continue
        words = re.findall(r"[a-z']+", body)
        bare = len(words) <= 3  # "Again?", "Late again?", "This again?"
        about_person = re.search(r"\b(?:you|u|he|she|they)\b", body) is not None
        if bare or (about_person and _MISS_WORDS.search(body[: end.start()])):
            hits.append(
                MarkerHit("again", "repetition", views.phrase(start, start + 5), start, start + 5)
            )
    return hits


def detect(text: str) -> list[MarkerHit]:
    """Every judgemental phrase in ``text``, in order of appearance, with the marker that fired."""
    views = _views(text)
    same_length = len(views.cased) == len(views.lower)
    hits: list[MarkerHit] = []
    for marker in MARKERS:
        if marker.cased and not same_length:
            continue
        for match in marker.pattern.finditer(views.cased if marker.cased else views.lower):
            phrase = views.phrase(match.start(), match.end())
            if phrase:
                hits.append(MarkerHit(marker.name, marker.kind, phrase, match.start(), match.end()))
    hits.extend(_again_hits(views))
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    # Drop a hit that overlaps an earlier (or, at the same start, longer) one: "you never" and
    # "never update" are one reproach, reported once.
    kept: list[MarkerHit] = []
    for hit in hits:
        if not any(k.start <= hit.start < k.end for k in kept):
            kept.append(hit)
    return kept


def detect_markers(text: str) -> list[str]:
    """The judgemental marker phrases in ``text`` as they appear: lowercased, deduped, in order."""
    seen: list[str] = []
    for hit in detect(text):
        if hit.phrase and hit.phrase not in seen:
            seen.append(hit.phrase)
    return seen


def marker_kinds(text: str) -> list[MarkerKind]:
    """The kinds of judgement in ``text`` (deduped, in order of first appearance)."""
    kinds: list[MarkerKind] = []
    for hit in detect(text):
        if hit.kind not in kinds:
            kinds.append(hit.kind)
    return kinds


def is_judgemental(text: str) -> bool:
    """Whether ``text`` contains any judgemental marker."""
    return bool(detect(text))


def all_markers() -> tuple[Marker, ...]:
    """Every marker the detector knows, including the context-dependent "again" (for coverage)."""
    return (*MARKERS, AGAIN_MARKER)
