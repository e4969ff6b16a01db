"""The patterns the action extractor reads notes with (:mod:`agent.offline.actions`).

Owner markers ("Ben:", "AI (Ben):", "@Ben to", "→ Ben"), promises and modals, reported speech,
chatter and fillers to strip, requests and acceptances, the objects a short action points back
to, and instructions hidden in notes. They are grammar, not topic words: what a sentence *is*
(a commitment or not) is the learned classifier's call (:mod:`agent.offline.action_lines`).
"""

from __future__ import annotations

import re

from agent.offline.people import INITIALS, NAME

# One capital before "to <verb>" is an initial too ("K to present ..."); "A" and "I" are words.
# "K & M to agree ...", "Bo & I will ...": a pair of initials, or someone and the writer.
_WHO = (
    rf"(?:{NAME}|{INITIALS}|[a-z]{{2,12}}"
    r"|(?![AI]\b)[A-Z](?=[ \t]+to[ \t]+[a-z]|[ \t]*(?:&|\+|/|[ \t]and)[ \t]*[A-Z]\b))"
)
_TAG = re.compile(
    r"^\W*(?:AI|A/I|ACTION(?:[ \t]+ITEMS?)?|Action(?:[ \t]+items?)?|TODO|To-?do|Follow-?up"
    r"|Owner|(?i:(?:(?:ok|okay|so)[ \t,]+)?(?:recap|next[ \t]+steps?|homework)(?=[ \t]*:)))\b"
    r"[ \t]*(?:\((?P<t>[^)]+)\))?[ \t]*[:\-–—]?[ \t]*"
)
# A name before a present-tense verb owns the task too: recaps say "Aiko writes up the timeline".
_PROMISE = (
    r"(?:to|will|'ll|shall|is|are|'s|agreed|offered|promised|volunteered|said|needs?|has|have"
    r"|should|must|can|asked|takes?|owns?|(?P<vs>[a-z]{2,}[^s\W]s(?:\s+(?:up|out|over|in|on|off))?"
    r"(?=\s+(?:the|a|an|her|his|their|our|\w+\s+\w+))))\b"
)
_LEAD = re.compile(
    rf"^(?P<at>@)?\[?(?P<o>{_WHO}(?:[ \t]*(?:&|\+|and|,|/)[ \t]*@?(?:{_WHO}|I\b|me\b))*)\]?"
    r"[ \t]*(?:\([^)]*\))?"
    r"(?:(?P<sep>[ \t]*(?::|[-–—]+(?=\s)|->|-->|→|>>|=>)[ \t]*)"
    rf"|[ \t]+(?:\w+ly[ \t]+)?(?={_PROMISE})|(?(at)[ \t]+|(?!)))"
)
# "ana send him the template", "Carla review it after": an attendee's name before a bare verb
# is non-native English for that person's task (the verb is checked against KNOWN_VERBS).
# In a turn, "marek u prepare the demo env" names the listener ("u" is read as "you").
_BARE = re.compile(
    rf"\W*(?P<o>{NAME}|[a-z]{{2,12}}),?\s+(?:you\s+)?(?:also\s+)?(?=(?P<v>[a-z]+)\b)"
)
_INNER = re.compile(
    rf"(?:^|[,;:]\s*|\b(?i:so|and|but|instead|then|also|that)\s+)(?P<o>{NAME})\s+(?:\w+ly\s+)?"
    r"(?=(?:will|'ll|is\s+going\s+to|agreed\s+to|offered\s+to|promised\s+to|volunteered\s+to"
    r"|said\s+(?:he|she|they)(?:'d|\s+would)|to\s+[a-z]+)\b)"
)
_TRAIL = re.compile(
    rf"[ \t]*(?:[\(\[]@?(?P<a>{_WHO}(?:[ \t]*(?:,|&|\+|and)[ \t]*{_WHO})*)[\)\]]"
    # "Review the draft @Victor Chen": an @mention at the end names the owner too.
    rf"|[ \t]+(?:(?:—|–|-|→|->)[ \t]*@?|@)(?P<b>{NAME}|{INITIALS}|[a-z]{{2,12}}))"
    r"(?=[ \t]*(?:[,;.]|$))"
)
_ALSO = re.compile(
    rf"\b(?:agreed|decided)\s+(?:that\s+)?(?P<a>{NAME}|{INITIALS}|he|she|you)"
    r"(?:\s+(?:would|will|should)\b|['’](?:d|ll)\b)"
    rf"|\basked\s+(?P<b>{NAME}|{INITIALS})\s+to\b"
    # "Priya asked me to send ...", "she suggested I update ...": the writer's task.
    r"|\b(?:asked|told|wants|wanted|reminded|encouraged|needs|expects)\s+(?P<c>me)\s+to\b"
    r"|\b(?:suggested|recommended)\s+(?:that\s+)?(?P<d>I)(?:\s+should)?\b"
)
_DATE_FILLER = re.compile(
    r"(?i)\b(?:probably|maybe|hopefully|ideally|likely|latest|at\s+the\s+latest|then|ok(?:ay)?"
    r"|so|yeah|yes|yep|sure|i\s+think|i\s+guess|i\s+hope|or\s+so|at\s+the\s+earliest"
    r"|um+|uh+|er+m?|mm+|hm+|and)\b"
)
_TOPIC_SUBJECT = re.compile(
    r"^\W*(?:the|my|our|your)?\s*(?P<np>(?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*)\s+(?:is|are|was|were"
    r"|has\s+been|looks?)\b[^,;]*[,;]\s*(?:I\s*'ll|I\s+will|will|gonna)\b",
    re.I,
)
# "Review of last actions", "Discussion of the move": a heading's noun, not a task.
_NOMINAL = re.compile(
    r"(?i:[a-z]+(?:ion|ment|ence|ance|ity|sis)|review|recap|overview|summary|status|list)\s+of\b"
)
# A subject's future: "I'll", "she will", "we are going to", "I'm gonna".
_FUTURE = r"(?:'ll|\s+will|\s+(?:am|is|are)\s+going\s+to|'m\s+going\s+to|\s+gonna)"
_PROMISED = re.compile(
    rf"(?:^\W*(?:[A-Za-z]+\s+){{0,3}}?|[,;:]\s*|\b(?i:so|and|then|also)\s+)(?:I|we|you|he|she|{NAME})\s*"
    rf"{_FUTURE}\s+(?!not\b|be\b|have\b|probably\b|maybe\b|see\b|think\b|try\b)[a-z]+"
)
# A speaker's hedged instruction is the listener's task: "I think you should send the deck",
# "I'd like you to review the PR", "maybe you could ask Dana", "Marco, I suggest you ...".
_HEDGE = re.compile(
    r"^\W*(?:(?i:and|so|but|ok|okay|yeah|well|also|then|right|um+|uh+|one\s+more\s+thing)\b[,\s]+)*"
    rf"(?:(?P<v>{NAME})\s*,?\s+)?"
    r"(?i:(?:I\s+(?:really\s+|honestly\s+)?(?:think|guess|feel|reckon)\s+(?:that\s+)?you\s+"
    r"(?:should|could|might\s+want\s+to|ought\s+to|need\s+to|can)"
    r"|I(?:\s+would|['’]d)\s+(?:really\s+)?(?:like|love|want)\s+you\s+to|I\s+(?:want|need)\s+you\s+to"
    r"|(?:maybe|perhaps)\s+you\s+(?:could|should|can|might\s+want\s+to)"
    r"|I(?:\s+would|['’]d)?\s+suggest\s+(?:that\s+)?you(?:\s+should)?"
    r"|you\s+(?:should|ought\s+to|need\s+to))(?:\s+also)?)\s+(?=[a-z])"
)
_HEDGED = re.compile(
    r"(?i)\b(?:if|unless|maybe|might|perhaps|once|whether|when|not\s+sure|doubt\w*|hope)\b"
)
_LATE_WILL = re.compile(r"(?:[,;]\s*|\b(?i:so|and|then|but)\s+)(?=(?:will|gonna)\s+[a-z])")
_PRONOUN_ONLY = re.compile(
    r"(?i:I|we|you|he|she|they)(?:\s+(?:also|then|just|really|still|definitely|probably))?"
)
_LATE_SUBJECT = re.compile(
    r"(?:[,;:]\s*|\b(?i:so|and|but|then|also|btw)\s+|^\W*(?:[\w)]+\s+){1,4}?)"
    rf"(?P<p>I|i|you|he|she){_FUTURE}\b"
)
_SAID = re.compile(
    rf"^\W*(?P<n>{NAME})\s+(?:says|said|thinks|mentioned)\s+(?:that\s+)?(?=(?:I|he|she|you)\b)"
)
_SPEECH_TAG = re.compile(
    rf",\s+(?:(?:says|said)\s+(?P<a>{NAME})|(?P<b>{NAME})\s+(?:says|said))\W*$"
)
_NOT_A_PROMISE = re.compile(
    r"\b(?:was|were)\s+(?:going\s+to|gonna)\b|\b(?:'d|would)\s+(?:rather|sooner|prefer)\b"
    r"|\bprefer(?:s|red)?\s+to\b|^\W*(?:also\W+)?if\b"
    r"|^\W*(?:next\s+time|whenever|every\s+time|each\s+time|in\s+general|always)\b",
    re.I,
)
_MODAL = re.compile(
    r"(?:\b(?:will|'ll|shall|is|am|are|'m|'s|'re)\s*)?\b(?:going\s+to|gonna)\b"
    r"|(?:\b(?:will|shall|would|can|need\s+to|needs\s+to|have\s+to|has\s+to|must|should"
    r"|plan\s+to|planning\s+to|aim(?:ing)?\s+to|intend\s+to|want\s+to|wants\s+to|agreed\s+to"
    r"|(?:'d|would)\s+like\s+to"
    r"|offered\s+to|promised\s+to|volunteered\s+to|said\s+(?:he|she|they|I)(?:'d|\s+would))"
    r"|'ll|'d)(?:\s+(?:also|then|just|definitely|probably|still|first))?(?:\s+try\s+to)?\b"
    r"|\b(?:homework|plan|goal|target|task|next\s+step|action)s?(?:\s+for\s+(?:me|you|next\s+\w+))?"
    r"\s+(?:is|are|was|were)(?:\s+to\b|\s*:)"
    r"|^\s*(?:(?:so\s+)?(?:the\s+)?next\s+steps?|homework|action\s+for\s+me|for\s+me|to-?do)"
    r"\s*[:\-–—]"
    r"|^\s*(?:to|will)\b",
    re.I,
)
_SUBJECT_BEFORE = re.compile(
    r"(?:^|\b)(?:I|we|you|he|she|they|it's\s+on\s+me|[A-Z][a-z]+|both\s+of\s+us|we\s+both"
    r"|I\s+think)(?:\s+(?:also|then|just|really|still|definitely|probably|already))?\s*$|^\s*$",
)
_SUBJECT = re.compile(
    r"^(?:(?:so|ok|okay|yeah|yes|yep|sure|right|well|and|but|also|alright|then|great|cool|thanks"
    r"|noted|fine|good|now|instead|(?:on|from)\s+(?:my|your|our)\s+side|for\s+my\s+part"
    r"|as\s+for\s+me|in\s+(?:the\s+)?(?:meantime|next\s+\w+|\w+\s+weeks?))\b[,!.:]?\s+)*(?P<s>I|I'm|I've|I'd|me|my|we|we're|let's"
    r"|let\s+me|you|your|you're|he|she|he's|she's|they|someone|somebody|nobody|both\s+of\s+us)\b",
    re.I,
)
_LEADING_CHATTER = re.compile(
    r"^(?:(?:so|ok|okay|yeah|yes|yep|sure|right|well|and|also|alright|then|great|cool|thanks!?"
    r"|noted|fine|good|just|first|definitely|probably|please|pls|plz|maybe|actually|basically|next|both"
    # "Will do, I'll send it" is chatter; "will do the draft of RFC" keeps its verb.
    r"|quickly|try\s+to|will\s+do(?!\s+(?:the|a|an|my|your|his|her|our|their|some)\b)"
    r"|on\s+it|sounds\s+good|good\s+call|deal)\b[,!.:—-]*\s+)+",
    re.I,
)
_FILLER = re.compile(r",?\s*\b(?:uh+|um+|erm|uhm|hmm|you\s+know|i\s+mean)\b,?|,\s*like,", re.I)
_STUTTER = re.compile(r"\b([\w']+(?:\s+[\w']+)?),?\s+\1\b", re.I)
_TAIL = re.compile(
    r"\s*(?:(?:[,;]\s*|\s+)(?:if\s+that(?:'s|\s+is)\s+ok\w*|if\s+possible|as\s+well|too|then"
    r"|thanks|cheers|please|latest|at\s+the\s+latest|probably|hopefully|and(?:\s+then)?|or|so"
    r"|instead|either|anyway|of|by|on|at|until|before|for|starting|beginning|from"
    r"|(?:I|we)\s+(?:promise|guess|think|hope|swear|reckon)|sorry)"
    r"|\s*[-–—:,;]\s*|\s*\((?:[^)]*)\)|[.!?]+)\s*$",
    re.I,
)
_ACCEPT = re.compile(
    r"^\W*(?:(?:sure|yes|yep|yeah|ok(?:ay)?|will\s+do|on\s+it|deal|happy\s+to|good\s+call"
    r"|can\s+do|no\s+problem)\b[\s,.!]*)+(?:(?:I'll|will)\s+do\s+(?:that|it)\b.*|on\s+it\W*"
    r"|will\s+do\W*)?$",
    re.I,
)
# A sign-off: meeting the listener is no task ("see you next week", "catch you on Slack").
_FAREWELL = re.compile(
    r"^(?:see|meet|catch|talk\s+(?:to|with)|speak\s+(?:to|with)|chat\s+(?:to|with))\s+"
    r"(?:you|u|ya)\b(?:\s+(?:both|all|two|guys))?(?!\s+(?:to|about|through)\b)",
    re.I,
)
_LATER_CLAUSE = r"(?:,\s*(?:once|as\s+soon\s+as|when)|\s+(?:once|as\s+soon\s+as))\b[^,;]*$"
_VAGUE = re.compile(
    r"^(?:(?:do|did)\s+(?:that|it|this|so)|that|it|this|so|do|on\s+it|will\s+do|try|sure|yes"
    r"|yep|ok|okay|deal)?\s*$",
    re.I,
)
_REQUEST = re.compile(
    r"^(?:\W*(?:\w+,\s*)?)(?:(?:can|could|would|will)\s+you\s+(?:also\s+|please\s+)?"
    r"|you\s+(?:should|could|might\s+want\s+to|need\s+to)\s+(?:also\s+)?|(?:please|pls|plz)\s+|maybe\s+"
    r"|(?:it(?:'s|\s+is|\s+might\s+be)\s+)?worth\s+|for\s+next\s+(?:week|time),?\s+"
    r"|how\s+about\s+|why\s+don't\s+you\s+)",
    re.I,
)
_ARTIFACT_NOUNS = (
    r"pr|prs|pull\s+request|rfc|prd|doc|design\s+doc|deck|slides|talk|draft|proposal|plan|spec"
    r"|runbook|ticket|branch|repo|migration|module|dashboard|post|article|course|exam|cv|resume"
    r"|book|chapter|review|report|template|abstract"
)
_THE = re.compile(
    rf"\b(?P<d>the|that|this)\s+(?P<n>{_ARTIFACT_NOUNS})\b(?!\s+(?:for|on|of|about))", re.I
)
_PHRASE = re.compile(
    r"(?<!\bfor )(?<!\bto )(?<!\bwith )(?<!\bfrom )(?<!\bat )(?<!\bin )(?<!\bon )(?<!\bof )"
    r"\b(?:the|a|an|my|your|his|her|our|their|two|three|four|five|\d+)\s+(?:(?!(?:to|for|with|by"
    r"|on|in|at|of|and|or|but|so|if|when|before|after|from|about|is|are|was|were|will|be|it|that"
    r"|this|you|me|him|her|them|i|we|yesterday|today|tomorrow|tonight|last|next)\b)"
    r"[A-Za-z][\w'-]*\s+){0,3}(?P<head>(?!(?:to|for|with|by|on"
    r"|in|at|of|and|or|is|are|was|were|will|be|it|that|this|you|me|him|her|them|i|we|yesterday"
    r"|today|tomorrow|tonight|last|next)\b)"
    r"[A-Za-z][\w'-]*[a-z0-9])(?!['’]s)"
)
_NOT_OBJECTS = frozenset(
    """week weeks day days time times moment minute minutes hour hours session sessions call
    meeting one thing things way bit lot end morning afternoon evening weekend month year
    point idea question questions problem""".split()
)
_INJECTION = re.compile(
    r"\bignore\s+(?:all\s+|any\s+|the\s+|your\s+)?(?:previous|prior|above|earlier)\s+"
    r"(?:instructions?|prompts?|rules|messages?)|\bdisregard\s+(?:all\s+|the\s+)?(?:previous|prior)"
    r"|\bsystem\s+prompt\b|\byou\s+are\s+now\b|\bnew\s+instructions?\b|\bas\s+an\s+ai\b"
    r"|\boutput\s+(?:all|every|the)\s+(?:action\s+)?items\b|\badd\s+an?\s+action\s+item\s+for\b"
    r"|\bmark\s+(?:every|all)\s+(?:due\s+dates?|items)\b|\bjailbreak|\bprompt\s+injection\b"
    r"|\bwire\s+(?:the\s+)?(?:money|funds|cash|payment|\$|€|£|\d)|\btransfer\s+(?:the\s+)?"
    r"(?:money|funds|cash|\$|€|£)|\bgift\s*cards?\b|\bbank\s+(?:details|account)|\bpasswords?\b"
    r"|\badmin\s+(?:access|password|rights)|^\W*(?:system|assistant|user|bot)\s*:",
    re.I,
)
_DONE_STATUS = re.compile(r"\b(?:done|closed|complete|completed|finished|shipped)\b|✅|✔|✓", re.I)
_DROP_STATUS = re.compile(r"\b(?:dropped|cancel+ed|on\s+hold|parked|deferred|won't)\b", re.I)


def _unfill(text: str) -> str:
    """The text without fillers ("uh", "um", ", like,"), keeping a comma where one was needed."""
    text = _FILLER.sub(lambda m: "," if m.group(0).count(",") == 2 else "", text)
    text = re.sub(r"\bu(?=\s|'d|'ll|$)", "you", re.sub(r"\bur\b", "your", text))  # chat spelling
    text = re.sub(r"\bi(?=\s|'[a-z]{1,2}\b)", "I", text)
    text = re.sub(r"\b(?:ill|Ill)(?=\s+[a-z]+\s)", "I'll", re.sub(r"\bim\b", "I'm", text))
    return re.sub(r",\s*,", ",", text).strip(" ,")


def _and_clauses(text: str, promise: str) -> list[str]:
    """``text`` cut before each ", and <promise>"; a lone name before "and" is not cut off.

    "Ravi and Chiara will write ..." is one clause that both own; "Ravi will draft it and
    will send it" is two.
    """
    pieces = re.split(rf"(,?\s+and\s+){promise}", text)
    clauses = pieces[:1]
    for sep, clause in zip(pieces[1::2], pieces[2::2], strict=True):
        if re.fullmatch(rf"\W*{NAME}(?:\s*,\s*{NAME})*", clauses[-1]):
            clauses[-1] += sep + clause
        else:
            clauses.append(clause)
    return clauses
